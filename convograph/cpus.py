"""How many CPUs this process may use: its affinity mask, capped by its cgroup's CPU quota.

A container limited to two CPUs (`docker run --cpus 2`) still shows the host's 64 in
`os.cpu_count()` and in its affinity mask; only the cgroup's quota says 2. One server
process per visible CPU would then start 64 workers, each with its own connection pool.
"""

import math
import os
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
PROC_SELF_CGROUP = Path("/proc/self/cgroup")


def quota_from_cpu_max(text: str) -> float | None:
    """cgroup v2's `cpu.max` ("<quota> <period>", quota "max" when unlimited) in CPUs."""
    fields = text.split()
    if len(fields) != 2 or fields[0] == "max":
        return None
    return _ratio(fields[0], fields[1])


def quota_from_cfs(quota_text: str, period_text: str) -> float | None:
    """cgroup v1's `cpu.cfs_quota_us` / `cpu.cfs_period_us` in CPUs (quota -1: unlimited)."""
    return _ratio(quota_text.strip(), period_text.strip())


def _ratio(quota: str, period: str) -> float | None:
    try:
        quota_us, period_us = int(quota), int(period)
    except ValueError:
        return None
    if quota_us <= 0 or period_us <= 0:
        return None
    return quota_us / period_us


def cgroup_quota(
    root: Path = CGROUP_ROOT, proc_self_cgroup: Path = PROC_SELF_CGROUP
) -> float | None:
    """The tightest CPU quota on this process's cgroup or any of its ancestors, in CPUs.

    Inside a container the cgroup namespace makes the process's own cgroup the root; on a
    host (a systemd unit with CPUQuota=) it is the path /proc/self/cgroup names.
    """
    quotas = [
        quota
        for directory in _cgroup_directories(root, _read(proc_self_cgroup) or "")
        if (quota := _quota_in(directory)) is not None
    ]
    return min(quotas, default=None)


def _cgroup_directories(root: Path, membership: str) -> list[Path]:
    """The process's cgroup directories from its own up to the root, v2 and v1 alike."""
    relative: list[str] = []
    for line in membership.splitlines():
        # "0::/path" (v2) or "4:cpu,cpuacct:/path" (v1).
        hierarchy, _, rest = line.partition(":")
        controllers, _, path = rest.partition(":")
        if hierarchy == "0" or "cpu" in controllers.split(","):
            relative.append(path.strip("/"))
    candidates: list[Path] = []
    for base in (root, root / "cpu", root / "cpu,cpuacct"):
        for path in [*relative, ""]:
            directory = base / path if path else base
            while True:
                candidates.append(directory)
                if directory in (base, directory.parent):
                    break
                directory = directory.parent
    return list(dict.fromkeys(candidates))


def _quota_in(directory: Path) -> float | None:
    if (cpu_max := _read(directory / "cpu.max")) is not None:
        return quota_from_cpu_max(cpu_max)
    quota = _read(directory / "cpu.cfs_quota_us")
    period = _read(directory / "cpu.cfs_period_us")
    if quota is None or period is None:
        return None
    return quota_from_cfs(quota, period)


def _read(path: Path) -> str | None:
    try:
        return path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError):
        return None


def available_cpus(affinity: int | None = None, quota: float | None = None) -> int:
    """CPUs this process may run on: the affinity mask, capped by the cgroup quota
    (rounded up: a quota of 1.5 CPUs keeps two processes busy)."""
    visible = affinity if affinity is not None else len(os.sched_getaffinity(0))
    if quota is None:
        return max(1, visible)
    return max(1, min(visible, math.ceil(quota)))


def default_cpus() -> int:
    """`available_cpus` for this process, as the machine reports it."""
    return available_cpus(quota=cgroup_quota())
