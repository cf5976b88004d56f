"""File storage that never leaves a partial file, and a storage failure the user can read.

* :class:`AtomicFileSystemStorage` writes each file to a temporary name in the target folder and
  links it to its final name only once every byte is written and flushed: a full disk or a
  read-only mount leaves neither a truncated nor an empty file behind (Django's own
  ``FileSystemStorage`` writes in place and leaves what it had written).
* :class:`S3Storage` (django-storages) already stores an object whole or not at all; its errors
  are turned into the same exception.
* Both raise :class:`PenyimpananGagal` when the store refuses a write. The request's transaction
  rolls back (so there is no row without a file), and :class:`PenyimpananGagalMiddleware`
  answers a clear, translated 503 instead of a 500. The PDF worker retries with backoff.
"""

from __future__ import annotations

import contextlib
import os
import uuid

from django.core.files import locks
from django.core.files.storage import FileSystemStorage
from django.utils.translation import gettext as _


class PenyimpananGagal(OSError):
    """The file store refused a write (read-only, full, unreachable)."""

    @staticmethod
    def pesan() -> str:
        return _(
            "Penyimpanan berkas sedang bermasalah (penuh atau tidak dapat ditulis), sehingga berkas Anda "
            "tidak tersimpan. Data Anda tidak berubah; coba lagi dalam beberapa saat atau hubungi admin."
        )


class AtomicFileSystemStorage(FileSystemStorage):
    CHUNK = 64 * 1024

    def _tulis(self, fd: int, content) -> None:
        """Write every chunk of ``content`` to the open file ``fd``, then flush it to disk."""
        with os.fdopen(os.dup(fd), "wb", closefd=True) as fh:
            for chunk in content.chunks(self.CHUNK):
                fh.write(chunk if isinstance(chunk, bytes) else chunk.encode())
            fh.flush()
            os.fsync(fh.fileno())

    def _save(self, name, content):
        full_path = self.path(name)
        directory = os.path.dirname(full_path)
        tmp = os.path.join(directory, f".tmp-{uuid.uuid4().hex}")
        try:
            os.makedirs(directory, exist_ok=True)
            fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
            try:
                locks.lock(fd, locks.LOCK_EX)
                self._tulis(fd, content)
            finally:
                os.close(fd)
            while True:
                try:
                    os.link(tmp, full_path)  # never replaces an existing file
                    break
                except FileExistsError:
                    name = self.get_available_name(name)
                    full_path = self.path(name)
            if self.file_permissions_mode is not None:
                os.chmod(full_path, self.file_permissions_mode)
        except OSError as exc:
            raise PenyimpananGagal(exc.errno, f"{exc.strerror or exc}") from exc
        finally:
            with contextlib.suppress(FileNotFoundError, OSError):
                os.unlink(tmp)
        return str(name).replace("\\", "/")


try:  # django-storages is a runtime dependency; the import stays lazy for boto3's cost
    from storages.backends.s3 import S3Storage as _S3Storage
except ImportError:  # pragma: no cover
    _S3Storage = None

if _S3Storage is not None:

    class S3Storage(_S3Storage):
        def _save(self, name, content):
            from botocore.exceptions import BotoCoreError, ClientError

            try:
                return super()._save(name, content)
            except (BotoCoreError, ClientError) as exc:
                raise PenyimpananGagal(None, f"{type(exc).__name__}: {exc}") from exc


class PenyimpananGagalMiddleware:
    """A write the file store refused: a clear 503 (JSON under /api/), not a 500. The view's
    transaction has already rolled back."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, PenyimpananGagal):
            return None
        import logging

        from apps.core.middleware import jawaban_503

        logging.getLogger(__name__).error("storage refused a write: %s", exception)
        return jawaban_503(request, PenyimpananGagal.pesan(), coba_lagi_detik=60)
