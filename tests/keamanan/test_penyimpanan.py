"""Storage failures (issue 18, item 10): a read-only or full media store gives the user a clear
message (503, translated), leaves no partial or empty file, and no row without a file; the PDF
worker retries instead of failing the letter."""

from __future__ import annotations

import errno
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.test import Client

from apps.core import tenancy
from apps.core.storage import AtomicFileSystemStorage, PenyimpananGagal
from apps.pengusulan import services
from apps.pengusulan.models import Dokumen
from apps.referensi.models import PersyaratanDokumen
from apps.surat.models import VersiSurat
from apps.surat.tasks import render
from tests.pengusulan.conftest import pdf_upload, pegawai_data
from tests.surat.conftest import versi_sk_antre

pytestmark = pytest.mark.django_db


class PenuhStorage(AtomicFileSystemStorage):
    """The disk fills up after the first 1,000 bytes of a file."""

    def _tulis(self, fd, content):
        import os

        data = b"".join(content.chunks())
        os.write(fd, data[:1000])
        raise OSError(errno.ENOSPC, "No space left on device")


class ReadOnlyStorage(AtomicFileSystemStorage):
    def _tulis(self, fd, content):
        raise OSError(errno.EROFS, "Read-only file system")


class DjangoPenuhStorage(FileSystemStorage):
    """What Django's own storage does on a full disk: the partial file stays."""

    def _save(self, name, content):
        full = Path(self.path(name))
        full.parent.mkdir(parents=True, exist_ok=True)
        full.write_bytes(b"%PDF-1.7 truncated")
        raise OSError(errno.ENOSPC, "No space left on device")


def _files(root) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


@pytest.fixture
def store(settings, tmp_path):
    def use(backend):
        settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": f"{__name__}.{backend}",
                                                               "OPTIONS": {"location": str(tmp_path)}}}  # fmt: skip
        return tmp_path

    return use


@pytest.fixture
def usulan(referensi, pic_a):
    with tenancy.scope(pic_a.instansi):
        pegawai = services.pegawai_create(actor=pic_a, data=pegawai_data())
        return services.usulan_create(actor=pic_a, pegawai=pegawai, jf=referensi["aks"])


@pytest.mark.parametrize("backend", ["PenuhStorage", "ReadOnlyStorage"])
def test_an_upload_to_a_failing_store_is_a_clear_503_with_no_debris(store, backend, usulan, pic_a):
    root = store(backend)
    client = Client(raise_request_exception=False)
    client.force_login(pic_a)
    response = client.post(f"/api/v1/usulan/{usulan.pk}/dokumen/", {"persyaratan": "sk_cpns", "berkas": pdf_upload()})
    assert response.status_code == 503 and response["Retry-After"] == "60"
    assert "Penyimpanan berkas sedang bermasalah" in response.json()["detail"]
    # the page: the same message on the usulan page, the rest of the page works
    sk = PersyaratanDokumen.objects.get(jf=usulan.jf, kode="sk_cpns")
    page = client.post(f"/usulan/{usulan.pk}/dokumen/{sk.pk}/unggah/", {"berkas": pdf_upload()}, follow=True)
    assert page.status_code == 200
    assert "Penyimpanan berkas sedang bermasalah" in page.content.decode()
    with tenancy.scope(pic_a.instansi):
        assert not Dokumen.objects.exists()  # no row without a file
    assert _files(root) == []  # no truncated, empty or temporary file


def test_the_atomic_store_leaves_nothing_where_djangos_own_left_a_truncated_file(store):
    root = store("DjangoPenuhStorage")
    with pytest.raises(OSError):
        default_storage.save("a/b.pdf", ContentFile(b"x" * 5000))
    assert [p.name for p in _files(root)] == ["b.pdf"]  # the fault: a truncated file stays
    Path(root, "a", "b.pdf").unlink()
    store("PenuhStorage")
    with pytest.raises(PenyimpananGagal):
        default_storage.save("a/b.pdf", ContentFile(b"x" * 5000))
    assert _files(root) == []


def test_the_atomic_store_writes_whole_files_and_never_overwrites(store):
    root = store("AtomicFileSystemStorage")
    first = default_storage.save("d/x.pdf", ContentFile(b"1" * 100_000))
    second = default_storage.save("d/x.pdf", ContentFile(b"2" * 10))
    assert first == "d/x.pdf" and second != first
    assert Path(root, first).read_bytes() == b"1" * 100_000 and Path(root, second).read_bytes() == b"2" * 10
    assert len(_files(root)) == 2  # no temporary file left


@pytest.mark.django_db(transaction=True)
def test_a_letter_rendered_onto_a_full_store_is_retried_not_failed(store, referensi, instansi_a):
    root = store("PenuhStorage")
    versi = versi_sk_antre(instansi_a, referensi["aks"])
    # Eagerly, Celery runs each retry at once: all 1 + max_retries attempts happen here; a worker
    # would space them out with backoff (5 s, 10 s, …) and the sweep re-queues after that.
    result = render.apply(kwargs={"versi_id": versi.pk})
    assert isinstance(result.result, PenyimpananGagal)
    with tenancy.all_tenants(reason="test"):
        versi.refresh_from_db()
    assert versi.percobaan == 1 + render.max_retries  # retried, never marked failed on a full disk
    # waiting for its next try (not "diproses", which the sweep would take for a dead worker's)
    assert versi.status == VersiSurat.Status.ANTREAN and not versi.berkas and versi.galat == ""
    assert _files(root) == []
