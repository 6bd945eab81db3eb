"""surveys' builder pages."""

from django.urls import path

from ..views import builder

urlpatterns = [
    path("", builder.QuestionnaireListView.as_view(), name="questionnaire_list"),
    path("new/", builder.questionnaire_create, name="questionnaire_create"),
    path("<int:pk>/", builder.questionnaire_detail, name="questionnaire_detail"),
    path("<int:pk>/edit/", builder.questionnaire_edit, name="questionnaire_edit"),
    path("<int:pk>/questions/new/", builder.question_add, name="question_add"),
    path("<int:pk>/questions/demographics/", builder.demographics_quick, name="question_demographics"),
    path("<int:pk>/sampling/", builder.sampling_edit, name="sampling_edit"),
    path("<int:pk>/step/<str:name>/", builder.questionnaire_step, name="questionnaire_step"),
    path("<int:pk>/copy/", builder.questionnaire_copy, name="questionnaire_copy"),
    path("questions/<int:pk>/edit/", builder.question_edit, name="question_edit"),
    path("questions/<int:pk>/delete/", builder.question_delete, name="question_delete"),
    path("questions/<int:pk>/move/<str:direction>/", builder.question_move, name="question_move"),
]
