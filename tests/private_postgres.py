"""A PostgreSQL cluster of a test's own, in a temporary directory, that it may stop and start.

The binaries come from the Debian package (`/usr/lib/postgresql/<version>/bin`). initdb
refuses to run as root, so as root the cluster runs as the `postgres` system user.
"""

import os
import pwd
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from tests.serving import free_port

BINARIES = sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True)
COMMAND_TIMEOUT_SECONDS = 120


def unavailable_reason() -> str | None:
    """Why no private cluster can run here, or None if one can."""
    if not BINARIES or not (BINARIES[0] / "pg_ctl").exists():
        return "PostgreSQL server binaries (/usr/lib/postgresql/*/bin) are not installed"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no `postgres` user for initdb"
        if shutil.which("runuser") is None:
            return "running as root and `runuser` is missing"
    return None


class PrivateCluster:
    def __init__(self, directory: Path, port: int) -> None:
        self.directory = directory
        self.data = directory / "data"
        self.log = directory / "postgres.log"
        self.port = port
        self.url = f"postgresql://postgres@127.0.0.1:{port}/postgres"

    def _run(self, *command: str) -> None:
        executable = str(BINARIES[0] / command[0])
        argv = [executable, *command[1:]]
        if os.geteuid() == 0:
            argv = ["runuser", "-u", "postgres", "--", *argv]
        subprocess.run(
            argv,
            check=True,
            capture_output=True,
            timeout=COMMAND_TIMEOUT_SECONDS,
            cwd=self.directory,
        )

    def initialise(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync")

    def start(self) -> None:
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()


@contextmanager
def private_cluster() -> Iterator[PrivateCluster]:
    """An initialised, started cluster; stopped and deleted when the block ends."""
    directory = Path(tempfile.mkdtemp(prefix="convograph-pg-"))
    if os.geteuid() == 0:
        account = pwd.getpwnam("postgres")
        os.chown(directory, account.pw_uid, account.pw_gid)
    cluster = PrivateCluster(directory, free_port())
    try:
        cluster.initialise()
        cluster.start()
        yield cluster
    finally:
        if cluster.is_running():
            cluster.stop("immediate")
        shutil.rmtree(directory, ignore_errors=True)
