"""Storage through django-storages against a real S3-compatible HTTP server (moto's server
mode, started here): private objects, no overwrite, short-lived signed URLs, for portfolio
uploads, generated letters and signed copies."""

from __future__ import annotations

import hashlib
import socket
import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.referensi.models import PersyaratanDokumen
from apps.surat.models import JenisSurat, Surat, VersiSurat
from tests.pdfs import valid_pdf
from tests.pengusulan.conftest import pdf_upload, pegawai_data, surat_pak
from tests.surat.conftest import PENANDATANGAN, TANGGAL, all_tenants, render_antrean, tandatangani_basah
from tests.verifikasi.conftest import as_user

BUCKET = "siaks-uji"
EXPIRE = 120


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    boto3.client(
        "s3", endpoint_url=endpoint, aws_access_key_id="uji", aws_secret_access_key="uji", region_name="us-east-1"
    ).create_bucket(Bucket=BUCKET)
    yield endpoint
    server.stop()


@pytest.fixture
def s3(s3_server, settings):
    """The production storage settings (siaks/settings/production.py), pointed at the test server."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": BUCKET, "endpoint_url": s3_server, "access_key": "uji", "secret_key": "uji",
                "region_name": "us-east-1", "default_acl": "private", "file_overwrite": False,
                "querystring_auth": True, "querystring_expire": EXPIRE, "signature_version": "s3v4",
                "addressing_style": "path",
            },
        },
    }  # fmt: skip
    client = boto3.client(
        "s3", endpoint_url=s3_server, aws_access_key_id="uji", aws_secret_access_key="uji", region_name="us-east-1"
    )
    return client


def _fetch(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback test server
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""


def _assert_private_and_signed(s3, redirect_url: str, key: str, expected: bytes):
    assert s3.get_object(Bucket=BUCKET, Key=key)["Body"].read() == expected
    grants = s3.get_object_acl(Bucket=BUCKET, Key=key)["Grants"]
    assert [g["Permission"] for g in grants] == ["FULL_CONTROL"]  # the owner only: no public grant
    status, body = _fetch(redirect_url)
    assert status == 200 and body == expected
    query = parse_qs(urlparse(redirect_url).query)
    assert int(query["X-Amz-Expires"][0]) == EXPIRE  # short-lived
    assert "attachment" in query["response-content-disposition"][0]
    unsigned = redirect_url.split("?")[0]
    assert _fetch(unsigned)[0] == 403  # the object itself is not public


def test_storage_does_not_overwrite(s3):
    first = default_storage.save("uji/sama.txt", ContentFile(b"pertama"))
    second = default_storage.save("uji/sama.txt", ContentFile(b"kedua"))
    assert first == "uji/sama.txt" and second != first
    assert s3.get_object(Bucket=BUCKET, Key=first)["Body"].read() == b"pertama"


def test_uploads_letters_and_signed_copies_live_in_private_s3(
    s3, client, diputuskan, staf, pk, instansi_a, ppk_pk, pic_pk
):
    # A portfolio document: upload, then download through the permission-checked view.
    with tenancy.scope(instansi_a):
        pegawai = pic_services.pegawai_create(actor=pic_pk, data=pegawai_data(nip="19900101 201501 1 009"))
        usulan = pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk)
        p = PersyaratanDokumen.objects.filter(jf=pk, level="usulan").first()
        dokumen = pic_services.dokumen_upload(
            actor=pic_pk, jf=pk, persyaratan=p, upload=pdf_upload(), usulan=usulan, **surat_pak(p)
        )
    client.force_login(pic_pk)
    response = client.get(reverse("pengusulan:dokumen_unduh", args=[dokumen.pk]))
    assert response.status_code == 302
    _assert_private_and_signed(s3, response.url, dokumen.berkas.name, valid_pdf())

    # A letter rendered by the worker goes to the bucket too; the sha256 is of the stored object.
    lulus, _t, _s = diputuskan(1, 0)
    with as_user(staf["admin"]):
        from apps.surat import services

        surat = services.rekomendasi_terbitkan(
            actor=staf["admin"], jf=pk, instansi_id=instansi_a.pk, tanggal=TANGGAL,
            penandatangan=PENANDATANGAN,
        )  # fmt: skip
    render_antrean()
    with all_tenants():
        versi = VersiSurat.objects.get(surat=surat)
    stored = s3.get_object(Bucket=BUCKET, Key=versi.berkas.name)["Body"].read()
    assert hashlib.sha256(stored).hexdigest() == versi.sha256 and stored.startswith(b"%PDF-")
    client.force_login(ppk_pk)
    response = client.get(reverse("surat:unduh", args=[versi.pk]))
    assert response.status_code == 302
    _assert_private_and_signed(s3, response.url, versi.berkas.name, stored)
    tandatangani_basah(surat, staf["admin"])  # an SK waits for its signed rekomendasi

    # The PPK's signed copy.
    with as_user(ppk_pk):
        sk = services.sk_terbitkan(
            actor=ppk_pk, usulan_ids=[lulus[0].pk], tanggal=surat.tanggal, tmt=surat.tanggal,
            penandatangan=PENANDATANGAN,
        )[0]  # fmt: skip
    render_antrean()
    with all_tenants():
        sk_versi = VersiSurat.objects.get(surat=sk)
        assert Surat.objects.get(pk=sk.pk).jenis == JenisSurat.SK
    from django.core.files.uploadedfile import SimpleUploadedFile

    with as_user(ppk_pk):
        services.ttd_unggah(actor=ppk_pk, versi=sk_versi, upload=SimpleUploadedFile("ttd.pdf", valid_pdf(padding=5319)))
    with all_tenants():
        sk_versi.refresh_from_db()
    response = client.get(reverse("surat:unduh_ttd", args=[sk_versi.pk]))
    _assert_private_and_signed(s3, response.url, sk_versi.ttd_berkas.name, valid_pdf(padding=5319))
