from django.urls import path

from . import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("audit/", views.AuditListView.as_view(), name="audit_list"),
    path("personal/<str:model>/<int:pk>/<str:field>/reveal/", views.personal_reveal, name="personal_reveal"),
]
