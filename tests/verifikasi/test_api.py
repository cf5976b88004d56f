from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.pengusulan.models import Usulan
from apps.referensi.models import Kompetensi, PersyaratanDokumen
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def client_for(user):
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_the_pembina_journey_through_the_api(diajukan, staf):
    usulan = diajukan(3)
    v = client_for(staf["verifikator"])
    first = v.get("/api/v1/pembina/usulan/", {"page_size": 2}).json()
    assert len(first["results"]) == 2 and "cursor=" in first["next"]
    second = v.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert {r["id"] for r in first["results"] + second["results"]} == {u.pk for u in usulan}
    listed = v.get("/api/v1/pembina/usulan/").json()["results"]
    assert [r["id"] for r in listed] == [u.pk for u in sorted(usulan, key=lambda u: (u.diajukan_at, u.pk))]
    target = usulan[0]
    assert v.post(f"/api/v1/pembina/usulan/{target.pk}/mulai/").json()["status"] == "verifikasi"
    hasil = [
        {"persyaratan": p.pk, "sesuai": True}
        for p in PersyaratanDokumen.objects.untuk_usulan(target.jf_id, target.jenis).filter(wajib=True)
    ]
    refused = v.post(f"/api/v1/pembina/usulan/{target.pk}/pemeriksaan/", {"keputusan": "tidak_memenuhi"}, format="json")
    assert refused.status_code == 400 and "Tuliskan alasan" in refused.json()["non_field_errors"][0]
    done = v.post(
        f"/api/v1/pembina/usulan/{target.pk}/pemeriksaan/", {"hasil": hasil, "keputusan": "memenuhi"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "lulus_administrasi"

    admin = client_for(staf["admin"])
    tim = admin.post(
        "/api/v1/pembina/tim/",
        {
            "jf": "pengantar-kerja",
            "nama": "Tim API",
            "periode_mulai": "2026-01-01",
            "periode_selesai": "2028-12-31",
            "anggota": [
                {"user": staf["ketua"].pk, "peran": "ketua", "bersertifikat": True, "golongan": "IV/a"},
                {"user": staf["penilai1"].pk, "peran": "sekretaris", "bersertifikat": True, "golongan": "IV/a"},
                {"user": staf["penilai2"].pk, "peran": "anggota", "golongan": "IV/a"},
            ],
        },
        format="json",
    )
    assert tim.status_code == 201, tim.json()
    bad_team = admin.post(
        "/api/v1/pembina/tim/",
        {
            **tim.json(),
            "jf": "pengantar-kerja",
            "anggota": [
                {"user": staf["ketua"].pk, "peran": "ketua"},
                {"user": staf["penilai1"].pk, "peran": "sekretaris"},
            ],
        },
        format="json",
    )
    assert bad_team.status_code == 400 and any("ganjil" in m for m in bad_team.json()["non_field_errors"])
    tim_id = tim.json()["id"]
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    assigned = admin.post(
        f"/api/v1/pembina/tim/{tim_id}/tugaskan/",
        {"usulan": [target.pk], "penilai": [m.pk for m in members]},
        format="json",
    )
    assert assigned.json() == {"ditugaskan": 3}

    with tenancy.all_tenants(reason="test"):
        jenjang_id = Usulan.objects.get(pk=target.pk).jenjang_id
    standar = [
        {"kompetensi": k.pk, "level": k.level, "bukti": "ok"} for k in Kompetensi.objects.filter(jenjang_id=jenjang_id)
    ]
    for m in members:
        c = client_for(m)
        mine = c.get("/api/v1/pembina/penugasan/").json()["results"]
        assert [p["usulan"]["id"] for p in mine] == [target.pk]
        pid = mine[0]["id"]
        early = c.post(f"/api/v1/pembina/penugasan/{pid}/nilai/", {"nilai": standar}, format="json")
        assert early.status_code == 400
        c.post(f"/api/v1/pembina/penugasan/{pid}/bebas-konflik/")
        sent = c.post(
            f"/api/v1/pembina/penugasan/{pid}/nilai/",
            {"nilai": standar, "rekomendasi": "lulus", "kirim": True},
            format="json",
        )
        assert sent.json()["selesai_at"] is not None

    ketua = client_for(staf["ketua"])
    tanpa_tempat = ketua.post(
        f"/api/v1/pembina/tim/{tim_id}/sidang/", {"usulan": [target.pk], "tanggal": "2026-07-01"}, format="json"
    )
    assert tanpa_tempat.status_code == 400
    assert tanpa_tempat.json()["tempat"] == ["Isi tempat sidang; berita acara mencantumkannya."]
    sidang = ketua.post(
        f"/api/v1/pembina/tim/{tim_id}/sidang/",
        {"usulan": [target.pk], "tanggal": "2026-07-01", "tempat": "Ruang Rapat Lt. 2"},
        format="json",
    )
    sid = sidang.json()["sidang"]
    short = ketua.post(
        f"/api/v1/pembina/sidang/{sid}/putuskan/",
        {"hadir": [staf["ketua"].pk], "keputusan": [{"usulan": target.pk, "hasil": "lulus"}]},
        format="json",
    )
    assert short.status_code == 400 and "Kuorum tidak tercapai" in short.json()["non_field_errors"][0]
    ok = ketua.post(
        f"/api/v1/pembina/sidang/{sid}/putuskan/",
        {"hadir": [staf["ketua"].pk, staf["penilai1"].pk], "keputusan": [{"usulan": target.pk, "hasil": "lulus"}]},
        format="json",
    )
    assert ok.status_code == 200 and ok.json()["berita_acara"]["kuorum"] == {"hadir": 2, "anggota": 3}
    assert v.get(f"/api/v1/pembina/usulan/{target.pk}/").json()["status"] == "lulus"


def test_pembina_api_routes_are_404_outside_the_jf(diajukan, staf, referensi):
    usulan = diajukan(1)[0]
    lan = referensi["analis-kebijakan"].instansi_pembina
    outsider = client_for(
        UserFactory(username="api.lan", instansi=lan, roles=["verifikator", "admin_pembina", "ketua_tim"])
    )
    assert outsider.get(f"/api/v1/pembina/usulan/{usulan.pk}/").status_code == 404
    assert outsider.post(f"/api/v1/pembina/usulan/{usulan.pk}/mulai/").status_code == 404
    assert outsider.post(f"/api/v1/pembina/usulan/{usulan.pk}/pemeriksaan/", {}, format="json").status_code == 404
    assert outsider.get("/api/v1/pembina/usulan/").json()["results"] == []
    pic = client_for(UserFactory(username="api.pic", instansi=usulan.instansi, roles=["pic_instansi"]))
    assert pic.get("/api/v1/pembina/usulan/").status_code == 403


def test_a_penilai_reaches_only_his_or_her_assignments(diajukan, staf):

    from apps.verifikasi import services
    from tests.verifikasi.conftest import as_user, bentuk_tim

    usulan = diajukan(1)[0]
    with as_user(staf["verifikator"]):
        services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=usulan)
        hasil = {
            p.pk: (True, "")
            for p in PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).filter(wajib=True)
        }
        services.pemeriksaan_catat_dokumen(actor=staf["verifikator"], usulan=usulan, hasil=hasil)
        services.pemeriksaan_putuskan(actor=staf["verifikator"], usulan=usulan, keputusan="memenuhi")
    tim = bentuk_tim(staf, usulan.jf, nama="T")
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["penilai1"]])
    mine = client_for(staf["penilai1"]).get("/api/v1/pembina/penugasan/").json()["results"]
    assert len(mine) == 1
    other = client_for(staf["penilai2"])
    assert other.get("/api/v1/pembina/penugasan/").json()["results"] == []
    assert other.get(f"/api/v1/pembina/penugasan/{mine[0]['id']}/").status_code == 404
    assert other.post(f"/api/v1/pembina/penugasan/{mine[0]['id']}/bebas-konflik/").status_code == 404
    assert other.get(f"/api/v1/pembina/usulan/{usulan.pk}/").status_code == 403  # a penilai has no inbox


def test_forming_a_team_never_names_users_the_caller_cannot_see(staf, instansi_a, referensi):
    """Issue 15, finding 6: anggota = every user id returned every user's full name on the
    platform. Only the own instansi's accounts are named; any other id is "tidak ditemukan"."""
    from apps.accounts.models import User

    UserFactory(username="pic.rahasia", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Nama Rahasia Sekali")
    UserFactory(
        username="penilai.lan", instansi=referensi["analis-kebijakan"].instansi_pembina, roles=["penilai"],
        nama_lengkap="Penilai Instansi Lain",
    )  # fmt: skip
    all_ids = list(User.objects.values_list("pk", flat=True))
    response = client_for(staf["admin"]).post(
        "/api/v1/pembina/tim/",
        {
            "jf": "pengantar-kerja", "nama": "Tim", "periode_mulai": "2026-01-01", "periode_selesai": "2028-12-31",
            "anggota": [{"user": i, "peran": "anggota"} for i in all_ids],
        },
        format="json",
    )  # fmt: skip
    assert response.status_code == 400
    text = response.content.decode()
    own = set(User.objects.filter(memberships__instansi=staf["admin"].instansi).values_list("pk", flat=True))
    for user in User.objects.exclude(pk__in=own):
        assert user.nama_lengkap not in text and user.username not in text
        assert f"Pengguna dengan ID {user.pk} tidak ditemukan." in text
    assert "Nama Rahasia Sekali" not in text and "Penilai Instansi Lain" not in text
