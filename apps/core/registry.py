"""What each app contributes to the whole, collected at start-up.

An app declares its own entries in `apps/<app>/entries.py` by calling `register(...)`:
its rows of the permission table, its menu entries, the labels of the audit actions its
services write, its export sources and import specs, its home-page widgets, its evidence
providers and figures (apps/core/evidence.py), its report sections and consistency checks
(apps/core/reporting.py), its demo builder, its rows
of the access matrix, and the fields that hold a person's name or phone (`personal_data`, masked
by apps/core/personal.py). `core` imports no other app: `CoreConfig.ready()` imports every
installed app's `entries` module (`autodiscover_modules`, as the Django admin does), and everything central (navigation,
`User.can()`, the audit trail's labels, the export job, the home page, `build_demo`, the
access tests and the `manage.py check` rules in `checks.py`) reads from here.

Adding an app therefore edits no central list: see "Adding a domain app" in the README.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.utils.module_loading import import_string


@dataclass(frozen=True)
class MenuEntry:
    """One navigation entry, shown when the user's role may `view` `permission`.

    `roles` narrows it further (e.g. 上报 only for people who report on patrol); `primary`
    entries appear first and large on a phone.
    """

    key: str
    label: Any
    url_name: str
    permission: str | None = None
    roles: frozenset[str] | None = None
    order: int = 100
    icon: str = ""

    def visible_to(self, user) -> bool:
        if self.roles is not None and user.role not in self.roles:
            return False
        return self.permission is None or user.can(self.permission, "view")


@dataclass(frozen=True)
class ExportSource:
    """A ledger people can download: `rows(user, filters)` restricted to the user's scope,
    `columns()` as (header, getter) pairs. `permission` is the model whose `view` it needs."""

    key: str
    label: Any
    permission: str
    rows: Callable[[Any, dict], Iterable]
    columns: Callable[[], list[tuple[Any, Callable]]]


@dataclass(frozen=True)
class Widget:
    """A home-page panel. `context(request)` returns the template's context, or None when the
    panel has nothing to show for this user (it is then left out)."""

    key: str
    template: str
    context: Callable[[Any], dict | None]
    roles: frozenset[str]
    order: int = 100
    wide: bool = False


@dataclass(frozen=True)
class DemoBuilder:
    """Builds an app's part of the demo street. `path` names a function `build(demo)` that
    receives the shared demo context (`apps.demo.context.Demo`, which the organisation and
    accounts builders fill first); it is
    imported only when the demo is built. `after` names the builders that must run before it.

    `last=True` runs it after every builder that is not last, whatever they name: for work
    over what all the others built (e.g. the campaigns' evidence-rule sync, which links the
    records of apps it cannot name). Last builders may name each other in `after`; a builder that
    is not last may not name a last one."""

    key: str
    path: str
    after: tuple[str, ...] = ()
    last: bool = False

    @property
    def build(self) -> Callable[[Any], None]:
        return import_string(self.path)


@dataclass(frozen=True)
class AccessRow:
    """One row of the access matrix for a named URL.

    `args(world)` gives the URL arguments from the test world; `allowed` is the user who
    succeeds, `other` a user of another jurisdiction (404) and `forbidden` a role without the
    permission (403), all attribute names on the world. `data(world)` is the POST body.
    `json` marks POSTs that answer JSON rather than redirecting; `api` marks API routes
    (401 for anonymous instead of the login page).
    """

    url_name: str
    allowed: str
    args: Callable[[Any], list] | None = None
    other: str | None = None
    forbidden: str | None = None
    method: str = "get"
    data: Callable[[Any], dict] | None = None
    json: bool = False
    api: bool = False


@dataclass
class AppEntries:
    label: str
    policy: dict[str, dict[str, frozenset[str]]] = field(default_factory=dict)
    menu: list[MenuEntry] = field(default_factory=list)
    audit_labels: dict[str, Any] = field(default_factory=dict)
    audit_fields: dict[str, Any] = field(default_factory=dict)
    exports: list[ExportSource] = field(default_factory=list)
    imports: dict[str, Any] = field(default_factory=dict)
    widgets: list[Widget] = field(default_factory=list)
    # apps.core.evidence.EvidenceSource: records the evidence ledger (台账) may link to an item.
    evidence_providers: list[Any] = field(default_factory=list)
    # apps.core.evidence.FigureSource: numbers a standard's measurable indicator is filled from.
    figures: list[Any] = field(default_factory=list)
    # apps.core.reporting.ReportSection / ConsistencyCheck: sections of generated documents (工作总结 …)
    # and the contradictions between records a document must not print.
    report_sections: list[Any] = field(default_factory=list)
    consistency_checks: list[Any] = field(default_factory=list)
    # apps.core.rollups.RecordRollup: totals of the app's records kept by core (figures read them).
    rollups: list[Any] = field(default_factory=list)
    demo: list[DemoBuilder] = field(default_factory=list)
    access: list[AccessRow] = field(default_factory=list)
    public_urls: set[str] = field(default_factory=set)
    access_world: str = ""
    api_routes: list[tuple[str, str]] = field(default_factory=list)
    urls: list[tuple] = field(default_factory=list)
    # Fields holding a person's name or phone (apps.core.personal.PersonalField).
    personal_data: list[Any] = field(default_factory=list)


class Registry:
    def __init__(self):
        self.apps: dict[str, AppEntries] = {}
        self._policy: dict[str, dict[str, frozenset[str]]] = {}
        self._personal: dict[tuple[str, str], Any] | None = None

    def register(self, label: str, **entries) -> AppEntries:
        if label in self.apps:
            raise ValueError(f"{label} registered twice")
        app = AppEntries(label=label, **entries)
        for model_label in app.policy:
            if model_label in self._policy:
                raise ValueError(f"policy rows for {model_label} declared twice")
        self._policy.update(app.policy)
        self.apps[label] = app
        self._personal = None
        return app

    def _all(self, name: str) -> list:
        return [item for app in self.apps.values() for item in getattr(app, name)]

    # Read by the rest of core -------------------------------------------------------------

    @property
    def policy(self) -> dict[str, dict[str, frozenset[str]]]:
        return self._policy

    def allows(self, role: str | None, model_label: str, action: str) -> bool:
        return action in self._policy.get(model_label, {}).get(role or "", frozenset())

    def menu(self) -> list[MenuEntry]:
        return sorted(self._all("menu"), key=lambda entry: entry.order)

    def widgets(self) -> list[Widget]:
        return sorted(self._all("widgets"), key=lambda widget: widget.order)

    def audit_label(self, action: str):
        for app in self.apps.values():
            if action in app.audit_labels:
                return app.audit_labels[action]
        return None

    def audit_labels(self) -> dict[str, Any]:
        return {action: label for app in self.apps.values() for action, label in app.audit_labels.items()}

    def audit_field_label(self, key: str):
        for app in self.apps.values():
            if key in app.audit_fields:
                return app.audit_fields[key]
        return None

    def exports(self) -> dict[str, ExportSource]:
        return {source.key: source for source in self._all("exports")}

    def imports(self) -> dict[str, Any]:
        return {key: spec for app in self.apps.values() for key, spec in app.imports.items()}

    def record_rollups(self) -> list[Any]:
        """Every app's `RecordRollup` (apps/core/rollups.py)."""
        return self._all("rollups")

    def evidence_providers(self) -> list[Any]:
        """Every app's `EvidenceSource` (apps/core/evidence.py)."""
        return self._all("evidence_providers")

    def figures(self) -> list[Any]:
        """Every app's `FigureSource` (apps/core/evidence.py)."""
        return self._all("figures")

    def report_sections(self) -> list[Any]:
        """Every app's `ReportSection` (apps/core/reporting.py)."""
        return self._all("report_sections")

    def consistency_checks(self) -> list[Any]:
        """Every app's `ConsistencyCheck` (apps/core/reporting.py)."""
        return self._all("consistency_checks")

    def demo_builders(self) -> list[DemoBuilder]:
        """Every app's demo builder, each after the builders it names, and the `last` ones after
        all the others (a stable topological order; a name no app registered is ignored)."""
        builders = self._all("demo")
        known = {builder.key for builder in builders}
        last = {builder.key for builder in builders if builder.last}
        for builder in builders:
            if not builder.last and last.intersection(builder.after):
                raise ValueError(
                    f"demo builder {builder.key} waits on a last builder: {sorted(last & set(builder.after))}"
                )
        ordered: list[DemoBuilder] = []
        for group in ([b for b in builders if not b.last], [b for b in builders if b.last]):
            pending = {builder.key: builder for builder in group}
            while pending:
                done = {builder.key for builder in ordered}
                ready = [b for b in pending.values() if all(dep in done or dep not in known for dep in b.after)]
                if not ready:
                    raise ValueError(f"demo builders wait on each other: {sorted(pending)}")
                for builder in ready:
                    ordered.append(builder)
                    del pending[builder.key]
        return ordered

    def access_rows(self) -> list[AccessRow]:
        return self._all("access")

    def public_urls(self) -> set[str]:
        return {name for app in self.apps.values() for name in app.public_urls}

    def access_worlds(self) -> list[str]:
        return [app.access_world for app in self.apps.values() if app.access_world]

    def api_routes(self) -> list[tuple[str, str]]:
        """(prefix, dotted path of a DRF ViewSet) for the /api/v1/ router."""
        return self._all("api_routes")

    def personal_fields(self) -> dict[tuple[str, str], Any]:
        """(model label, field name) -> its `PersonalField` declaration (apps/core/personal.py)."""
        if self._personal is None:
            self._personal = {(item.model, item.field): item for item in self._all("personal_data")}
        return self._personal

    def urls(self) -> list[tuple]:
        """(prefix, URLconf module) or (prefix, dotted path of a pattern list, namespace)."""
        return self._all("urls")


registry = Registry()


def register(label: str, **entries) -> AppEntries:
    """Declare an app's entries (called once, from the app's `entries.py`)."""
    return registry.register(label, **entries)


# What a part module of a large app may declare (upper-case names), and the registry entry each
# one joins into. Lists are concatenated, sets united, dicts merged (a key declared twice fails).
PART_ENTRIES = {
    "POLICY": "policy",
    "MENU": "menu",
    "AUDIT_LABELS": "audit_labels",
    "AUDIT_FIELDS": "audit_fields",
    "EXPORTS": "exports",
    "WIDGETS": "widgets",
    "EVIDENCE": "evidence_providers",
    "FIGURES": "figures",
    "REPORT_SECTIONS": "report_sections",
    "CONSISTENCY_CHECKS": "consistency_checks",
    "ROLLUPS": "rollups",
    "DEMO": "demo",
    "API_ROUTES": "api_routes",
    "PUBLIC_URLS": "public_urls",
    "PERSONAL_DATA": "personal_data",
    "ACCESS": "access",
}


def join_parts(label: str, parts) -> dict:
    """The entries of an app split into part modules (pestcontrol's operations, surveys, Aedes
    …), joined into `register`'s keyword arguments."""
    joined: dict[str, Any] = {}
    for name, entry in PART_ENTRIES.items():
        values = [getattr(part, name) for part in parts if hasattr(part, name)]
        if not values:
            continue
        if isinstance(values[0], dict):
            merged: dict = {}
            for value in values:
                for key, item in value.items():
                    if key in merged:
                        raise ValueError(f"{label}: {name} {key} declared twice")
                    merged[key] = item
            joined[entry] = merged
        elif isinstance(values[0], set):
            joined[entry] = set().union(*values)
        else:
            joined[entry] = [item for value in values for item in value]
    return joined


def register_parts(label: str, parts, **entries) -> AppEntries:
    """Declare the entries of an app whose `entries` is a package of part modules, plus the
    app-wide ones (`urls`, `access_world`) given as keywords."""
    return registry.register(label, **join_parts(label, parts), **entries)
