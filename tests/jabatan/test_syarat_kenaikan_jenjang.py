"""A kenaikan jenjang usulan is checked against its own rules, never the inpassing's (issue 19
walk): the AK kumulatif against the next jenjang's threshold, the pangkat, the BUP of the jenjang
held, the time since the JF's TMT; the target jenjang shown as proposed; no formasi documents."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.urls import reverse

from apps.core import tenancy
from apps.jabatan import kenaikan
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan import selectors
from apps.pengusulan.services import UsulanError, usulan_ajukan
from apps.referensi.models import PersyaratanDokumen
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db

HARI = date(2026, 11, 30)


@pytest.fixture
def usulan_madya(instansi_a, pk, pic_pk):
    """Ahli Muda III/d since 2019, born 1969 (57: above the inpassing's 56, below the BUP 58),
    AK kumulatif 212,5 ≥ 200: proposed for Ahli Madya."""
    h = buat_pejabat(
        instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/d", tmt=date(2019, 3, 1),
        nip="196905122019031002", nama="Bambang Hartono", tanggal_lahir=date(1969, 5, 12),
    )  # fmt: skip
    with tenancy.scope(instansi_a):
        mutasi_tambah(
            h, JenisMutasi.KONVERSI, Decimal("212.50"), oleh=pic_pk, periode_mulai=date(2019, 3, 1),
            periode_selesai=date(2025, 12, 31), predikat="baik", keterangan="Konversi 2019–2025",
        )  # fmt: skip
        return kenaikan.kenaikan_jenjang_usulkan(actor=pic_pk, pejabat=h)


def test_the_usulan_page_shows_the_kenaikan_jenjang_rules_not_the_inpassing_ones(client, pic_pk, usulan_madya):
    client.force_login(pic_pk)
    # The time in the JF is counted to today: read on HARI (WIB), whatever day the suite runs.
    with time_machine.travel(datetime(HARI.year, HARI.month, HARI.day, 9, tzinfo=ZoneInfo("Asia/Jakarta")), tick=True):
        page = client.get(reverse("pengusulan:usulan_detail", args=[usulan_madya.pk]))
    html = " ".join(page.content.decode().split())
    assert "Jenjang yang diusulkan: <strong>Ahli Madya</strong>" in html
    assert "Ahli Muda</strong>" not in html
    assert "AK kumulatif 212,5" in html and "memenuhi ambang kenaikan jenjang ke Ahli Madya (200)" in html
    assert "Pangkat/golongan III/d memenuhi syarat kenaikan jenjang ke Ahli Madya" in html
    assert "belum mencapai batas usia pensiun 58 tahun jenjang Ahli Muda" in html
    assert "sejak TMT 1 Maret 2019: 7 tahun 8 bulan" in html
    for inpassing in ("56 tahun", "Pengalaman 0 bulan", "kurang dari 2 tahun"):
        assert inpassing not in html
    # No formasi documents: the instansi-level list (peta jabatan, penetapan formasi…) is not asked.
    with tenancy.scope(pic_pk.instansi):
        formasi = list(PersyaratanDokumen.objects.filter(jf=pk_of(usulan_madya), level="instansi", wajib=True))
        assert formasi, "the JF ships formasi documents"
        kurang = selectors.dokumen_wajib_kurang(usulan_madya)
    assert not {p.pk for p in formasi} & {p.pk for p in kurang}
    for p in formasi:
        assert p.nama not in html


def pk_of(usulan):
    return usulan.jf_id


def test_submission_refuses_the_bup_and_warns_of_a_pangkat_below_the_top_of_the_jenjang(client, pic_pk, usulan_madya):
    with tenancy.scope(pic_pk.instansi):
        h = usulan_madya.pejabat
        h.golongan_id = h.jenjang.golongan_min_id  # III/c: not yet the highest pangkat of Ahli Muda
        h.tanggal_lahir = date(1968, 5, 12)  # 58 on 12 May 2026: the BUP of Ahli Muda is reached
        h.save()
        with pytest.raises(UsulanError) as exc:
            usulan_ajukan(actor=pic_pk, usulan=usulan_madya, on=HARI)
    text = " ".join(exc.value.messages)
    # The pangkat is a warning for the verifier (no source makes it a hard rule), not a refusal.
    assert "Pangkat/golongan III/c" not in text
    client.force_login(pic_pk)
    html = " ".join(client.get(reverse("pengusulan:usulan_detail", args=[usulan_madya.pk])).content.decode().split())
    assert "kenaikan jenjang ke Ahli Madya memerlukan pangkat tertinggi jenjang Ahli Muda, paling rendah III/d" in html
    assert "batas usia pensiun 58 tahun jenjang Ahli Muda sudah tercapai (TMT pensiun 1 Juni 2026)" in text
    assert "56" not in text and "Pengalaman" not in text
    assert "Peta jabatan" not in text and "formasi" not in text.lower()
