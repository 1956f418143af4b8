"""A closed-loop HTTP load: N clients, each sending its next request as soon as the last answer is in.

Plain asyncio sockets keep the load generator cheap, so most of the two cores go to the server under test.
"""

import asyncio
import itertools
import time
from dataclasses import dataclass, field

from common import percentile


@dataclass
class Target:
    """One page, or with `mix` a rotation of (path, cookie) pairs: each request takes the next pair, so clients open
    different citizens as different workers (a cold-cache mix) instead of one cached page."""

    name: str
    path: str
    cookie: str
    method: str = "GET"
    body: str = ""
    headers: dict = field(default_factory=dict)
    mix: list[tuple[str, str]] = field(default_factory=list)

    def requests(self, host: str, port: int) -> list[bytes]:
        pairs = self.mix or [(self.path, self.cookie)]
        return [self._request(host, port, path, cookie) for path, cookie in pairs]

    def _request(self, host: str, port: int, path: str, cookie: str) -> bytes:
        lines = [f"{self.method} {path} HTTP/1.1", f"Host: {host}:{port}", f"Cookie: {cookie}",
                 "X-Forwarded-Proto: https", f"Referer: https://{host}:{port}/", "Connection: close"]
        lines += [f"{k}: {v}" for k, v in self.headers.items()]
        if self.method == "POST":
            lines += ["Content-Type: application/x-www-form-urlencoded", f"Content-Length: {len(self.body.encode())}"]
        return ("\r\n".join(lines) + "\r\n\r\n" + self.body).encode()


@dataclass
class Result:
    name: str
    latencies: list[float]
    statuses: dict[int, int]
    seconds: float

    def summary(self) -> dict:
        ordered = sorted(self.latencies)
        ms = lambda v: round(v * 1000, 1)  # noqa: E731
        return {"requests": len(ordered), "throughput_per_s": round(len(ordered) / self.seconds, 1),
                "p50_ms": ms(percentile(ordered, .50)), "p95_ms": ms(percentile(ordered, .95)),
                "p99_ms": ms(percentile(ordered, .99)), "errors": sum(n for s, n in self.statuses.items() if s != 200),
                "statuses": {str(s): n for s, n in sorted(self.statuses.items())}}


async def _one(host: str, port: int, payload: bytes) -> int:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(payload)
    await writer.drain()
    head = await reader.readline()
    while await reader.read(65536):
        pass
    writer.close()
    parts = head.split()
    return int(parts[1]) if len(parts) > 1 else 0


async def _run(target: Target, host: str, port: int, clients: int, seconds: float, warmup: float) -> Result:
    payloads = target.requests(host, port)
    turn = itertools.count()
    latencies, statuses = [], {}
    begin = time.perf_counter()
    measure_from, stop = begin + warmup, begin + warmup + seconds

    async def client() -> None:
        while (now := time.perf_counter()) < stop:
            try:
                status = await _one(host, port, payloads[next(turn) % len(payloads)])
            except OSError:
                status = 0
            done = time.perf_counter()
            if now >= measure_from:
                latencies.append(done - now)
                statuses[status] = statuses.get(status, 0) + 1

    await asyncio.gather(*(client() for _ in range(clients)))
    return Result(target.name, latencies, statuses, seconds)


def run(target: Target, *, host: str, port: int, clients: int, seconds: float, warmup: float = 2.0) -> Result:
    return asyncio.run(_run(target, host, port, clients, seconds, warmup))
