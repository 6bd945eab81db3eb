from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from apps.cases.urls import public_urlpatterns
from apps.core.api_views import AuditEventViewSet
from apps.inspections.api.views import InspectionViewSet, PublishedRankingViewSet
from apps.organization.api.views import JurisdictionViewSet, StaffViewSet, UnitViewSet, ZoneViewSet

router = DefaultRouter()
router.register("jurisdictions", JurisdictionViewSet)
router.register("units", UnitViewSet)
router.register("staff", StaffViewSet)
router.register("zones", ZoneViewSet)
router.register("audit-events", AuditEventViewSet)
router.register("inspections", InspectionViewSet)
router.register("rankings", PublishedRankingViewSet)

urlpatterns = [
    path("", include("apps.core.urls")),
    path("accounts/", include("apps.accounts.urls")),
    path("org/", include("apps.organization.urls")),
    path("data/", include("apps.imports.urls")),
    path("notifications/", include("apps.notifications.urls")),
    path("calendar/", include("apps.worktime.urls")),
    path("cases/", include("apps.cases.urls")),
    path("inspections/", include("apps.inspections.urls")),
    path("public/", include((public_urlpatterns, "public"))),
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/", include("apps.cases.api.urls")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "apps.core.views.error_400"
handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
