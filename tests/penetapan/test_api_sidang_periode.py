"""The REST API of issue 19's sidang penetapan AK, the JF's periods and the kenaikan jenjang
proposal: through the same services as the pages, refusals as 400 with their Indonesian
message, another tenant's object a 404."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.penetapan.models import PeriodePenetapan, SidangAK, UsulanPenetapanAK
from apps.pengusulan.models import Usulan
from tests.penetapan.conftest import PYB, buat_pejabat, ke_penilaian, nilai_ak

pytestmark = pytest.mark.django_db


def _api(user) -> APIClient:
    from apps.accounts import token

    client = APIClient()
    _row, key = token.terbitkan(user, dua_langkah=False)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


SEED_001_I = {
    "kode": "I", "nama": "Periode I", "bulan_pengajuan": 10, "hari_mulai": 1, "hari_selesai": 7, "bulan_pak": 1,
    "bulan_kenaikan_pangkat": 4, "aktif": True, "sumber": "Seed 001 BAB IV C",
}  # fmt: skip


def test_the_admin_pembina_configures_the_jfs_periods_through_the_api(referensi, admin_lan, admin_setneg, pic_kab):
    jfak, aks = referensi["analis-kebijakan"], referensi["aks"]
    api = _api(admin_lan)
    r = api.post("/api/v1/penetapan/periode/", {**SEED_001_I, "jf": jfak.kode}, format="json")
    assert r.status_code == 201, r.content
    p = PeriodePenetapan.objects.get(jf=jfak, kode="I")
    assert r.json()["id"] == p.pk and r.json()["jf"] == jfak.kode
    assert (p.bulan_pengajuan, p.hari_mulai, p.hari_selesai, p.bulan_pak, p.bulan_kenaikan_pangkat) == (10, 1, 7, 1, 4)
    assert [x["kode"] for x in api.get("/api/v1/penetapan/periode/").json()["results"]] == ["I"]
    # The same code twice: the service's refusal, in Indonesian, nothing added.
    r = api.post("/api/v1/penetapan/periode/", {**SEED_001_I, "jf": jfak.kode}, format="json")
    assert r.status_code == 400 and "sudah dipakai" in r.json()["kode"][0]
    assert PeriodePenetapan.objects.filter(jf=jfak).count() == 1
    # Edit: a partial update keeps the rest; a closing day before the opening day is a 400.
    r = api.patch(f"/api/v1/penetapan/periode/{p.pk}/", {"hari_selesai": 8}, format="json")
    assert r.status_code == 200 and r.json()["hari_selesai"] == 8
    assert PeriodePenetapan.objects.get(pk=p.pk).hari_selesai == 8
    r = api.patch(f"/api/v1/penetapan/periode/{p.pk}/", {"hari_mulai": 9}, format="json")
    assert r.status_code == 400 and r.json()["hari_selesai"] == ["Tanggal tutup tidak boleh sebelum tanggal buka."]
    r = api.patch(f"/api/v1/penetapan/periode/{p.pk}/", {"bulan_pak": 13}, format="json")
    assert r.status_code == 400 and PeriodePenetapan.objects.get(pk=p.pk).bulan_pak == 1
    # Another pembina's JF is not a choice.
    r = api.post("/api/v1/penetapan/periode/", {**SEED_001_I, "jf": aks.kode}, format="json")
    assert r.status_code == 400 and not PeriodePenetapan.objects.filter(jf=aks).exists()
    # Another pembina's admin: the period is not found; a PIC: refused as on the page.
    other = _api(admin_setneg)
    assert other.get(f"/api/v1/penetapan/periode/{p.pk}/").status_code == 404
    assert other.patch(f"/api/v1/penetapan/periode/{p.pk}/", {"hari_selesai": 5}, format="json").status_code == 404
    assert PeriodePenetapan.objects.get(pk=p.pk).hari_selesai == 8
    assert _api(pic_kab).get("/api/v1/penetapan/periode/").status_code == 403
    assert _api(pic_kab).post("/api/v1/penetapan/periode/", {**SEED_001_I, "jf": jfak.kode},
                              format="json").status_code == 403  # fmt: skip


def test_the_sekretariat_opens_and_the_ketua_decides_the_sidang_through_the_api(pic_kab, pic_kab2, ani, budi, tim_prov):
    ua = ke_penilaian(pic_kab, ani, tim_prov)
    ub = ke_penilaian(pic_kab, budi, tim_prov)
    for a in tim_prov["anggota"][:3]:  # 3 of 5: short of ⌈2/3⌉ = 4
        nilai_ak(a, ua)
        nilai_ak(a, ub)
    stp, ketua = tim_prov["sekretariat"], tim_prov["anggota"][0]
    body = {"tim": tim_prov["tim"].pk, "tanggal": str(timezone.localdate()), "tempat": "Semarang",
            "usulan": [ua.pk, ub.pk]}  # fmt: skip
    # Only the team's sekretariat opens it; the quorum of assessments first.
    assert _api(ketua.user).post("/api/v1/penetapan/sidang/", body, format="json").status_code == 403
    r = _api(stp).post("/api/v1/penetapan/sidang/", body, format="json")
    assert r.status_code == 400 and "paling sedikit 2/3 anggota tim telah menilai" in r.json()["non_field_errors"][0]
    with tenancy.all_tenants(reason="test assertion"):
        assert not SidangAK.objects.exists()
    for u in (ua, ub):
        nilai_ak(tim_prov["anggota"][3], u)
    r = _api(stp).post("/api/v1/penetapan/sidang/", {**body, "tim": tim_prov["tim"].pk + 999}, format="json")
    assert r.status_code == 400 and "tim" in r.json()
    r = _api(stp).post("/api/v1/penetapan/sidang/", body, format="json")
    assert r.status_code == 201, r.content
    sid = r.json()["id"]
    assert r.json()["status"] == "dibuka" and r.json()["tempat"] == "Semarang"
    assert sorted(u["status"] for u in r.json()["usulan"]) == ["sidang", "sidang"]
    assert [s["id"] for s in _api(ketua.user).get("/api/v1/penetapan/sidang/").json()["results"]] == [sid]
    # Not a team of theirs: not found.
    for outsider in (pic_kab, pic_kab2):
        assert _api(outsider).get(f"/api/v1/penetapan/sidang/{sid}/").status_code == 404
        assert _api(outsider).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", {}, format="json").status_code == 404
    putus = {"pyb_nama": PYB[0], "pyb_jabatan": PYB[1], "pyb_nip": PYB[2], "ttd_manual": True}
    hadir = [a.pk for a in tim_prov["anggota"][:5]]
    # Only the ketua decides; a member gets 403, three attending of five is no quorum (400).
    anggota = _api(tim_prov["anggota"][2].user)
    r = anggota.post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", {**putus, "hadir": hadir}, format="json")
    assert r.status_code == 403
    r = _api(ketua.user).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", {**putus, "hadir": hadir[:3]},
                              format="json")  # fmt: skip
    assert r.status_code == 400 and "dihadiri paling sedikit 2/3 anggota" in r.json()["non_field_errors"][0]
    # No registered signing official at the team's instansi: the hand signature must be stated.
    r = _api(ketua.user).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/",
                              {**putus, "ttd_manual": False, "hadir": hadir}, format="json")  # fmt: skip
    assert r.status_code == 400 and "ttd_manual" in r.json()
    with tenancy.all_tenants(reason="test assertion"):
        assert SidangAK.objects.get(pk=sid).status == "dibuka"
    r = _api(ketua.user).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", {**putus, "hadir": hadir}, format="json")
    assert r.status_code == 200, r.content
    assert r.json()["status"] != "dibuka" and sorted(r.json()["hadir"]) == sorted(hadir)
    with tenancy.all_tenants(reason="test assertion"):
        hasil = dict(UsulanPenetapanAK.objects.filter(pk__in=[ua.pk, ub.pk]).values_list("pejabat_nama", "hasil"))
    assert hasil == {ani.nama: "hapak", budi.nama: "pak"}
    assert {u["pejabat_nama"]: u["hasil"] for u in r.json()["usulan"]} == hasil
    r = _api(ketua.user).post(f"/api/v1/penetapan/sidang/{sid}/putuskan/", {**putus, "hadir": hadir}, format="json")
    assert r.status_code == 400 and "sudah diputuskan" in r.json()["non_field_errors"][0]


def test_kenaikan_jenjang_is_proposed_through_the_api(pic_kab, pic_kab2, kab, jfak):
    kurang = buat_pejabat(kab, jfak, nip="198001012005011002", nama="Citra", ak_awal=Decimal("40"))
    r = _api(pic_kab).post(f"/api/v1/pejabat-fungsional/{kurang.pk}/kenaikan-jenjang/")
    assert r.status_code == 400 and "belum memenuhi ambang kenaikan jenjang" in r.json()["non_field_errors"][0]
    with tenancy.scope(kab):
        assert not Usulan.objects.filter(jenis="kenaikan_jenjang").exists()
    cukup = buat_pejabat(kab, jfak, nip="198001012005011003", nama="Dewi", ak_awal=Decimal("400"))
    assert _api(pic_kab2).post(f"/api/v1/pejabat-fungsional/{cukup.pk}/kenaikan-jenjang/").status_code == 404
    r = _api(pic_kab).post(f"/api/v1/pejabat-fungsional/{cukup.pk}/kenaikan-jenjang/")
    assert r.status_code == 201, r.content
    assert (r.json()["jenis"], r.json()["status"], r.json()["jenjang"]) == ("kenaikan_jenjang", "draft", "ahli_muda")
    with tenancy.scope(kab):
        assert Usulan.objects.get(pk=r.json()["id"]).pejabat_id == cukup.pk
    # A repeated request returns the live usulan.
    assert _api(pic_kab).post(f"/api/v1/pejabat-fungsional/{cukup.pk}/kenaikan-jenjang/").json()["id"] == r.json()["id"]


def test_the_pic_forms_a_tim_penilai_and_its_sekretariat_through_the_api(jfak, kab, pic_kab, pic_kab2, ppk_a):
    from datetime import date

    from apps.penetapan.models import AnggotaTimAK, SekretariatTimAK, TimPenilaiAK
    from tests.factories import UserFactory

    penilai = [UserFactory(username=f"penilai.bms.{i}", nama_lengkap=f"Penilai {i}", instansi=kab,
                           roles=["penilai_ak"]) for i in range(3)]  # fmt: skip
    stp = [UserFactory(username=f"stp.bms.{i}", instansi=kab, roles=["sekretariat_tim"]) for i in range(2)]
    asing = UserFactory(username="penilai.lain", instansi=pic_kab2.instansi, roles=["penilai_ak"])
    api = _api(pic_kab)
    calon = api.get("/api/v1/penetapan/tim/calon/").json()
    assert [c["id"] for c in calon["penilai"]] == [u.pk for u in penilai]
    assert sorted(c["id"] for c in calon["sekretariat"]) == sorted(u.pk for u in stp)
    anggota = [{"user": penilai[0].pk, "peran": "ketua", "bersertifikat": True},
               {"user": penilai[1].pk, "peran": "sekretaris", "bersertifikat": True},
               {"user": penilai[2].pk, "peran": "anggota"}]  # fmt: skip
    body = {"jf": jfak.kode, "nama": "Tim Penilai Kabupaten Banyumas", "nomor_sk": "800/12/2026",
            "masa_mulai": "2027-01-01", "anggota": anggota, "sekretariat": [stp[0].pk]}  # fmt: skip
    # Another instansi's account is not a candidate; every broken rule of the service at once.
    r = api.post("/api/v1/penetapan/tim/", {**body, "anggota": [*anggota, {"user": asing.pk, "peran": "anggota"}]},
                 format="json")  # fmt: skip
    assert r.status_code == 400 and "bukan calon dari instansi Anda" in r.json()["anggota"][0]
    r = api.post("/api/v1/penetapan/tim/", {**body, "anggota": anggota[1:], "nama": " "}, format="json")
    assert r.status_code == 400
    with tenancy.scope(kab):
        assert not TimPenilaiAK.objects.exists()
    r = api.post("/api/v1/penetapan/tim/", body, format="json")
    assert r.status_code == 201, r.content
    tim_id = r.json()["id"]
    assert (r.json()["tingkat"], r.json()["masa_selesai"], r.json()["dikelola"]) == (
        "kabupaten_kota",
        "2029-12-31",
        True,
    )
    assert {(a["user"], a["peran"], a["bersertifikat"]) for a in r.json()["anggota"]} == {
        (penilai[0].pk, "ketua", True),
        (penilai[1].pk, "sekretaris", True),
        (penilai[2].pk, "anggota", False),
    }
    assert [(s["user"], s["masa_mulai"], s["masa_selesai"]) for s in r.json()["sekretariat"]] == [
        (stp[0].pk, "2027-01-01", "2027-12-31")]  # fmt: skip
    with tenancy.scope(kab):
        assert AnggotaTimAK.objects.filter(tim_id=tim_id).count() == 3
    assert [t["id"] for t in api.get("/api/v1/penetapan/tim/").json()["results"]] == [tim_id]
    # A new sekretariat term: overlapping the same person is refused with the service's reason.
    url = f"/api/v1/penetapan/tim/{tim_id}/sekretariat/"
    r = api.post(url, {"mulai": "2027-06-01", "sekretariat": [stp[0].pk]}, format="json")
    assert r.status_code == 400 and "sudah menjadi sekretariat tim ini" in r.json()["non_field_errors"][0]
    r = api.post(url, {"mulai": "2028-01-01", "sekretariat": [stp[0].pk, stp[1].pk]}, format="json")
    assert r.status_code == 200
    with tenancy.scope(kab):
        rows = set(SekretariatTimAK.objects.filter(tim_id=tim_id, masa_mulai=date(2028, 1, 1)).values_list(
            "user_id", "masa_selesai"))  # fmt: skip
    assert rows == {(stp[0].pk, date(2028, 12, 31)), (stp[1].pk, date(2028, 12, 31))}
    # Another kabupaten's PIC: not found; not a team former (a PPK): not found, as the pages.
    other = _api(pic_kab2)
    assert other.get(f"/api/v1/penetapan/tim/{tim_id}/").status_code == 404
    assert other.post(url, {"mulai": "2029-01-01", "sekretariat": [stp[1].pk]}, format="json").status_code == 404
    assert other.get("/api/v1/penetapan/tim/").json()["results"] == []
    assert _api(ppk_a).get("/api/v1/penetapan/tim/").status_code == 404
