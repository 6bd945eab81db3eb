"""The surveys part of pestcontrol's pages: surveys, minimum samples, control levels, grades, 灭效."""

from django.urls import path

from ..views import levels, surveys

urlpatterns = [
    path("surveys/", surveys.SurveyListView.as_view(), name="survey_list"),
    path("surveys/new/", surveys.survey_create, name="survey_create"),
    path("surveys/<int:pk>/", surveys.survey_detail, name="survey_detail"),
    path("surveys/<int:pk>/edit/", surveys.survey_edit, name="survey_edit"),
    path("surveys/methods/", surveys.method_settings, name="method_settings"),
    path("campaigns/<int:pk>/efficacy/", surveys.campaign_efficacy, name="campaign_efficacy"),
    path("levels/", levels.standard_list, name="standard_list"),
    path("levels/versions/<int:pk>/", levels.version_detail, name="version_detail"),
    path("levels/versions/<int:pk>/edit/", levels.version_edit, name="version_edit"),
    path("grades/", levels.grades, name="grades"),
]
