"""Backup and restore (issue 8, item 7): a backup of a running instance restored into an empty
database and an empty storage holds every usulan, document version and letter, each file with
the sha256 the database records."""

from __future__ import annotations

import uuid

import psycopg
import pytest
from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connections

from apps.core import backup, tenancy
from apps.pengusulan.models import Dokumen, Usulan
from apps.surat.models import VersiSurat
from tests.surat.conftest import sk_terbit

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _connect(db: dict, name: str):
    return psycopg.connect(dbname=name, user=db["USER"], host=db["HOST"] or None, port=db["PORT"] or None,
                           password=db.get("PASSWORD") or None, options="-c siaks.all_tenants=on")  # fmt: skip


def test_backup_restored_into_an_empty_instance_has_everything(tmp_path, diputuskan, staf, pk, instansi_a, ppk_pk):
    lulus, _t, _s = diputuskan(2, 1)
    sk_terbit(admin=staf["admin"], ppk=ppk_pk, jf=pk, instansi=instansi_a, usulan=lulus[0])
    with tenancy.all_tenants(reason="test"):
        expected = {
            "usulan": sorted(Usulan.objects.values_list("nomor", "status")),
            "dokumen": sorted(Dokumen.objects.values_list("berkas", "sha256")),
            "surat": sorted(VersiSurat.objects.values_list("kode", "berkas", "sha256", "ttd_sha256")),
        }
    assert len(expected["dokumen"]) > 10 and len(expected["surat"]) >= 4

    owner = connections[settings.MIGRATION_DATABASE].settings_dict
    folder = tmp_path / "cadangan"
    made = backup.buat(folder)
    assert made.berkas >= len(expected["dokumen"]) + len(expected["surat"]) + 1
    assert {p.name for p in folder.iterdir()} == {"db.dump", "berkas.tar", "manifest.json"}

    # An empty instance: a new database (the roles exist, as deploy/postgres/10-roles.sh makes
    # them) and an empty storage.
    target = f"pulih_{uuid.uuid4().hex[:8]}"
    with _connect(owner, owner["NAME"]) as conn:
        conn.autocommit = True
        conn.execute(f'CREATE DATABASE "{target}"')
    try:
        storage = FileSystemStorage(location=tmp_path / "media-baru")
        restored = backup.pulihkan(folder, db={**owner, "NAME": target}, storage=storage)
        assert restored.berkas == made.berkas
        with _connect(owner, target) as conn:
            usulan = sorted(conn.execute("SELECT nomor, status FROM pengusulan_usulan").fetchall())
            dokumen = sorted(conn.execute("SELECT berkas, sha256 FROM pengusulan_dokumen").fetchall())
            surat = sorted(conn.execute("SELECT kode, berkas, sha256, ttd_sha256 FROM surat_versisurat").fetchall())
            ttd = conn.execute("SELECT ttd_berkas, ttd_sha256 FROM surat_versisurat WHERE ttd_berkas <> ''").fetchall()
            # pg_restore brings no planner statistics: the restore analyzed every table as the owner.
            unanalyzed = conn.execute(
                "SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NULL AND n_live_tup > 0"
            ).fetchall()
            assert unanalyzed == [] and conn.execute(
                "SELECT last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relname = 'pengusulan_usulan'"
            ).fetchone() == (True,)
        assert usulan == expected["usulan"] and dokumen == expected["dokumen"] and surat == expected["surat"]
        rows = dokumen + [(b, s) for _k, b, s, _t in surat] + ttd
        assert backup.periksa(storage, rows) == []  # every file present, sha256 equal
        # Row-level security came back with the schema: without a scope the app role sees nothing.
        app = {
            **owner,
            "USER": settings.DATABASES["default"]["USER"],
            "PASSWORD": settings.DATABASES["default"].get("PASSWORD"),
        }
        with psycopg.connect(dbname=target, user=app["USER"], host=app["HOST"] or None, port=app["PORT"] or None,
                             password=app["PASSWORD"] or None) as conn:  # fmt: skip
            assert conn.execute("SELECT count(*) FROM pengusulan_usulan").fetchone()[0] == 0
        # Restoring over data is refused: only into an empty database and storage.
        with pytest.raises(backup.BackupError, match=r"basis data tujuan .* tidak kosong"):
            backup.pulihkan(folder, db={**owner, "NAME": target}, storage=storage)
    finally:
        with _connect(owner, owner["NAME"]) as conn:
            conn.autocommit = True
            conn.execute(f'DROP DATABASE IF EXISTS "{target}" WITH (FORCE)')


def test_periksa_reports_missing_and_changed_files(tmp_path, pic_a):
    from io import StringIO

    storage = FileSystemStorage(location=tmp_path)
    storage.save("dokumen/a.pdf", SimpleUploadedFile("a.pdf", b"%PDF-1.4 a"))
    storage.save("dokumen/b.pdf", SimpleUploadedFile("b.pdf", b"%PDF-1.4 b"))
    import hashlib

    rows = [
        ("dokumen/a.pdf", hashlib.sha256(b"%PDF-1.4 a").hexdigest()),
        ("dokumen/b.pdf", hashlib.sha256(b"lain").hexdigest()),
        ("dokumen/c.pdf", "0" * 64),
    ]
    assert backup.periksa(storage, rows) == ["sha256 berbeda: dokumen/b.pdf", "hilang: dokumen/c.pdf"]
    out = StringIO()
    call_command("cadangan", "periksa", stdout=out)  # the live instance: no rows, nothing missing
    assert "cocok" in out.getvalue()
