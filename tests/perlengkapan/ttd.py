"""Signing material every directory may use (see tests/perlengkapan/__init__.py): the test CA
and a signer made by it (``penanda``, for signing a PDF directly with apps.ttd.pades)."""

from __future__ import annotations

import pytest

from apps.ttd.ca_uji import CAUji


@pytest.fixture(scope="session")
def ca():
    return CAUji.buat()


@pytest.fixture
def penanda(ca):
    from pyhanko.sign import signers

    identitas = ca.pejabat("Penguji Letak", nip="199001012015031001")
    return signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(b"x"), [], passphrase=b"x")
