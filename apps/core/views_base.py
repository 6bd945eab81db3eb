"""View building blocks: login, role check (403) and scoped lookup (404)."""

from collections.abc import Callable
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View

from .exceptions import DomainError
from .filters import InvalidFilters, parse_strict_int
from .keyset import Cursor, IdsFirstList, InvalidCursor, keyset_page


class RoleRequiredMixin(LoginRequiredMixin):
    """Anonymous users go to the login page; a role without `action` on the model gets 403."""

    model = None
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.can(self.model._meta.label_lower, self.action):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def requires(model_label: str = "", action: str = "view"):
    """Decorator for function views: anonymous users go to the login page, a role without
    `action` on `model_label` gets 403. With no model label any signed-in user may open the page.

    The view carries `required_permission`, which `manage.py check` reads to prove that no
    menu entry leads a role to a page that refuses it.
    """

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if model_label:
                require_permission(request.user, model_label, action)
            return view(request, *args, **kwargs)

        wrapped.required_permission = (model_label, action)
        return wrapped

    return decorate


def require_permission(user, model_label: str, action: str = "view") -> None:
    """403 for a role the permission table does not give `action` on the model."""
    if not user.can(model_label, action):
        raise PermissionDenied


def get_scoped_or_404(model, user, pk, action: str = "view", queryset=None):
    """The object if `user` may `action` it: a role without the permission answers 403, an object
    outside the user's scope (or missing) 404, as RoleRequiredMixin and restrict() do."""
    require_permission(user, model._meta.label_lower, action)
    qs = queryset if queryset is not None else model.objects.all()
    try:
        return qs.restrict(user, action).get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


class ScopedObjectMixin(RoleRequiredMixin):
    queryset = None

    def get_object(self):
        if not hasattr(self, "_object"):
            qs = self.queryset if self.queryset is not None else self.model.objects.all()
            self._object = get_scoped_or_404(self.model, self.request.user, self.kwargs["pk"], self.action, qs)
        return self._object


# How a list is exported, by format: registered by the app that runs export jobs (apps.imports,
# in its AppConfig.ready()), so that core, below every app, imports none of them.
EXPORT_HANDLERS: dict[str, Callable[..., HttpResponse]] = {}


class FilteredListView(RoleRequiredMixin, View):
    """A paginated, filtered list that can also be exported to .xlsx with the same filters.

    Subclasses name a `template_name`, an `export_source` registered in
    the export registry (apps.imports), and implement `get_rows()` with their selector.
    Selectors filter through the app's StrictFilterSet: invalid filters (raised as
    InvalidFilters) show the page again with status 400, the messages above the list and the
    form keeping what was typed, for the page and its export alike.
    """

    template_name = ""
    paginate_by = 50
    export_source = ""

    def get_filters(self) -> dict:
        return {k: v for k, v in self.request.GET.items() if v and k not in {"page", "cursor", "export"}}

    def page_number(self):
        """`?page=`: a whole number of ASCII digits (a page past the end shows the last one) or
        "last"; anything else is refused like a filter."""
        raw = self.request.GET.get("page", "")
        if raw in ("", "last"):
            return raw or 1
        try:
            return parse_strict_int(raw, label=_("页码"), min_value=1)
        except ValidationError as error:
            raise InvalidFilters(error.messages) from None

    def get(self, request, *args, **kwargs):
        try:
            page_number = self.page_number()
            rows = self.get_rows()
        except InvalidFilters as error:
            return self.render_invalid(error)
        if request.GET.get("export") == "xlsx" and self.export_source:
            handler = EXPORT_HANDLERS.get("xlsx")
            if handler is None:
                raise Http404
            return handler(request, source=self.export_source, filters=self.get_filters(), rows=rows)
        try:
            paging = self.paginate(rows, page_number)
        except InvalidFilters as error:
            return self.render_invalid(error)
        query = request.GET.copy()
        query.pop("page", None)
        query.pop("cursor", None)
        context = {
            **paging,
            "filters": self.get_filters(),
            "querystring": query.urlencode(),
            "export_source": self.export_source,
        }
        context.update(self.get_extra_context())
        return TemplateResponse(request, self.template_name, context)

    def paginate(self, rows, page_number) -> dict:
        """The page's context: `page` (Django's Page) and its `rows`."""
        page = Paginator(rows, self.paginate_by).get_page(page_number)
        return {"page": page, "rows": page.object_list}

    def render_invalid(self, error: InvalidFilters) -> HttpResponse:
        query = self.request.GET.copy()
        query.pop("page", None)
        query.pop("cursor", None)
        query.pop("export", None)
        context = {
            "page": Paginator([], self.paginate_by).get_page(1),
            "rows": [],
            "filters": self.get_filters(),
            "filter_errors": error.messages,
            "querystring": query.urlencode(),
            "export_source": self.export_source,
        }
        context.update(self.get_extra_context())
        return TemplateResponse(self.request, self.template_name, context, status=400)

    def get_extra_context(self) -> dict:
        return {}


class KeysetListView(FilteredListView):
    """A long list ordered newest first (`created_at`, `id`; apps/core/keyset.py): numbered
    pages for the first `numbered_pages` pages, then "next/previous" pages by key (`?cursor=`).

    The count reads at most `numbered_pages * paginate_by` + 1 rows (a larger scope shows
    "more than N"), and each page takes its ids from the table alone before `load_rows(ids)`
    loads those rows with what the template shows. `?page=` past the numbered pages shows the
    last numbered page; from there the "next" link continues by key with the same filters.
    """

    numbered_pages = 20

    def load_rows(self, ids: list[int]):
        raise ImproperlyConfigured("KeysetListView subclasses load a page's rows in load_rows()")

    def paginate(self, rows, page_number) -> dict:
        raw = self.request.GET.get("cursor")
        if raw is not None:
            try:
                cursor = Cursor.decode(raw)
            except InvalidCursor as error:
                raise InvalidFilters([str(error.message)]) from None
            keyset = keyset_page(rows, cursor, self.paginate_by, self.load_rows)
            return {"page": None, "keyset": keyset, "rows": keyset.rows}
        source = IdsFirstList(rows, self.load_rows, count_limit=self.numbered_pages * self.paginate_by)
        page = Paginator(source, self.paginate_by).get_page(page_number)
        page_rows = list(page.object_list)
        next_cursor = None
        if source.truncated and not page.has_next() and page_rows:
            next_cursor = Cursor(page_rows[-1].created_at, page_rows[-1].pk).encode()
        return {"page": page, "rows": page_rows, "keyset_next": next_cursor, "count_truncated": source.truncated}


def submit_form(form, call):
    """Run `call(cleaned_data)` for a valid form; domain and model errors become form errors.

    Returns the service's result, or None when the form must be shown again.
    """
    if not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except DomainError as error:
        form.add_error(None, str(error.message))
    except ValidationError as error:
        if hasattr(error, "error_dict"):
            for field, errors in error.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            form.add_error(None, error)
    return None


def form_error_messages(request, form) -> None:
    """A form handled without showing it again (a small POST that redirects back): each of its
    errors becomes an error message, after its field's label when it belongs to a field."""
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)


class ServiceFormView(RoleRequiredMixin, View):
    """A form page whose valid submission calls one service (create or edit).

    Edit views set `action = "change"` and look the object up through `restrict()`
    (404 outside the user's scope); create views set `action = "add"`.
    """

    form_class = None
    template_name = "core/form.html"
    title = ""
    success_message = ""

    def get_object(self):
        if self.action == "add":
            return None
        if not hasattr(self, "_object"):
            self._object = get_scoped_or_404(self.model, self.request.user, self.kwargs["pk"], self.action)
        return self._object

    def get_form_kwargs(self) -> dict:
        kwargs = {"user": self.request.user}
        if self.get_object() is not None and issubclass(self.form_class, forms.ModelForm):
            kwargs["instance"] = self.get_object()
        return kwargs

    def get_initial(self) -> dict:
        return {}

    def perform(self, form, data):
        raise ImproperlyConfigured("ServiceFormView subclasses call their service in perform()")

    def get_title(self):
        return self.title

    def get_context(self, form) -> dict:
        return {"form": form, "title": self.get_title(), "object": self.get_object(), "cancel_url": self.cancel_url()}

    def cancel_url(self) -> str:
        """The object's page; empty for a new object, where the template's cancel link goes
        back in the browser's history (a data-back link: the CSP allows no javascript: URL)."""
        obj = self.get_object()
        return obj.get_absolute_url() if obj is not None and hasattr(obj, "get_absolute_url") else ""

    def get(self, request, *args, **kwargs):
        form = self.form_class(initial=self.get_initial(), **self.get_form_kwargs())
        return TemplateResponse(request, self.template_name, self.get_context(form))

    def post(self, request, *args, **kwargs):
        form = self.form_class(request.POST, request.FILES, **self.get_form_kwargs())
        result = submit_form(form, lambda data: self.perform(form, data))
        if result is None:
            return TemplateResponse(
                request, self.template_name, self.get_context(form), status=400 if form.errors else 200
            )
        if self.success_message:
            messages.success(request, self.success_message)
        return redirect(self.success_url(result))

    def success_url(self, result) -> str:
        return result.get_absolute_url()
