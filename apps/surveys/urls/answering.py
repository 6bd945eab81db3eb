"""surveys' answering pages."""

from django.urls import path

from ..views import answering as views

urlpatterns = [
    path("<int:pk>/channels/", views.questionnaire_channels, name="questionnaire_channels"),
    path("<int:pk>/qr.png", views.questionnaire_qr, name="questionnaire_qr"),
    path("<int:pk>/poster/", views.questionnaire_poster, name="questionnaire_poster"),
    path("<int:pk>/interview/", views.interview, name="interview"),
    path("<int:pk>/interview/form.json", views.interview_form, name="interview_form"),
    path("<int:pk>/interview/submit/", views.interview_submit, name="interview_submit"),
    path("a/<str:token>/", views.answer, name="answer"),
    path("a/<str:token>/thanks/", views.answer_thanks, name="answer_thanks"),
]
