from django.urls import path

from . import dashboard_views, views

app_name = "reports"

urlpatterns = [
    path("totals/", views.totals_page, name="totals"),
    path("dashboard/", dashboard_views.dashboard_page, name="dashboard"),
]
