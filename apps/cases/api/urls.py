"""Mounted at /api/ (before the project router): /api/v1/cases/… and /api/open311/v2/…"""

from django.urls import include, path, re_path
from rest_framework.routers import DefaultRouter

from . import open311
from .views import CaseViewSet

app_name = "cases_api"

router = DefaultRouter()
# The project router at /api/v1/ owns the API root page; this one must not shadow it.
router.include_root_view = False
router.register("cases", CaseViewSet, basename="case")

open311_patterns = [
    path("services.json", open311.ServiceListView.as_view(), name="open311-services"),
    path("services/<str:service_code>.json", open311.ServiceDefinitionView.as_view(), name="open311-service"),
    path("requests.json", open311.RequestListView.as_view(), name="open311-requests"),
    path("requests/<str:service_request_id>.json", open311.RequestDetailView.as_view(), name="open311-request"),
    # Last: any other path under the GeoReport root answers a GeoReport 404.
    re_path(r"^", open311.NotFoundView.as_view(), name="open311-not-found"),
]

urlpatterns = [
    path("v1/", include(router.urls)),
    path("open311/v2/", include(open311_patterns)),
]
