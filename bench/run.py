"""Benchmark convograph (and PostGraphile side by side) on a throwaway PostgreSQL.

    .venv/bin/python bench/run.py [--size small|default] [--peer postgraphile]
                                  [--cases R1,R2,P1,W1,W2] [--duration 10] [--rounds 3]

Creates a PostgreSQL 15 cluster of its own in /tmp (as the `postgres` user when run as
root, on a free port, with pg_stat_statements), migrates and seeds it (bench/seed.py),
starts `convograph serve --no-access-log` (and PostGraphile on the same database),
checks every case's responses, warms up, then times each case with wrk, alternating the
servers (or the variants of one case) round by round. Prints medians over the rounds.
Everything it started is stopped and the cluster removed when it ends.
"""

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import cases as cases_module
import cluster as cluster_module
import loadgen
import peer
import procstat
import seed as seed_module
from cases import CONVOGRAPH, POSTGRAPHILE, Case

HERE = Path(__file__).parent
CONVOGRAPH_BIN = Path(sys.executable).parent / "convograph"


@dataclass
class Server:
    name: str
    process: subprocess.Popen
    url: str

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


@dataclass
class Measurement:
    rps: float
    p50_ms: float
    p99_ms: float
    server_cpu: float  # % of one core
    postgres_cpu: float
    rss_mb: float
    statements: float  # per request
    transaction_control: float  # BEGIN/COMMIT/ROLLBACK per request, included in statements
    bad: int


def _wait_for_graphql(server: Server, timeout: float = 60) -> None:
    def up() -> bool:
        if server.process.poll() is not None:
            raise RuntimeError(f"{server.name} exited with {server.process.returncode}")
        try:
            return "data" in loadgen.post(server.url, '{"query":"{__typename}"}')
        except OSError:
            return False

    cluster_module.wait_for(up, timeout, f"{server.name} at {server.url}")


def start_convograph(database_url: str, workers: int | None, reuse_port: bool, log: Path) -> Server:
    port = cluster_module.free_port()
    command = [str(CONVOGRAPH_BIN), "serve", "--port", str(port), "--no-access-log"]
    if workers is not None:
        command += ["--workers", str(workers)]
    if reuse_port:
        command.append("--reuse-port")
    process = subprocess.Popen(
        command,
        env=dict(os.environ, CONVOGRAPH_DATABASE_URL=database_url),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    server = Server(CONVOGRAPH, process, f"http://127.0.0.1:{port}/graphql")
    _wait_for_graphql(server)
    return server


def start_postgraphile(database_url: str, log: Path) -> Server:
    peer.install()
    port = cluster_module.free_port()
    peer.prepare(database_url)
    process = peer.start(database_url, port, log)
    server = Server(POSTGRAPHILE, process, f"http://127.0.0.1:{port}/graphql")
    _wait_for_graphql(server)
    return server


# Registrations sent per persisted document: each on a new connection, so that every
# worker (whichever the kernel hands the connection to) learns it.
REGISTRATIONS = 40


def check_responses(case: Case, server: Server) -> None:
    """Every body of a read case (up to 200, evenly spread) and a few of a write case."""
    if case.register is not None:
        for _ in range(REGISTRATIONS):
            loadgen.post(server.url, case.register)
    limit = 20 if case.writes else 200
    step = max(1, len(case.bodies) // limit)
    for body in case.bodies[::step][:limit]:
        response = loadgen.send(server.url, body, case.method)
        try:
            case.check(response)
        except AssertionError as error:
            raise SystemExit(f"{case.name} on {server.name}: bad response: {error}") from None


def measure(
    case: Case,
    server: Server,
    script: Path,
    args: argparse.Namespace,
    cluster: cluster_module.Cluster,
    counter: cluster_module.StatementCounter,
) -> Measurement:
    postmaster = cluster.postmaster_pid()
    cpu0, pg0 = procstat.cpu_seconds(server.process.pid), procstat.cpu_seconds(postmaster)
    statements0, control0 = counter.sample()
    each0 = counter.by_statement() if args.sql else {}
    started = time.monotonic()
    result = loadgen.run(server.url, script, args.duration, args.threads, args.connections)
    wall = time.monotonic() - started
    cpu1, pg1 = procstat.cpu_seconds(server.process.pid), procstat.cpu_seconds(postmaster)
    statements1, control1 = counter.sample()
    if args.sql:
        each1 = counter.by_statement()
        calls = {q: n - each0.get(q, 0) for q, n in each1.items() if n > each0.get(q, 0)}
        print(f"  SQL of {case.name} on {server.name}, calls per request:")
        for query, n in sorted(calls.items(), key=lambda item: -item[1])[:12]:
            text = " ".join(query.split())
            print(f"    {n / max(1, result.requests):5.2f}  {text[:150]}")
    if result.bad or result.socket_errors:
        print(f"  !! {result.bad} bad responses, socket errors: {result.socket_errors}")
    requests = max(1, result.requests)
    return Measurement(
        rps=result.rps,
        p50_ms=result.p50_ms,
        p99_ms=result.p99_ms,
        server_cpu=100 * (cpu1 - cpu0) / wall,
        postgres_cpu=100 * (pg1 - pg0) / wall,
        rss_mb=procstat.rss_mb(server.process.pid),
        statements=(statements1 - statements0) / requests,
        transaction_control=(control1 - control0) / requests,
        bad=result.bad,
    )


def profile(server: Server, script: Path, args: argparse.Namespace, out: Path) -> None:
    """py-spy samples the server (non-blocking) under the same load; not a timed run."""
    seconds = max(3, int(args.duration))
    spy = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "py-spy"),
            "record",
            "--nonblocking",
            "--subprocesses",
            "--format",
            "raw",
            "--duration",
            str(seconds),
            "--pid",
            str(server.process.pid),
            "--output",
            str(out),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    loadgen.run(server.url, script, seconds + 1, args.threads, args.connections)
    spy.wait()


def median(values: list[float]) -> float:
    return statistics.median(values)


def summarize(results: dict[tuple[str, str], list[Measurement]]) -> list[str]:
    """The table (medians over rounds) and the ratios, as Markdown lines."""
    lines = [
        "| case | server | req/s | p50 ms | p99 ms | server CPU % | PG CPU % | RSS MB | SQL/req (tx ctl) | req/s per round |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for (name, server), runs in results.items():
        lines.append(
            f"| {name} | {server} | {median([m.rps for m in runs]):,.0f} "
            f"| {median([m.p50_ms for m in runs]):.2f} | {median([m.p99_ms for m in runs]):.2f} "
            f"| {median([m.server_cpu for m in runs]):.0f} | {median([m.postgres_cpu for m in runs]):.0f} "
            f"| {median([m.rss_mb for m in runs]):.0f} "
            f"| {median([m.statements for m in runs]):.2f} ({median([m.transaction_control for m in runs]):.2f}) "
            f"| {', '.join(f'{m.rps:,.0f}' for m in runs)} |"
        )
    lines.append("")

    def rps(name: str, server: str = CONVOGRAPH) -> float | None:
        runs = results.get((name, server))
        return median([m.rps for m in runs]) if runs else None

    def p50(name: str) -> float | None:
        runs = results.get((name, CONVOGRAPH))
        return median([m.p50_ms for m in runs]) if runs else None

    # (convograph's case, PostGraphile's case, goal)
    pairs = [
        ("R1", "R1", 1.0),
        ("R1", "R1 path", 1.5),
        ("R1 get", "R1", 1.0),
        ("R1 get", "R1 path", 1.5),
        ("R2", "R2", 1.0),
        ("W1", "W1", 1.0),
    ]
    for name, peer_name, goal in pairs:
        ours, theirs = rps(name), rps(peer_name, POSTGRAPHILE)
        if ours and theirs:
            verdict = "ok" if ours / theirs >= goal else "**below goal**"
            lines.append(
                f"- {name} / PostGraphile {peer_name}: **{ours / theirs:.2f}x** req/s"
                f" (goal >= {goal}x) {verdict}"
            )
    # W2's goal: within 1.5x of W1's cost (both rotate over many conversations).
    if rps("W1") and rps("W2 d10"):
        cost = rps("W1") / rps("W2 d10")  # type: ignore[operator]
        verdict = "ok" if cost <= 1.5 else "**over target**"
        lines.append(f"- W2 d10 vs W1: cost {cost:.2f}x by req/s (target <= 1.5x) {verdict}")
    # Edits of one message all wait for the same conversation's lock: depth and subtree
    # size are compared under that same contention, not against W2 d10's 1,000 rotating
    # conversations, which never wait for each other.
    flat = [("W2 deep", "W2 d10 one", 1.2), ("W2 d10 long", "W2 d10 one", 1.2)]
    flat += [(f"P1 {where}", "P1 b100", 2.0) for where in ("start", "middle", "end")]
    for case, base, target in flat:
        if rps(case) and rps(base):
            cost = rps(base) / rps(case)  # type: ignore[operator]
            latency = p50(case) / p50(base)  # type: ignore[operator]
            verdict = "" if target is None else (" ok" if cost <= target else " **over target**")
            goal = f" (target <= {target}x)" if target else ""
            lines.append(
                f"- {case} vs {base}: cost {cost:.2f}x by req/s, {latency:.2f}x by p50{goal}{verdict}"
            )
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", choices=sorted(seed_module.SIZES), default="default")
    parser.add_argument("--peer", choices=[POSTGRAPHILE])
    parser.add_argument("--cases", default="R1,R2,P1,W1,W2", help="comma-separated case groups")
    parser.add_argument("--duration", type=float, default=10, help="seconds per timed run")
    parser.add_argument("--warmup", type=float, default=3, help="seconds of warm-up per server")
    parser.add_argument("--rounds", type=int, default=3, help="timed runs per case, alternated")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=10)
    parser.add_argument("--workers", type=int, help="convograph serve --workers (default: its own)")
    parser.add_argument(
        "--reuse-port",
        action="store_true",
        help="convograph serve --reuse-port (a socket per worker)",
    )
    parser.add_argument("--profile", action="store_true", help="py-spy the R1 load afterwards")
    parser.add_argument(
        "--profile-raw", type=Path, help="keep the R1 profile (py-spy collapsed stacks) here"
    )
    parser.add_argument("--sql", action="store_true", help="print each run's statements")
    parser.add_argument("--markdown", type=Path, help="also write the table to this file")
    args = parser.parse_args()

    # SIGTERM and SIGINT unwind through `finally`, which stops everything started here.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    loadgen.ensure_installed()
    work = Path(tempfile.mkdtemp(prefix="convograph-bench-"))
    servers: list[Server] = []
    cluster = cluster_module.Cluster.create()
    try:
        size = seed_module.SIZES[args.size]
        print(f"== PostgreSQL on 127.0.0.1:{cluster.port}; seeding {args.size}: {size}")
        started = time.monotonic()
        seeded = seed_module.seed(cluster.url(), size)
        print(f"== seeded in {time.monotonic() - started:.1f}s")
        counter = cluster_module.StatementCounter(cluster.url("postgres"))
        database_url = cluster.url()
        servers.append(
            start_convograph(database_url, args.workers, args.reuse_port, work / "convograph.log")
        )
        if args.peer:
            servers.append(start_postgraphile(database_url, work / "postgraphile.log"))
            print(f"== peer: {peer.versions()}")
        by_name = {s.name: s for s in servers}
        wanted = {g.strip() for g in args.cases.split(",")}
        selected = [
            c
            for c in cases_module.build(seeded)
            if c.name.split()[0] in wanted and c.server in by_name
        ]
        groups: dict[str, list[Case]] = {}
        for case in selected:
            groups.setdefault(case.name.split()[0], []).append(case)

        results: dict[tuple[str, str], list[Measurement]] = {}
        for group, members in groups.items():
            scripts = {}
            for case in members:
                server = by_name[case.server]
                check_responses(case, server)
                script = work / f"{case.name.replace(' ', '_')}-{case.server}.lua"
                script.write_text(loadgen.lua_script(case.bodies, case.method))
                scripts[case.name, case.server] = script
                loadgen.run(server.url, script, args.warmup, args.threads, args.connections)
            print(f"== {group}: responses checked, warmed up; {args.rounds} rounds")
            for round_no in range(args.rounds):
                # Each round starts one further along, so drift in the machine is shared.
                order = members[round_no % len(members) :] + members[: round_no % len(members)]
                for case in order:
                    key = (case.name, case.server)
                    m = measure(case, by_name[case.server], scripts[key], args, cluster, counter)
                    results.setdefault(key, []).append(m)
                    print(
                        f"  {case.name:<12} {case.server:<12} {m.rps:8,.0f} req/s  "
                        f"p50 {m.p50_ms:6.2f} ms  p99 {m.p99_ms:7.2f} ms  "
                        f"cpu {m.server_cpu:3.0f}%  pg {m.postgres_cpu:3.0f}%  "
                        f"rss {m.rss_mb:4.0f} MB  sql/req {m.statements:.2f}"
                    )
            if args.profile and group == "R1":
                out = args.profile_raw or work / "profile-R1.txt"
                profile(by_name[CONVOGRAPH], scripts["R1", CONVOGRAPH], args, out)
                import profile_summary

                print("== R1 profile (py-spy, leaf frames by package):")
                print(profile_summary.report(out.read_text()))
        lines = summarize(results)
        print("\n".join(["", *lines]))
        if args.markdown:
            args.markdown.write_text("\n".join(lines) + "\n")
    finally:
        for server in servers:
            server.stop()
        cluster.destroy()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
