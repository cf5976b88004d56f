"""A worker keeps its PostgreSQL connection pool between tasks (celery/celery#10554: Celery's
Django fix-up closed it at every task boundary under prefork, so every task opened a new pool
and new sessions — two per signature in bench/ttd_1000.py), and hands the task's connection
back to the pool after each task, as Django does after each request."""

from __future__ import annotations

from types import SimpleNamespace

from celery.fixups.django import DjangoWorkerFixup
from django.conf import settings

from siaks import celery as siaks_celery


def test_the_fixup_closes_the_pool_only_every_reuse_max_tasks(monkeypatch):
    from siaks.settings import base

    # The deployed value (the test settings close at every task: their workers are threads).
    assert settings.CELERY_DB_REUSE_MAX is None
    monkeypatch.setitem(siaks_celery.app.conf, "CELERY_DB_REUSE_MAX", base.CELERY_DB_REUSE_MAX)
    fixup = DjangoWorkerFixup(siaks_celery.app)
    assert fixup.db_reuse_max == base.CELERY_DB_REUSE_MAX >= 100
    closed = []
    monkeypatch.setattr(fixup, "_close_database", lambda: closed.append(1))
    for _ in range(base.CELERY_DB_REUSE_MAX - 1):  # prerun and postrun of each task
        fixup.close_database()
        fixup.close_database()
    assert closed == []
    fixup.close_database()
    fixup.close_database()
    fixup.close_database()
    assert closed == [1]


def test_each_task_hands_its_connection_back_unless_run_eagerly(monkeypatch):
    import django.db

    released = []
    monkeypatch.setattr(django.db, "close_old_connections", lambda **kw: released.append(1))
    worker_task = SimpleNamespace(request=SimpleNamespace(is_eager=False))
    eager_task = SimpleNamespace(request=SimpleNamespace(is_eager=True))
    siaks_celery._lepas_koneksi_db(sender=worker_task)
    assert released == [1]
    siaks_celery._lepas_koneksi_db(sender=eager_task)  # inside the caller's (test's) transaction
    siaks_celery._lepas_koneksi_db(sender=None)
    assert released == [1]
    # Connected to both ends of every task.
    from celery import signals

    assert any(r() is siaks_celery._lepas_koneksi_db for _k, r in signals.task_prerun.receivers)
    assert any(r() is siaks_celery._lepas_koneksi_db for _k, r in signals.task_postrun.receivers)
