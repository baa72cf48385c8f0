"""Database failures that are no one's bug: the database is unreachable, or busy."""

from psycopg.errors import LockNotAvailable, QueryCanceled
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout


def is_unavailable(error: BaseException) -> bool:
    """The database cannot be reached, dropped the connection, or is busy: worth a retry."""
    if isinstance(error, PoolTimeout | OperationalError | InterfaceError | ConnectionError):
        return True
    return isinstance(error, DBAPIError) and error.connection_invalidated


def unavailable_reason(error: BaseException) -> str:
    """What kept the database from answering, in words a client can act on."""
    driver_error = getattr(error, "orig", None)
    if isinstance(error, PoolTimeout):
        return "Every database connection of this server is in use; try again shortly."
    if isinstance(driver_error, LockNotAvailable):
        return (
            "The data this request needs is locked by another transaction, for longer than"
            " the lock timeout; try again shortly."
        )
    if isinstance(driver_error, QueryCanceled):
        return (
            "The database cancelled a statement of this request (it ran longer than the"
            " statement timeout); try again shortly."
        )
    if "database is locked" in str(driver_error):
        return "The database is busy with another write; try again shortly."
    return "The database is unavailable; try again shortly."
