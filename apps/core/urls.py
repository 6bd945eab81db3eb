from django.urls import path

from . import views, views_totals

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("totals/", views_totals.totals_page, name="totals"),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
    path("personal/<str:model>/<int:pk>/<str:field>/reveal/", views.personal_reveal, name="personal_reveal"),
]
