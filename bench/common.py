"""What the benchmarks share: a production-configured gunicorn, logged-in clients, worker memory."""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import requests
from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HOST = "127.0.0.1"
RESULTS = ROOT / "bench" / "results"


FILE_KEY = Fernet.generate_key().decode()
"""Production writes files with personal data encrypted (an export, FFB bundles): one key for the run."""


def production_env(data_dir: Path, **extra) -> dict:
    return os.environ | {"TRAEDESTEN_ENV": "production", "TRAEDESTEN_SECRET_KEY": "bench-" + "x" * 60,
                         "TRAEDESTEN_ALLOWED_HOSTS": HOST, "TRAEDESTEN_DATA_DIR": str(data_dir),
                         "TRAEDESTEN_FILE_KEY": FILE_KEY, "TRAEDESTEN_SSL_REDIRECT": "0", "PYTHONUNBUFFERED": "1"} | extra


def traedesten(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "traedesten"), *args], env=env, check=True, capture_output=True, text=True)


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    server = subprocess.Popen([str(BIN / "gunicorn"), "traedesten.wsgi:application", "--workers", str(workers),
                               "--bind", f"{HOST}:{port}", "--log-level", "warning", "--backlog", "256"], env=env)
    for _ in range(150):
        try:
            requests.get(f"http://{HOST}:{port}/log-ind/", timeout=5)
            return server
        except (requests.ConnectionError, requests.Timeout):
            time.sleep(0.2)
    server.terminate()
    raise RuntimeError("gunicorn did not start")


class Client:
    """A browser stand-in: logs in once, then keeps the session cookie (sent by hand, as it is Secure)."""

    def __init__(self, base: str, username: str, password: str):
        self.base, self.http = base, requests.Session()
        self.headers = {"X-Forwarded-Proto": "https", "Referer": base.replace("http://", "https://") + "/"}
        page = self.http.get(f"{base}/log-ind/", headers=self.headers)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
        csrf = page.cookies.get("csrftoken") or re.search(r"csrftoken=([^;]+)", page.headers["Set-Cookie"]).group(1)
        self.cookies = {"csrftoken": csrf}
        done = self.http.post(f"{base}/log-ind/", data={"username": username, "password": password,
                                                         "csrfmiddlewaretoken": token},
                              headers=self.headers | {"Cookie": f"csrftoken={csrf}"}, allow_redirects=False)
        assert done.status_code == 302, f"login failed for {username}: {done.status_code}"
        self.cookies["sessionid"] = re.search(r"sessionid=([^;]+)", done.headers["Set-Cookie"]).group(1)

    @property
    def cookie(self) -> str:
        return "; ".join(f"{k}={v}" for k, v in self.cookies.items())

    def get(self, path: str) -> requests.Response:
        return self.http.get(self.base + path, headers=self.headers | {"Cookie": self.cookie}, allow_redirects=False)


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def percentile(ordered: list[float], share: float) -> float:
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] if ordered else 0.0
