"""Strict list filters: one way to read query parameters, for every list, export, map, API and feed.

A list's filters are a `StrictFilterSet` (django-filter) declared in the owning app's
`filters.py`. Its fields accept only what a person could have picked or typed on purpose:

- integers of ASCII digits within a range ("²" and "１" are refused, `int()` never sees them);
- ISO dates between FILTER_DATE_MIN and FILTER_DATE_MAX, and a start no later than its end;
- choices of the list, nothing else;
- objects from the user's own scope (an id outside it and a missing id get the same
  "unknown value" message, so the answer tells nothing about what exists elsewhere);
- text up to a maximum length.

An invalid filter is reported, never ignored: `StrictFilterSet.apply()` raises `InvalidFilters`
(a DomainError) with one message per problem, "「辖区」的值无效：未知的值". Pages show the list
again with status 400 and the messages above it (FilteredListView), JSON endpoints answer 400
with the JSON error body of apps/core/api.py, and export jobs re-run the same validation.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from types import SimpleNamespace

import django_filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework.exceptions import ValidationError as ApiValidationError

from . import personal
from .exceptions import DomainError
from .personal import Level

ASCII_DIGITS = re.compile(r"[0-9]+")
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# A datetime as ISO 8601 writes it (ASCII only): date, optional time, optional offset or Z.
ISO_DATETIME = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?"
    r"(Z|[+-][0-9]{2}:?[0-9]{2})?"
)
FLAG_TRUE = {"1", "true", "on", "yes"}
FLAG_FALSE = {"0", "false", "off", "no"}


def invalid(label, reason) -> ValidationError:
    """The one message shape for a refused value: 「label」的值无效：reason."""
    return ValidationError(_("「{label}」的值无效：{reason}").format(label=label, reason=reason), code="invalid")


def unknown_value(label) -> ValidationError:
    return invalid(label, _("未知的值"))


def date_bounds() -> tuple[date, date]:
    return date.fromisoformat(settings.FILTER_DATE_MIN), date.fromisoformat(settings.FILTER_DATE_MAX)


def parse_strict_int(value, *, label, min_value: int = 0, max_value: int = 2**31 - 1) -> int:
    """An integer written in ASCII digits within [min_value, max_value], or ValidationError.

    Also used outside filtersets (the optimistic-concurrency `version` of a POST).
    """
    text = str(value).strip()
    if not ASCII_DIGITS.fullmatch(text) or len(text) > 12 or not min_value <= int(text) <= max_value:
        raise invalid(label, _("应为 {min} 至 {max} 之间的整数").format(min=min_value, max=max_value))
    return int(text)


def parse_strict_date(value, *, label) -> date:
    lowest, highest = date_bounds()
    reason = _("应为 {min} 至 {max} 之间的日期，格式如 2026-01-31").format(min=lowest, max=highest)
    text = str(value).strip()
    if not ISO_DATE.fullmatch(text):
        raise invalid(label, reason)
    try:
        day = date.fromisoformat(text)
    except ValueError:
        raise invalid(label, reason) from None
    if not lowest <= day <= highest:
        raise invalid(label, reason)
    return day


def parse_strict_datetime(value, *, label) -> datetime:
    """An aware ISO 8601 datetime (or date) whose moment lies within the date bounds."""
    lowest, highest = date_bounds()
    reason = _("应为 {min} 至 {max} 之间的 ISO 8601 时间，例如 2026-03-01T08:00:00+08:00").format(
        min=lowest, max=highest
    )
    text = str(value).strip().replace(" ", "+") if "T" in str(value) else str(value).strip()
    if not ISO_DATETIME.fullmatch(text):
        raise invalid(label, reason)
    try:
        moment = parse_datetime(text) or datetime.combine(date.fromisoformat(text[:10]), datetime.min.time())
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        day = moment.astimezone(timezone.get_current_timezone()).date()
    except (ValueError, OverflowError):
        raise invalid(label, reason) from None
    if not lowest <= day <= highest:
        raise invalid(label, reason)
    return moment


# Form fields ---------------------------------------------------------------------------------


class StrictIntegerField(forms.Field):
    def __init__(self, *, min_value: int = 0, max_value: int = 2**31 - 1, **kwargs):
        self.min_value, self.max_value = min_value, max_value
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_strict_int(value, label=self.label, min_value=self.min_value, max_value=self.max_value)


class StrictDateField(forms.Field):
    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, date):
            return value
        return parse_strict_date(value, label=self.label)


class StrictDateTimeField(forms.Field):
    def to_python(self, value):
        if value in self.empty_values:
            return None
        return parse_strict_datetime(value, label=self.label)


class StrictChoiceField(forms.ChoiceField):
    """A choice of the list; anything else is 「label」的值无效：未知的值."""

    def validate(self, value):
        if value in self.empty_values:
            return
        if not self.valid_value(value):
            raise unknown_value(self.label)


class StrictMultipleChoiceField(forms.Field):
    """Comma-separated choices ("open,closed"), each one of the list."""

    def __init__(self, *, choices=(), max_items: int = 50, **kwargs):
        self.choices, self.max_items = choices, max_items
        super().__init__(**kwargs)

    def to_python(self, value):
        if value in self.empty_values:
            return []
        parts = [part.strip() for part in str(value).split(",") if part.strip()]
        allowed = {str(key) for key, _label in (self.choices() if callable(self.choices) else self.choices)}
        if len(parts) > self.max_items or any(part not in allowed for part in parts):
            raise unknown_value(self.label)
        return parts


class ScopedModelChoiceField(forms.ModelChoiceField):
    """An id from the queryset (already restricted to the user's scope): ASCII digits only, and
    one message for a missing id and an id outside the scope."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if not ASCII_DIGITS.fullmatch(str(value).strip()) or len(str(value).strip()) > 12:
            raise unknown_value(self.label)
        try:
            return super().to_python(str(value).strip())
        except ValidationError:
            raise unknown_value(self.label) from None


class BoundedCharField(forms.CharField):
    def __init__(self, *, max_length: int | None = None, **kwargs):
        super().__init__(max_length=max_length or settings.FILTER_TEXT_MAX_LENGTH, strip=True, **kwargs)
        self.validators = [v for v in self.validators if not hasattr(v, "limit_value")]

    def to_python(self, value):
        value = super().to_python(value)
        if len(value) > self.max_length:
            raise invalid(self.label, _("最多 {n} 个字符").format(n=self.max_length))
        if any(ord(ch) < 32 for ch in value):
            raise invalid(self.label, _("含有控制字符"))
        return value


class FlagField(forms.Field):
    """A yes/no switch in a link ("1"); anything but the known spellings is refused."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        text = str(value).strip().lower()
        if text in FLAG_TRUE:
            return True
        if text in FLAG_FALSE:
            return None
        raise unknown_value(self.label)


# Filters -------------------------------------------------------------------------------------


@extend_schema_field(OpenApiTypes.INT)
class IntegerFilter(django_filters.Filter):
    field_class = StrictIntegerField


@extend_schema_field(OpenApiTypes.DATE)
class DateFilter(django_filters.Filter):
    field_class = StrictDateField


@extend_schema_field(OpenApiTypes.DATETIME)
class DateTimeFilter(django_filters.Filter):
    field_class = StrictDateTimeField


class ChoiceFilter(django_filters.ChoiceFilter):
    """One of `choices` (the schema lists them as an enum)."""

    field_class = StrictChoiceField


@extend_schema_field(OpenApiTypes.STR)
class MultipleChoiceFilter(django_filters.Filter):
    """Comma-separated choices; the method receives the list."""

    field_class = StrictMultipleChoiceField

    def filter(self, qs, value):
        return qs.filter(**{f"{self.field_name}__in": value}) if value else qs


@extend_schema_field(OpenApiTypes.INT)
class ScopedModelChoiceFilter(django_filters.ModelChoiceFilter):
    """`queryset` takes the request (its user): `lambda request: Model.objects.restrict(request.user)`."""

    field_class = ScopedModelChoiceField


@extend_schema_field(OpenApiTypes.STR)
class TextFilter(django_filters.CharFilter):
    field_class = BoundedCharField

    def __init__(self, *args, max_length: int | None = None, **kwargs):
        super().__init__(*args, max_length=max_length, **kwargs)


@extend_schema_field(OpenApiTypes.STR)
class SearchFilter(TextFilter):
    """Free text matched (icontains) against several fields at once.

    `personal_fields` are (field, person kind, part) of personal data (apps/core/personal.py):
    searched only for a role that may see the value in full on request, so a role that reads a
    phone masked cannot recover its hidden digits by searching for them.
    """

    def __init__(self, *args, search_fields: tuple[str, ...] = (), personal_fields: tuple = (), **kwargs):
        self.search_fields = search_fields
        self.personal_fields = personal_fields
        super().__init__(*args, **kwargs)

    def fields_for(self, user) -> list[str]:
        role = getattr(user, "role", None)
        allowed = [
            name for name, kind, part in self.personal_fields if personal.level(role, kind, part) >= Level.REVEAL
        ]
        return [*self.search_fields, *allowed]

    def filter(self, qs, value):
        if not value:
            return qs
        request = getattr(self.parent, "request", None)
        condition = Q()
        for name in self.fields_for(getattr(request, "user", None)):
            condition |= Q(**{f"{name}__icontains": value})
        return qs.filter(condition)


@extend_schema_field(OpenApiTypes.STR)
class FlagFilter(django_filters.Filter):
    field_class = FlagField

    def filter(self, qs, value):
        if not value:
            return qs
        return self.method(qs, self.field_name, value) if self.method else qs.filter(**{self.field_name: True})


# Filter sets ---------------------------------------------------------------------------------


class InvalidFilters(DomainError):
    """A list's filters refused: `messages` lists each problem, `message` joins them."""

    def __init__(self, messages: list[str]):
        self.messages = messages
        super().__init__(" ".join(messages))


def error_messages(form) -> list[str]:
    """Every message of a bound form, field by field in the form's order, then the cross-field ones."""
    messages = []
    for name in [*form.fields, "__all__"]:
        messages.extend(str(m) for m in form.errors.get(name, []))
    return messages


class StrictFilterSet(django_filters.FilterSet):
    """A FilterSet that refuses what it does not understand, with messages a person can act on.

    Construct it with `request` (pages, the API backend) or `user` (selectors, export jobs).
    `date_ranges` names (start, end) filter pairs: a start later than its end is refused.
    """

    date_ranges: tuple[tuple[str, str], ...] = ()

    def __init__(self, data=None, queryset=None, *, request=None, user=None, prefix=None):
        if request is None and user is not None:
            request = SimpleNamespace(user=user)
        super().__init__(data, queryset, request=request, prefix=prefix)

    def get_form_class(self):
        base = super().get_form_class()
        ranges, filters = self.date_ranges, self.filters

        class Form(base):
            def clean(self):
                cleaned = super().clean()
                for start, end in ranges:
                    if cleaned.get(start) and cleaned.get(end) and cleaned[start] > cleaned[end]:
                        raise ValidationError(
                            _("「{start}」不能晚于「{end}」。").format(
                                start=filters[start].label, end=filters[end].label
                            ),
                            code="invalid_range",
                        )
                return cleaned

        return Form

    def messages(self) -> list[str]:
        return error_messages(self.form)

    def params(self) -> dict:
        """The cleaned values, for views that use them rather than a queryset (InvalidFilters if refused)."""
        if not self.is_valid():
            raise InvalidFilters(self.messages())
        return self.form.cleaned_data

    def valid_qs(self) -> QuerySet:
        """The filtered queryset, or InvalidFilters with every message."""
        if self.is_bound and not self.is_valid():
            raise InvalidFilters(self.messages())
        return self.qs

    @classmethod
    def apply(cls, queryset: QuerySet, data, *, user) -> QuerySet:
        """`queryset` filtered by `data` (a QueryDict or a plain dict, e.g. an export job's)."""
        return cls(data or {}, queryset, user=user).valid_qs()


class StrictFilterBackend(DjangoFilterBackend):
    """DRF's django-filter backend, answering an invalid filter with the messages of the pages
    (400, `{"field": ["「辖区」的值无效：未知的值"]}`): the schema documents the same parameters."""

    def filter_queryset(self, request, queryset, view):
        filterset = self.get_filterset(request, queryset, view)
        if filterset is None:
            return queryset
        # A page's form sends an empty field for "any"; an API client names only the filters it
        # means, so an empty date, number or choice is an error, as the schema types them.
        empty = {
            name: [_("「{label}」不能为空。").format(label=item.label)]
            for name, item in filterset.filters.items()
            if not isinstance(item, TextFilter) and name in request.query_params and not request.query_params[name]
        }
        if empty:
            raise ApiValidationError(empty)
        if not filterset.is_valid():
            raise ApiValidationError({name: [str(m) for m in errors] for name, errors in filterset.form.errors.items()})
        return filterset.qs


# The audit log's own filters live here with the mechanism (core owns the audit log).


def _audit_action_choices():
    from .registry import registry

    return [(code, str(label)) for code, label in registry.audit_labels().items()]


class AuditEventFilterSet(StrictFilterSet):
    q = TextFilter(label=gettext_lazy("关键词"), method="filter_text")
    action = ChoiceFilter(label=gettext_lazy("动作"), choices=_audit_action_choices)
    start = DateFilter(label=gettext_lazy("开始日期"), method="filter_start")
    end = DateFilter(label=gettext_lazy("结束日期"), method="filter_end")

    date_ranges = (("start", "end"),)

    def filter_text(self, qs, name, text):
        from .registry import registry

        # People search by what they read ("派遣"), so the text also matches the actions' labels.
        labelled = [code for code, label in registry.audit_labels().items() if text.lower() in str(label).lower()]
        return qs.filter(
            Q(object_repr__icontains=text)
            | Q(actor_name__icontains=text)
            | Q(action__icontains=text)
            | Q(action__in=labelled)
        )

    def filter_start(self, qs, name, value):
        return qs.filter(occurred_at__gte=timezone.make_aware(datetime.combine(value, datetime.min.time())))

    def filter_end(self, qs, name, value):
        return qs.filter(occurred_at__lte=timezone.make_aware(datetime.combine(value, datetime.max.time())))
