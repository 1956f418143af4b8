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

from traedesten.core import citizen_data

SHARED = 0


def _citizen_sql(apps, label: str, path: str) -> str:
    """The SQL that finds a changed row's citizen from the row's declared path ({row} is the old or the new row)."""
    if not path:
        return "{row}.id"
    model = apps.get_model(label)
    hops = path.split("__")
    first = model._meta.get_field(hops[0])
    if len(hops) == 1:
        return "{row}." + first.column
    parent = first.related_model._meta
    last = parent.get_field(hops[1]).column
    # identifiers from the models' own metadata, never from input
    return (f"(SELECT {parent.db_table}.{last} FROM {parent.db_table} "  # nosec B608
            f"WHERE {parent.db_table}.id = {{row}}.{first.column})")


def _counted(apps) -> dict[str, str]:
    """Model label -> citizen SQL, for every model the overview shows (declared with core.citizen_data)."""
    return {label: _citizen_sql(apps, label, d.citizen) for label, d in citizen_data.about().items() if d.on_overview}


def _shared_tables(apps) -> list[str]:
    """The tables of names many citizens' pages share, and their many-to-many link tables."""
    tables = []
    for label, declared in citizen_data.shared().items():
        model = apps.get_model(label)
        if not declared.columns:
            tables.append(model._meta.db_table)
        tables += [model._meta.get_field(name).remote_field.through._meta.db_table for name in declared.m2m]
    return tables


def _watched_columns(apps) -> list[tuple[str, tuple[str, ...]]]:
    """(table, columns) of shared names where only some columns count."""
    return [(apps.get_model(label)._meta.db_table, declared.columns)
            for label, declared in citizen_data.shared().items() if declared.columns]


EVENTS = ("insert", "update", "delete")


def _table(apps, label: str) -> str:
    return apps.get_model(label)._meta.db_table


def _postgresql(apps) -> list[str]:
    upsert = ("'INSERT INTO people_revision (citizen, value) SELECT c, 1 FROM (' || TG_ARGV[0] || ') AS changed(c) "
              "WHERE c IS NOT NULL GROUP BY c ORDER BY c "
              "ON CONFLICT (citizen) DO UPDATE SET value = people_revision.value + 1'")
    sql = [f"CREATE OR REPLACE FUNCTION traedesten_revision() RETURNS trigger LANGUAGE plpgsql AS $$ "
           f"BEGIN EXECUTE {upsert}; RETURN NULL; END $$"]
    for label, citizen in _counted(apps).items():
        table = _table(apps, label)
        new, old = citizen.format(row="new_rows"), citizen.format(row="old_rows")
        # The SQL is built from the apps' declarations and model metadata, never from input.
        sources = {"insert": ("NEW TABLE AS new_rows", f"SELECT {new} FROM new_rows"),  # nosec B608
                   "update": ("OLD TABLE AS old_rows NEW TABLE AS new_rows",
                              f"SELECT {old} FROM old_rows UNION SELECT {new} FROM new_rows"),  # nosec B608
                   "delete": ("OLD TABLE AS old_rows", f"SELECT {old} FROM old_rows")}  # nosec B608
        for event, (referencing, select) in sources.items():
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"REFERENCING {referencing} FOR EACH STATEMENT EXECUTE FUNCTION traedesten_revision('{select}')")
    for table in _shared_tables(apps):
        sql.append(f'CREATE TRIGGER "{table}_revision" AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                   f"FOR EACH STATEMENT EXECUTE FUNCTION traedesten_revision('SELECT {SHARED}')")
    for table, columns in _watched_columns(apps):
        changed = " OR ".join(f"OLD.{c} IS DISTINCT FROM NEW.{c}" for c in columns)
        sql.append(f'CREATE TRIGGER "{table}_revision" AFTER UPDATE ON "{table}" FOR EACH ROW '
                   f"WHEN ({changed}) EXECUTE FUNCTION traedesten_revision('SELECT {SHARED}')")
    return sql


def _sqlite_bump(select: str) -> str:
    return (f"INSERT INTO people_revision (citizen, value) SELECT c, 1 FROM ({select}) WHERE c IS NOT NULL "  # nosec B608
            "ON CONFLICT (citizen) DO UPDATE SET value = value + 1;")


def _sqlite(apps) -> list[str]:
    sql = []
    for label, citizen in _counted(apps).items():
        table = _table(apps, label)
        new, old = citizen.format(row="NEW"), citizen.format(row="OLD")
        selects = {"insert": f"SELECT {new} AS c", "update": f"SELECT {old} AS c UNION SELECT {new}",
                   "delete": f"SELECT {old} AS c"}
        for event, select in selects.items():
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"BEGIN {_sqlite_bump(select)} END")
    for table in _shared_tables(apps):
        for event in EVENTS:
            sql.append(f'CREATE TRIGGER "{table}_revision_{event}" AFTER {event.upper()} ON "{table}" '
                       f"BEGIN {_sqlite_bump(f'SELECT {SHARED} AS c')} END")
    for table, columns in _watched_columns(apps):
        changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in columns)
        sql.append(f'CREATE TRIGGER "{table}_revision" AFTER UPDATE ON "{table}" WHEN {changed} '
                   f"BEGIN {_sqlite_bump(f'SELECT {SHARED} AS c')} END")
    return sql


def _triggers(apps, vendor: str) -> list[tuple[str, str]]:
    """(name, table) of every trigger install() creates."""
    triggers = [(f"{_table(apps, label)}_revision_{event}", _table(apps, label))
                for label in _counted(apps) for event in EVENTS]
    for table in _shared_tables(apps):
        events = [""] if vendor == "postgresql" else [f"_{event}" for event in EVENTS]
        triggers += [(f"{table}_revision{event}", table) for event in events]
    return triggers + [(f"{table}_revision", table) for table, _columns in _watched_columns(apps)]


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
