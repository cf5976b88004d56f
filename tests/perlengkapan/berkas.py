"""Dossiers walked through the real services (see tests/perlengkapan/__init__.py)."""

from __future__ import annotations

import pytest

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.pengusulan.domain import Status
from apps.referensi.models import Jenjang
from apps.verifikasi import services as pembina_services
from apps.verifikasi.models import AnggotaTim
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory
from tests.surat.conftest import (
    TIM_TERPANJANG,
    UNIT_TERPANJANG,
    kasus_terburuk,
    konfirmasi_baris_ak,
    nama_terburuk,
    tandatangani_ba,
)
from tests.verifikasi.conftest import (
    HARI_PENILAIAN,
    HARI_SIDANG,
    as_user,
    bentuk_tim,
    nilai_semua,
    pada,
    seleksi_lulus,
    sidang_lulus,
)


@pytest.fixture
def diajukan(pic_pk, pk):
    """Make submitted usulan for JF Pengantar Kerja (Ahli Muda) at the PIC's instansi."""

    def make(n: int = 1, *, nip_prefix: str = "19860926 201505 1 ", nama=None, **extra) -> list:
        with tenancy.scope(pic_pk.instansi):
            pic_services.formasi_simpan(
                actor=pic_pk, jf=pk, jenjang=Jenjang.objects.get(jf=pk, kode="ahli_muda"), unit_kerja="", jumlah=50
            )
            made = []
            for i in range(n):
                pegawai = pic_services.pegawai_create(
                    actor=pic_pk,
                    data=pegawai_data(
                        nip=f"{nip_prefix}{i + 1:03d}", nama=nama(i) if nama else f"Pegawai PK {i + 1}", **extra
                    ),
                )
                made.append(pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk))
        for u in made:
            upload_all_mandatory(pic_pk, u)
        with tenancy.scope(pic_pk.instansi):
            return [pic_services.usulan_ajukan(actor=pic_pk, usulan=u, on=ON) for u in made]

    return make


@pytest.fixture
def tim(pk, staf):
    return bentuk_tim(staf, pk)


@pytest.fixture
def diputuskan(diajukan, staf, tim, pic_pk):
    """(lulus, tidak_lulus, sidang): usulan decided in one sidang of the Kemnaker team, on the walk's
    days (tests.verifikasi.conftest.HARI_*: the berita acara are dated before the rekomendasi).
    ``ba_seleksi``: the verifier records the seleksi administrasi in its berita acara (a rekomendasi
    needs it)."""

    def make(
        lulus: int = 2, tidak: int = 1, nip_prefix: str = "19860926 201505 1 ", konfirmasi_ak: bool = True,
        terburuk: bool = False, ttd_ba: bool = True, golongan: str | None = None, ba_seleksi: bool = True,
        pegawai: dict | None = None,
    ):  # fmt: skip
        extra = dict(pegawai or {})  # the pegawai's other data (tests.pengusulan.conftest.pegawai_data)
        if golongan:  # the pegawai's golongan (default III/c, tests.pengusulan.conftest.pegawai_data)
            from apps.referensi.models import Golongan

            extra["golongan"] = Golongan.objects.get(kode=golongan)
        if terburuk:  # the worst-case data of the layout test (issue 13 §6)
            kasus_terburuk(pengguna=pic_pk.instansi, pembina=staf["admin"].instansi)
            extra |= {"nama": nama_terburuk, "unit_kerja": UNIT_TERPANJANG, "tempat_lahir": "Kepulauan Siau"}
            # The team signs the berita acara: long names with academic titles, and their NIPs.
            for key, (nama, nip) in TIM_TERPANJANG.items():
                staf[key].nama_lengkap, staf[key].nip = nama, nip
                staf[key].save(update_fields=["nama_lengkap", "nip"])
        with pada(ON):
            diajukan_list = diajukan(lulus + tidak, nip_prefix=nip_prefix, **extra)
        usulan = seleksi_lulus(diajukan_list, staf, ba_seleksi=ba_seleksi)
        keputusan = {u.pk: ("lulus", "") for u in usulan[:lulus]} | {
            u.pk: ("tidak_lulus", "Bukti kompetensi teknis belum memadai.") for u in usulan[lulus:]
        }
        sidang = sidang_lulus(staf, tim, usulan, keputusan)
        if konfirmasi_ak:
            konfirmasi_baris_ak(staf["admin"], usulan)
        if ttd_ba:  # a rekomendasi waits for the signed berita acara (apps.surat.services)
            tandatangani_ba(sidang, staf["admin"])
        return usulan[:lulus], usulan[lulus:], sidang

    return make


@pytest.fixture
def make_pegawai(pic):
    def make(actor=None, **overrides):
        from apps.core import tenancy

        actor = actor or pic
        with tenancy.scope(actor.instansi):
            return pic_services.pegawai_create(actor=actor, data=pegawai_data(**overrides))

    return make


@pytest.fixture
def formasi_aks(pic, aks):
    """Two positions for Ahli Muda AKS at the PIC's instansi."""
    from apps.core import tenancy

    with tenancy.scope(pic.instansi):
        return pic_services.formasi_simpan(
            actor=pic, jf=aks, jenjang=Jenjang.objects.get(jf=aks, kode="ahli_muda"), unit_kerja="", jumlah=2
        )


@pytest.fixture
def usulan_lengkap(pic, aks, make_pegawai, formasi_aks):
    """A draft usulan with every mandatory document: ready to submit."""
    from apps.core import tenancy

    pegawai = make_pegawai()
    with tenancy.scope(pic.instansi):
        usulan = pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    return usulan


#: The walk to each state: the state it starts from, and the move (through the services, so the
#: transition core with its audit entry and notices) that follows.
JALAN: dict[Status, tuple[Status | None, str]] = {
    Status.DRAFT: (None, "buat"),
    Status.DIBATALKAN: (Status.DRAFT, "batalkan"),
    Status.DIAJUKAN: (None, "ajukan"),
    Status.VERIFIKASI: (Status.DIAJUKAN, "mulai_verifikasi"),
    Status.PERBAIKAN: (Status.VERIFIKASI, "perbaikan"),
    Status.TIDAK_MEMENUHI_SYARAT: (Status.VERIFIKASI, "tidak_memenuhi"),
    Status.LULUS_ADMINISTRASI: (Status.DIAJUKAN, "lulus_administrasi"),
    Status.PENILAIAN: (Status.LULUS_ADMINISTRASI, "tugaskan_penilai"),
    Status.LULUS: (Status.PENILAIAN, "sidang_lulus"),
    Status.TIDAK_LULUS: (Status.PENILAIAN, "sidang_tidak_lulus"),
    Status.DIREKOMENDASIKAN: (Status.LULUS, "rekomendasi"),
    Status.SK_TERBIT: (Status.LULUS, "sk"),
}


@pytest.fixture
def usulan_berstatus(pic_pk, pk, staf, tim, ppk_pk, diajukan):
    """``usulan_berstatus(status)``: a new usulan of JF Pengantar Kerja (Ahli Muda) at the PIC's
    instansi, taken to ``status`` through the services — each move through the transition core,
    never by writing the status. The factory "trait" per usulan state; each call makes a new
    pegawai (its own NIP)."""
    from apps.core.models import Instansi
    from apps.pengusulan.models import Usulan
    from tests.surat.conftest import sk_terbit, terbitkan_rekomendasi

    dibuat = iter(range(1, 10_000))

    def nip_prefix() -> str:
        n = next(dibuat) - 1
        return f"19860926 {2010 + n // 12}{n % 12 + 1:02d} 1 "  # TMT CPNS month by month: unique NIPs

    def sidang(usulan, keputusan: str):
        members = [staf["ketua"], staf["penilai1"], staf["penilai2"]]
        with pada(HARI_PENILAIAN):
            for m in members:
                nilai_semua(m, usulan, rekomendasi="lulus" if keputusan == "lulus" else "tidak_lulus")
        ketua = staf["ketua"]
        alasan = "" if keputusan == "lulus" else "Bukti kompetensi teknis belum memadai."
        # On the walk's days (tests.verifikasi.conftest.HARI_*): the berita acara come before the
        # rekomendasi, which is refused when dated before them.
        with pada(HARI_SIDANG), as_user(ketua):
            s = pembina_services.sidang_buka(
                actor=ketua, tim=tim, usulan_list=[usulan], tanggal=HARI_SIDANG.date(), tempat="Ruang Rapat Tim Penilai"
            )
            pembina_services.sidang_catat_kehadiran(
                actor=ketua, sidang=s, hadir=list(AnggotaTim.objects.filter(tim=tim))
            )
            pembina_services.sidang_putuskan(actor=ketua, sidang=s, keputusan={usulan.pk: (keputusan, alasan)})
        tandatangani_ba(s, staf["admin"])  # a rekomendasi waits for the signed berita acara

    def langkah(usulan, move: str):
        v, admin = staf["verifikator"], staf["admin"]
        if move == "batalkan":
            with tenancy.scope(pic_pk.instansi):
                pic_services.usulan_batalkan(actor=pic_pk, usulan=usulan, alasan="Pegawai mutasi.")
        elif move == "mulai_verifikasi":
            with as_user(v):
                pembina_services.pemeriksaan_mulai(actor=v, usulan=usulan)
        elif move in ("perbaikan", "tidak_memenuhi"):
            with as_user(v):
                pembina_services.pemeriksaan_putuskan(
                    actor=v, usulan=usulan, keputusan=move, catatan="Ijazah belum dilegalisasi."
                )
        elif move == "lulus_administrasi":  # with its berita acara seleksi (a rekomendasi needs it)
            seleksi_lulus([usulan], staf)
        elif move == "tugaskan_penilai":
            with pada(HARI_PENILAIAN), as_user(admin):
                pembina_services.penilai_tugaskan(
                    actor=admin,
                    usulan_list=[usulan],
                    tim=tim,
                    penilai=[staf["ketua"], staf["penilai1"], staf["penilai2"]],
                )
        elif move in ("sidang_lulus", "sidang_tidak_lulus"):
            sidang(usulan, move.removeprefix("sidang_"))
        elif move == "rekomendasi":
            konfirmasi_baris_ak(admin, [usulan])
            terbitkan_rekomendasi(staf, pk, Instansi.objects.get(pk=usulan.instansi_id))
        elif move == "sk":
            konfirmasi_baris_ak(admin, [usulan])
            sk_terbit(admin=admin, ppk=ppk_pk, jf=pk, instansi=pic_pk.instansi, usulan=usulan)

    def make(status: str | Status):
        status = Status(status)
        dari, move = JALAN[status]
        if move == "buat":
            with tenancy.scope(pic_pk.instansi):
                pegawai = pic_services.pegawai_create(actor=pic_pk, data=pegawai_data(nip=f"{nip_prefix()}001"))
                usulan = pic_services.usulan_create(actor=pic_pk, pegawai=pegawai, jf=pk)
        elif move == "ajukan":
            with pada(ON):
                usulan = diajukan(1, nip_prefix=nip_prefix())[0]
        else:
            usulan = make(dari)
            langkah(usulan, move)
        with tenancy.all_tenants(reason="test: the usulan as the walk left it"):
            return Usulan.objects.get(pk=usulan.pk)

    return make
