from django.urls import path

from . import views

app_name = "ops"

urlpatterns = [
    # SECURE_REDIRECT_EXEMPT names this path: the load balancer probes it over plain HTTP.
    path("health/", views.HealthView.as_view(), name="health"),
    path("health/detail/", views.HealthDetailView.as_view(), name="health_detail"),
]
