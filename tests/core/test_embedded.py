from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

from siaks import embedded


def test_settings_use_the_embedded_servers_when_no_urls_are_set():
    assert settings.EMBEDDED_POSTGRES and settings.EMBEDDED_REDIS
    assert settings.DATABASES["default"]["USER"] == embedded.APP_ROLE
    assert settings.DATABASES["owner"]["USER"] == embedded.OWNER_ROLE
    assert settings.DATABASES["default"]["HOST"] == settings.DATABASES["owner"]["HOST"]
    assert (
        str(embedded.data_dir()) in settings.DATABASES["default"]["HOST"]
        or Path(settings.DATABASES["default"]["HOST"]).exists()
    )


def test_a_running_server_is_reused():
    first = embedded.ensure_postgres()
    second = embedded.ensure_postgres()
    assert first == second


@pytest.mark.django_db
def test_the_embedded_servers_listen_on_unix_sockets_only():
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW listen_addresses")
        assert cursor.fetchone() == ("",)
    assert str(embedded.redis_socket_path()) in settings.REDIS_URL


@pytest.mark.slow
def test_redis_starts_stops_and_keeps_its_queue(tmp_path):
    sock = tmp_path / "r.sock"
    import redis

    embedded.ensure_redis(sock, tmp_path)
    client = redis.Redis(unix_socket_path=str(sock))
    client.rpush("antrian", "tugas-1")
    assert embedded.stop_redis(sock, tmp_path)
    assert not embedded._redis_alive(sock)
    embedded.ensure_redis(sock, tmp_path)
    try:
        assert redis.Redis(unix_socket_path=str(sock)).lrange("antrian", 0, -1) == [b"tugas-1"]
    finally:
        embedded.stop_redis(sock, tmp_path)


def test_urls_from_the_environment_win(tmp_path):
    code = (
        "import os, django; os.environ['DJANGO_SETTINGS_MODULE']='siaks.settings.dev';"
        "from django.conf import settings;"
        "print(settings.DATABASES['default']['HOST'], settings.DATABASES['default']['USER'],"
        " settings.DATABASES['owner']['USER'], settings.CELERY_BROKER_URL, settings.EMBEDDED_POSTGRES)"
    )
    env = {
        "PATH": "/usr/bin:/bin",
        "DATABASE_URL": "postgres://app:pw@db.example:5432/siaks",
        "DATABASE_OWNER_URL": "postgres://owner:pw@db.example:5432/siaks",
        "REDIS_URL": "redis://cache.example:6379/0",
        "SIAKS_DATA_DIR": str(tmp_path),
    }
    out = subprocess.run(
        [sys.executable, "-c", code],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert out == ["db.example", "app", "owner", "redis://cache.example:6379/0", "False"]
    assert not (tmp_path / "pg").exists()  # nothing embedded was started


@pytest.mark.django_db
def test_the_embedded_server_runs_autovacuum():
    """Statistics between the explicit ANALYZEs of the bulk paths come from autovacuum."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW autovacuum")
        assert cursor.fetchone() == ("on",)
        cursor.execute("SHOW track_counts")  # autovacuum decides from these counters
        assert cursor.fetchone() == ("on",)
    import psycopg

    # The launcher process is up (only a superuser sees other roles' background processes).
    pg = embedded.ensure_postgres()
    with psycopg.connect(host=pg.socket_dir, user=embedded.SUPERUSER, dbname="postgres") as conn:
        launchers = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum launcher'")
        assert launchers.fetchone() == (1,)
