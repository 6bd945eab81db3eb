"""The aedes part of pestcontrol's pages."""

from django.urls import path

from ..views import aedes

urlpatterns = [
    path("aedes/", aedes.aedes_home, name="aedes_home"),
    path("aedes/map.json", aedes.aedes_map_data, name="aedes_map_data"),
    path("aedes/trend/<int:pk>/", aedes.aedes_trend, name="aedes_trend"),
    path("aedes/setting/", aedes.aedes_setting, name="aedes_setting"),
    path("aedes/surveys/new/", aedes.aedes_survey_new, name="aedes_survey_new"),
    path("aedes/surveys/<int:pk>/", aedes.aedes_survey, name="aedes_survey"),
    path("aedes/surveys/<int:pk>/fill/", aedes.aedes_survey_fill, name="aedes_survey_fill"),
    path("aedes/surveys/<int:pk>/visits/", aedes.aedes_visit_save, name="aedes_visit_save"),
    path("aedes/surveys/<int:pk>/submit/", aedes.aedes_survey_submit, name="aedes_survey_submit"),
    path("aedes/visits/<int:pk>/case/", aedes.aedes_visit_case, name="aedes_visit_case"),
    path("aedes/photos/<int:pk>/<str:size>/", aedes.visit_photo, name="visit_photo"),
]
