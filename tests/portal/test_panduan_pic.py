"""The PIC's guide promises only letters the PIC can open (fresh-eye finding 11): the berita acara
sidang names and is signed by the Tim Penilai, whose names are hidden from the instansi pengguna
(timeline privacy), so the PIC's usulan page does not list it (``surat.selectors._condition``
excludes both berita acara kinds for PIC and PPK; tests/verifikasi/test_lingkup_jf.py keeps the
team's records from them) and the guide no longer says it does."""

from __future__ import annotations

from pathlib import Path

import pytest

PANDUAN = Path(__file__).resolve().parents[2] / "docs" / "panduan-pic.md"


def test_the_guide_lists_the_letters_the_pic_sees_and_says_why_not_the_berita_acara():
    text = " ".join(PANDUAN.read_text().split())
    assert "mencantumkan **surat-suratnya** (rekomendasi, SK)" in text
    assert "(berita acara, rekomendasi, SK)" not in text
    assert "Berita acara sidang adalah arsip internal instansi pembina" in text


@pytest.mark.django_db
def test_the_pic_is_not_given_the_berita_acara(pic_a):
    from apps.core import tenancy
    from apps.surat.selectors import _condition

    with tenancy.scope(pic_a.instansi):  # as in a request: the condition reads the PIC's own chains
        condition = str(_condition(pic_a))
    assert "NOT" in condition and "JenisSurat.BERITA_ACARA," in condition
