"""The probes' cross-tenant world (see tests/perlengkapan/__init__.py): a dossier of instansi B
carried through the real services into a sidang, with a letter, a signing batch, a notification,
an export, an API token, a JF holder with an AK ledger, an usulan penetapan AK in assessment, and
the outsiders who must be refused all of it. Used by the cross-tenant probe
(tests/keamanan/test_probe.py), the invalid-input walk (tests/keamanan/test_masukan_salah.py)
and the timeline privacy test (tests/pengusulan/test_timeline_privasi.py)."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from django.utils import timezone

from apps.core import tenancy
from apps.core.models import OutboxMessage
from apps.pengusulan import services as pic_services
from apps.referensi.models import Jenjang, PersyaratanDokumen
from apps.verifikasi import services as pembina_services
from apps.verifikasi.models import AnggotaTim, PenugasanPenilai
from tests.factories import UserFactory, gol_penilai
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory


@pytest.fixture
def world(referensi, instansi_a, instansi_b):
    """Two instansi pengguna, the pembina of JF Pengantar Kerja with a full process underway, and
    the pembina of another JF (LAN)."""
    pk = referensi["pengantar-kerja"]
    kemnaker = pk.instansi_pembina
    lan = referensi["analis-kebijakan"].instansi_pembina
    pic_b = UserFactory(username="pic.b", instansi=instansi_b, roles=["pic_instansi"])
    staf = {
        r: UserFactory(username=f"{r}.kemnaker", instansi=kemnaker, roles=roles)
        for r, roles in {
            "verifikator": ["verifikator"],
            "admin": ["admin_pembina"],
            "ketua": ["ketua_tim", "penilai"],
            "penilai1": ["penilai"],
            "penilai2": ["penilai"],
        }.items()
    }
    with tenancy.scope(instansi_b):
        pic_services.formasi_simpan(
            actor=pic_b, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=3
        )
        pegawai = pic_services.pegawai_create(actor=pic_b, data=pegawai_data())
        usulan = pic_services.usulan_create(actor=pic_b, pegawai=pegawai, jf=pk)
    upload_all_mandatory(pic_b, usulan)
    with tenancy.scope(instansi_b):
        usulan = pic_services.usulan_ajukan(actor=pic_b, usulan=usulan, on=ON)
        dokumen = usulan.dokumen.first()
    as_staf = lambda u: tenancy.activate(tenancy.scope_for_user(u))  # noqa: E731
    with as_staf(staf["verifikator"]):
        pembina_services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=usulan)
        hasil = {
            p.pk: (True, "") for p in PersyaratanDokumen.objects.untuk_usulan(pk, "penyesuaian").filter(wajib=True)
        }
        pembina_services.pemeriksaan_catat_dokumen(actor=staf["verifikator"], usulan=usulan, hasil=hasil)
        pembina_services.pemeriksaan_putuskan(actor=staf["verifikator"], usulan=usulan, keputusan="memenuhi")
    with as_staf(staf["admin"]):
        tim = pembina_services.tim_bentuk(
            actor=staf["admin"],
            jf=pk,
            nama="Tim",
            mulai=date(2026, 1, 1),
            selesai=date(2028, 12, 31),
            anggota=[
                (staf["ketua"], "ketua", True, gol_penilai()),
                (staf["penilai1"], "sekretaris", True, gol_penilai()),
                (staf["penilai2"], "anggota", False, gol_penilai()),
            ],
        )
        pembina_services.penilai_tugaskan(
            actor=staf["admin"], usulan_list=[usulan], tim=tim, penilai=[staf["ketua"], staf["penilai1"]]
        )
    from apps.referensi.models import Kompetensi

    for user in (staf["ketua"], staf["penilai1"]):
        with as_staf(user):
            p = PenugasanPenilai.objects.get(usulan=usulan, penilai=user)
            pembina_services.penugasan_bebas_konflik(actor=user, penugasan=p)
            nilai = {k.pk: (k.level, "") for k in Kompetensi.objects.filter(jenjang_id=usulan.jenjang_id)}
            pembina_services.nilai_simpan(actor=user, penugasan=p, nilai=nilai, rekomendasi="lulus", selesai=True)
    with as_staf(staf["ketua"]):
        sidang = pembina_services.sidang_buka(
            actor=staf["ketua"],
            tim=tim,
            usulan_list=[usulan],
            tanggal=date(2026, 7, 1),
            tempat="Ruang Rapat Tim Penilai",
        )
        penugasan = PenugasanPenilai.objects.get(usulan=usulan, penilai=staf["penilai1"])
    surat, versi = _surat_of(usulan, staf["admin"], instansi_b)
    # The admin pembina signs letters as a registered official: their signing batch.
    from apps.ttd.models import BatchTtd, Pejabat

    with tenancy.all_tenants(reason="test fixture"):
        pejabat = Pejabat.objects.create(
            instansi=kemnaker, user=staf["admin"], nama="A", jabatan="B", nip="197001011995031001", backend="pkcs12"
        )
        batch_ttd = BatchTtd.objects.create(instansi=kemnaker, pejabat=pejabat, dibuat_oleh=staf["admin"])
        # Instansi B's paraf chain of its SKs (the alur paraf page of its PPK and PIC).
        from apps.ttd.models import AlurParaf

        alur_paraf = AlurParaf.objects.create(instansi=instansi_b, jenis="sk", aktif=False)
    # pic_b's own notification and export: nobody else may open them.
    from apps.notifikasi.services import notifikasi_buat
    from apps.rekap.models import Ekspor

    notifikasi = notifikasi_buat([pic_b], jenis="uji", judul="Milik pic.b", url_for="/beranda/")[0]
    ekspor = Ekspor.objects.create(user=pic_b, jenis="usulan_pic", format="csv", status="selesai")
    from apps.accounts import token as api_token

    token_api = api_token.terbitkan(pic_b, dua_langkah=False)[0]

    # A holder of the JF at instansi B, with its AK ledger opened (apps/jabatan, issue 19).
    from apps.jabatan import services as jabatan_services
    from apps.jabatan.models import PejabatFungsional

    with tenancy.scope(instansi_b):
        pejabat_fungsional = PejabatFungsional.objects.create(
            instansi=instansi_b, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_pertama"),
            nip="198609262015051001", nama="Pejabat Lama B", tmt_jabatan=date(2025, 1, 2), sumber="impor",
        )  # fmt: skip
        jabatan_services.mutasi_tambah(pejabat_fungsional, "awal", 40, oleh=pic_b)
        # A ledger row with a stored document (an SK kenaikan pangkat), for the download route.
        from django.core.files.base import ContentFile

        from apps.jabatan.models import MutasiAK
        from tests.pdfs import valid_pdf

        mutasi_berkas = MutasiAK(
            instansi=instansi_b, pejabat=pejabat_fungsional, jf=pk, jenjang=pejabat_fungsional.jenjang,
            jenis="kenaikan_pangkat", nilai=0, dokumen_nomor="SK-KP/B/1", dokumen_tanggal=date(2025, 4, 1),
            berkas_nama="sk-kp.pdf", berkas_sha256="0" * 64, dibuat_oleh=pic_b,
        )  # fmt: skip
        mutasi_berkas.berkas.save("sk-kp.pdf", ContentFile(valid_pdf()), save=False)
        mutasi_berkas.save()

    # A JF holder of the same instansi B, with their own login: their scope is their own record,
    # so every object here (the instansi's pegawai, usulan, letters...) is another's to them.
    from apps.referensi.models import Golongan

    holder = UserFactory(username="pejabat.b", instansi=instansi_b, roles=["pejabat_fungsional"])
    with tenancy.scope(instansi_b):
        jenjang = Jenjang.objects.get(jf=pk, kode="ahli_pertama")
        PejabatFungsional.objects.create(
            instansi=instansi_b, jf=pk, jenjang=jenjang, nip="199203152019032001", nama="Pejabat B",
            tmt_jabatan=date(2025, 1, 1), golongan=Golongan.objects.get(kode="III/a"), user=holder,
        )  # fmt: skip
    outsiders = {
        "pejabat_b": holder,
        "pic_a": UserFactory(username="pic.a", instansi=instansi_a, roles=["pic_instansi"]),
        "ppk_a": UserFactory(username="ppk.a", instansi=instansi_a, roles=["ppk"]),
        "verifikator_lan": UserFactory(username="v.lan", instansi=lan, roles=["verifikator"]),
        "admin_lan": UserFactory(username="a.lan", instansi=lan, roles=["admin_pembina"]),
        "ketua_lan": UserFactory(username="k.lan", instansi=lan, roles=["ketua_tim", "penilai"]),
    }
    penetapan = _penetapan_world(pk, instansi_b, pic_b)
    return {
        **penetapan,
        "pk": pk,
        "pegawai": pegawai,
        "usulan": usulan,
        "dokumen": dokumen,
        "tim": tim,
        "sidang": sidang,
        "penugasan": penugasan,
        "pic_b": pic_b,
        "penilai2": staf["penilai2"],
        **outsiders,
        "persyaratan": PersyaratanDokumen.objects.filter(jf=pk, level="usulan").first(),
        "jenjang": Jenjang.objects.filter(jf=pk).first(),
        "anggota": AnggotaTim.objects.filter(tim=tim).first(),
        "surat": surat,
        "versi": versi,
        "notifikasi": notifikasi,
        "ekspor": ekspor,
        "token_api": token_api,
        "batch_ttd": batch_ttd,
        "pejabat_ttd": pejabat,
        "alur_paraf": alur_paraf,
        "pejabat_fungsional": pejabat_fungsional,
        "mutasi_berkas": mutasi_berkas,
        # a dead letter of the outbox: only the superadmin may retry it
        "outbox_mati": OutboxMessage.objects.create(task_name="uji.mati", dead_at=timezone.now(), attempts=5),
        # pic_b's request for the PPK account: only the superadmin decides it
        "permintaan": _permintaan_ppk(pic_b),
    }


def _permintaan_ppk(pic):
    from apps.accounts.models import PermintaanAkun

    with tenancy.scope(pic.instansi):
        return PermintaanAkun.objects.create(
            instansi=pic.instansi, nama_lengkap="PPK B", nip="197005121995031001", email="ppk.b@jabarprov.go.id",
            jabatan="Sekretaris Daerah", diminta_oleh=pic,
        )  # fmt: skip


def _penetapan_world(jf, instansi_b, pic_b):
    """Issue 19: a holder of instansi B with an usulan penetapan AK in assessment by instansi B's
    own team (with an evidence document), and a sidang of that team."""
    from apps.penetapan.models import SidangAK
    from tests.penetapan.conftest import bentuk_tim, buat_pejabat, periode_seed_001, usulan_diajukan

    periode_seed_001(jf)
    tim = bentuk_tim(instansi_b, jf, "provinsi", n=3, prefix="probe")
    usulan = usulan_diajukan(pic_b, buat_pejabat(instansi_b, jf, nip="198001012005011001", nama="Pejabat B"))
    with tenancy.all_tenants(reason="test fixture"):
        sidang = SidangAK.objects.create(
            tim=tim["tim"], instansi=instansi_b, jf=jf, tanggal=date(2026, 10, 20), dibuka_oleh=tim["sekretariat"]
        )
        dokumen = usulan.dokumen.first()
    return {"pak_usulan": usulan, "pak_dokumen": dokumen, "pak_sidang": sidang, "pak_tim": tim}


def _surat_of(usulan, admin, instansi):
    """A rendered rekomendasi letter of instansi B (in its own batch)."""
    from apps.surat import isi, services
    from apps.surat.tasks import render

    with tenancy.activate(tenancy.scope_for_user(admin)):
        surat = services._create(
            jenis="rekomendasi", penerbit=admin.instansi, instansi_id=instansi.pk, jf=usulan.jf,
            tanggal=date(2026, 8, 1), perihal="Rekomendasi", actor=admin, penandatangan=("A", "B", ""),
        )  # fmt: skip
        services._baris(surat, [usulan])
        versi = services._versi(
            surat, isi.rekomendasi(surat, direkomendasikan=[usulan], tidak=[], diusulkan=1), actor=admin,
            batch=uuid.uuid4(),
        )  # fmt: skip
    render.apply(kwargs={"versi_id": versi.pk}, throw=True)
    with tenancy.all_tenants(reason="test fixture"):
        versi.refresh_from_db()
    assert versi.siap
    return surat, versi
