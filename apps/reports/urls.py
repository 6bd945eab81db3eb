from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("totals/", views.totals_page, name="totals"),
]
