"""Benchmarks on a generated large municipality, each measured against its floor in the same run.

    python bench/run.py --citizens 100000           # the reported figures (make bench)
    python bench/run.py --citizens 1000000          # ten times larger (make bench CITIZENS=1000000), its own database
    python bench/run.py --citizens 5000             # a quick look

Needs PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/): each size gets its own database
traedesten_bench[_N]. --reuse keeps a generated dataset with the same parameters instead of generating it again.

Each page is loaded by 16 clients for 20 s (p50/p95/p99, answers per second, the ratio to the floor and the 1-minute
load average beside it), followed by the statements each citizen page makes for a long and a short history, the year
KPI report against hand-written SQL, and an import and a re-import of the same file. The run is printed, written to
bench/results/bench.json and kept in bench/results/runs/ (committed), and every page is compared with the latest kept
run of the same size: a page more than 10 % slower against its floor is a regression. docs/performance.md explains it.
"""

import argparse
import datetime
import json
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

import psycopg
from django.utils import timezone
from rich.console import Console
from rich.table import Table

import load
from common import HOST, RESULTS, ROOT, Client, production_env, rss_mb, start_server, traedesten, worker_pids

DB = "traedesten_bench"
RUNS = RESULTS / "runs"
"""Each full run is kept here (committed), so the next run compares its pages with the latest before it."""
PASSWORD = "bench-password"
TARGETS = {"page_p95_ms": 150, "page_p50_vs_floor": 3, "kpi_report_s": 2, "kpi_report_s_large": 10,
           "kpi_vs_sql": 1.2, "import_rows_per_s": 20_000, "reimport_vs_import": 1.5, "generate_s_large": 3600,
           "worker_rss_mb": 300, "regression": 1.10}
"""Issue 30's goals. "_large" applies from LARGE citizens (the ten times larger municipality)."""
LARGE = 1_000_000


def database_url(name: str) -> str:
    base = urlsplit(os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres")
    return urlunsplit(base._replace(path="/" + name))


def recreate(name: str) -> None:
    with psycopg.connect(database_url("postgres"), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def timed(fn, repeat: int = 3) -> tuple[float, object]:
    """Median seconds over `repeat` runs after one warm-up run, and the last result."""
    result = fn()
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        result = fn()
        runs.append(time.perf_counter() - began)
    return statistics.median(runs), result


# -- the dataset ------------------------------------------------------------------------------------------------

def bench_db(citizens: int) -> str:
    """Each size has its own database, so the 100,000-citizen dataset survives a run of the larger one."""
    return DB if citizens == 100_000 else f"{DB}_{citizens}"


def dataset(args, env: dict, console: Console) -> dict:
    marker = RESULTS / f"dataset-{bench_db(args.citizens)}.json"
    wanted = {"citizens": args.citizens, "years": args.years, "seed": args.seed}
    if args.reuse and marker.exists():
        known = json.loads(marker.read_text())
        if {k: known.get(k) for k in wanted} == wanted:
            traedesten(env, "migrate", "--noinput", "-v0")
            console.print(f"Genbruger datasættet: {known['rows']:,} rækker.")
            return known
    recreate(bench_db(args.citizens))
    with console.status("Migrerer …"):
        traedesten(env, "migrate", "--noinput", "-v0")
    began = time.perf_counter()
    console.print(f"Genererer {args.citizens:,} borgere over {args.years} år …")
    done = traedesten(env, "generate", "--citizens", str(args.citizens), "--years", str(args.years),
                      "--seed", str(args.seed), "--password", PASSWORD)
    seconds = time.perf_counter() - began
    console.print(done.stdout.strip().splitlines()[-1])
    with psycopg.connect(env["DATABASE_URL"]) as conn:
        rows = sum(conn.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in GENERATED_TABLES)
        size = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
    known = wanted | {"rows": rows, "generate_s": round(seconds, 1), "rows_per_s": round(rows / seconds),
                      "database_mb": round(size / 2**20)}
    marker.write_text(json.dumps(known, indent=1))
    return known


GENERATED_TABLES = ["people_person", "accounts_caseloadassignment", "frontdoor_contact", "courses_course",
                    "courses_activity", "courses_stafftime", "frontdoor_guideconversation", "measures_administration",
                    "plans_plan", "plans_planversion", "authority_grant", "authority_grantgoal",
                    "authority_goalexpectation", "economy_shadowassessment"]


# -- page latency -----------------------------------------------------------------------------------------------

MIX_CITIZENS = 3_000
"""At most this many (citizen, worker) pairs in the cold-cache mix of overviews: more than the 4 workers' caches hold
warm over one run, so most requests render a citizen the worker process has not shown before."""
MIX_WORKERS = 24


def subjects(seed: int) -> dict:
    """Who the pages are measured for: the citizen with the longest history still on a caseload and their worker; the
    worker with the largest current caseload and a typical one (the median); a citizen with a short history on the
    same worker's caseload; a manager; and the (citizen, worker) pairs of the cold mix."""
    import random

    from django.db.models import Count

    from traedesten.accounts.models import CaseloadAssignment
    from traedesten.courses.models import Activity
    from traedesten.measures.models import Administration

    current = CaseloadAssignment.objects.filter(end__isnull=True, worker__isnull=False)
    person_id = (Activity.objects.filter(person__in=current.values("person")).values("person")
                 .annotate(n=Count("pk")).order_by("-n", "person").values_list("person", flat=True).first())
    assignment = current.filter(person_id=person_id).select_related("worker", "person").order_by("-start").first()
    worker = assignment.worker
    short = (current.filter(worker=worker).exclude(person_id=person_id).select_related("person")
             .annotate(n=Count("person__activities")).order_by("n", "person_id").first())
    loads = list(current.values("worker__username").annotate(n=Count("pk")).order_by("-n", "worker__username"))
    largest, typical = loads[0], loads[len(loads) // 2]
    pairs = list(current.filter(person__merged_into__isnull=True).values_list("person_id", "worker__username")
                 .order_by("person_id"))
    random.Random(seed).shuffle(pairs)
    workers = list(dict.fromkeys(name for _pid, name in pairs))[:MIX_WORKERS]  # each one logs in (argon2 is slow)
    pairs = [(pid, name) for pid, name in pairs if name in workers]
    return {"person": person_id, "worker": worker.username, "last_name": assignment.person.last_name,
            "full_name": f"{assignment.person.first_name} {assignment.person.last_name}",
            "cpr": assignment.person.cpr, "short_person": short.person_id,
            "activities": Activity.objects.filter(person_id=person_id).count(),
            "scores": Administration.objects.filter(person_id=person_id).count(), "manager": "leder-01",
            "largest_caseload": largest, "typical_caseload": typical, "mix": pairs[:MIX_CITIZENS]}


def page_targets(who: dict, clients: dict) -> list[load.Target]:
    worker, manager = clients[who["worker"]], clients[who["manager"]]
    person = who["person"]
    token = worker.cookies["csrftoken"]
    htmx = {"HX-Request": "true"}
    post = htmx | {"X-CSRFToken": token}

    def search(q: str = "", cpr: str = "") -> str:
        return urlencode({"q": q, "cpr": cpr, "csrfmiddlewaretoken": token})

    return [
        load.Target("floor", "/status/", worker.cookie),
        load.Target("overview", f"/borgere/{person}/", worker.cookie),
        load.Target("overview_mix", "", "", mix=[(f"/borgere/{pid}/", clients[name].cookie) for pid, name in who["mix"]]),
        load.Target("plan", f"/plan/{person}/", worker.cookie),
        load.Target("timeline", f"/borgere/{person}/tidslinje/?side=1", worker.cookie, headers=htmx),
        load.Target("timeline_page_10", f"/borgere/{person}/tidslinje/?side=10", worker.cookie, headers=htmx),
        load.Target("worklist", "/forloeb/arbejdsliste/", worker.cookie),
        load.Target("worklist_largest", "/forloeb/arbejdsliste/", clients[who["largest_caseload"]["worker__username"]].cookie),
        load.Target("worklist_typical", "/forloeb/arbejdsliste/", clients[who["typical_caseload"]["worker__username"]].cookie),
        load.Target("search", "/borgere/", worker.cookie, "POST", search(who["last_name"].lower()), post),
        load.Target("search_full_name", "/borgere/", worker.cookie, "POST", search(who["full_name"]), post),
        load.Target("search_cpr", "/borgere/", worker.cookie, "POST", search(cpr=who["cpr"]), post),
        load.Target("kpi_dashboard", "/indsigt/", manager.cookie),
    ]


def pages(args, env: dict, console: Console) -> dict:
    who = subjects(args.seed)
    console.print(f"Borger med lang historik: {who['activities']} aktiviteter, {who['scores']} målinger "
                  f"(medarbejder {who['worker']}). Største sagsstamme: {who['largest_caseload']['n']} borgere, "
                  f"typisk: {who['typical_caseload']['n']}. Koldt miks: {len(who['mix'])} borgere.")
    with console.status("Starter gunicorn …"):
        traedesten(env, "collectstatic", "--noinput", "-v0")
        server = start_server(env, args.port, args.workers)
    base = f"http://{HOST}:{args.port}"
    try:
        names = {who["worker"], who["manager"], who["largest_caseload"]["worker__username"],
                 who["typical_caseload"]["worker__username"], *(name for _pid, name in who["mix"])}
        with console.status(f"Logger {len(names)} brugere ind …"):
            clients = {name: Client(base, name, PASSWORD) for name in sorted(names)}
        results = {}
        for target in page_targets(who, clients):
            with console.status(f"{target.name}: {args.clients} klienter i {args.seconds:.0f} s …"):
                row = load.run(target, host=HOST, port=args.port, clients=args.clients, seconds=args.seconds).summary()
            row["load_1m"] = round(os.getloadavg()[0], 2)  # beside each figure: how busy the machine was
            if target.mix:
                row["distinct"] = len(target.mix)
            results[target.name] = row
        memory = [round(rss_mb(pid), 1) for pid in worker_pids(server.pid)]
    finally:
        server.terminate()
        server.wait(30)
    floor = results["floor"]["p50_ms"] or 1
    for _name, row in results.items():
        row["p50_vs_floor"] = round(row["p50_ms"] / floor, 2)
    subject = {k: v for k, v in who.items() if k not in ("mix", "cpr")}  # no CPR in the results
    return {"subject": subject | {"mix": len(who["mix"])}, "workers": args.workers, "clients": args.clients,
            "seconds": args.seconds, "pages": results, "worker_rss_mb": memory, "queries": query_counts(who)}


def query_counts(who: dict) -> dict:
    """Statements per page in-process, for the longest history and a short one on the same caseload. Two citizens may
    differ in more than the length of their history (a plan, a grant), so this is shown, not judged: that a page's
    count does not grow with the history is asserted by tests/test_query_counts.py, on one shape of history."""
    from django.db import connection
    from django.test import Client as TestClient
    from django.test.utils import CaptureQueriesContext

    from traedesten.accounts.models import User

    client = TestClient(SERVER_NAME=HOST, HTTP_X_FORWARDED_PROTO="https")
    client.force_login(User.objects.get(username=who["worker"]))
    paths = {"overview": "/borgere/{}/", "plan": "/plan/{}/", "timeline": "/borgere/{}/tidslinje/?side=1",
             "timeline_page_10": "/borgere/{}/tidslinje/?side=10"}
    counts = {}
    for name, path in paths.items():
        row = {}
        for label, pid in (("long", who["person"]), ("short", who["short_person"])):
            with CaptureQueriesContext(connection) as captured:
                status = client.get(path.format(pid), headers={"HX-Request": "true"} if "tidslinje" in path else {},
                                    secure=True).status_code
            row[label] = len(captured.captured_queries) if status == 200 else f"HTTP {status}"
        counts[name] = row
    return counts


# -- the year KPI report ----------------------------------------------------------------------------------------

def kpi_year(args, env: dict, console: Console) -> dict:
    from django.db import connection

    import kpi_sql
    from traedesten.insights import kpis
    from traedesten.insights.scope import Scope

    year = args.year or _last_full_year()
    scope = Scope(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31))
    with console.status(f"KPI-årsrapport {year} (ORM) …"):
        report_s, report = timed(lambda: kpis.report(scope, kpi_sql.KEYS))  # the KPIs the SQL has too
    with console.status("KPI-årsrapport (håndskrevet SQL) …"):
        sql_s, figures = timed(lambda: kpi_sql.run(connection.cursor(), year))
    same = kpi_sql.compare(kpis.exact(scope, kpi_sql.KEYS), figures)
    with console.status("Eksport til Parquet og DuckDB …"):
        export_s, duck_s, duck_figures = kpi_sql.duckdb_run(connection, year, Path(tempfile.mkdtemp(prefix="bench-parquet-")))
    return {"year": year, "report_s": round(report_s, 3), "sql_s": round(sql_s, 3), "duckdb_s": round(duck_s, 3),
            "parquet_export_s": round(export_s, 1), "report_vs_sql": round(report_s / sql_s, 2),
            "report_vs_duckdb": round(report_s / duck_s, 2), "same_figures": same,
            "duckdb_same_figures": duck_figures == figures}


def _last_full_year() -> int:
    return timezone.localdate().year - 1


# -- import, FFB bundles ----------------------------------------------------------------------------------------

IMPORT_SNIPPET = """
import io
import json
import os
from pathlib import Path
from traedesten.core.secure_files import read_bytes
from traedesten.interop.importer import import_lines
lines = io.StringIO(read_bytes(Path(os.environ["BENCH_IMPORT_FILE"])).decode("utf-8"))  # decrypted before the clock
report = import_lines(lines, create_staff=True)
assert report.ok, report.errors[:5]
print(json.dumps({"lines": report.lines, "rows": report.rows, "seconds": report.seconds}))
"""


def import_throughput(args, console: Console) -> dict:
    source, target = DB + "_io", DB + "_import"
    data = Path(tempfile.mkdtemp(prefix="bench-io-"))
    env_source = production_env(data, DATABASE_URL=database_url(source))
    env_target = production_env(data, DATABASE_URL=database_url(target))
    recreate(source)
    recreate(target)
    with console.status(f"Import: genererer og eksporterer {args.import_citizens:,} borgere …"):
        traedesten(env_source, "migrate", "--noinput", "-v0")
        traedesten(env_source, "generate", "--citizens", str(args.import_citizens), "--years", "3", "--seed", str(args.seed))
        traedesten(env_source, "export", "--out", str(data / "export.jsonl"))
        traedesten(env_target, "migrate", "--noinput", "-v0")
    env_target["BENCH_IMPORT_FILE"] = str(data / "export.jsonl")
    with console.status("Import …"):
        done = traedesten(env_target, "shell", "-c", IMPORT_SNIPPET)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["load_1m"] = round(os.getloadavg()[0], 2)
    with console.status("Samme fil igen (intet ændret) …"):
        again = json.loads(traedesten(env_target, "shell", "-c", IMPORT_SNIPPET).stdout.strip().splitlines()[-1])
    result["reimport_s"] = again["seconds"]
    result["reimport_vs_import"] = round(again["seconds"] / result["seconds"], 2)
    result["rows_per_s"] = round(result["rows"] / result["seconds"])
    result["file_mb"] = round((data / "export.jsonl").stat().st_size / 2**20, 1)
    return result


def ffb_bundles(console: Console) -> dict:
    from traedesten.authority.models import Grant
    from traedesten.interop import ffb_guide, ffb_rules
    from traedesten.interop.ffb_report import build_bundle
    from traedesten.people.models import Person

    persons = list(Person.objects.filter(pk__in=Grant.objects.values("person")).order_by("pk")[:1000])
    ffb_guide.validator()  # the profiles are read once per process
    with console.status(f"FFB-bundter for {len(persons)} borgere …"):
        seconds = checking = 0.0
        entries = refused = 0
        for person in persons:
            began = time.perf_counter()
            bundle = build_bundle(person)
            seconds += time.perf_counter() - began
            entries += len(bundle["entry"])
            began = time.perf_counter()
            refused += bool(ffb_rules.validate(bundle))
            checking += time.perf_counter() - began
    per_1000 = 1000 / max(1, len(persons))
    return {"citizens": len(persons), "seconds": round(seconds, 2), "seconds_per_1000": round(seconds * per_1000, 2),
            "entries": entries, "validate_seconds_per_1000": round(checking * per_1000, 2), "refused": refused}


# -- report -----------------------------------------------------------------------------------------------------

def verdicts(result: dict, previous: dict | None = None) -> list[tuple[str, str, str, bool]]:
    rows = []
    large = result["dataset"]["citizens"] >= LARGE
    pages_ = result.get("pages", {}).get("pages", {})
    for name, row in pages_.items():
        if name == "floor":
            continue
        rows.append((f"{name} p50 mod gulv", f"{row['p50_vs_floor']}× (load {row['load_1m']})",
                     f"≤ {TARGETS['page_p50_vs_floor']}×", row["p50_vs_floor"] <= TARGETS["page_p50_vs_floor"]))
        rows.append((f"{name} p95", f"{row['p95_ms']} ms", f"< {TARGETS['page_p95_ms']} ms",
                     row["p95_ms"] < TARGETS["page_p95_ms"]))
    if pages_:
        errors = sum(row["errors"] for row in pages_.values())
        rows.append(("Fejlsvar under belastning", str(errors), "0", errors == 0))
    if previous and pages_:
        before = previous.get("pages", {}).get("pages", {})
        for name, row in pages_.items():
            if name != "floor" and name in before:
                ratio = row["p50_vs_floor"] / before[name]["p50_vs_floor"]
                rows.append((f"{name} mod {previous['started']}", f"{ratio:.2f} × før",
                             f"≤ {TARGETS['regression']:.2f}", ratio <= TARGETS["regression"]))
    if large and "generate_s" in result["dataset"]:
        rows.append(("Generering", f"{result['dataset']['generate_s']} s", f"< {TARGETS['generate_s_large']} s",
                     result["dataset"]["generate_s"] < TARGETS["generate_s_large"]))
    if "kpi" in result:
        k = result["kpi"]
        limit = TARGETS["kpi_report_s_large" if large else "kpi_report_s"]
        rows.append(("KPI-årsrapport", f"{k['report_s']} s", f"< {limit} s", k["report_s"] < limit))
        rows.append(("KPI-årsrapport mod SQL", f"{k['report_vs_sql']}×", f"≤ {TARGETS['kpi_vs_sql']}×",
                     k["report_vs_sql"] <= TARGETS["kpi_vs_sql"]))
    if "import" in result:
        i = result["import"]
        rows.append(("Import", f"{i['rows_per_s']:,} rækker/s", f"≥ {TARGETS['import_rows_per_s']:,}",
                     i["rows_per_s"] >= TARGETS["import_rows_per_s"]))
        rows.append(("Genindlæsning mod første import", f"{i['reimport_vs_import']}×",
                     f"≤ {TARGETS['reimport_vs_import']}×", i["reimport_vs_import"] <= TARGETS["reimport_vs_import"]))
    if result.get("pages", {}).get("worker_rss_mb"):
        largest = max(result["pages"]["worker_rss_mb"])
        rows.append(("Største worker (RSS)", f"{largest} MB", f"< {TARGETS['worker_rss_mb']} MB", largest < TARGETS["worker_rss_mb"]))
    return rows


def recorded_runs(citizens: int) -> list[Path]:
    """The runs kept in the repository for this size, oldest first."""
    return sorted(RUNS.glob(f"*-{citizens}.json"))


def print_report(result: dict, console: Console) -> None:
    if "pages" in result:
        table = Table(title=f"Sidetider, {result['pages']['clients']} samtidige klienter, "
                            f"{result['pages']['workers']} gunicorn-workers")
        for column in ("side", "p50 ms", "p95 ms", "p99 ms", "svar/s", "fejl", "p50 / gulv", "load 1 min"):
            table.add_column(column, justify="left" if column == "side" else "right")
        for name, row in result["pages"]["pages"].items():
            table.add_row(name, str(row["p50_ms"]), str(row["p95_ms"]), str(row["p99_ms"]),
                          str(row["throughput_per_s"]), str(row["errors"]), f"{row['p50_vs_floor']}×",
                          str(row["load_1m"]))
        console.print(table)
    if result.get("pages", {}).get("queries"):
        console.print("Forespørgsler (lang / kort historik): " + ", ".join(
            f"{name} {c['long']} / {c['short']}" for name, c in result["pages"]["queries"].items()))
    if "kpi" in result:
        k = result["kpi"]
        console.print(f"KPI-årsrapport {k['year']}: ORM {k['report_s']} s · håndskrevet SQL {k['sql_s']} s "
                      f"({k['report_vs_sql']}×) · DuckDB over Parquet {k['duckdb_s']} s ({k['report_vs_duckdb']}×, "
                      f"eksport {k['parquet_export_s']} s) · samme tal: {k['same_figures']}/{k['duckdb_same_figures']}")
    if "import" in result:
        i = result["import"]
        console.print(f"Import: {i['rows']:,} rækker ({i['lines']:,} linjer, {i['file_mb']} MB) på {i['seconds']:.2f} s "
                      f"= {i['rows_per_s']:,} rækker/s · samme fil igen {i['reimport_s']:.2f} s "
                      f"({i['reimport_vs_import']}×, load {i['load_1m']})")
    if "ffb" in result:
        f = result["ffb"]
        console.print(f"FFB-bundter: {f['seconds_per_1000']} s pr. 1.000 borgere ({f['entries']:,} poster), kontrol mod "
                      f"profilerne {f['validate_seconds_per_1000']} s pr. 1.000 · {f['refused']} afvist")
    table = Table(title="Mål")
    for column in ("mål", "målt", "krav", ""):
        table.add_column(column)
    for target in result["targets"]:
        table.add_row(target["name"], target["measured"], target["target"],
                      "[green]nået[/green]" if target["met"] else "[red]ikke nået[/red]")
    console.print(table)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--citizens", type=int, default=100_000)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--year", type=int, default=None, help="The KPI report's year; default last year")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--import-citizens", type=int, default=None,
                        help="Citizens in the imported file; default 50,000 from --citizens 1000000, else 5,000")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--only", default="pages,kpi,import,ffb")
    parser.add_argument("--reuse", action="store_true", help="Keep a generated dataset with the same parameters")
    args = parser.parse_args()
    args.import_citizens = args.import_citizens or (50_000 if args.citizens >= LARGE else 5_000)
    console = Console()
    RUNS.mkdir(parents=True, exist_ok=True)
    data = Path(tempfile.mkdtemp(prefix="traedesten-bench-"))
    env = production_env(data, DATABASE_URL=database_url(bench_db(args.citizens)))
    only = set(args.only.split(","))
    result = {"machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
              "started": time.strftime("%Y-%m-%d %H:%M"), "dataset": dataset(args, env, console)}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "traedesten.settings")
    django.setup()
    from django.db import connection

    result["machine"]["postgresql"] = connection.cursor().connection.info.server_version
    out = RESULTS / "bench.json"
    sections = {"pages": lambda: pages(args, env, console), "kpi": lambda: kpi_year(args, env, console),
                "ffb": lambda: ffb_bundles(console), "import": lambda: import_throughput(args, console)}
    for name, run in sections.items():
        if name in only:
            result[name] = run()
            out.write_text(json.dumps(result, indent=1, ensure_ascii=False, default=str), encoding="utf-8")
    earlier = [json.loads(f.read_text()) for f in recorded_runs(args.citizens)]
    previous = next((run for run in reversed(earlier) if "pages" in run), None)
    result["compared_with"] = previous and previous["started"]
    result["targets"] = [{"name": n, "measured": m, "target": t, "met": ok}
                         for n, m, t, ok in verdicts(result, previous)]
    print_report(result, console)
    text = json.dumps(result, indent=1, ensure_ascii=False, default=str)
    out.write_text(text, encoding="utf-8")
    kept = RUNS / f"{result['started'].replace(' ', '-').replace(':', '')}-{args.citizens}.json"
    kept.write_text(text, encoding="utf-8")
    console.print(f"Skrevet: {out} og {kept}")


if __name__ == "__main__":
    main()
