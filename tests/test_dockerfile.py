"""The Dockerfile, checked by reading it (no Docker daemon in the test environment)."""

import re
from pathlib import Path

DOCKERFILE = Path(__file__).resolve().parents[1] / "Dockerfile"


def instructions() -> list[str]:
    """The instructions, continuation lines joined, comments left out."""
    text = re.sub(r"\\\n\s*", " ", DOCKERFILE.read_text(encoding="utf-8"))
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


def index_of(prefix: str) -> int:
    return next(i for i, line in enumerate(instructions()) if line.startswith(prefix))


def test_dependencies_are_installed_before_the_code_is_copied() -> None:
    # given / when
    lines = instructions()
    dependencies = index_of('RUN python -c "import tomllib')
    # then: only pyproject.toml is copied before the dependency layer
    assert lines[index_of("COPY pyproject.toml")] == "COPY pyproject.toml ./"
    assert index_of("COPY pyproject.toml") < dependencies < index_of("COPY convograph")
    assert "pip install -r" in lines[dependencies]
    assert lines[index_of("RUN pip install")] == "RUN pip install --no-deps ."


def test_the_healthcheck_waits_for_migrations() -> None:
    # given / when
    healthcheck = instructions()[index_of("HEALTHCHECK")]
    # then
    assert re.search(r"--start-period=\d+", healthcheck)
    assert "/readyz" in healthcheck


def test_the_image_does_not_allow_unauthenticated_network_access_by_itself() -> None:
    # given / when
    lines = instructions()
    # then: listening on every interface, but the explicit opt-in is left to `docker run -e`
    assert any("CONVOGRAPH_HOST=0.0.0.0" in line for line in lines if line.startswith("ENV"))
    assert not any("ALLOW_UNAUTHENTICATED_NETWORK" in line for line in lines)
    assert not any("CONVOGRAPH_AUTH" in line for line in lines)
    assert lines[-1] == 'CMD ["convograph", "serve"]'
