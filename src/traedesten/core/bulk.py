"""Writing many rows at once: COPY on PostgreSQL, batched executemany or bulk_create on SQLite.

`BulkWriter` fills an empty installation (the generator): it hands out primary keys itself, so children can point at
parents before anything is written, and moves the sequences past the written ids at the end. `insert_rows` adds rows
to a database in use (the import): it takes its keys from the table's own sequence.
"""

import contextlib
import datetime
import decimal
import gc
import json
import operator
from concurrent.futures import Future, ThreadPoolExecutor

from django.core.management.color import no_style
from django.db import connection
from django.db.models import Max, Model

FLUSH_AT = 50_000


def _sqlite_value(value):
    if isinstance(value, datetime.datetime):
        return value.astimezone(datetime.UTC).replace(tzinfo=None).isoformat(" ")
    if isinstance(value, (datetime.date, decimal.Decimal)):
        return str(value)
    return value


class BulkWriter:
    def __init__(self, models: list[type[Model]]):
        """`models` in dependency order: every model after the models it points at."""
        self.models = models
        self.columns = {m: [f.column for f in m._meta.concrete_fields if f.column] for m in models}
        self.defaults = {m: _defaults(m) for m in models}
        self.buffers: dict[type[Model], list[tuple]] = {m: [] for m in models}
        self.next_ids = {m: (m._default_manager.aggregate(top=Max("pk"))["top"] or 0) + 1 for m in models}
        self.written = dict.fromkeys(models, 0)
        self.postgres = connection.vendor == "postgresql"
        self._buffered = 0
        self._copier: ThreadPoolExecutor | None = None
        self._pending: Future | None = None

    def new_id(self, model) -> int:
        pk = self.next_ids[model]
        self.next_ids[model] = pk + 1
        return pk

    def add(self, model, **values) -> None:
        """One row by attribute name (`person_id=…`); JSON columns take JSON text. Omitted fields take defaults."""
        row = self.defaults[model] | values
        self.buffers[model].append(tuple(row.values()))
        self._buffered += 1
        if self._buffered >= FLUSH_AT:
            self.flush()

    def flush(self) -> None:
        """Write the buffered rows. On PostgreSQL the COPY runs in a second thread on the same connection and
        transaction, so the next batch is built while the database takes this one; at most one batch is in flight."""
        batch = [(model, self.buffers[model]) for model in self.models if self.buffers[model]]
        for model, rows in batch:
            self.written[model] += len(rows)
            self.buffers[model] = []
        self._buffered = 0
        if not self.postgres:
            with connection.cursor() as cursor:
                for model, rows in batch:
                    self._insert(cursor, model, rows)
            return
        self._wait()
        connection.ensure_connection()
        self._copier = self._copier or ThreadPoolExecutor(max_workers=1, thread_name_prefix="bulk-copy")
        self._pending = self._copier.submit(_copy_batch, connection.connection,
                                            [(model._meta.db_table, self.columns[model], rows) for model, rows in batch])

    def _wait(self) -> None:
        if self._pending is not None:
            pending, self._pending = self._pending, None
            pending.result()  # a failed COPY fails the generation here, inside its transaction

    def finish(self) -> None:
        self.flush()
        self._wait()
        if self._copier is not None:
            self._copier.shutdown()
            self._copier = None
        statements = connection.ops.sequence_reset_sql(no_style(), self.models)
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _insert(self, cursor, model, rows) -> None:
        table = connection.ops.quote_name(model._meta.db_table)
        columns = self.columns[model]
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join(["%s"] * len(columns))
        # Table and column names come from the models' metadata, never from input; the values are parameters.
        sql = f"INSERT INTO {table} ({names}) VALUES ({marks})"  # nosec B608
        cursor.executemany(sql, [tuple(map(_sqlite_value, row)) for row in rows])


def insert_rows(model, rows: list[dict], *, return_ids: bool = True) -> list[int]:
    """Insert rows, in order; returns their new primary keys (when asked). A relation takes an object or, by its
    attribute name (`person_id`), a key."""
    if not rows:
        return []
    if connection.vendor != "postgresql":
        created = model.objects.bulk_create([model(**values) for values in rows], batch_size=2000)
        return [o.pk for o in created] if return_ids else []
    table, pk = model._meta.db_table, model._meta.pk
    fields = [f for f in model._meta.concrete_fields if return_ids or f is not pk]
    given = rows[0].keys()
    # Every row gives the same keys; the per-row work is one dict merge and one tuple.
    objects = [f for f in fields if f.is_relation and f.name in given]
    json_given = [f.attname for f in fields if f.get_internal_type() == "JSONField" and f.attname in given]
    pick = operator.itemgetter(*[f.attname for f in fields])
    defaults = _defaults(model)

    def tuples():
        for i, values in enumerate(rows):
            row = defaults | values
            for f in objects:
                related = row.pop(f.name)
                row[f.attname] = related.pk if related is not None else None
            for name in json_given:
                row[name] = json.dumps(row[name])
            if return_ids:
                row[pk.attname] = ids[i]
            yield pick(row)

    with connection.cursor() as cursor:
        ids: list[int] = []
        if return_ids:
            # Usually the keys are one unbroken run; a concurrent writer can interleave, and then they come as a list.
            cursor.execute("WITH s AS (SELECT nextval(pg_get_serial_sequence(%s, %s)) AS v FROM generate_series(1, %s)) "
                           "SELECT min(v), CASE WHEN max(v) - min(v) + 1 = count(*) THEN NULL ELSE array_agg(v) END FROM s",
                           [table, pk.column, len(rows)])
            first, scattered = cursor.fetchone()
            ids = scattered if scattered is not None else list(range(first, first + len(rows)))
        _copy_rows(cursor.cursor, table, [f.column for f in fields], tuples())
    return ids


def changed_rows(model, rows: dict[int, dict], fields: list[str], *, ignore: tuple[str, ...] = ()) -> dict[int, dict]:
    """The rows (primary key → values by attribute name) whose `fields` differ from what is stored.

    Fields in `ignore` (a row's own "updated at" time) are written with a changed row but do not make it changed.
    """
    compared = [f for f in fields if f not in ignore]
    pks = list(rows)
    changed = {}
    for i in range(0, len(pks), 2000):
        for pk, *stored in model.objects.filter(pk__in=pks[i:i + 2000]).values_list("pk", *compared):
            values = rows[pk]
            if any(values[name] != old for name, old in zip(compared, stored)):
                changed[pk] = values
    return changed


def update_rows(model, rows: dict[int, dict], fields: list[str]) -> None:
    """Set `fields` of many rows by primary key (rows: key → values by attribute name).

    PostgreSQL: COPY into a temporary table and one UPDATE … FROM. SQLite: one prepared UPDATE, executed many times.
    Django's bulk_update writes one CASE expression per column over each batch instead, and took minutes for the
    100,000 activities of a file imported again.
    """
    if not rows:
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    columns = [by_name[name].column for name in fields]
    json_fields = {name for name in fields if by_name[name].get_internal_type() == "JSONField"}
    quote = connection.ops.quote_name
    table, pk = quote(model._meta.db_table), quote(model._meta.pk.column)

    def values(key, row):
        return tuple(json.dumps(row[name]) if name in json_fields else row[name] for name in fields) + (key,)

    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            assignments = ", ".join(f"{quote(c)} = %s" for c in columns)
            # Table and column names come from the models' metadata, never from input; the values are parameters.
            cursor.executemany(f"UPDATE {table} SET {assignments} WHERE {pk} = %s",  # nosec B608
                               [tuple(map(_sqlite_value, values(key, row))) for key, row in rows.items()])
            return
        staging = quote(f"_update_{model._meta.db_table}")
        listed = ", ".join(map(quote, columns + [model._meta.pk.column]))
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} AS SELECT {listed} FROM {table} WITH NO DATA")  # nosec B608
        try:
            _copy_rows(cursor.cursor, f"_update_{model._meta.db_table}", columns + [model._meta.pk.column],
                  (values(key, row) for key, row in rows.items()))
            assignments = ", ".join(f"{quote(c)} = u.{quote(c)}" for c in columns)
            cursor.execute(f"UPDATE {table} AS t SET {assignments} FROM {staging} AS u WHERE t.{pk} = u.{pk}")  # nosec B608
        finally:
            cursor.execute(f"DROP TABLE {staging}")


def _copy_batch(raw_connection, tables: list[tuple[str, list[str], list[tuple]]]) -> None:
    """COPY each table's rows over the driver's connection itself: Django's connection object belongs to its thread."""
    with raw_connection.cursor() as cursor:
        for table, columns, rows in tables:
            _copy_rows(cursor, table, columns, rows)


def _copy_rows(cursor, table: str, columns: list[str], rows) -> None:
    """COPY rows (tuples in column order) into a table, on PostgreSQL, over a driver (psycopg) cursor."""
    quote = connection.ops.quote_name
    with cursor.copy(f"COPY {quote(table)} ({', '.join(map(quote, columns))}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while a large batch is built.

    A file's records are hundreds of thousands of live objects that refcounting frees anyway, and every full
    collection walks all of them: with the collector on, an import spent a quarter of its time there.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _defaults(model) -> dict:
    """Every concrete field's default in column order; a field without one must be given (KeyError otherwise)."""
    now = datetime.datetime.now(datetime.UTC)
    row = {}
    for field in model._meta.concrete_fields:
        if field.has_default():
            value = field.get_default()
            if isinstance(value, datetime.datetime):
                value = now
            row[field.attname] = json.dumps(value) if field.get_internal_type() == "JSONField" else value
        elif field.null:
            row[field.attname] = None
        elif field.get_internal_type() in ("CharField", "TextField", "SlugField"):
            row[field.attname] = ""
        else:
            row[field.attname] = _Required(f"{model.__name__}.{field.attname}")
    return row


class _Required:
    def __init__(self, name: str):
        self.name = name

    def __repr__(self) -> str:
        return f"<required {self.name}>"


def fast_load():
    """On PostgreSQL as a superuser, skip the per-row foreign-key triggers for this transaction.

    The generator builds every reference itself; `check_references` verifies them afterwards.
    """
    if connection.vendor != "postgresql":
        return False
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            return False
        cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def dangling_references(models: list) -> dict[str, int]:
    """Foreign keys in these tables that point at no row: {"table.column": count}, empty when all hold."""
    found = {}
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        for model in models:
            for field in model._meta.concrete_fields:
                if not field.is_relation:
                    continue
                target = field.related_model._meta
                child, parent, column, key = (quote(model._meta.db_table), quote(target.db_table), quote(field.column),
                                              quote(target.pk.column))
                # Every name comes from the models' metadata, never from input.
                sql = (f"SELECT COUNT(*) FROM {child} c LEFT JOIN {parent} p ON c.{column} = p.{key} "  # nosec B608
                       f"WHERE c.{column} IS NOT NULL AND p.{key} IS NULL")
                cursor.execute(sql)
                missing = cursor.fetchone()[0]
                if missing:
                    found[f"{model._meta.db_table}.{field.column}"] = missing
    return found
