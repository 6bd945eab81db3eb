"""The project's drf-spectacular AutoSchema (REST_FRAMEWORK["DEFAULT_SCHEMA_CLASS"]): the schema
tells the truth about what every operation can answer, so no app has to repeat it.

- Every operation lists the errors it can answer, with the one error body (`ErrorSerializer`,
  or the view's own `error_response_schema`, e.g. Open311's GeoReport error list):
  400 always (any request can be refused for a control character in its path or parameters,
  apps.core.middleware), 401 (with its `WWW-Authenticate` header) when
  it authenticates, 403 when it checks a permission or a session's CSRF token, 404 when it
  addresses an object or a page, 409 when its input carries a `VersionField`, 415 when it takes
  a body, 429 when it is throttled. An app's own `@extend_schema` responses win.
- A writable `VersionField` is required in every request body, PATCH included.
- A read-only field that can come out as null is `nullable`: a dotted `source` through a
  nullable relation (`assignee_unit.name`), or an explicit `default=None`.
"""

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.plumbing import append_meta, force_instance, is_serializer
from drf_spectacular.utils import OpenApiResponse
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny

from .api import ErrorSerializer, VersionField

ERROR_DESCRIPTIONS = {
    400: "输入无效（字段错误见 errors），或当前状态下不能执行该操作",
    401: "未提供或无效的身份凭据（Token 或会话）",
    403: "角色无权执行此操作，或会话请求的 CSRF 校验失败",
    404: "对象或页码不存在，或不在调用者的管辖范围内",
    409: "version 已过期：他人已修改该记录，请重新读取",
    415: "不支持的请求体格式（Content-Type）",
    429: "请求过于频繁，请稍后再试（见 Retry-After）",
}
UNSAFE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}


def _may_be_null(field) -> bool:
    """A read-only field DRF may render as None although the field does not say `allow_null`."""
    if field.default is None:
        return True
    source = getattr(field, "source", None)
    if not source or source == "*" or "." not in source:
        return False
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    for attr in source.split(".")[:-1]:
        if model is None:
            return False
        try:
            model_field = model._meta.get_field(attr)
        except FieldDoesNotExist:
            return False
        if getattr(model_field, "null", False):
            return True
        model = model_field.related_model
    return False


def _serializers_of(request) -> list:
    if isinstance(request, dict):
        return [force_instance(s) for s in request.values() if is_serializer(s)]
    return [force_instance(request)] if is_serializer(request) else []


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry):
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation.setdefault("responses", {})
        error_schema = getattr(self.view, "error_response_schema", ErrorSerializer)
        for status_code in self._error_statuses(operation):
            key = str(status_code)
            if key not in responses:
                responses[key] = self._get_response_for_code(
                    OpenApiResponse(error_schema, description=ERROR_DESCRIPTIONS[status_code]), key
                )
        if "401" in responses:
            responses["401"].setdefault("headers", {})["WWW-Authenticate"] = {
                "schema": {"type": "string"},
                "required": True,
                "description": "认证方式，例如 Token",
            }
        return operation

    def _error_statuses(self, operation) -> list[int]:
        parameters = operation.get("parameters", [])
        has_body = "requestBody" in operation
        authenticators = self.view.get_authenticators()
        statuses = []
        # The control-character guard (apps.core.middleware) answers 400 before any view.
        statuses.append(400)
        if authenticators:
            statuses.append(401)
        checks_permission = any(not isinstance(p, AllowAny) for p in self.view.get_permissions())
        checks_csrf = self.method in UNSAFE_METHODS and any(
            isinstance(a, SessionAuthentication) for a in authenticators
        )
        if checks_permission or checks_csrf:
            statuses.append(403)
        paginated = self.method == "GET" and self._is_list_view() and self._get_paginator() is not None
        if any(p.get("in") == "path" for p in parameters) or paginated:
            statuses.append(404)
        if has_body and self._takes_version():
            statuses.append(409)
        if has_body:
            statuses.append(415)
        if self.view.get_throttles():
            statuses.append(429)
        return statuses

    def _takes_version(self) -> bool:
        return any(
            isinstance(field, VersionField) and not field.read_only
            for serializer in _serializers_of(self.get_request_serializer())
            for field in serializer.fields.values()
        )

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        if direction == "request":
            versions = [
                name
                for name, field in force_instance(serializer).fields.items()
                if isinstance(field, VersionField) and not field.read_only
            ]
            if versions:
                schema["required"] = sorted({*schema.get("required", []), *versions})
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        if schema and direction == "response" and field.read_only and not field.allow_null and _may_be_null(field):
            schema = append_meta(schema, {"nullable": True})
        return schema
