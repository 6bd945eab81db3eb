"""API helpers: scoped viewsets, the optimistic-concurrency `version` field, and the one JSON
error body every API error answers with (DRF exceptions, domain errors, and Django's own
404/403/400/500 pages under the API's paths).

The error body (declared once, as the `Error` component, on every operation by
`apps.core.api_schema.AutoSchema`):

    {"detail": "a sentence for a person", "code": "machine_code", "errors": {"field": ["message"]}}

`errors` is present on validation errors (400) only; nested fields are flattened to dotted
paths ("photos.0"). `code` is DRF's code (`not_authenticated`, `permission_denied`,
`not_found`, `method_not_allowed`, `not_acceptable`, `unsupported_media_type`, `throttled`,
`parse_error`, `invalid`) or ours (`conflict` for a stale version).
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, pagination, serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param
from rest_framework.views import exception_handler as drf_exception_handler

from .exceptions import ConcurrentEdit, DomainError, OutsideJurisdiction, PermissionDeniedForRole
from .keyset import Cursor, InvalidCursor, keyset_page

NON_FIELD = "non_field_errors"
# A PositiveIntegerField column: larger numbers could not be stored, nor compared in the database.
MAX_VERSION = 2**31 - 1


# The error body -------------------------------------------------------------------------------


class ErrorSerializer(serializers.Serializer):
    """The error body of every API error (`apps.core.api.exception_handler`)."""

    detail = serializers.CharField(help_text="错误说明（按界面语言：中文或英文）")
    code = serializers.CharField(
        help_text=(
            "错误代码：invalid、parse_error、not_authenticated、authentication_failed、permission_denied、csrf_failed、"
            "not_found、method_not_allowed、not_acceptable、conflict、unsupported_media_type、throttled、error、"
            "token_invalid、token_revoked、token_expired、account_inactive、session_expired、password_expired、"
            "too_many_files"
        )
    )
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text="仅输入校验错误（400）：{字段: [错误说明]}；嵌套字段以点号连接，整体错误在 non_field_errors",
    )


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested validation detail as {"field.sub.0": ["message", ...]}."""
    if isinstance(detail, dict):
        flat: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = str(key) if not prefix else (prefix if key == NON_FIELD else f"{prefix}.{key}")
            for field, messages in _flatten(value, name).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    if isinstance(detail, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]} if detail else {}
        flat = {}
        for index, item in enumerate(detail):
            for field, messages in _flatten(item, f"{prefix}.{index}" if prefix else str(index)).items():
                flat.setdefault(field, []).extend(messages)
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def _sentence(errors: dict[str, list[str]]) -> str:
    return "; ".join(
        " ".join(messages) if field == NON_FIELD else f"{field}: {' '.join(messages)}"
        for field, messages in errors.items()
    )


def error_body(detail, code: str, errors: dict[str, list[str]] | None = None) -> dict:
    body = {"detail": str(detail), "code": code}
    if errors is not None:
        body["errors"] = errors
    return body


def _code_of(exc: exceptions.APIException) -> str:
    detail = exc.detail
    if isinstance(detail, exceptions.ErrorDetail) and detail.code:
        return str(detail.code)
    return exc.default_code


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DomainInvalid(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid"


def _as_api_exception(exc):
    """Domain and Django errors as the DRF exception that answers them (order: most specific first)."""
    if isinstance(exc, ConcurrentEdit):
        return Conflict(str(exc.message))
    if isinstance(exc, OutsideJurisdiction):
        return exceptions.NotFound(str(exc.message))
    if isinstance(exc, PermissionDeniedForRole):
        return PermissionDenied(str(exc.message))
    if isinstance(exc, DomainError):
        return DomainInvalid(str(exc.message))
    if isinstance(exc, DjangoValidationError):
        return exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        return PermissionDenied()
    return exc


def exception_handler(exc, context):
    """Every handled API error as `ErrorSerializer`; headers (WWW-Authenticate, Retry-After) kept."""
    exc = _as_api_exception(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # not an API error: Django answers 500 (JSON under the API paths, see views)
    if isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF Failed"):
        # DRF's SessionAuthentication words it in English; the pages' message and code instead.
        response.data = error_body(_("页面已过期或表单已失效，请刷新页面后重试。"), "csrf_failed")
    elif isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = error_body(_sentence(errors), "invalid", errors)
    elif isinstance(exc.detail, (dict, list)):
        response.data = error_body(_sentence(_flatten(exc.detail)), exc.default_code)
    else:
        response.data = error_body(exc.detail, _code_of(exc))
    return response


# Django's error pages under the API paths ---------------------------------------------------------


def is_api_request(request) -> bool:
    """Paths whose every answer is JSON, errors included (settings.API_JSON_PATH_PREFIXES)."""
    return request.path.startswith(tuple(settings.API_JSON_PATH_PREFIXES))


OPEN311_PATH_PREFIX = "/api/open311/"


def api_error_response(status_code: int, detail, code: str, request=None) -> JsonResponse:
    """An error answered outside DRF (Django's handlers, middleware): the API's one body, or
    under Open311 its GeoReport error list `[{"code", "description"}]`."""
    if request is not None and request.path.startswith(OPEN311_PATH_PREFIX):
        body = [{"code": status_code, "description": str(detail)}]
        return JsonResponse(body, status=status_code, safe=False, json_dumps_params={"ensure_ascii": False})
    return JsonResponse(error_body(detail, code), status=status_code, json_dumps_params={"ensure_ascii": False})


# Serializer fields -------------------------------------------------------------------------------


class VersionField(serializers.IntegerField):
    """The optimistic-concurrency `version` a client read, sent back with every change.

    Returned by reads; writable, it is required in every change request, PATCH included
    (the schema says so: `apps.core.api_schema.AutoSchema`), and a stale one answers 409.
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_VERSION)
        kwargs.setdefault("help_text", "读取时的 version（乐观锁）；修改时必须原样提交，过期则返回 409")
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        # A JSON number, or a string of ASCII digits: DRF's IntegerField would take any Unicode
        # decimal digit ("٣" as 3), which the rest of the input parsing refuses (apps/core/filters.py).
        if isinstance(data, bool) or (isinstance(data, str) and not data.strip().isascii()):
            self.fail("invalid")
        return super().to_internal_value(data)


# Pagination ---------------------------------------------------------------------------------------


class PageNumberPagination(pagination.PageNumberPagination):
    """DRF's page numbers, but a `page` that is not a positive whole number answers 400 (DRF reads
    an empty one as page 1 and "abc" as a missing page); a page past the end stays a 404."""

    def get_page_number(self, request, paginator):
        raw = request.query_params.get(self.page_query_param)
        if raw is None:
            return 1
        if raw in self.last_page_strings:
            return raw
        if not (raw.isascii() and raw.isdigit()) or int(raw) < 1:
            raise exceptions.ValidationError({self.page_query_param: [_("页码必须是正整数。")]})
        return raw

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_query_param:
                parameter["schema"] = {"type": "integer", "minimum": 1}
        return parameters


class KeysetPagination(pagination.BasePagination):
    """Pages by key, newest first by (`created_at`, `id`) (apps/core/keyset.py): `next` and
    `previous` are links carrying an opaque `cursor`; no total (a COUNT would read every row in
    scope). A page costs the same at any depth, and rows added between two fetches neither
    repeat nor skip a row. A bad cursor answers 400 (`errors.cursor`).

    Compatibility: a request with `?page=` and no `cursor` is answered by PageNumberPagination
    as before (with `count`), so existing clients keep working; new clients follow `next`.
    """

    page_size = 50
    cursor_query_param = "cursor"
    page_query_param = "page"

    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.legacy = None
        raw = request.query_params.get(self.cursor_query_param)
        if raw is None and self.page_query_param in request.query_params:
            self.legacy = PageNumberPagination()
            self.legacy.page_size = self.page_size
            return self.legacy.paginate_queryset(queryset, request, view)
        try:
            cursor = Cursor.decode(raw) if raw is not None else None
        except InvalidCursor as error:
            raise exceptions.ValidationError({self.cursor_query_param: [error.message]}) from None
        self.keyset = keyset_page(queryset, cursor, self.page_size)
        return self.keyset.rows

    def _link(self, cursor):
        if cursor is None:
            return None
        url = remove_query_param(self.request.build_absolute_uri(), self.page_query_param)
        return replace_query_param(url, self.cursor_query_param, cursor)

    def get_paginated_response(self, data):
        if self.legacy is not None:
            return self.legacy.get_paginated_response(data)
        return Response(
            {
                "next": self._link(self.keyset.next_cursor),
                "previous": self._link(self.keyset.previous_cursor),
                "results": data,
            }
        )

    def get_paginated_response_schema(self, schema):
        link = {"type": "string", "format": "uri", "nullable": True}
        return {
            "type": "object",
            "required": ["next", "previous", "results"],
            "properties": {
                "count": {"type": "integer", "description": "总条数：仅按旧式 ?page= 翻页时返回"},
                "next": {**link, "description": "下一页（更早的记录）的链接；没有则为 null"},
                "previous": {**link, "description": "上一页（更新的记录）的链接；没有则为 null"},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.cursor_query_param,
                "required": False,
                "in": "query",
                "description": "翻页位置：取自上一次应答的 next / previous 链接，不要自行构造",
                "schema": {"type": "string"},
            },
            {
                "name": self.page_query_param,
                "required": False,
                "in": "query",
                "description": "旧式页码（兼容保留，应答含 count）；新客户端请使用 cursor",
                "schema": {"type": "integer", "minimum": 1},
                "deprecated": True,
            },
        ]


# Viewsets -----------------------------------------------------------------------------------------


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
