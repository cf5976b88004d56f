"""Seed 001 C.2 beyond the assignment: a Tim Penilai member whose pangkat is below the assessed one
is refused at formation when it is below every jenjang of the JF, and in a sidang does not count
for the quorum and does not decide on the pegawai above their pangkat — the berita acara says so
per pegawai — but, present, signs the berita acara like every member present (it records who
attended). The sidang's place is required (the berita
acara prints "bertempat di ..."), and a team whose term is over cannot be formed."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from apps.core import tenancy
from apps.pengusulan.alur import UsulanError
from apps.surat.models import Surat
from apps.ttd.services import versi_ttd_untuk
from apps.ttd.validasi import harapan_untuk
from apps.verifikasi import services
from apps.verifikasi.models import AnggotaTim, Sidang
from tests.factories import gol_penilai
from tests.verifikasi.conftest import MULAI, SELESAI, as_user, bentuk_tim, lulus_administrasi, nilai_semua

pytestmark = pytest.mark.django_db


def _bentuk(staf, pk, *, golongan_anggota="III/b", mulai=MULAI, selesai=SELESAI):
    with as_user(staf["admin"]):
        return services.tim_bentuk(
            actor=staf["admin"], jf=pk, nama="Tim Pangkat", mulai=mulai, selesai=selesai,
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (staf["penilai1"], "sekretaris", True, gol_penilai()),
                (staf["penilai2"], "anggota", False, gol_penilai(golongan_anggota)),
            ],
        )  # fmt: skip


def test_a_member_below_every_jenjang_of_the_jf_is_refused_at_formation(staf, pk):
    """JF Pengantar Kerja's lowest jenjang (Ahli Pertama) starts at III/a: a II/d member could assess nobody."""
    with pytest.raises(ValidationError) as refused:
        _bentuk(staf, pk, golongan_anggota="II/d")
    pesan = " ".join(refused.value.messages)
    assert "golongan II/d) tidak dapat menjadi anggota tim" in pesan and "bergolongan III/a" in pesan
    assert _bentuk(staf, pk, golongan_anggota="III/a").anggota.count() == 3


def test_the_formation_form_says_so_and_keeps_the_input(client, staf, pk):
    from apps.referensi.models import Golongan

    client.force_login(staf["admin"])
    data = {"jf": pk.kode, "nama": "Tim Baru", "mulai": "2026-01-01", "selesai": "2028-12-31"}
    for key, peran, gol in (
        ("ketua", "ketua", "IV/a"),
        ("penilai1", "sekretaris", "IV/a"),
        ("penilai2", "anggota", "II/d"),
    ):
        user = staf[key]
        data |= {f"peran_{user.pk}": peran, f"sertifikat_{user.pk}": "on",
                 f"golongan_{user.pk}": Golongan.objects.get(kode=gol).pk}  # fmt: skip
    response = client.post(reverse("verifikasi:tim_list"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "tidak dapat menjadi anggota tim" in body and 'value="Tim Baru"' in body


def test_a_team_whose_term_is_already_over_cannot_be_formed(staf, pk):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        _bentuk(staf, pk, golongan_anggota="IV/a", mulai=today - timedelta(days=400), selesai=today - timedelta(days=1))
    assert "tim yang masa jabatannya sudah berakhir tidak dapat dibentuk" in " ".join(refused.value.messages)
    # Ending today is still a term in force.
    assert _bentuk(staf, pk, golongan_anggota="IV/a", mulai=today - timedelta(days=400), selesai=today).pk


@pytest.fixture
def sidang_pangkat(diajukan, staf, pk):
    """A team whose third member (III/b) is below the pegawai assessed (III/c, Ahli Muda); the
    ketua and the sekretaris scored the dossier; the sidang is open."""
    tim = _bentuk(staf, pk)
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
        )
    for user in (staf["ketua"], staf["penilai1"]):
        nilai_semua(user, usulan)
    with as_user(staf["ketua"]):
        sidang = services.sidang_buka(
            actor=staf["ketua"], tim=tim, usulan_list=[usulan], tanggal=date(2026, 7, 1), tempat="Aula Kemnaker"
        )
    return tim, usulan, sidang


def _anggota(tim, key, staf):
    return AnggotaTim.objects.get(tim=tim, user=staf[key])


def test_a_member_below_the_assessed_pangkat_does_not_count_for_the_quorum(staf, sidang_pangkat):
    tim, usulan, sidang = sidang_pangkat
    ketua = staf["ketua"]
    with as_user(ketua):
        hadir = [_anggota(tim, "ketua", staf), _anggota(tim, "penilai2", staf)]
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=hadir)
        with pytest.raises(UsulanError) as refused:  # 2 of 3 present, but only 1 counts
            services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={usulan.pk: ("lulus", "")})
    pesan = " ".join(refused.value.messages)
    assert "Kuorum tidak tercapai: hadir 1 dari 3 anggota" in pesan
    assert "golongan III/b) tidak dihitung dalam kuorum" in pesan and "golongan III/c" in pesan
    with tenancy.all_tenants(reason="test"):
        assert Sidang.objects.get(pk=sidang.pk).status == Sidang.Status.DIBUKA


def test_such_a_member_present_signs_the_berita_acara_but_does_not_decide_on_that_pegawai(client, staf, sidang_pangkat):
    """Issue 13 (the berita acara is "signed by the ketua and every member present, with NIP"): the
    III/b member present signs; the berita acara says, for the III/c pegawai, that they did not decide."""
    tim, usulan, sidang = sidang_pangkat
    ketua = staf["ketua"]
    with as_user(ketua):
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        berita = services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={usulan.pk: ("lulus", "")})
    rows = {a["nama"]: a for a in berita.isi["anggota"]}
    bawah = rows[str(staf["penilai2"])]
    assert bawah["hadir"] is True and bawah["bersuara"] is False and bawah["menandatangani"] is True
    assert rows[str(ketua)]["bersuara"] is True
    assert berita.isi["kuorum"] == {"hadir": 2, "anggota": 3}  # the quorum is counted as before
    assert berita.isi["hasil"][0]["tidak_memutuskan"] == [str(staf["penilai2"])]
    with tenancy.all_tenants(reason="test: the berita acara's signers"):
        surat = Surat.objects.get(sidang=sidang, jenis="berita_acara")
        penanda = {h.user_id for h in harapan_untuk(surat)}
        assert penanda == {ketua.pk, staf["penilai1"].pk, staf["penilai2"].pk}
        # the attendance stays as recorded: it is who signs
        assert set(Sidang.objects.get(pk=sidang.pk).hadir.values_list("pk", flat=True)) == set(
            AnggotaTim.objects.filter(tim=tim).values_list("pk", flat=True)
        )
        assert versi_ttd_untuk(staf["penilai2"]).filter(surat=surat).exists()  # in their signing queue
    from django.template.loader import render_to_string

    from apps.surat import isi as isi_mod

    with tenancy.all_tenants(reason="test: the letter's content, as the render task reads it"):
        html = render_to_string("surat/pdf/berita_acara.html", {"isi": isi_mod.berita_acara(surat, berita)})
    tanda = " ".join(strip_tags(html.split('data-ttd="tim"', 1)[1]).split())  # names may carry markup
    assert str(staf["penilai2"]) in tanda and str(staf["penilai1"]) in tanda and str(ketua) in tanda
    assert html.count('class="ruang-akhir"') == 3  # a signature field each
    teks = " ".join(strip_tags(html).split())
    hasil = teks.split("adalah sebagai berikut:", 1)[1].split("Demikian berita acara", 1)[0]
    assert f"Tidak ikut memutuskan: {staf['penilai2']} (pangkat di bawah pangkat yang dinilai)" in hasil
    assert "tidak menandatangani" not in teks
    # The sentence agrees with the attendance table (walk 2: "dihadiri oleh 2 dari 3" while the
    # table listed 3 present): all 3 present, 2 of them counted.
    assert "Sidang dihadiri oleh 3 dari 3 anggota tim, 2 di antaranya dihitung dalam kuorum" in teks
    # The decided sidang's page says the same (fresh-eye re-walk: it read "Hadir 2 dari 3 anggota").
    client.force_login(ketua)
    page = " ".join(strip_tags(client.get(reverse("verifikasi:sidang", args=[sidang.pk])).content.decode()).split())
    assert "3 dari 3 anggota hadir, 2 dihitung dalam kuorum" in page and "Hadir 2 dari 3" not in page


def test_a_member_below_one_pegawai_only_decides_on_the_other(staf, pk, diajukan):
    """Two pegawai in one sidang: the III/c member does not decide on the III/d pegawai but does on
    the III/c one; the berita acara names them only under the first, and they sign it."""
    from apps.referensi.models import Golongan

    tim = _bentuk(staf, pk, golongan_anggota="III/c")
    muda = lulus_administrasi(diajukan(1)[0], staf)
    lebih = lulus_administrasi(
        diajukan(1, nip_prefix="19860926 201505 2 ", golongan=Golongan.objects.get(kode="III/d"))[0], staf
    )
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[muda, lebih], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
        )
    for user in (staf["ketua"], staf["penilai1"]):
        nilai_semua(user, muda)
        nilai_semua(user, lebih)
    ketua = staf["ketua"]
    with as_user(ketua):
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=[muda, lebih], tanggal=date(2026, 7, 1), tempat="Aula Kemnaker"
        )
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        berita = services.sidang_putuskan(
            actor=ketua, sidang=sidang, keputusan={muda.pk: ("lulus", ""), lebih.pk: ("lulus", "")}
        )
    hasil = {h["usulan"]: h["tidak_memutuskan"] for h in berita.isi["hasil"]}
    assert hasil == {muda.nomor: [], lebih.nomor: [str(staf["penilai2"])]}
    assert berita.isi["kuorum"] == {"hadir": 2, "anggota": 3}  # counted against the highest pangkat, as before
    with tenancy.all_tenants(reason="test: the berita acara's signers"):
        surat = Surat.objects.get(sidang=sidang, jenis="berita_acara")
        assert staf["penilai2"].pk in {h.user_id for h in harapan_untuk(surat)}


def test_the_sidang_page_says_who_does_not_count(client, staf, sidang_pangkat):
    tim, _usulan, sidang = sidang_pangkat
    client.force_login(staf["ketua"])
    url = reverse("verifikasi:sidang", args=[sidang.pk])
    body = client.get(url).content.decode()
    assert body.count('data-testid="tanpa-suara"') == 1 and "golongan III/b" in body
    with tenancy.all_tenants(reason="test: the team's members, as the page lists them"):
        anggota = list(AnggotaTim.objects.filter(tim=tim))
    assert len(anggota) == 3  # outside a scope the default-deny manager returns none: an empty post
    data = {f"hadir_{a.pk}": "on" for a in anggota}
    followed = client.post(url, data, follow=True).content.decode()
    assert "Kehadiran dicatat." in followed and "tidak dihitung dalam kuorum" in followed
    with tenancy.all_tenants(reason="test"):
        assert set(Sidang.objects.get(pk=sidang.pk).hadir.values_list("pk", flat=True)) == {a.pk for a in anggota}


def test_the_sidang_needs_a_place(client, staf, diajukan, pk):
    tim = _bentuk(staf, pk, golongan_anggota="IV/a")
    usulan = lulus_administrasi(diajukan(1)[0], staf)
    members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=members)
    for user in members[:2]:
        nilai_semua(user, usulan)
    with as_user(staf["ketua"]), pytest.raises(UsulanError) as refused:
        services.sidang_buka(actor=staf["ketua"], tim=tim, usulan_list=[usulan], tanggal=date(2026, 7, 1), tempat="  ")
    assert "Isi tempat sidang" in " ".join(refused.value.messages)
    client.force_login(staf["ketua"])
    isian = {"usulan": [str(usulan.pk)], "tanggal": "2026-07-02", "tempat": ""}
    response = client.post(reverse("verifikasi:sidang_buka", args=[tim.pk]), isian)
    body = response.content.decode()
    assert response.status_code == 200 and "Isi tempat sidang; berita acara mencantumkannya." in body
    assert (
        'name="tanggal" value="2026-07-02"' in body
        and f'value="{usulan.pk}" aria-label="{usulan.nomor}" checked' in body
    )
    assert 'name="tempat" value="" maxlength="150" required' in body
    with tenancy.all_tenants(reason="test"):
        assert not Sidang.objects.filter(tim=tim).exists()
    # The model says so too (admin, shell, any form built on it).
    with tenancy.all_tenants(reason="test: the model's own validation"), pytest.raises(ValidationError) as model:
        Sidang(tim=tim, jf=pk, tanggal=date(2026, 7, 1), tempat="", dibuka_oleh=staf["ketua"]).full_clean()
    assert "tempat" in model.value.message_dict


def test_fe13_the_confirmation_counts_attendance_as_the_berita_acara_does(client, staf, sidang_pangkat):
    """Fresh-eye walk, item 5: with all three ticked present (one below the pangkat), "Periksa sebelum
    memutuskan sidang" said "Kehadiran 2 dari 3 anggota"; the berita acara says 3 present, 2 counted."""
    tim, usulan, sidang = sidang_pangkat
    client.force_login(staf["ketua"])
    url = reverse("verifikasi:sidang", args=[sidang.pk])
    with tenancy.all_tenants(reason="test: the team's members"):
        data = {f"hadir_{a.pk}": "on" for a in AnggotaTim.objects.filter(tim=tim)}
    assert len(data) == 3
    data |= {"putuskan": "1", f"keputusan_{usulan.pk}": "lulus", f"alasan_{usulan.pk}": ""}
    response = client.post(url, data)
    teks = " ".join(strip_tags(response.content.decode()).split())
    assert "Periksa sebelum memutuskan sidang" in teks, teks[300:2500]
    assert "3 dari 3 anggota hadir, 2 dihitung dalam kuorum" in teks
    assert "2 dari 3 anggota" not in teks.replace("hadir, 2 dihitung", "")


def test_fe13_a_member_with_a_declared_conflict_does_not_decide_nor_count_for_that_usulan(staf, pk, diajukan):
    """Fresh-eye walk (issue 13): the member who declared a conflict of interest on a dossier sat
    in the sidang, counted for it and signed with no note. As for a member below the pangkat: the
    quorum for that dossier is counted without her, and its berita acara row says she did not decide."""
    from django.template.loader import render_to_string

    from apps.surat import isi as isi_mod
    from apps.verifikasi.models import PenugasanPenilai

    usulan = lulus_administrasi(diajukan(1)[0], staf)
    tim = bentuk_tim(staf, pk, nama="Tim")
    penilai = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
    with as_user(staf["admin"]):
        services.penilai_tugaskan(actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=penilai)
    with tenancy.all_tenants(reason="test"):
        penugasan = PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai2"])
    with as_user(staf["penilai2"]):
        services.penugasan_nyatakan_konflik(actor=staf["penilai2"], penugasan=penugasan, alasan="Saudara kandung.")
    for user in penilai[:2]:
        nilai_semua(user, usulan)
    ketua = staf["ketua"]
    with as_user(ketua):
        sidang = services.sidang_buka(actor=ketua, tim=tim, usulan_list=[usulan], tanggal=date(2026, 7, 1), tempat="R")
        hadir = [_anggota(tim, "ketua", staf), _anggota(tim, "penilai2", staf)]
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=hadir)
        with pytest.raises(UsulanError) as refused:  # 2 of 3 present, 1 without her
            services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={usulan.pk: ("lulus", "")})
        assert f"tanpa {staf['penilai2']}, yang menyatakan konflik kepentingan" in " ".join(refused.value.messages)
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        berita = services.sidang_putuskan(actor=ketua, sidang=sidang, keputusan={usulan.pk: ("lulus", "")})
    assert berita.isi["hasil"][0]["tidak_memutuskan_konflik"] == [str(staf["penilai2"])]
    with tenancy.all_tenants(reason="test: the berita acara"):
        surat = Surat.objects.get(sidang=sidang, jenis="berita_acara")
        html = render_to_string("surat/pdf/berita_acara.html", {"isi": isi_mod.berita_acara(surat, berita)})
    teks = " ".join(strip_tags(html).split())
    assert f"Tidak ikut memutuskan: {staf['penilai2']} (konflik kepentingan)" in teks


@pytest.mark.skipif(__import__("shutil").which("pdftotext") is None, reason="poppler-utils (pdftotext) not installed")
def test_fe1_m1_the_quorum_sentence_is_true_for_each_usulan(client, staf, pk, diajukan):
    """Fresh-eye walk 1, M1: a III/c member sat in a sidang deciding a III/c and a III/d pegawai. The
    berita acara said "3 dari 3 anggota tim, 2 di antaranya dihitung dalam kuorum" for the whole
    sidang, true only for the III/d pegawai (all three count for the III/c one). The sentence now
    says the quorum is counted per usulan, with its range; the per-pegawai row stays."""
    from apps.referensi.models import Golongan
    from tests.surat.conftest import layout_text, render_antrean, versi_berlaku

    tim = _bentuk(staf, pk, golongan_anggota="III/c")
    muda = lulus_administrasi(diajukan(1)[0], staf)
    lebih = lulus_administrasi(
        diajukan(1, nip_prefix="19860926 201505 2 ", golongan=Golongan.objects.get(kode="III/d"))[0], staf
    )
    with as_user(staf["admin"]):
        services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[muda, lebih], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
        )
    for user in (staf["ketua"], staf["penilai1"]):
        nilai_semua(user, muda)
        nilai_semua(user, lebih)
    ketua = staf["ketua"]
    with as_user(ketua):
        sidang = services.sidang_buka(
            actor=ketua, tim=tim, usulan_list=[muda, lebih], tanggal=date(2026, 7, 1), tempat="Aula Kemnaker"
        )
    client.force_login(ketua)
    url = reverse("verifikasi:sidang", args=[sidang.pk])
    with tenancy.all_tenants(reason="test: the team's members"):
        data = {f"hadir_{a.pk}": "on" for a in AnggotaTim.objects.filter(tim=tim)}
    data |= {"putuskan": "1", f"keputusan_{muda.pk}": "lulus", f"keputusan_{lebih.pk}": "lulus"}
    # The confirmation before deciding says the same as the letter.
    konfirmasi = " ".join(strip_tags(client.post(url, data).content.decode()).split())
    assert "3 dari 3 anggota hadir; kuorum dihitung per usulan: 2 sampai 3 anggota dihitung" in konfirmasi
    assert "hadir, 2 dihitung dalam kuorum" not in konfirmasi
    with as_user(ketua):
        services.sidang_catat_kehadiran(actor=ketua, sidang=sidang, hadir=list(AnggotaTim.objects.filter(tim=tim)))
        services.sidang_putuskan(
            actor=ketua, sidang=sidang, keputusan={muda.pk: ("lulus", ""), lebih.pk: ("lulus", "")}
        )
    render_antrean()
    with tenancy.all_tenants(reason="test: the berita acara"):
        surat = Surat.objects.get(sidang=sidang, jenis="berita_acara")
        teks = " ".join(layout_text(versi_berlaku(surat)).split())
    assert "Sidang dihadiri oleh 3 dari 3 anggota tim." in teks, teks
    assert "2 di antaranya dihitung dalam kuorum" not in teks
    assert "Kuorum dihitung per usulan: 2 sampai 3 anggota yang hadir dihitung" in teks
    assert f"Tidak ikut memutuskan: {staf['penilai2']} (pangkat di bawah pangkat yang dinilai)" in teks
    page = " ".join(strip_tags(client.get(url).content.decode()).split())
    assert "3 dari 3 anggota hadir; kuorum dihitung per usulan: 2 sampai 3 anggota dihitung" in page
