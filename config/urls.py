"""The project's URLs: every app's pages and API routes come from its `entries.py`."""

from django.conf import settings
from django.conf.urls.static import static
from django.urls import include, path
from django.utils.module_loading import import_string
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import DefaultRouter

from apps.core.registry import registry

router = DefaultRouter()
for prefix, viewset in registry.api_routes():
    router.register(prefix, import_string(viewset))


def _include(entry):
    if len(entry) == 3:  # (prefix, dotted path of a pattern list, namespace)
        prefix, patterns, namespace = entry
        return path(prefix, include((import_string(patterns), namespace)))
    prefix, module = entry
    return path(prefix, include(module))


urlpatterns = [
    *[_include(entry) for entry in registry.urls()],
    path("i18n/", include("django.conf.urls.i18n")),
    path("api/v1/", include(router.urls)),
    path("api/schema/", SpectacularAPIView.as_view(), name="api_schema"),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

handler400 = "apps.core.views.error_400"
handler403 = "apps.core.views.error_403"
handler404 = "apps.core.views.error_404"
handler500 = "apps.core.views.error_500"
