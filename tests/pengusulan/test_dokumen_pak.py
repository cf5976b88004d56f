"""Where the atasan langsung signs the PAK (the default, Peraturan BKN 3/2023), the signed PAK is a
mandatory usulan document: no submission without it (issue 13 §5)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.pengusulan.models import Dokumen
from tests.pengusulan.conftest import ON

pytestmark = pytest.mark.django_db


def test_an_usulan_without_the_signed_pak_cannot_be_submitted(pic, usulan_lengkap):
    with tenancy.scope(pic.instansi):
        Dokumen.objects.filter(usulan=usulan_lengkap, persyaratan__kode="dokumen_pak").delete()
        with pytest.raises(ValidationError) as exc:
            pic_services.usulan_ajukan(actor=pic, usulan=usulan_lengkap, on=ON)
    assert (
        "Dokumen wajib belum diunggah: Penetapan angka kredit (PAK) yang ditandatangani atasan langsung."
        in exc.value.messages
    )
