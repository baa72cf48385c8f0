"""The benchmark harness's pure helpers: the wrk script it writes and the output it reads."""

import importlib.util
import math
from pathlib import Path
from types import ModuleType


def _bench_module(name: str) -> ModuleType:
    """A module of bench/ (a folder of scripts, not a package), loaded by path."""
    spec = importlib.util.spec_from_file_location(
        f"bench_{name}", Path(__file__).parents[1] / "bench" / f"{name}.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


loadgen = _bench_module("loadgen")
profile_summary = _bench_module("profile_summary")

WRK_OUTPUT = """Running 10s test @ http://127.0.0.1:8000/graphql
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     3.95ms    1.20ms  25.10ms   90.00%
    Req/Sec     1.27k   100.00     1.50k    70.00%
  Latency Distribution
     50%    3.80ms
     75%    4.20ms
     90%    5.00ms
     99%   10.20ms
  25340 requests in 10.00s, 500.00MB read
Requests/sec:   2534.00
Transfer/sec:     50.00MB
BAD 0
"""


def test_wrk_output_is_parsed_in_milliseconds():
    result = loadgen.parse(WRK_OUTPUT)

    assert (result.requests, result.rps, result.bad) == (25340, 2534.0, 0)
    assert (result.p50_ms, result.p99_ms) == (3.8, 10.2)
    assert result.socket_errors is None


def test_a_run_without_completed_requests_has_no_percentiles():
    output = "  0 requests in 3.00s, 0.00B read\n  Socket errors: connect 0, read 0, write 0, timeout 10\nRequests/sec:      0.00\nBAD 0\n"

    result = loadgen.parse(output)

    assert math.isnan(result.p50_ms) and result.socket_errors is not None


def test_the_wrk_script_holds_every_body_verbatim():
    bodies = ['{"query":"{ a }","variables":{"id":"1"}}', '{"query":"{ b(x: \\"q\\") }"}']

    script = loadgen.lua_script(bodies)

    assert all(f"[==[{body}]==]" in script for body in bodies)


def test_profile_samples_are_grouped_by_the_leaf_frames_package():
    collapsed = (
        "main (a.py:1);execute (graphql/execution/execute.py:10) 3\n"
        "main (a.py:1);fetch (psycopg/cursor.py:5) 1\n"
    )

    assert "75.0%  graphql-core execution" in profile_summary.report(collapsed)
