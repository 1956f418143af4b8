"""The year KPI report's figures in hand-written SQL: the floor the ORM report is measured against.

The same statements run on PostgreSQL and, over a Parquet export, in DuckDB. Only the local-time expression differs:
the export carries contact times in UTC plus a local-time column, as a statistics extract would.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

LOCAL = ZoneInfo("Europe/Copenhagen")
BANDS = ((0, 4), (4, 8), (8, 12), (12, 20), (20, 26), (26, None))
DIALECTS = {
    "postgresql": {"local_at": "(c.at AT TIME ZONE 'Europe/Copenhagen')"},
    "duckdb": {"local_at": "c.at_local"},
}

STATEMENTS = {
    "contacts": """
        SELECT c.origin, c.channel, CAST(date_trunc('month', {local_at}) AS DATE), COUNT(*)
        FROM frontdoor_contact c WHERE c.at >= :from_ts AND c.at < :to_ts GROUP BY 1, 2, 3""",
    "persons": """
        SELECT COUNT(DISTINCT person_id),
               COUNT(DISTINCT person_id) FILTER (WHERE closed_on IS NULL OR closed_on > :end)
        FROM courses_course WHERE start <= :end AND (closed_on IS NULL OR closed_on >= :start)""",
    "activities": """
        SELECT kind, COUNT(DISTINCT person_id), SUM(delivered_hours), COUNT(*) FROM courses_activity
        WHERE "on" BETWEEN :start AND :end AND attendance = 'attended' GROUP BY ROLLUP (kind)""",
    "returns": """
        SELECT COUNT(*), COUNT(DISTINCT c.person_id) FROM courses_course c JOIN courses_course p ON p.id = c.previous_id
        WHERE c.start BETWEEN :start AND :end AND p.person_id = c.person_id AND p.closed_on <= c.start""",
    "closings": """
        SELECT o.name, o.requires_grant, c.destination, CAST(c.closed_on - c.start AS INTEGER) AS days,
               (EXISTS (SELECT 1 FROM authority_grant g WHERE g.person_id = c.person_id AND g.status = 'decided'
                        AND g.decided_on BETWEEN c.closed_on AND c.closed_on + INTERVAL 6 MONTH)
                OR EXISTS (SELECT 1 FROM courses_course n JOIN courses_offer no ON no.id = n.offer_id
                           WHERE no.requires_grant AND n.person_id = c.person_id
                           AND n.start BETWEEN c.closed_on AND c.closed_on + INTERVAL 6 MONTH)) AS granted
        FROM courses_course c JOIN courses_offer o ON o.id = c.offer_id
        WHERE c.status = 'closed' AND c.closed_on BETWEEN :start AND :end""",
    "walk_in_minutes": """
        SELECT GREATEST(0, CAST(floor(EXTRACT(EPOCH FROM c.received_at - c.at) / 60) AS INTEGER)) AS m
        FROM frontdoor_contact c WHERE c.at >= :from_ts AND c.at < :to_ts AND c.channel = 'walk_in'
        AND c.received_at IS NOT NULL ORDER BY m""",
    "conversation_days": """
        SELECT GREATEST(0, a."on" - CAST({local_at} AS DATE)) AS d FROM frontdoor_guideconversation t
        JOIN courses_activity a ON a.id = t.activity_id JOIN frontdoor_contact c ON c.id = t.contact_id
        WHERE a."on" BETWEEN :start AND :end ORDER BY d""",
    "new_at_front_door": """
        WITH first AS (SELECT c.person_id, MIN(c.start) AS first FROM courses_course c
                       JOIN courses_offer o ON o.id = c.offer_id WHERE o.front_door GROUP BY c.person_id),
             new AS (SELECT person_id FROM first WHERE first BETWEEN :start AND :end),
             origin AS (SELECT person_id, origin FROM (
                          SELECT c.person_id, c.origin, ROW_NUMBER() OVER (PARTITION BY c.person_id ORDER BY c.at, c.id) AS r
                          FROM frontdoor_contact c JOIN new USING (person_id)
                          WHERE CAST({local_at} AS DATE) <= :end) x WHERE r = 1),
             latest AS (SELECT person_id, CASE WHEN closed_on IS NULL OR closed_on > :end THEN 'active'
                                               ELSE destination END AS ending FROM (
                          SELECT c.person_id, c.closed_on, c.destination,
                                 ROW_NUMBER() OVER (PARTITION BY c.person_id ORDER BY c.start DESC, c.id DESC) AS r
                          FROM courses_course c JOIN courses_offer o ON o.id = c.offer_id JOIN new USING (person_id)
                          WHERE o.front_door AND c.start <= :end) x WHERE r = 1)
        SELECT COALESCE(origin.origin, 'none'), COALESCE(latest.ending, 'active'), COUNT(*)
        FROM new LEFT JOIN origin USING (person_id) LEFT JOIN latest USING (person_id) GROUP BY 1, 2""",
    "bypass": """
        WITH granted AS (SELECT person_id, MIN(decided_on) AS day FROM authority_grant
                         WHERE status = 'decided' AND decided_on BETWEEN :start AND :end GROUP BY person_id),
             before AS (SELECT g.person_id, c.start, c.closed_on,
                               ROW_NUMBER() OVER (PARTITION BY g.person_id ORDER BY c.start DESC, c.id DESC) AS r
                        FROM granted g JOIN courses_course c ON c.person_id = g.person_id
                        JOIN courses_offer o ON o.id = c.offer_id WHERE o.front_door AND c.start <= g.day)
        SELECT
          COUNT(*) FILTER (WHERE b.r = 1 AND b.closed_on IS NOT NULL AND b.closed_on <= g.day
                           AND b.closed_on - b.start < 28),
          COUNT(*) FILTER (WHERE b.person_id IS NULL AND NOT EXISTS (
                           SELECT 1 FROM frontdoor_contact c WHERE c.person_id = g.person_id
                           AND CAST({local_at} AS DATE) <= g.day))
        FROM granted g LEFT JOIN before b ON b.person_id = g.person_id AND b.r = 1""",
    "progression": """
        SELECT f.total, l.total
        FROM (SELECT DISTINCT person_id FROM measures_administration WHERE {own} AND "on" >= :start) s
        CROSS JOIN LATERAL (SELECT a.id, a.total FROM measures_administration a
                            WHERE {own} AND a.person_id = s.person_id ORDER BY a."on", a.id LIMIT 1) f
        CROSS JOIN LATERAL (SELECT a.id, a.total FROM measures_administration a
                            WHERE {own} AND a.person_id = s.person_id ORDER BY a."on" DESC, a.id DESC LIMIT 1) l
        WHERE f.id <> l.id""",
    "bostotte": """
        SELECT CAST(date_trunc('month', a."on") AS DATE), COUNT(DISTINCT a.person_id), SUM(a.delivered_hours)
        FROM courses_activity a JOIN courses_course c ON c.id = a.course_id JOIN courses_offer o ON o.id = c.offer_id
        JOIN courses_legalbasis l ON l.id = o.legal_basis_id
        WHERE a."on" BETWEEN :start AND :end AND a.attendance = 'attended' AND l.code LIKE '%85%' GROUP BY 1""",
    "instruments": """
        SELECT i.id, i.code FROM measures_instrument i WHERE i.active AND i.code <> 'FFB-FUNKTIONSEVNE' ORDER BY i.code""",
}
OWN_SCORE = """instrument_id = :instrument AND total IS NOT NULL AND rater IN ('citizen', 'joint', 'worker')
             AND "on" <= :end"""


class Engine:
    """Runs the statements on a DB-API cursor (psycopg) or a DuckDB connection, with named parameters."""

    def __init__(self, cursor, dialect: str):
        self.cursor, self.dialect = cursor, dialect

    def rows(self, name: str, **params) -> list[tuple]:
        sql = STATEMENTS[name].format(own=OWN_SCORE, **DIALECTS[self.dialect])
        if self.dialect == "postgresql":
            sql = sql.replace("INTERVAL 6 MONTH", "INTERVAL '6 months'").replace("%", "%%")
            for key in params:
                sql = sql.replace(f":{key}", f"%({key})s")
            self.cursor.execute(sql, params)
            return self.cursor.fetchall()
        for key in params:
            sql = sql.replace(f":{key}", f"${key}")
        return self.cursor.execute(sql, params).fetchall()


def figures(engine: Engine, year: int, definitions: dict) -> dict:
    """{(kpi, row key, column index): value} for every exact figure of the year report (shares left out)."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    from_ts = datetime.datetime(year, 1, 1, tzinfo=LOCAL).astimezone(datetime.UTC)
    to_ts = datetime.datetime(year + 1, 1, 1, tzinfo=LOCAL).astimezone(datetime.UTC)
    if engine.dialect == "duckdb":
        from_ts, to_ts = from_ts.replace(tzinfo=None), to_ts.replace(tzinfo=None)
    period = {"start": start, "end": end}
    out: dict = {}

    def add(kpi, key, col, value):
        out[(kpi, key, col)] = out.get((kpi, key, col), 0) + value

    for origin, channel, month, n in engine.rows("contacts", from_ts=from_ts, to_ts=to_ts):
        add("contacts_by_origin", origin, 0, n)
        add("contacts_by_origin", "total", 0, n)
        add("contacts_by_channel", channel, 0, n)
        add("contacts_by_channel", "total", 0, n)
        add("contacts_per_month", f"{month:%Y-%m}", 0, n)
        add("contacts_per_month", "total", 0, n)
    unique, active = engine.rows("persons", **period)[0]
    out.update({("persons", "active", 0): active, ("persons", "closed", 0): unique - active, ("persons", "total", 0): unique})
    for kind, persons, hours, n in engine.rows("activities", **period):
        key = kind or "total"
        out[("activities", key, 0)], out[("activities", key, 1)], out[("activities", key, 2)] = persons, Decimal(hours or 0), n
    courses, persons = engine.rows("returns", **period)[0]
    out.update({("returns", "courses", 0): courses, ("returns", "persons", 0): persons})
    weeks = []
    for offer, requires_grant, destination, days, granted in engine.rows("closings", **period):
        add("closings", destination, 0, 1)
        add("closings", "total", 0, 1)
        weeks.append(days / 7)
        for low, high in BANDS:
            if days / 7 >= low and (high is None or days / 7 < high):
                add("course_lengths", f"{low}-{high or ''}", 0, 1)
        add("course_lengths", "total", 0, 1)
        if not requires_grant:
            for key in (offer, "total"):
                add("followed_by_grant", key, 0, 1)
                add("followed_by_grant", key, 1, int(granted))
    if weeks:
        out[("course_lengths", "total", 2)] = _median(sorted(weeks))
    for key, values in (("walk_in", [r[0] for r in engine.rows("walk_in_minutes", from_ts=from_ts, to_ts=to_ts)]),
                        ("guide_conversation", [r[0] for r in engine.rows("conversation_days", **period)])):
        out[("waiting", key, 2)] = len(values)
        if values:
            out[("waiting", key, 0)], out[("waiting", key, 1)] = _median(values), Decimal(_p90(values))
    for origin, ending, n in engine.rows("new_at_front_door", **period):
        for row in (origin, "total"):
            add("flow", row, ending, n)
            add("flow", row, "all", n)
        add("bypass", "new", 0, n)
    short, direct = engine.rows("bypass", **period)[0]
    out.update({("bypass", "short_stay", 0): short, ("bypass", "direct", 0): direct, ("bypass", "total", 0): short + direct})
    for pk, code in engine.rows("instruments"):
        pairs = engine.rows("progression", instrument=pk, **period)
        if pairs:
            _progression(out, code, definitions[code], pairs)
    for month, persons, hours in engine.rows("bostotte", **period):
        out[("bostotte", f"{month:%Y-%m}", 0)], out[("bostotte", f"{month:%Y-%m}", 1)] = persons, Decimal(hours or 0)
    return out


def _median(ordered: list) -> Decimal:
    n = len(ordered)
    middle = ordered[n // 2] if n % 2 else (Decimal(ordered[n // 2 - 1]) + Decimal(ordered[n // 2])) / 2
    return Decimal(str(middle)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def _p90(ordered: list):
    """Nearest rank: the value at position ⌈0.9 × n⌉."""
    return ordered[-(-9 * len(ordered) // 10) - 1]


def _progression(out: dict, code: str, d: dict, pairs: list) -> None:
    """Jacobson-Truax from the instrument's own parameters: reliable change, cutoff and direction."""
    better = worse = 0
    change = Decimal(0)
    for first, last in pairs:
        delta = (last - first) if d["higher_is_better"] else (first - last)
        change += delta
        if d["reliable_change"] is None:
            continue
        worse += delta <= -d["reliable_change"]
        better += delta >= d["reliable_change"]
    n = len(pairs)
    out[("progression", code, 0)] = n
    out[("progression", code, 1)] = (change / n).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    out[("progression", code, 2)] = better
    out[("progression", code, 4)] = worse


def definitions() -> dict:
    from traedesten.measures.models import Instrument

    out = {}
    for instrument in Instrument.objects.filter(active=True):
        d = instrument.current.parsed
        out[instrument.code] = {"higher_is_better": d.higher_is_better, "reliable_change": d.reliable_change}
    return out


def run(cursor, year: int) -> dict:
    return figures(Engine(cursor, "postgresql"), year, definitions())


KEYS = ["contacts_by_origin", "contacts_by_channel", "contacts_per_month", "persons", "activities", "returns", "bypass",
        "flow", "closings", "waiting", "course_lengths", "followed_by_grant", "progression", "bostotte"]
"""The KPIs written here in SQL; the North Jutland appendix tables and the § 85 amounts are not (yet)."""


def compare(report, found: dict) -> str:
    """How many of the report's exact figures (`kpis.exact`) the SQL gives too, as 'same/compared'; mismatches after.

    Shares are left out: they are derived from the counts that are compared.
    """
    same, differ = 0, []
    for kpi, table in report:
        if kpi.key not in KEYS:
            continue
        rows = table.rows + ([table.total] if table.total else [])
        for row in rows:
            for col, (column, value) in enumerate(zip(table.columns, row.values)):
                if value is None or not isinstance(value, (int, Decimal)):
                    continue
                key = _key(kpi.key, table, row, col)
                if column.kind in ("share", "amount"):
                    continue
                expected = found.get(key, 0 if column.kind in ("count", "hours") else None)
                if expected is not None and Decimal(expected) == Decimal(value):
                    same += 1
                else:
                    differ.append(f"{key}: rapport {value}, SQL {expected}")
    return f"{same}/{same + len(differ)}" + (f" ({'; '.join(differ[:5])})" if differ else "")


def _key(kpi: str, table, row, col: int):
    if kpi == "flow":
        endings = ["active"] + list(_destinations()) + ["all"]
        return (kpi, row.key, endings[col])
    return (kpi, row.key, col)


def _destinations() -> list[str]:
    from traedesten.courses.models import Destination

    return list(Destination.values)


EXPORTED = {
    "frontdoor_contact": "id, person_id, origin, channel, at AT TIME ZONE 'UTC' AS at, "
                         "at AT TIME ZONE 'Europe/Copenhagen' AS at_local, received_at AT TIME ZONE 'UTC' AS received_at",
    "courses_course": "id, person_id, offer_id, start, status, closed_on, destination, previous_id",
    "courses_offer": "id, name, front_door, requires_grant, legal_basis_id",
    "courses_legalbasis": "id, code",
    "courses_activity": 'id, person_id, course_id, kind, "on", delivered_hours, attendance',
    "frontdoor_guideconversation": "id, activity_id, contact_id",
    "authority_grant": "id, person_id, decided_on, status",
    "measures_administration": 'id, person_id, instrument_id, "on", rater, total',
    "measures_instrument": "id, code, active",
}

TYPES = {"at": "TIMESTAMP", "at_local": "TIMESTAMP", "received_at": "TIMESTAMP", "start": "DATE", "closed_on": "DATE",
         "on": "DATE", "decided_on": "DATE", "person_id": "BIGINT", "course_id": "BIGINT", "contact_id": "BIGINT",
         "previous_id": "BIGINT", "delivered_hours": "DECIMAL(18,2)", "total": "DECIMAL(18,2)"}


def export_parquet(connection, folder: Path) -> None:
    """The tables the report reads, as Parquet files: COPY to CSV from PostgreSQL, then DuckDB writes Parquet."""
    import duckdb

    duck = duckdb.connect()
    with connection.cursor() as cursor:
        for table, columns in EXPORTED.items():
            csv = folder / f"{table}.csv"
            with csv.open("wb") as handle, cursor.cursor.copy(
                    f"COPY (SELECT {columns} FROM {table}) TO STDOUT WITH (FORMAT csv, HEADER)") as copy:
                for chunk in copy:
                    handle.write(chunk)
            names = [c.split(" AS ")[-1].strip().strip('"') for c in columns.split(", ")]
            types = ", ".join(f"'{n}': '{TYPES[n]}'" for n in names if n in TYPES)
            duck.execute(f"COPY (SELECT * FROM read_csv('{csv}', header = true, types = {{{types}}})) "
                         f"TO '{folder / table}.parquet' (FORMAT parquet)")
            csv.unlink()
    duck.close()


def duckdb_run(connection, year: int, folder: Path) -> tuple[float, float, dict]:
    """Seconds to export, median seconds for the report in DuckDB over the Parquet files, and its figures."""
    import statistics
    import time

    import duckdb

    began = time.perf_counter()
    export_parquet(connection, folder)
    export_s = time.perf_counter() - began
    duck = duckdb.connect()
    for table in EXPORTED:
        duck.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{folder / table}.parquet')")
    defs = definitions()
    found = figures(Engine(duck, "duckdb"), year, defs)
    runs = []
    for _ in range(3):
        began = time.perf_counter()
        found = figures(Engine(duck, "duckdb"), year, defs)
        runs.append(time.perf_counter() - began)
    return export_s, statistics.median(runs), found
