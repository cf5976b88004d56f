"""bench/sk_1000.py issues its SKs from a stand-in usulan: the stand-in carries every field the SK's
content reads (it lacked ``jenis`` once the SK kenaikan jenjang came, and the benchmark crashed
before rendering anything). One letter issued here through the script's own ``issue``; the timing
itself is the benchmark's business, never a test's."""

from __future__ import annotations

import importlib
import sys
from pathlib import Path

import pytest

from apps.core import tenancy
from apps.core.models import Instansi
from apps.referensi.models import Jenjang
from apps.surat.models import JenisSurat, Surat, VersiSurat

pytestmark = pytest.mark.django_db

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_the_sk_benchmark_issues_its_letters(pk, monkeypatch):
    monkeypatch.syspath_prepend(str(BENCH))
    sk_1000 = importlib.import_module("sk_1000")
    try:
        instansi = Instansi.objects.create(kode="KEMENHUB", nama="Kementerian Perhubungan", jenis="kementerian")
        sk_1000.issue(instansi, pk, Jenjang.objects.get(jf=pk, kode="ahli_muda"), 2, 0)
        with tenancy.all_tenants(reason="test"):
            surat = list(Surat.objects.filter(penerbit=instansi).order_by("id"))
            assert [s.jenis for s in surat] == [JenisSurat.SK, JenisSurat.SK]
            isi = VersiSurat.objects.get(surat=surat[0]).isi
        assert isi["pegawai"][0]["nama"] == "Pegawai Uji 0, S.E." and "Mengangkat" in isi["diktum"][0]["teks"]
    finally:
        sys.modules.pop("sk_1000", None)
