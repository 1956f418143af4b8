"""Soak: a production-configured server under 16 clients for a while; no errors, flat memory.

    python bench/soak.py --minutes 10 --clients 16

It builds a demo database in a temporary folder (SQLite unless DATABASE_URL is set), starts gunicorn with
production settings, logs 16 clients in as different caseworkers and has them open citizen pages, plans,
worklists and searches. It samples every worker's resident memory, prints a summary and writes
bench/results/soak.json.
"""

import argparse
import json
import os
import random
import re
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

import requests
from rich.console import Console
from rich.table import Table

from common import RESULTS, Client, percentile, production_env, rss_mb, start_server, traedesten, worker_pids


def _prepare(env: dict, console: Console) -> None:
    with console.status("Bygger demokommunen …"):
        for args in (["migrate", "--noinput", "-v0"], ["seed_demo", "--citizens", "300"],
                     ["collectstatic", "--noinput", "-v0"]):
            traedesten(env, *args)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    console = Console()
    data_dir = Path(tempfile.mkdtemp(prefix="traedesten-soak-"))
    env = production_env(data_dir)
    _prepare(env, console)
    server = start_server(env, args.port, args.workers)
    base = f"http://127.0.0.1:{args.port}"
    try:
        users = ["guide", "guide2", "vaert", "bostotte", "opsoegende"]
        clients = [Client(base, users[i % len(users)], "traedesten-demo") for i in range(args.clients)]
        common = ["/", "/forloeb/arbejdsliste/", "/borgere/", "/maaling/resultater/", "/forloeb/hold/"]
        paths = {}
        for client in clients:  # each client works with the citizens on its own team's list
            people = sorted({int(m) for m in re.findall(r"/borgere/(\d+)/", client.get("/forloeb/arbejdsliste/?vis=team").text)})
            paths[client] = common + [p for pid in people[:30] for p in (f"/borgere/{pid}/", f"/plan/{pid}/",
                                                                           f"/maaling/borger/{pid}/")]
        stop = time.monotonic() + args.minutes * 60
        latencies, errors, statuses, lock = [], [], {}, threading.Lock()

        def run(client: Client, seed: int) -> None:
            rnd = random.Random(seed)
            while time.monotonic() < stop:
                path = rnd.choice(paths[client])
                start = time.perf_counter()
                try:
                    response = client.get(path)
                    code = response.status_code
                except requests.RequestException as exc:
                    code, response = f"error: {type(exc).__name__}", None
                elapsed = time.perf_counter() - start
                with lock:
                    latencies.append(elapsed)
                    statuses[code] = statuses.get(code, 0) + 1
                    if code != 200:
                        errors.append(f"{path}: {code}")

        threads = [threading.Thread(target=run, args=(c, i)) for i, c in enumerate(clients)]
        for t in threads:
            t.start()
        memory = []
        with console.status("Soak kører …") as status:
            while any(t.is_alive() for t in threads):
                pids = worker_pids(server.pid)
                memory.append([round(rss_mb(p), 1) for p in pids])
                status.update(f"Soak kører … {len(latencies)} svar, {len(errors)} fejl, "
                              f"RSS {max(memory[-1], default=0):.0f} MB")
                time.sleep(10)
        for t in threads:
            t.join()
    finally:
        server.terminate()
        server.wait(30)
    # Memory after warm-up (from a fifth of the run) against the last tenth of the run.
    first = memory[len(memory) // 5: len(memory) // 5 + max(1, len(memory) // 10)]
    last = memory[-max(1, len(memory) // 10):]
    mean = lambda rows: statistics.mean(v for row in rows for v in row) if any(rows) else 0.0  # noqa: E731
    latencies.sort()
    result = {
        "minutes": args.minutes, "clients": args.clients, "workers": args.workers, "requests": len(latencies),
        "throughput_per_s": round(len(latencies) / (args.minutes * 60), 1), "errors": len(errors),
        "statuses": {str(k): v for k, v in statuses.items()},
        "p50_ms": round(percentile(latencies, .50) * 1000, 1), "p95_ms": round(percentile(latencies, .95) * 1000, 1),
        "p99_ms": round(percentile(latencies, .99) * 1000, 1),
        "rss_first_mb": round(mean(first), 1), "rss_last_mb": round(mean(last), 1),
        "rss_max_mb": max((v for row in memory for v in row), default=0), "database": "postgresql" if os.environ.get("DATABASE_URL") else "sqlite",
    }
    result["memory_growth_pct"] = round((result["rss_last_mb"] / result["rss_first_mb"] - 1) * 100, 1) if result["rss_first_mb"] else 0
    table = Table(title="Soak")
    table.add_column("")
    table.add_column("", justify="right")
    for key, value in result.items():
        table.add_row(key, str(value))
    console.print(table)
    for line in errors[:20]:
        console.print(f"[red]{line}[/red]")
    RESULTS.mkdir(exist_ok=True)
    out = RESULTS / "soak.json"
    out.write_text(json.dumps(result, indent=1), encoding="utf-8")
    console.print(f"Skrevet: {out}")
    sys.exit(1 if errors or result["memory_growth_pct"] > 15 else 0)


if __name__ == "__main__":
    main()
