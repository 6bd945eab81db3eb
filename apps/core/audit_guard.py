"""The audit table protected in the database itself, not only by `AuditEvent.save()`/`delete()`.

A trigger refuses UPDATE and DELETE of `core_auditevent` rows (and, on PostgreSQL, TRUNCATE of
the table), so a queryset `update()`, a raw SQL statement or a bug in some future service cannot
rewrite history. Inserts are untouched: the log stays append-only.

The few legitimate rewrites (the audit retention purge, the demo builder replaying its invented
history, a data migration moving rows to another content type, and `manage.py flush` that tests
use to reset the database) run inside `audit_maintenance()`, which opens the switch for one
transaction:

- PostgreSQL: `set_config('chuangwei.audit_maintenance', 'on', true)`, a setting local to the
  transaction, gone at COMMIT or ROLLBACK whatever happens. The trigger function reads it with
  `current_setting(..., true)`.
- SQLite: no session settings, so the trigger's WHEN clause calls a function this module
  registers on every Django connection (`chuangwei_audit_maintenance()`), which reads a flag on
  that connection. A connection that does not have the function (the sqlite3 shell) gets
  "no such function" on UPDATE/DELETE of the table, which also refuses the change.

The switch is a guard against accidents and injected ORM paths, not against someone who can run
arbitrary SQL as the table's owner (they could drop the trigger). For that, production connects
as a role that owns nothing: see README "Audit log protection".

On SQLite, Django rebuilds a table to alter it (and a rebuilt table loses its triggers), so the
triggers are (re)installed after every `migrate`, idempotently, besides the migration that first
installs them.
"""

from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections, transaction

TABLE = "core_auditevent"
SETTING = "chuangwei.audit_maintenance"
SQLITE_FUNCTION = "chuangwei_audit_maintenance"

POSTGRESQL_INSTALL = [
    f"""
    CREATE OR REPLACE FUNCTION chuangwei_audit_append_only() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF coalesce(current_setting('{SETTING}', true), '') = 'on' THEN
            IF TG_OP = 'DELETE' THEN
                RETURN OLD;
            END IF;
            RETURN NEW;  -- UPDATE (a TRUNCATE statement trigger ignores the value)
        END IF;
        RAISE EXCEPTION 'audit events are append-only: % on % refused', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE}
        FOR EACH ROW EXECUTE FUNCTION chuangwei_audit_append_only()""",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    f"""CREATE TRIGGER {TABLE}_no_truncate BEFORE TRUNCATE ON {TABLE}
        FOR EACH STATEMENT EXECUTE FUNCTION chuangwei_audit_append_only()""",
]
POSTGRESQL_REMOVE = [
    f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}",
    f"DROP TRIGGER IF EXISTS {TABLE}_no_truncate ON {TABLE}",
    "DROP FUNCTION IF EXISTS chuangwei_audit_append_only()",
]
SQLITE_INSTALL = [
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_update BEFORE UPDATE ON {TABLE}
        WHEN NOT {SQLITE_FUNCTION}()
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE on {TABLE} refused'); END""",
    f"""CREATE TRIGGER IF NOT EXISTS {TABLE}_no_delete BEFORE DELETE ON {TABLE}
        WHEN NOT {SQLITE_FUNCTION}()
        BEGIN SELECT RAISE(ABORT, 'audit events are append-only: DELETE on {TABLE} refused'); END""",
]
SQLITE_REMOVE = [f"DROP TRIGGER IF EXISTS {TABLE}_no_update", f"DROP TRIGGER IF EXISTS {TABLE}_no_delete"]


def _statements(connection, install: bool) -> list[str]:
    if connection.vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    if connection.vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    return []  # other engines: protected by the model only


def install(connection) -> None:
    """Create (or re-create) the triggers; idempotent. Does nothing before the table exists."""
    if TABLE not in connection.introspection.table_names():
        return
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=True):
            cursor.execute(sql)


def remove(connection) -> None:
    with connection.cursor() as cursor:
        for sql in _statements(connection, install=False):
            cursor.execute(sql)


def installed(connection) -> bool:
    """Whether the database refuses changes to the audit table (used by tests and checks)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT count(*) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal", [TABLE])
            return cursor.fetchone()[0] == 2
        if connection.vendor == "sqlite":
            cursor.execute("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s", [TABLE])
            return cursor.fetchone()[0] == 2
    return False


def register_sqlite_function(sender, connection, **kwargs) -> None:
    """`connection_created` receiver: give each SQLite connection the trigger's switch."""
    if connection.vendor != "sqlite":
        return
    connection.connection.create_function(
        SQLITE_FUNCTION, 0, lambda: 1 if getattr(connection, "audit_maintenance", False) else 0, deterministic=False
    )


def reinstall_after_migrate(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    """`post_migrate` receiver (core only): a table Django rebuilt on SQLite lost its triggers.

    Only when the migration that installs them is applied (so `migrate core 0001` really removes
    them) and only when they are missing (no needless table lock on PostgreSQL at each deploy).
    """
    from django.db.migrations.recorder import MigrationRecorder

    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite") or TABLE not in connection.introspection.table_names():
        return
    if ("core", "0002_audit_append_only") not in MigrationRecorder(connection).applied_migrations():
        return
    if not installed(connection):
        install(connection)


@contextmanager
def audit_maintenance(using: str = DEFAULT_DB_ALIAS):
    """Allow UPDATE, DELETE and TRUNCATE of audit rows for one transaction on this connection.

    Only for the retention purge, `flush`, the demo builder and data migrations. Everything inside
    runs in one transaction (a savepoint inside an outer one); the switch closes when the block
    ends, whether it succeeded or raised, even inside an outer transaction.
    """
    connection = connections[using]
    with transaction.atomic(using=using):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, 'on', true)", [SETTING])
            yield
            # Inside an outer transaction the setting would outlive this block: close it now.
            # (On an exception the savepoint's rollback undoes the set_config.)
            with connection.cursor() as cursor:
                cursor.execute("SELECT set_config(%s, '', true)", [SETTING])
        else:
            previous = getattr(connection, "audit_maintenance", False)
            connection.audit_maintenance = True
            try:
                yield
            finally:
                connection.audit_maintenance = previous
