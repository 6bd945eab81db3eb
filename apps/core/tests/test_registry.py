"""The registry's `manage.py check` rules fail when an app forgets one of its entries."""

import dataclasses

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from apps.core import checks
from apps.core.registry import MenuEntry, registry
from apps.core.roles import Role


@pytest.fixture
def entries(monkeypatch):
    """A way to change one app's entries for one test; the registry is restored afterwards."""

    def change(label, **fields):
        app = registry.apps[label]
        monkeypatch.setitem(registry.apps, label, dataclasses.replace(app, **fields))

    return change


def _ids(errors):
    return {error.id for error in errors}


def test_the_project_passes_its_own_checks():
    call_command("check", fail_level="ERROR")


def test_a_restricted_model_without_policy_rows_fails_check(monkeypatch):
    policy = {label: rows for label, rows in registry.policy.items() if label != "cases.category"}
    monkeypatch.setattr(registry, "_policy", policy)
    errors = checks.check_policy_rows()
    assert _ids(errors) == {"core.E001"}
    assert "cases.category" in errors[0].msg
    with pytest.raises(SystemCheckError, match=r"cases\.category"):
        call_command("check")


def test_an_audit_action_without_a_label_fails_check(entries):
    labels = dict(registry.apps["organization"].audit_labels)
    del labels["organization.zone.reassigned"]
    entries("organization", audit_labels=labels)
    errors = checks.check_audit_labels()
    assert _ids(errors) == {"core.E002"}
    assert "organization.zone.reassigned" in errors[0].msg
    assert "apps/organization/services.py" in errors[0].msg


def test_a_url_without_an_access_row_fails_check(entries):
    rows = [row for row in registry.apps["cases"].access if row.url_name != "cases:briefing"]
    entries("cases", access=rows)
    errors = checks.check_access_rows()
    assert [error.id for error in errors] == ["core.E003"]
    assert "cases:briefing" in errors[0].msg


def test_a_menu_entry_shown_to_a_role_its_page_refuses_fails_check(entries):
    # The audit log's page needs "view" on audit events, which grid workers do not have.
    wrong = MenuEntry("audit-for-all", "x", "core:audit_list", permission="cases.case", order=1)
    entries("core", menu=[*registry.apps["core"].menu, wrong])
    errors = [error for error in checks.check_menu() if "audit-for-all" in error.msg]
    assert _ids(errors) == {"core.E005"}
    assert any(f"'{Role.GRID.value}'" in error.msg for error in errors)


def test_a_menu_entry_to_a_page_without_declared_permission_fails_check(entries):
    entries("core", menu=[*registry.apps["core"].menu, MenuEntry("logout", "x", "accounts:logout")])
    assert _ids([error for error in checks.check_menu() if "'logout'" in error.msg]) == {"core.E004"}


def test_an_unlabelled_audit_action_is_refused_when_written(org):
    from django.core.exceptions import ImproperlyConfigured

    from apps.core.audit import audit_record

    with pytest.raises(ImproperlyConfigured, match="no label"):
        audit_record(actor=None, obj=org.unit_a1, action="organization.unit.teleported")


def test_every_app_registers_once_and_the_policy_merges():
    assert {"core", "accounts", "organization", "imports", "cases", "inspections"} <= set(registry.apps)
    assert registry.allows(Role.COMMUNITY, "organization.unit", "add")
    assert not registry.allows(Role.LEADER, "organization.unit", "add")
    with pytest.raises(ValueError, match="registered twice"):
        registry.register("cases")


def test_last_demo_builders_run_after_every_other():
    """`DemoBuilder(last=True)` runs after every builder that is not last, in a stable order."""
    from apps.core.registry import DemoBuilder, Registry

    reg = Registry()
    reg.register("a", demo=[DemoBuilder("finish", "x.finish", last=True), DemoBuilder("a", "x.a")])
    reg.register("b", demo=[DemoBuilder("tidy", "x.tidy", after=("finish",), last=True), DemoBuilder("b", "x.b")])
    reg.register("c", demo=[DemoBuilder("c", "x.c", after=("b", "unknown"))])
    assert [b.key for b in reg.demo_builders()] == ["a", "b", "c", "finish", "tidy"]
    reg.register("d", demo=[DemoBuilder("d", "x.d", after=("finish",))])
    with pytest.raises(ValueError, match="waits on a last builder"):
        reg.demo_builders()
