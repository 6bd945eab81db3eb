"""`manage.py check` rules that keep the apps' entries honest.

- core.E001: a model whose manager restricts by role and scope has no row in the permission table;
- core.E002: a service writes an audit action that no app labelled;
- core.E003: a named URL (page or API route) has no row in the access matrix;
- core.E004: a menu entry points at a page that does not declare the permission it checks;
- core.E005: a menu entry is shown to a role that its page refuses;
- core.E006: a list page offers an export of a source that no app registered;
- core.E007: a declared personal field (name or phone) names no model field, or no kind of person;
- core.E008: a template prints a masked personal field itself instead of `{% personal %}`.

Each app declares these in its own `entries.py`; see registry.py.
"""

import ast
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.core import checks
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.exceptions import NoReverseMatch

from .querysets import RestrictedQuerySet
from .registry import registry
from .roles import Role
from .workflow import WORKFLOWS

AUDIT_ACTION = re.compile(r"^[a-z_]+\.[a-z_]+\.[a-z_]+$")


def _project_apps():
    return [config for config in django_apps.get_app_configs() if config.name.startswith("apps.")]


@checks.register()
def check_policy_rows(app_configs=None, **kwargs):
    errors = []
    for config in _project_apps():
        for model in config.get_models():
            manager = model._default_manager
            if not issubclass(getattr(manager, "_queryset_class", object), RestrictedQuerySet):
                continue
            if model._meta.label_lower not in registry.policy:
                errors.append(
                    checks.Error(
                        f"{model._meta.label_lower} is restricted by role and scope but has no policy row.",
                        hint=f"Add a policy row for it in apps/{config.label}/entries.py.",
                        obj=model,
                        id="core.E001",
                    )
                )
    return errors


def written_audit_actions(config) -> dict[str, str]:
    """Audit actions spelt out in an app's code (`action="app.model.verb"`), with where."""
    found = {}
    root = Path(config.path)
    for path in root.rglob("*.py"):
        parts = path.relative_to(root).parts
        if "tests" in parts or "migrations" in parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            for keyword in node.keywords:
                value = keyword.value
                if (
                    keyword.arg == "action"
                    and isinstance(value, ast.Constant)
                    and isinstance(value.value, str)
                    and AUDIT_ACTION.match(value.value)
                ):
                    found.setdefault(value.value, f"{path}:{node.lineno}")
    return found


@checks.register()
def check_audit_labels(app_configs=None, **kwargs):
    labelled = registry.audit_labels()
    errors = []
    written = {}
    for config in _project_apps():
        written.update(written_audit_actions(config))
    for workflow in WORKFLOWS:
        for step in workflow.transitions:
            if step.audit_action.split(".")[0] in registry.apps:  # not the tables tests declare
                written.setdefault(step.audit_action, f"the {workflow.model._meta.label} workflow, step {step.name!r}")
    for action, where in sorted(written.items()):
        if action not in labelled:
            errors.append(
                checks.Error(
                    f"Audit action {action!r} (written at {where}) has no label.",
                    hint="Add it to audit_labels in the writing app's entries.py (past tense, translated).",
                    id="core.E002",
                )
            )
    return errors


def named_urls(resolver=None, namespace=""):
    """Every named URL of the project as 'namespace:name'."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from named_urls(pattern, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def unlisted_urls() -> set[str]:
    listed = {row.url_name for row in registry.access_rows()} | registry.public_urls()
    return {
        name
        for name in named_urls()
        if name not in listed and not (name.startswith("cases_api:") or name == "api-root")
    }


@checks.register()
def check_access_rows(app_configs=None, **kwargs):
    errors = [
        checks.Error(
            f"URL {name!r} has no row in the access matrix.",
            hint="Add an AccessRow (or a public_urls entry, for pages without login) to the app's entries.py.",
            id="core.E003",
        )
        for name in sorted(unlisted_urls())
    ]
    existing = set(named_urls())
    errors += [
        checks.Error(
            f"The access matrix has a row for {row.url_name!r}, which is no URL.",
            hint="Remove or rename the row in the app's entries.py.",
            id="core.E003",
        )
        for row in registry.access_rows()
        if row.url_name not in existing
    ]
    return errors


@checks.register()
def check_export_sources(app_configs=None, **kwargs):
    """core.E006: a list page offers an .xlsx export of a source no app registered."""
    from .views_base import FilteredListView

    errors, seen = [], set()
    for name in named_urls():
        try:
            view_class = getattr(get_resolver().resolve(reverse(name)).func, "view_class", None)
        except NoReverseMatch:
            continue  # needs arguments: list pages take none
        source = getattr(view_class, "export_source", "") if view_class else ""
        if view_class and issubclass(view_class, FilteredListView) and source and source not in seen:
            seen.add(source)
            if source not in registry.exports():
                errors.append(
                    checks.Error(
                        f"{name!r} exports {source!r}, which no app registered.",
                        hint="Add an ExportSource to the app's entries.py.",
                        id="core.E006",
                    )
                )
    return errors


def view_permission(url_name: str):
    """The (model label, action) the page at `url_name` checks, or None when it declares none.

    Class-based views declare it as `model`/`action` (RoleRequiredMixin); function views with
    the `requires` decorator (views_base), which sets `required_permission`; `login_only`
    pages declare `("", "")`: any signed-in user may open them.
    """
    try:
        match = get_resolver().resolve(reverse(url_name))
    except NoReverseMatch:
        return None
    view = match.func
    if hasattr(view, "required_permission"):
        return view.required_permission
    view_class = getattr(view, "view_class", None)
    model = getattr(view_class, "model", None)
    if model is not None:
        return (model._meta.label_lower, getattr(view_class, "action", "view"))
    return None


@checks.register()
def check_menu(app_configs=None, **kwargs):
    errors = []
    for entry in registry.menu():
        permission = view_permission(entry.url_name)
        if permission is None:
            errors.append(
                checks.Error(
                    f"Menu entry {entry.key!r} points at {entry.url_name!r}, which declares no permission.",
                    hint="Give the view a model (RoleRequiredMixin) or the `requires` decorator.",
                    id="core.E004",
                )
            )
            continue
        model_label, action = permission
        for role in Role:
            shown = (entry.roles is None or role in entry.roles) and (
                entry.permission is None or registry.allows(role, entry.permission, "view")
            )
            if shown and model_label and not registry.allows(role, model_label, action):
                errors.append(
                    checks.Error(
                        f"Menu entry {entry.key!r} is shown to {role.value!r}, but {entry.url_name!r} "
                        f"needs {action!r} on {model_label!r}.",
                        hint="Narrow the entry (permission or roles) or the page's permission.",
                        id="core.E005",
                    )
                )
    return errors


@checks.register()
def check_personal_data(app_configs=None, **kwargs):
    """core.E007: every `personal_data` declaration names a real field and known kinds of person."""
    from django.core.exceptions import FieldDoesNotExist

    from .personal import POLICY, Part

    errors = []
    for app in registry.apps.values():
        for item in app.personal_data:
            where = f"{app.label}: personal field {item.model}.{item.field}"
            try:
                django_apps.get_model(item.model)._meta.get_field(item.field)
            except (LookupError, ValueError, FieldDoesNotExist):
                errors.append(checks.Error(f"{where} is no model field.", id="core.E007"))
                continue
            kinds = item.possible_kinds()
            if item.part not in Part.values or not kinds or any(kind not in POLICY for kind in kinds):
                errors.append(
                    checks.Error(
                        f"{where} has part {item.part!r} and kinds {kinds!r}.",
                        hint="part: Part.NAME/PHONE; kind: a PersonKind, or a function with `kinds=`.",
                        id="core.E007",
                    )
                )
    return errors


_PRINTED = re.compile(r"\{\{\s*([\w.]+)\.(\w+)\s*(?:\||\}\})")


def printed_personal_fields() -> list[str]:
    """Templates that print a personal field the policy masks (`{{ unit.contact_phone }}`)."""
    from django.conf import settings

    masked = {
        item.field for item in registry.personal_fields().values() if item.in_records("13912345678") != "13912345678"
    }
    roots = [Path(d) for config in settings.TEMPLATES for d in config.get("DIRS", [])]
    roots += [Path(config.path) / "templates" for config in _project_apps()]
    found = []
    for root in roots:
        for path in root.rglob("*.html") if root.is_dir() else []:
            for match in _PRINTED.finditer(path.read_text(encoding="utf-8")):
                base, name = match.groups()
                if name in masked and not base.startswith("form"):
                    found.append(f"{path}: {match.group(0)}")
    return found


@checks.register()
def check_templates_mask_personal_data(app_configs=None, **kwargs):
    return [
        checks.Error(
            f"{where} prints a person's data unmasked.",
            hint='Use {% load personal %}{% personal obj "field" %} (apps/core/templatetags/personal.py).',
            id="core.E008",
        )
        for where in printed_personal_fields()
    ]
