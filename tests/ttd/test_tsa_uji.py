"""The stand-in TSA (apps.ttd.tsa_uji.PencapWaktu): the tokens of pyHanko's DummyTimeStamper,
byte for byte, from its constant parts encoded once; and a token fetched over HTTP validates
with pyHanko against the test CA."""

from __future__ import annotations

import asyncio
import hashlib
from datetime import UTC, datetime

import pytest
from asn1crypto import algos, tsp
from pyhanko.sign.timestamps import HTTPTimeStamper, dummy_client
from pyhanko.sign.validation.generic_cms import validate_tst_signed_data
from pyhanko.sign.validation.status import TimestampSignatureStatus

from apps.ttd.pades import konteks_validasi, muat_sertifikat_pem
from apps.ttd.tsa_uji import PencapWaktu, TSAUji, asn1_cert, asn1_key


def _permintaan(md: str, nonce: int | None) -> tsp.TimeStampReq:
    isi = {
        "version": "v1",
        "message_imprint": tsp.MessageImprint({
            "hash_algorithm": algos.DigestAlgorithm({"algorithm": md}),
            "hashed_message": hashlib.new(md, b"surat").digest(),
        }),
        "cert_req": True,
    }  # fmt: skip
    if nonce is not None:
        isi["nonce"] = nonce
    # as a client sends it: parsed from the wire
    return tsp.TimeStampReq.load(tsp.TimeStampReq(isi).dump())


@pytest.mark.parametrize(("md", "nonce"), [("sha256", 2**70 + 5), ("sha512", 17), ("sha256", None)])
def test_the_tsa_answers_with_the_dummy_timestampers_exact_bytes(ca, monkeypatch, md, nonce):
    waktu = datetime(2026, 8, 20, 3, 4, 5, 678901, tzinfo=UTC)
    cert, kunci, antara = asn1_cert(ca.tsa.cert), asn1_key(ca.tsa.key), [asn1_cert(ca.intermediate.cert)]
    monkeypatch.setattr(dummy_client, "get_nonce", lambda: 987654321987654321)
    acuan = dummy_client.DummyTimeStamper(tsa_cert=cert, tsa_key=kunci, certs_to_embed=antara, fixed_dt=waktu)
    req = _permintaan(md, nonce)

    jawaban = PencapWaktu(cert, kunci, antara).jawab(req, waktu=waktu, serial=987654321987654321)

    assert jawaban == acuan.request_tsa_response(req).dump()


def test_a_token_from_the_tsa_over_http_validates_with_pyhanko(ca):
    digest = hashlib.sha256(b"SK pengangkatan").digest()
    with TSAUji(ca) as tsa:
        token = asyncio.run(HTTPTimeStamper(tsa.url).async_timestamp(digest, "sha256"))
        assert tsa.jumlah == 1
    konteks = konteks_validasi(muat_sertifikat_pem(ca.root.cert_pem), muat_sertifikat_pem(ca.intermediate.cert_pem))

    status = TimestampSignatureStatus(
        **asyncio.run(validate_tst_signed_data(token["content"], konteks, lambda _md: digest))
    )

    assert status.intact and status.valid and status.trusted
    assert status.signing_cert.subject == asn1_cert(ca.tsa.cert).subject
    assert status.timestamp.year >= 2026


def test_a_token_for_other_bytes_does_not_validate(ca):
    with TSAUji(ca) as tsa:
        token = asyncio.run(HTTPTimeStamper(tsa.url).async_timestamp(hashlib.sha256(b"asli").digest(), "sha256"))
    konteks = konteks_validasi(muat_sertifikat_pem(ca.root.cert_pem), muat_sertifikat_pem(ca.intermediate.cert_pem))

    status = asyncio.run(
        validate_tst_signed_data(token["content"], konteks, lambda _md: hashlib.sha256(b"diubah").digest())
    )

    assert not status["intact"]
