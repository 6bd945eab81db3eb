"""surveys' results pages."""

from django.urls import path

from ..views import results as views

urlpatterns = [
    path("<int:pk>/results/", views.questionnaire_results, name="questionnaire_results"),
    path("<int:pk>/results/answers.xlsx", views.questionnaire_export, name="questionnaire_export"),
]
