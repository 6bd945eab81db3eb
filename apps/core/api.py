"""API helpers: scoped viewsets and a JSON error body for domain errors."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole


def exception_handler(exc, context):
    if isinstance(exc, ConcurrentEdit):
        return Response({"detail": str(exc.message), "code": "conflict"}, status=status.HTTP_409_CONFLICT)
    if isinstance(exc, OutsideJurisdiction):
        return Response({"detail": str(exc.message), "code": "not_found"}, status=status.HTTP_404_NOT_FOUND)
    if isinstance(exc, PermissionDeniedForRole):
        return Response({"detail": str(exc.message), "code": "permission_denied"}, status=status.HTTP_403_FORBIDDEN)
    if isinstance(exc, DomainError):
        return Response({"detail": str(exc.message), "code": "invalid"}, status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, DjangoValidationError):
        return Response(
            {"detail": exc.message_dict if hasattr(exc, "error_dict") else exc.messages},
            status=status.HTTP_400_BAD_REQUEST,
        )
    return drf_exception_handler(exc, context)


class ScopedViewSetMixin:
    """Querysets go through `restrict()`; a role without the action gets 403, others' objects 404."""

    action_map_to_permission = {
        "list": "view",
        "retrieve": "view",
        "create": "add",
        "update": "change",
        "partial_update": "change",
        "destroy": "delete",
    }

    def permission_action(self) -> str:
        return self.action_map_to_permission.get(self.action, "view")

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        model = self.queryset.model
        if not request.user.can(model._meta.label_lower, self.permission_action()):
            raise PermissionDenied()

    def filter_queryset(self, queryset):
        # The list's filters (StrictFilterBackend) narrow the list only, never a detail or a step.
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        action = "change" if self.permission_action() in ("change", "delete") else "view"
        return super().get_queryset().restrict(self.request.user, action)
