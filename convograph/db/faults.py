"""Database failures that are no one's bug: the database is unreachable, or busy."""

from psycopg.errors import LockNotAvailable
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def is_unavailable(error: BaseException) -> bool:
    """The database cannot be reached, dropped the connection, or is busy: worth a retry."""
    if isinstance(error, PoolTimeout | OperationalError | InterfaceError | ConnectionError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def is_busy(error: BaseException) -> bool:
    """Another writer held the lock longer than the lock timeout."""
    driver_error = getattr(error, "orig", None)
    return isinstance(driver_error, LockNotAvailable) or "database is locked" in str(driver_error)
