"""Revision counters that tell when a citizen's overview must be rendered again.

Database triggers count every insert, update and delete of the rows the overview shows, per citizen, in
`people_revision`. Row 0 counts changes to what many citizens' overviews share: team, user, offer, group and
instrument names. Triggers see every write, including bulk imports, merges and retention jobs that bypass
Django's signals. PostgreSQL uses statement triggers with transition tables, so a bulk insert costs one upsert
per citizen; SQLite, the demo database, uses row triggers.

A restored backup winds the counters back: restart the application servers after a restore.
"""

from django.apps import apps as global_apps
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.schema import BaseDatabaseSchemaEditor

SHARED = 0

# Model label -> the SQL that finds a changed row's citizen; {row} is the old or the new row.
CITIZEN_DATA = {
    "people.Person": "{row}.id",
    "people.NetworkPerson": "{row}.person_id",
    "people.Consent": "{row}.person_id",
    "accounts.CaseloadAssignment": "{row}.person_id",
    "courses.Course": "{row}.person_id",
    "courses.Activity": "{row}.person_id",
    "frontdoor.Contact": "{row}.person_id",
    "frontdoor.GuideConversation": "{row}.person_id",
    "measures.Administration": "{row}.person_id",
    "plans.Plan": "{row}.person_id",
    "plans.PlanVersion": "(SELECT plans_plan.person_id FROM plans_plan WHERE plans_plan.id = {row}.plan_id)",
    "authority.Handover": "{row}.person_id",
    "authority.Grant": "{row}.person_id",
    "authority.AssessmentRequest": "{row}.person_id",
}

# Names and settings shown next to many citizens.
SHARED_DATA = ["accounts.Department", "accounts.Team", "accounts.User_teams", "courses.LegalBasis", "courses.Offer",
               "courses.GroupRun", "measures.Instrument"]
USER_COLUMNS = ["username", "first_name", "last_name", "role", "is_active"]

# Rows about a citizen that the overview does not show; listed so that a new model has to be placed.
NOT_ON_OVERVIEW = {
    "accounts.OutsideAccess", "accounts.Recusal", "people.Rectification",
    "measures.Schedule", "measures.KioskSession", "authority.AgendaItem", "authority.RightsNotice",
    "civil.Match", "insights.Invitation", "people.DataRequest",
}

EVENTS = ("insert", "update", "delete")


def _table(apps, label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _postgresql(apps) -> list[str]:
    upsert = ("'INSERT INTO people_revision (citizen, value) SELECT c, 1 FROM (' || TG_ARGV[0] || ') AS changed(c) "
              "WHERE c IS NOT NULL GROUP BY c ORDER BY c "
              "ON CONFLICT (citizen) DO UPDATE SET value = people_revision.value + 1'")
    sql = [f"CREATE OR REPLACE FUNCTION traedesten_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
           f"BEGIN EXECUTE {upsert}; RETURN NULL; END $$"]
    for label, citizen in CITIZEN_DATA.items():
        table = _table(apps, label)
        new, old = citizen.format(row="new_rows"), citizen.format(row="old_rows")
        # The SQL is built from CITIZEN_DATA and model metadata, never from input.
        sources = {"insert": ("NEW TABLE AS new_rows", f"SELECT {new} FROM new_rows"),  # nosec B608
                   "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
                              f"SELECT {old} FROM old_rows UNION SELECT {new} FROM new_rows"),  # nosec B608
                   "delete": ("OLD TABLE AS old_rows", f"SELECT {old} FROM old_rows")}  # nosec B608
        for event, (referencing, select) in sources.items():
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION traedesten_revision('{select}')")
    for label in SHARED_DATA:
        table = _table(apps, label)
        sql.append(f'CREATE TRIGGER "{table}_revision" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                   f"FOR EACH STATEMENT EXECUTE FUNCTION traedesten_revision('SELECT {SHARED}')")
    changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in USER_COLUMNS)
    sql.append(f'CREATE TRIGGER "accounts_user_revision" AFTER UPDATE ON "accounts_user" FOR EACH ROW '
               f"WHEN ({changed}) EXECUTE FUNCTION traedesten_revision('SELECT {SHARED}')")
    return sql


def _sqlite_bump(select: str) -> str:
    return (f"INSERT INTO people_revision (citizen, value) SELECT c, 1 FROM ({select}) WHERE c IS NOT NULL "  # nosec B608
            "ON CONFLICT (citizen) DO UPDATE SET value = value + 1;")


def _sqlite(apps) -> list[str]:
    sql = []
    for label, citizen in CITIZEN_DATA.items():
        table = _table(apps, label)
        new, old = citizen.format(row="NEW"), citizen.format(row="OLD")
        selects = {"insert": f"SELECT {new} AS c", "update": f"SELECT {old} AS c UNION SELECT {new}",
                   "delete": f"SELECT {old} AS c"}
        for event, select in selects.items():
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"BEGIN {_sqlite_bump(select)} END")
    for label in SHARED_DATA:
        table = _table(apps, label)
        for event in EVENTS:
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"BEGIN {_sqlite_bump(f'SELECT {SHARED} AS c')} END")
    changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in USER_COLUMNS)
    sql.append(f'CREATE TRIGGER "accounts_user_revision" AFTER UPDATE ON "accounts_user" WHEN {changed} '
               f"BEGIN {_sqlite_bump(f'SELECT {SHARED} AS c')} END")
    return sql


def _triggers(apps, vendor: str) -> list[tuple[str, str]]:
    """(name, table) of every trigger install() creates."""
    triggers = [(f"{_table(apps, label)}_revision_{event}", _table(apps, label))
                for label in CITIZEN_DATA for event in EVENTS]
    for label in SHARED_DATA:
        table = _table(apps, label)
        events = [""] if vendor == "postgresql" else [f"_{event}" for event in EVENTS]
        triggers += [(f"{table}_revision{event}", table) for event in events]
    return [*triggers, ("accounts_user_revision", "accounts_user")]


def trigger_names(vendor: str) -> set[str]:
    return {name for name, _table_name in _triggers(global_apps, vendor)}


def _drop(editor: BaseDatabaseSchemaEditor, apps) -> None:
    vendor = editor.connection.vendor
    for name, table in _triggers(apps, vendor):
        on = f' ON "{table}"' if vendor == "postgresql" else ""
        editor.execute(f'DROP TRIGGER IF EXISTS "{name}"{on}', params=None)


def install(*, using: str = DEFAULT_DB_ALIAS, apps=global_apps, **_signal) -> None:
    """Create the triggers afresh. Runs after every migrate, as SQLite drops a table's triggers when it rebuilds it."""
    connection = connections[using]
    if connection.vendor not in ("postgresql", "sqlite") or "people_revision" not in connection.introspection.table_names():
        return
    try:
        statements = _postgresql(apps) if connection.vendor == "postgresql" else _sqlite(apps)
    except LookupError:  # migrated back to before a counted model existed
        return
    with connection.schema_editor(atomic=True) as editor:
        _drop(editor, apps)
        for statement in statements:
            editor.execute(statement, params=None)


def uninstall(apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    _drop(schema_editor, apps)
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS traedesten_revision()", params=None)
