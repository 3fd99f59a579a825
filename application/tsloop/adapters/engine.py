"""Engine factory for PostgreSQL through psycopg2."""

from __future__ import annotations

import logging

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import URL
from sqlalchemy.exc import SQLAlchemyError

from tsloop.usecases.errors import StartupError

logger = logging.getLogger(__name__)

# Largest number of readings per tick, the cap of TSLOOP_SERIES. insert_batch
# sends a batch of any size as one statement, but SQLAlchemy splits other
# executemany INSERTs into pages of insertmanyvalues_page_size rows.
MAX_BATCH_ROWS = 10_000
# Seconds that psycopg2 waits for a new connection, so an unreachable server
# fails the tick instead of blocking it for the operating system's TCP timeout.
CONNECT_TIMEOUT = 10
# libpq options that end a statement on a connection whose peer went silent,
# for example after a network cut, instead of waiting for the kernel's TCP
# retransmission timeout of about 15 minutes. Times in seconds, except
# tcp_user_timeout in milliseconds (libpq 12 or newer).
CONNECTION_LIVENESS: dict[str, int] = {
    "keepalives": 1,
    "keepalives_idle": 10,
    "keepalives_interval": 5,
    "keepalives_count": 3,
    "tcp_user_timeout": 15_000,
}


def create_db_engine(
    url: URL, *, echo: bool = False, connect_timeout: int = CONNECT_TIMEOUT
) -> Engine:
    """Create an engine that checks pooled connections before use.

    `connect_timeout` is in whole seconds, as libpq takes it.
    """
    return create_engine(
        url,
        pool_pre_ping=True,
        insertmanyvalues_page_size=MAX_BATCH_ROWS,
        connect_args={"connect_timeout": connect_timeout, **CONNECTION_LIVENESS},
        echo=echo,
    )


def check_connection(engine: Engine) -> None:
    """Run `SELECT 1`, or raise StartupError naming the database without its password."""
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except SQLAlchemyError as exc:
        target = engine.url.render_as_string(hide_password=True)
        raise StartupError(f"cannot connect to {target}: {describe_error(exc)}") from exc


def describe_error(exc: SQLAlchemyError) -> str:
    """Return the error class and the first line of the driver's message.

    SQLAlchemy's own message also lists the SQL and every bound parameter, which
    for a large batch is far too long for one log line.
    """
    original = getattr(exc, "orig", None) or exc
    lines = str(original).strip().splitlines()
    first_line = lines[0] if lines else ""
    return f"{type(original).__name__}: {first_line}"
