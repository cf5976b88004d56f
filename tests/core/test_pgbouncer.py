"""The application through a real PgBouncer in transaction pooling mode (Debian's pgbouncer,
started here in front of the test PostgreSQL, on a unix socket, and stopped at the end).

With one server connection in the pool, every transaction of every client runs on the same
PostgreSQL session: the tenant settings are transaction-local (set_config(..., true)), so
none leaks from one transaction or client to the next, and RLS still isolates instansi. The
outbox relay LISTENs on its own direct connection (DATABASE_DIRECT_URL) and is woken by the
NOTIFY of a transaction that went through the pooler; LISTEN through the pooler is not."""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.urls import reverse

from apps.core import outbox, tenancy
from apps.core.models import OutboxMessage
from apps.pengusulan.models import Pegawai

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.path.exists(PGBOUNCER), reason="pgbouncer is not installed (make system-deps)"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def pgbouncer(django_db_setup, django_db_blocker):
    real = settings.DATABASES["default"]
    folder = Path(tempfile.mkdtemp(prefix="siaks-pgb-"))
    port = _free_port()
    upstream = f"host={real['HOST'] or 'localhost'}" + (f" port={real['PORT']}" if real.get("PORT") else "")
    (folder / "users.txt").write_text('"siaks_app" ""\n"siaks_owner" ""\n')
    (folder / "pgbouncer.ini").write_text(
        f"""[databases]
* = {upstream}
[pgbouncer]
listen_addr =
listen_port = {port}
unix_socket_dir = {folder}
auth_type = trust
auth_file = {folder}/users.txt
stats_users = siaks_app
pool_mode = transaction
default_pool_size = 1
max_client_conn = 50
ignore_startup_parameters = extra_float_digits,options
logfile = {folder}/pgbouncer.log
"""
    )
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # pgbouncer refuses to run as root: run it as the database's own user
        owner = pwd.getpwuid(os.stat(real["HOST"]).st_uid) if real.get("HOST") else pwd.getpwnam("nobody")
        for path in [folder, *folder.iterdir()]:
            os.chown(path, owner.pw_uid, owner.pw_gid)
        command[1:1] = ["-u", owner.pw_name]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    sock = folder / f".s.PGSQL.{port}"
    deadline = time.monotonic() + 10
    while not sock.exists():
        if process.poll() is not None or time.monotonic() > deadline:
            log = (folder / "pgbouncer.log").read_text() if (folder / "pgbouncer.log").exists() else ""
            process.kill()
            pytest.fail(f"pgbouncer did not start: {log}")
        time.sleep(0.05)
    yield {"HOST": str(folder), "PORT": str(port), "upstream": {"HOST": real["HOST"], "PORT": real["PORT"]}}
    process.terminate()
    process.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def through_pgbouncer(pgbouncer, settings):
    """Point the application's connection at PgBouncer, as DJANGO_DB_PGBOUNCER=1 would configure
    it, and the relay's LISTEN at the database itself (DATABASE_DIRECT_URL)."""
    conf = connections["default"].settings_dict
    saved = {key: conf.get(key) for key in ("HOST", "PORT", "DISABLE_SERVER_SIDE_CURSORS")}
    saved_options = dict(conf["OPTIONS"])
    connections["default"].close()
    conf.update(HOST=pgbouncer["HOST"], PORT=pgbouncer["PORT"], DISABLE_SERVER_SIDE_CURSORS=True)
    conf["OPTIONS"]["prepare_threshold"] = None
    settings.DATABASE_DIRECT = {**pgbouncer["upstream"], "NAME": conf["NAME"]}
    yield pgbouncer
    connections["default"].close()
    conf.update(saved)
    conf["OPTIONS"].clear()
    conf["OPTIONS"].update(saved_options)


def _stats(pgbouncer) -> dict:
    with psycopg.connect(
        host=pgbouncer["HOST"],
        port=pgbouncer["PORT"],
        user="siaks_app",
        dbname="pgbouncer",
        autocommit=True,
        prepare_threshold=None,
    ) as admin:
        cur = admin.execute("SHOW STATS")
        columns = [c.name for c in cur.description]
        return {row[0]: dict(zip(columns, row, strict=True)) for row in cur.fetchall()}


def _pooled_client(pgbouncer):
    return psycopg.connect(
        host=pgbouncer["HOST"],
        port=pgbouncer["PORT"],
        user="siaks_app",
        dbname=settings.DATABASES["default"]["NAME"],
        autocommit=True,
        prepare_threshold=None,
    )


@pytest.mark.django_db(transaction=True)
def test_tenant_settings_hold_per_transaction_through_the_pooler(through_pgbouncer, pegawai_a, pegawai_b):
    name = settings.DATABASES["default"]["NAME"]
    before = _stats(through_pgbouncer)[name]["total_xact_count"]
    other = _pooled_client(through_pgbouncer)
    pids = set()
    try:
        for _round in range(15):
            for instansi, pegawai in ((pegawai_a.instansi, pegawai_a), (pegawai_b.instansi, pegawai_b)):
                with tenancy.scope(instansi), transaction.atomic():
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT nip FROM pengusulan_pegawai ORDER BY nip")  # RLS alone
                        assert [r[0] for r in cursor.fetchall()] == [pegawai.nip]
                        cursor.execute("SELECT pg_backend_pid()")
                        pids.add(cursor.fetchone()[0])
                    assert list(Pegawai.objects.values_list("nip", flat=True)) == [pegawai.nip]
                # Another client, same single server session, right after that commit: no tenant.
                row = other.execute(
                    "SELECT current_setting('siaks.instansi_id', true), pg_backend_pid(), "
                    "(SELECT count(*) FROM pengusulan_pegawai)"
                ).fetchone()
                assert row[0] in (None, "") and row[2] == 0
                pids.add(row[1])
        with connection.cursor() as cursor:  # and Django's own client outside any scope sees nothing
            cursor.execute("SELECT count(*) FROM pengusulan_pegawai")
            assert cursor.fetchone()[0] == 0
    finally:
        other.close()
    assert len(pids) == 1  # one PostgreSQL session served both clients throughout
    assert _stats(through_pgbouncer)[name]["total_xact_count"] - before >= 60  # it really went through


@pytest.mark.django_db(transaction=True)
def test_the_pages_through_the_pooler_keep_another_instansi_a_404(
    through_pgbouncer, client, pic_a, pegawai_a, pegawai_b
):
    client.force_login(pic_a)
    daftar = client.get(reverse("pengusulan:pegawai_list"))
    assert daftar.status_code == 200
    html = daftar.content.decode()
    assert pegawai_a.nama in html and pegawai_b.nama not in html
    assert client.get(reverse("pengusulan:pegawai_detail", args=[pegawai_a.pk])).status_code == 200
    assert client.get(reverse("pengusulan:pegawai_detail", args=[pegawai_b.pk])).status_code == 404


def _run_relay(stop: threading.Event, poll: float) -> threading.Thread:
    thread = threading.Thread(
        target=outbox.relay_forever, kwargs={"poll_seconds": poll, "stop": stop.is_set}, daemon=True
    )
    thread.start()
    return thread


def _wait_until_listening(direct: bool, timeout: float = 15) -> None:
    """The relay beat its heart, LISTENed and went to sleep on its connection."""
    from siaks import probe

    deadline = time.monotonic() + timeout
    while probe.age("relay") is None:
        assert time.monotonic() < deadline, "the relay never started"
        time.sleep(0.05)
    if direct:  # its own session, visible to the same role: idle after LISTEN
        direct_params = outbox.listen_params()
        with psycopg.connect(**direct_params, autocommit=True) as conn:
            while not conn.execute(
                "SELECT 1 FROM pg_stat_activity WHERE query = %s AND state = 'idle'", [f"LISTEN {outbox.CHANNEL}"]
            ).fetchone():
                assert time.monotonic() < deadline, "the relay never LISTENed"
                time.sleep(0.05)
    time.sleep(1.0)  # its first round of publishing is over: it waits on the notifications now


def _enqueue_through_the_pooler() -> OutboxMessage:
    with transaction.atomic():
        return outbox.enqueue("siaks.uji.pgbouncer", queue="uji-pgbouncer", nomor=1)


def _published_within(message: OutboxMessage, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        message.refresh_from_db()
        if message.published_at is not None:
            return True
        time.sleep(0.05)
    return False


@pytest.fixture
def relay(through_pgbouncer, settings, tmp_path, monkeypatch):
    import redis

    monkeypatch.setenv("SIAKS_LIVENESS_DIR", str(tmp_path))
    stop = threading.Event()
    threads = []

    def start(poll: float = 20):
        direct = bool(settings.DATABASE_DIRECT)
        threads.append(_run_relay(stop, poll))
        _wait_until_listening(direct)

    yield start
    stop.set()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"NOTIFY {outbox.CHANNEL}")
    for thread in threads:
        thread.join(timeout=30)
    redis.Redis(unix_socket_path=str(settings.TEST_REDIS_SOCKET)).delete("uji-pgbouncer")


@pytest.mark.django_db(transaction=True)
def test_the_relay_on_its_direct_connection_is_woken_by_notify_through_the_pooler(relay):
    relay()
    started = time.monotonic()
    message = _enqueue_through_the_pooler()  # committed through PgBouncer
    assert _published_within(message, 5), "the relay was not woken"
    assert time.monotonic() - started < 5  # the NOTIFY woke it, not its 20-second poll


@pytest.mark.django_db(transaction=True)
def test_listen_through_the_pooler_would_miss_the_notify(relay, settings):
    """Why DATABASE_DIRECT_URL exists: the same relay LISTENing through PgBouncer sleeps its poll out."""
    settings.DATABASE_DIRECT = None
    relay(poll=7)
    message = _enqueue_through_the_pooler()
    assert not _published_within(message, 4)
