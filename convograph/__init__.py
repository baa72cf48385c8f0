"""convograph: a GraphQL API server for branching chat conversations."""

from importlib.metadata import PackageNotFoundError, version

try:
    # pyproject.toml is the one place the version is written.
    __version__ = version("convograph")
except PackageNotFoundError:  # run from a source tree that was never installed
    __version__ = "0+unknown"
