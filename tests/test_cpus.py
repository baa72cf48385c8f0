"""The default worker count: CPUs of the affinity mask, capped by the cgroup's CPU quota."""

from pathlib import Path

import pytest

from convograph.cpus import available_cpus, cgroup_quota, quota_from_cfs, quota_from_cpu_max


@pytest.mark.parametrize(
    ("cpu_max", "expected"),
    [("max 100000", None), ("200000 100000", 2.0), ("150000 100000\n", 1.5), ("junk", None)],
)
def test_cgroup_v2_cpu_max_is_read_as_cpus(cpu_max: str, expected: float | None) -> None:
    # given / when / then
    assert quota_from_cpu_max(cpu_max) == expected


@pytest.mark.parametrize(
    ("quota", "period", "expected"),
    [("-1\n", "100000\n", None), ("50000", "100000", 0.5), ("400000", "100000", 4.0)],
)
def test_cgroup_v1_cfs_quota_is_read_as_cpus(
    quota: str, period: str, expected: float | None
) -> None:
    # given / when / then
    assert quota_from_cfs(quota, period) == expected


@pytest.mark.parametrize(
    ("affinity", "quota", "expected"),
    [(64, None, 64), (64, 2.0, 2), (64, 1.5, 2), (64, 0.25, 1), (2, 8.0, 2), (0, None, 1)],
)
def test_the_quota_caps_the_affinity_mask(
    affinity: int, quota: float | None, expected: int
) -> None:
    # given / when / then
    assert available_cpus(affinity=affinity, quota=quota) == expected


def test_a_container_quota_on_cgroup_v2_is_found(tmp_path: Path) -> None:
    # given: the container's own cgroup is the root (cgroup namespace)
    (tmp_path / "cpu.max").write_text("200000 100000\n")
    membership = tmp_path / "cgroup"
    membership.write_text("0::/\n")
    # when / then
    assert cgroup_quota(tmp_path, membership) == 2.0


def test_the_tightest_quota_of_the_cgroup_and_its_ancestors_wins(tmp_path: Path) -> None:
    # given: a service in a slice, the slice limited harder than the service
    service = tmp_path / "system.slice" / "convograph.service"
    service.mkdir(parents=True)
    (service / "cpu.max").write_text("400000 100000\n")
    (tmp_path / "system.slice" / "cpu.max").write_text("300000 100000\n")
    (tmp_path / "cpu.max").write_text("max 100000\n")
    membership = tmp_path / "cgroup"
    membership.write_text("0::/system.slice/convograph.service\n")
    # when / then
    assert cgroup_quota(tmp_path, membership) == 3.0


def test_a_quota_on_cgroup_v1_is_found(tmp_path: Path) -> None:
    # given
    cpu = tmp_path / "cpu,cpuacct" / "docker" / "abc"
    cpu.mkdir(parents=True)
    (cpu / "cpu.cfs_quota_us").write_text("150000\n")
    (cpu / "cpu.cfs_period_us").write_text("100000\n")
    membership = tmp_path / "cgroup"
    membership.write_text("5:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n")
    # when / then
    assert cgroup_quota(tmp_path, membership) == 1.5


def test_no_cgroup_files_means_no_quota(tmp_path: Path) -> None:
    # given / when / then
    assert cgroup_quota(tmp_path / "absent", tmp_path / "absent-cgroup") is None
