"""Writes of the penetapan angka kredit: atomic, under row locks, audited; status moves through
``apps.penetapan.alur.pindahkan``; letters through ``apps.surat`` (numbering, the render task,
public verification), the ledger through ``apps.jabatan``."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.files import check_upload
from apps.core.format import BULAN, format_ak, tgl
from apps.core.transisi import TransitionError
from apps.penetapan import domain, selectors
from apps.penetapan.alur import PenetapanError, kunci, pindahkan
from apps.penetapan.domain import Status
from apps.penetapan.models import (
    AnggotaTimAK,
    DokumenPenetapan,
    PenilaianAK,
    SidangAK,
    TimPenilaiAK,
    UsulanPenetapanAK,
)

#: Seed 001 BAB IV B a-e: SK jabatan, SK pangkat, the last PAK and the SKP are required; the
#: HAPAK of an earlier assessment only when there was one.
DOKUMEN_WAJIB = (
    DokumenPenetapan.Jenis.SKP,
    DokumenPenetapan.Jenis.SK_JABATAN,
    DokumenPenetapan.Jenis.SK_PANGKAT,
    DokumenPenetapan.Jenis.PAK_TERAKHIR,
)


def _hari_ini(pada: date | None) -> date:
    return pada or timezone.localdate()


def _usia_bup(pejabat) -> int:
    return pejabat.jenjang.batas_usia_pensiun


def _lahir(pejabat) -> date:
    lahir = getattr(pejabat, "tanggal_lahir", None)
    if lahir:
        return lahir
    from apps.referensi.domain import parse_nip

    return parse_nip(pejabat.nip).tanggal_lahir


def cek_periode(pejabat, pada: date) -> tuple[domain.Jendela | None, bool]:
    """(the open window, False) — or (None, True) for the BUP exception; PenetapanError otherwise."""
    from apps.referensi.domain import tanggal_pensiun

    usia = _usia_bup(pejabat)
    lahir = _lahir(pejabat)
    if lahir is not None and pada >= tanggal_pensiun(lahir, usia):
        raise PenetapanError(
            str(domain.PESAN_PENSIUN)
            % {"nama": pejabat.nama, "bup": usia, "tanggal_bup": tgl(domain.tanggal_bup(lahir, usia)),
               "tmt": tgl(tanggal_pensiun(lahir, usia))}
        )  # fmt: skip
    periode_list = selectors.periode_jf(pejabat.jf_id)
    terbuka = domain.jendela_terbuka(periode_list, pada)
    if terbuka is not None:
        return terbuka, False
    if domain.boleh_luar_periode(lahir, usia, pada):  # seed 001: "telah memasuki batas usia pensiun"
        return None, True
    berikut = domain.jendela_berikut(periode_list, pada)
    bup = {"bup": usia, "tanggal_bup": tgl(domain.tanggal_bup(lahir, usia)), "tmt": tgl(tanggal_pensiun(lahir, usia))}
    if berikut is None:
        raise PenetapanError(str(domain.PESAN_TANPA_PERIODE) % bup)
    raise PenetapanError(
        str(domain.PESAN_LUAR_PERIODE)
        % {"nama": berikut.nama, "mulai": tgl(berikut.mulai), "selesai": tgl(berikut.selesai),
           "pak": tgl(berikut.pak), **bup}
    )  # fmt: skip


def tanpa_konversi_baru(pejabat) -> str:
    """Why there is nothing new to assess ('' when there is): the holder's last PAK is in the
    ledger and no konversi or correction was recorded after it, so a new PAK would state the
    same AK kumulatif again (fresh-eye walk of issue 19: "Masa penilaian -")."""
    from apps.jabatan.domain import JenisMutasi
    from apps.jabatan.models import MutasiAK

    pak = (
        MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.PENETAPAN)
        .order_by("-created_at", "-id")
        .values_list("created_at", "rincian__surat")
        .first()
    )
    if pak is None:
        return ""
    baru = MutasiAK.objects.filter(
        pejabat=pejabat, jenis__in=[JenisMutasi.KONVERSI, JenisMutasi.KOREKSI], created_at__gt=pak[0]
    ).exists()
    if baru:
        return ""
    return _(
        "Belum ada konversi predikat kinerja %(nama)s sejak PAK terakhir (%(pak)s): tidak ada angka kredit baru "
        "yang dinilai. Catat predikat kinerja periode berikutnya lebih dahulu."
    ) % {"nama": pejabat.nama, "pak": pak[1] or "-"}


def alasan_tidak_bisa_buat(pejabat, pada: date | None = None) -> str:
    """Why an usulan penetapan AK cannot be started for ``pejabat`` today ('' when it can): the
    period rule and the one-usulan-per-period rule of :func:`usulan_buat`, so a page offers its
    button only when the step would be taken."""
    pada = _hari_ini(pada)
    try:
        jendela, _bup = cek_periode(pejabat, pada)
    except PenetapanError as exc:
        return " ".join(exc.messages)
    if alasan := tanpa_konversi_baru(pejabat):
        return alasan
    tahun = jendela.tahun if jendela else pada.year
    periode_id = jendela.periode_id if jendela else None
    terbuka = UsulanPenetapanAK.objects.filter(pejabat=pejabat).exclude(status__in=list(domain.SELESAI))
    if terbuka.exists() or (
        periode_id and UsulanPenetapanAK.objects.filter(pejabat=pejabat, periode_id=periode_id, tahun=tahun).exists()
    ):
        return _("%(nama)s sudah memiliki usulan penetapan angka kredit pada periode ini.") % {"nama": pejabat.nama}
    return ""


@transaction.atomic
def usulan_buat(*, actor, pejabat, pada: date | None = None, ip_address=None) -> UsulanPenetapanAK:
    """The PIC starts an usulan for a holder of the instansi — or the holder for their own
    record, where the JF allows it — in the open period (or, outside one, for a holder reaching
    the BUP). Refused: another instansi's holder (not found), a second usulan for the same
    period."""
    pada = _hari_ini(pada)
    instansi = getattr(actor, "instansi", None)
    pic = instansi is not None and pejabat.instansi_id == instansi.pk and set(actor.roles) & domain.PENGAJU_INSTANSI
    if not pic and not selectors.pengaju_sendiri(actor, pejabat.pk, pejabat.jf_id):
        raise PermissionDenied
    jendela, bup = cek_periode(pejabat, pada)
    tahun = jendela.tahun if jendela else pada.year
    periode_id = jendela.periode_id if jendela else None
    if alasan := alasan_tidak_bisa_buat(pejabat, pada):
        raise PenetapanError(alasan)
    usulan = UsulanPenetapanAK.objects.create(
        instansi_id=pejabat.instansi_id,
        jf_id=pejabat.jf_id,
        pejabat=pejabat,
        pejabat_nip=pejabat.nip,
        pejabat_nama=pejabat.nama,
        jenjang_id=pejabat.jenjang_id,
        periode_id=periode_id,
        tahun=tahun,
        luar_periode_bup=bup,
        dibuat_oleh=actor,
    )
    audit.record_objek(
        "penetapan.dibuat",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=(
            _("Usulan penetapan AK di luar periode (batas usia pensiun) untuk %(n)s.")
            if bup
            else _("Usulan penetapan AK %(p)s %(t)d untuk %(n)s.")
        )
        % {"n": pejabat.nama, "p": jendela.nama if jendela else "", "t": tahun},
    )
    return usulan


@transaction.atomic
def dokumen_unggah(*, actor, usulan: UsulanPenetapanAK, jenis: str, upload, ip_address=None) -> DokumenPenetapan:
    """Evidence for the usulan, with the JF's upload checks; the earlier file of that kind is
    kept and marked replaced."""
    usulan = kunci(usulan)
    if not selectors.peran_pada(actor, usulan) & domain.PENGAJU:
        raise PermissionDenied
    if usulan.status not in domain.DAPAT_DIUBAH:
        raise PenetapanError(_("Dokumen hanya dapat diubah selama usulan berstatus draf atau dikembalikan."))
    if jenis not in DokumenPenetapan.Jenis.values:
        raise PenetapanError(_("Pilih jenis dokumen."))
    jf = usulan.jf
    checked = check_upload(upload, allowed_extensions=jf.ekstensi_berkas or ["pdf"], max_bytes=jf.ukuran_berkas_maks)
    sama = (
        DokumenPenetapan.objects.filter(usulan=usulan, sha256=checked.sha256, diganti_at__isnull=True)
        .exclude(jenis=jenis)
        .first()
    )
    if sama is not None:
        # One file for every slot (fresh-eye walk of issue 19): each document is its own.
        raise PenetapanError(
            {
                "berkas": [
                    _("Berkas ini sama persis dengan dokumen \"%(d)s\" (%(n)s) usulan ini; unggah dokumen %(j)s.")
                    % {"d": sama.get_jenis_display(), "n": sama.nama_asli,
                       "j": DokumenPenetapan.Jenis(jenis).label}
                ]
            }
        )  # fmt: skip
    now = timezone.now()
    # The earlier file of this kind is kept (marked replaced, still downloadable) and the
    # replacement audited before → after (issue 19, fresh-eye walk 2).
    lama = list(DokumenPenetapan.objects.filter(usulan=usulan, jenis=jenis, diganti_at__isnull=True).order_by("id"))
    DokumenPenetapan.objects.filter(pk__in=[d.pk for d in lama]).update(diganti_at=now)
    dok = DokumenPenetapan(
        usulan=usulan,
        pejabat_id=usulan.pejabat_id,
        instansi_id=usulan.instansi_id,
        instansi_penilai_id=usulan.instansi_penilai_id,
        jf_id=usulan.jf_id,
        jenis=jenis,
        nama_asli=checked.nama_asli,
        sha256=checked.sha256,
        ukuran=checked.ukuran,
        diunggah_oleh=actor,
    )
    dok.berkas.save(checked.nama_asli, upload, save=False)
    dok.save()
    audit.record_objek(
        "penetapan.dokumen_diunggah",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("Dokumen %(j)s diunggah: %(n)s.") % {"j": dok.get_jenis_display(), "n": dok.nama_asli},
    )
    if lama:
        audit.record_objek(
            "penetapan.dokumen_diganti",
            usulan,
            actor=actor,
            ip_address=ip_address,
            message=_("Dokumen %(j)s diganti: %(a)s → %(b)s.")
            % {"j": dok.get_jenis_display(), "a": ", ".join(d.nama_asli for d in lama), "b": dok.nama_asli},
            data={
                "jenis": jenis,
                "sebelum": [
                    {"id": d.pk, "nama": d.nama_asli, "sha256": d.sha256, "diunggah_oleh": d.diunggah_oleh_id,
                     "diunggah_at": d.diunggah_at.isoformat()}
                    for d in lama
                ],
                "sesudah": {"id": dok.pk, "nama": dok.nama_asli, "sha256": dok.sha256},
            },
        )  # fmt: skip
    return dok


@transaction.atomic
def usulan_ajukan(*, actor, usulan: UsulanPenetapanAK, pada: date | None = None, ip_address=None):
    """Submit (or resubmit after a return) to the assessing team's sekretariat. The first
    submission must still fall in the period (or the BUP exception); a resubmission after a
    return keeps its period."""
    pada = _hari_ini(pada)
    usulan = kunci(usulan)
    roles = selectors.peran_pada(actor, usulan)
    alur_cek = domain.transition_for  # the row is checked again by pindahkan; refuse early here
    try:
        alur_cek("ajukan", usulan.status, roles)
    except TransitionError as exc:
        raise PenetapanError(str(exc)) from None
    pejabat = usulan.pejabat
    if usulan.status == Status.DRAFT:
        if alasan := tanpa_konversi_baru(pejabat):
            raise PenetapanError(alasan)
        jendela, _bup = cek_periode(pejabat, pada)
        if (
            jendela is not None
            and usulan.periode_id
            and (jendela.periode_id, jendela.tahun) != (usulan.periode_id, usulan.tahun)
        ):
            raise PenetapanError(_("Periode usulan ini sudah lewat; batalkan lalu buat usulan pada periode berjalan."))
    ada = set(DokumenPenetapan.objects.filter(usulan=usulan, diganti_at__isnull=True).values_list("jenis", flat=True))
    kurang = [str(DokumenPenetapan.Jenis(j).label) for j in DOKUMEN_WAJIB if j not in ada]
    if kurang:
        raise PenetapanError(_("Lengkapi dokumen: %(d)s.") % {"d": "; ".join(kurang)})
    tim = None
    if usulan.tim_id is None:
        calon = selectors.tim_untuk(usulan.instansi, usulan.jf, pada)
        if calon is None:
            raise PenetapanError(
                _(
                    "Belum ada tim penilai angka kredit untuk jabatan fungsional ini (instansi, provinsi, maupun "
                    "pusat); hubungi admin instansi pembina."
                )
            )
        tim = calon
    now = timezone.now()
    fields = {"diajukan_at": now, "putaran": usulan.putaran + 1}
    if tim is not None:
        fields |= {"tim_id": tim.pk, "instansi_penilai_id": tim.instansi_id}
    with_tim = tim.pk if tim else usulan.tim_id
    from apps.core import tenancy

    with tenancy.all_tenants(reason="the name of the assessing team, which may be another instansi's"):
        nama_tim = TimPenilaiAK.objects.filter(pk=with_tim).values_list("nama", flat=True).first() or ""
    usulan = pindahkan(
        usulan=usulan,
        action="ajukan",
        actor=actor,
        roles=roles,
        konteks={"tim": nama_tim},
        fields=fields,
        ip_address=ip_address,
    )
    DokumenPenetapan.objects.filter(usulan=usulan).update(
        diajukan_at=now, instansi_penilai_id=usulan.instansi_penilai_id
    )
    return usulan


@transaction.atomic
def usulan_batalkan(*, actor, usulan, ip_address=None):
    usulan = kunci(usulan)
    return pindahkan(
        usulan=usulan, action="batalkan", actor=actor, roles=selectors.peran_pada(actor, usulan), ip_address=ip_address
    )


@transaction.atomic
def sekretariat_periksa(*, actor, usulan, lengkap: bool, catatan: str = "", ip_address=None):
    """The sekretariat's completeness check (seed 001 BAB III A.1.a): complete → to the team;
    incomplete → back to the PIC with notes (required)."""
    usulan = kunci(usulan)
    roles = selectors.peran_pada(actor, usulan)
    catatan = (catatan or "").strip()
    if lengkap:
        return pindahkan(
            usulan=usulan,
            action="nyatakan_lengkap",
            actor=actor,
            roles=roles,
            ip_address=ip_address,
            fields={"catatan_sekretariat": catatan},
            catatan=catatan,
        )
    if not catatan:
        raise PenetapanError(_("Tuliskan catatan: apa yang harus dilengkapi."))
    return pindahkan(
        usulan=usulan,
        action="kembalikan",
        actor=actor,
        roles=roles,
        ip_address=ip_address,
        fields={"catatan_sekretariat": catatan},
        catatan=catatan,
    )


def menilai_diri_sendiri(anggota: AnggotaTimAK, usulan) -> bool:
    """The member would assess their own usulan (by account or NIP): refused; the page offers no form."""
    return _diri_sendiri(anggota, usulan)


def _diri_sendiri(anggota: AnggotaTimAK, usulan) -> bool:
    return domain.menilai_diri_sendiri(
        anggota_user_id=anggota.user_id,
        anggota_nip=anggota.user.nip,
        pejabat_user_id=_pejabat_user_id(usulan),
        pejabat_nip=usulan.pejabat_nip,
    )


def _pejabat_user_id(usulan) -> int | None:
    from apps.core import tenancy

    with tenancy.all_tenants(reason="conflict of interest: is the member the holder's own account"):
        return (
            type(usulan)
            .pejabat.field.related_model.objects.filter(pk=usulan.pejabat_id)
            .values_list("user_id", flat=True)
            .first()
        )


@transaction.atomic
def pengganti_tunjuk(*, actor, usulan, diganti: AnggotaTimAK, pengganti: AnggotaTimAK, ip_address=None) -> PenilaianAK:
    """The ketua names a substitute member for a member who may not assess this usulan (seed
    001 E.7: the member is the holder)."""
    usulan = kunci(usulan)
    if domain.KETUA_TIM_AK not in selectors.peran_pada(actor, usulan):
        raise PermissionDenied
    if usulan.status != Status.PENILAIAN:
        raise PenetapanError(_("Anggota pengganti hanya dapat ditunjuk selama penilaian."))
    if diganti.tim_id != usulan.tim_id or pengganti.tim_id != usulan.tim_id:
        raise PenetapanError(_("Anggota tidak terdaftar pada tim penilai usulan ini."))
    if pengganti.peran != AnggotaTimAK.Peran.PENGGANTI:
        raise PenetapanError(_("Pilih anggota pengganti yang terdaftar pada tim."))
    if not _diri_sendiri(diganti, usulan):
        raise PenetapanError(
            _("%(a)s dapat menilai usulan ini sendiri; anggota pengganti tidak diperlukan.") % {"a": diganti.user}
        )
    if _diri_sendiri(pengganti, usulan):
        raise PenetapanError(str(domain.PESAN_DIRI_SENDIRI))
    if PenilaianAK.objects.filter(usulan=usulan, menggantikan=diganti).exists():
        raise PenetapanError(_("Anggota pengganti untuk %(a)s sudah ditunjuk.") % {"a": diganti.user})
    row = PenilaianAK.objects.create(
        usulan=usulan,
        instansi_id=usulan.instansi_id,
        instansi_penilai_id=usulan.instansi_penilai_id,
        jf_id=usulan.jf_id,
        anggota=pengganti,
        menggantikan=diganti,
        diajukan_at=timezone.now(),
    )
    audit.record_objek(
        "penetapan.pengganti",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("%(p)s menggantikan %(a)s dalam penilaian usulan ini.") % {"p": pengganti.user, "a": diganti.user},
    )
    return row


@transaction.atomic
def penilaian_simpan(*, actor, usulan, rekomendasi: str, catatan: str = "", ip_address=None) -> PenilaianAK:
    """A member's online assessment (seed 001 BAB IV D.1): whether they agree with the AK the
    portal computed from the holder's ledger (``selectors.angka_kredit``), whose figures are kept
    with it; a member who disagrees says why. Refused for the holder's own usulan (a substitute
    steps in) and for a substitute not named for this usulan."""
    usulan = kunci(usulan)
    anggota = selectors.anggota_dari(actor, usulan.tim_id)
    if anggota is None:
        raise PermissionDenied
    if usulan.status != Status.PENILAIAN:
        raise PenetapanError(_("Usulan ini tidak sedang dalam penilaian."))
    if _diri_sendiri(anggota, usulan):
        raise PenetapanError(str(domain.PESAN_DIRI_SENDIRI))
    if rekomendasi not in PenilaianAK.Rekomendasi.values:
        raise PenetapanError(_("Pilih penilaian: setuju atau tidak setuju dengan angka kredit hasil perhitungan."))
    catatan = (catatan or "").strip()
    if rekomendasi == PenilaianAK.Rekomendasi.TIDAK_SETUJU and not catatan:
        raise PenetapanError(
            {"catatan": [_("Tuliskan catatan: bagian angka kredit mana yang tidak sesuai dan alasannya.")]}
        )
    ak = selectors.angka_kredit(usulan)
    row = PenilaianAK.objects.filter(usulan=usulan, anggota=anggota).first()
    if anggota.peran == AnggotaTimAK.Peran.PENGGANTI and (row is None or row.menggantikan_id is None):
        raise PenetapanError(_("Anda bukan anggota pengganti yang ditunjuk untuk usulan ini."))
    if row is None:
        row = PenilaianAK(
            usulan=usulan,
            instansi_id=usulan.instansi_id,
            instansi_penilai_id=usulan.instansi_penilai_id,
            jf_id=usulan.jf_id,
            anggota=anggota,
            diajukan_at=timezone.now(),
        )
    row.rekomendasi = rekomendasi
    row.catatan = catatan
    row.ak_kumulatif, row.ak_syarat, row.memenuhi = ak.ak, ak.syarat, ak.memenuhi
    row.selesai_at = timezone.now()
    row.save()
    audit.record_objek(
        "penetapan.dinilai",
        usulan,
        actor=actor,
        ip_address=ip_address,
        message=_("Penilaian oleh %(a)s: %(r)s (AK kumulatif %(ak)s, dipersyaratkan %(s)s).")
        % {"a": actor, "r": row.get_rekomendasi_display(), "ak": format_ak(ak.ak), "s": format_ak(ak.syarat)},
        data={"rekomendasi": rekomendasi, "ak": str(ak.ak), "syarat": str(ak.syarat), "memenuhi": ak.memenuhi},
    )
    return row


@transaction.atomic
def sidang_buka(*, actor, tim: TimPenilaiAK, tanggal: date, usulan_ids, tempat: str = "", ip_address=None) -> SidangAK:
    """The sekretariat opens a sidang (seed 001 BAB IV D.2-3) for usulan of the team on which
    at least ⌈2/3⌉ of the members have assessed online."""
    if not selectors.sekretariat_aktif(actor, tim.pk):
        raise PermissionDenied
    ids = sorted({int(i) for i in usulan_ids or []})
    if not ids:
        raise PenetapanError(_("Pilih paling sedikit satu usulan."))
    n = len(selectors.anggota_reguler(tim.pk))
    perlu = domain.kuorum(n)
    rows = [kunci(u) for u in UsulanPenetapanAK.objects.filter(pk__in=ids, tim=tim).order_by("pk")]
    if len(rows) != len(ids):
        raise PenetapanError(_("Usulan tidak ditemukan pada tim ini."))
    _cek_tanggal_sidang(tanggal, rows)
    dinilai = selectors.jumlah_dinilai(ids)
    kurang = [
        _("%(n)s: %(d)d dari %(a)d anggota menilai (perlu %(p)d)")
        % {"n": u.pejabat_nama, "d": dinilai.get(u.pk, 0), "a": n, "p": perlu}
        for u in rows
        if dinilai.get(u.pk, 0) < perlu
    ]
    if kurang:
        raise PenetapanError(
            _("Sidang dapat dibuka bila paling sedikit 2/3 anggota tim telah menilai: %(k)s.")
            % {"k": "; ".join(kurang)}
        )
    sidang = SidangAK.objects.create(
        tim=tim,
        instansi_id=tim.instansi_id,
        jf_id=tim.jf_id,
        tanggal=tanggal,
        tempat=(tempat or "").strip(),
        dibuka_oleh=actor,
    )
    for u in rows:
        pindahkan(
            usulan=u,
            action="sidangkan",
            actor=actor,
            roles=selectors.peran_pada(actor, u),
            konteks={"sidang": tgl(tanggal)},
            fields={"sidang": sidang},
            ip_address=ip_address,
        )
    audit.record_objek(
        "penetapan.sidang_dibuka",
        sidang,
        actor=actor,
        ip_address=ip_address,
        message=_("Sidang %(t)s dibuka untuk %(n)d usulan.") % {"t": tgl(tanggal), "n": len(rows)},
    )
    return sidang


def _cek_tanggal_sidang(tanggal: date, rows) -> None:
    """The sidang's date lies between the latest submission or finished assessment of the usulan
    it covers (a sidang cannot be held on dossiers not yet submitted or assessed) and
    ``domain.SIDANG_MAKS_HARI`` days ahead (it is scheduled, not invented for a far year)."""
    hari = timezone.localdate()
    batas_akhir = hari + timedelta(days=domain.SIDANG_MAKS_HARI)
    if tanggal > batas_akhir:
        raise PenetapanError(
            {
                "tanggal": [
                    _("Tanggal sidang paling lambat %(b)s (%(n)d hari sejak hari ini).")
                    % {"b": tgl(batas_akhir), "n": domain.SIDANG_MAKS_HARI}
                ]
            }
        )
    ids = [u.pk for u in rows]
    saat = [u.diajukan_at for u in rows if u.diajukan_at]
    terakhir_nilai = (
        PenilaianAK.objects.filter(usulan_id__in=ids, selesai_at__isnull=False)
        .order_by("-selesai_at")
        .values_list("selesai_at", flat=True)
        .first()
    )
    if terakhir_nilai:
        saat.append(terakhir_nilai)
    if not saat:
        return
    batas_awal = timezone.localtime(max(saat)).date()
    if tanggal < batas_awal:
        raise PenetapanError(
            {
                "tanggal": [
                    _(
                        "Tanggal sidang tidak boleh sebelum %(b)s, tanggal pengajuan atau penilaian terakhir usulan "
                        "yang disidangkan."
                    )
                    % {"b": tgl(batas_awal)}
                ]
            }
        )


def suara_sidang(usulan_id: int, hadir_ids, ak) -> tuple[list[domain.Suara], list[PenilaianAK]]:
    """The finished assessments of the members attending (``hadir_ids``: AnggotaTimAK pks, a
    substitute's own), as votes on the current figures ``ak`` (``selectors.AngkaKredit``)."""
    rows = list(
        PenilaianAK.objects.filter(usulan_id=usulan_id, selesai_at__isnull=False, anggota_id__in=sorted(hadir_ids))
        .select_related("anggota__user")
        .order_by("id")
    )
    suara = [
        domain.Suara(
            setuju=r.rekomendasi == PenilaianAK.Rekomendasi.SETUJU,
            usang=r.ak_kumulatif is not None and (r.ak_kumulatif, r.ak_syarat) != (ak.ak, ak.syarat),
        )
        for r in rows
    ]
    return suara, rows


def keterangan_hapak(hasil: domain.HasilSidang, rows: list[PenilaianAK], untuk: str = "") -> str:
    """The HAPAK's reason: the AK is short of the requirement (``untuk``: the threshold it is,
    :func:`apps.penetapan.isi.syarat_untuk`), or the team did not confirm the computed AK (with
    the counts and the notes of the members who disagreed)."""
    if hasil.ak_disetujui:
        return _("Belum memenuhi angka kredit yang dipersyaratkan untuk %(u)s.") % {
            "u": untuk or _("kenaikan pangkat/jabatan")
        }
    teks = _(
        "Tim penilai tidak menyetujui angka kredit hasil perhitungan: setuju %(s)d, tidak setuju %(t)d dari %(n)d "
        "anggota hadir yang menilai."
    ) % {"s": hasil.setuju, "t": hasil.tidak_setuju + hasil.usang, "n": hasil.jumlah}
    if hasil.usang:
        teks += " " + _("%(u)d persetujuan tidak dihitung karena angka kredit berubah setelah dinilai.") % {
            "u": hasil.usang
        }
    catatan = [r.catatan for r in rows if r.rekomendasi != PenilaianAK.Rekomendasi.SETUJU and r.catatan]
    if catatan:
        teks += " " + _("Catatan: %(c)s") % {"c": " ".join(catatan)}
    return teks


def _cek_pyb(instansi_id: int, nama: str, nip: str) -> None:
    """The PYB printed on the PAK is the official who signs it: when the issuing instansi has
    registered signing officials, the PYB must be one of them — the NIP of a registered
    official and the name that official is registered under (compared without titles, case or
    punctuation, as apps.ttd's certificate check does). Otherwise the letter would land in the
    queue of whoever holds that NIP while printing another person's name."""
    from apps.core import tenancy
    from apps.ttd.models import Pejabat as PejabatTtd
    from apps.ttd.validasi import nama_sama

    with tenancy.all_tenants(reason="the issuing team's instansi's registered signing officials"):
        terdaftar = list(PejabatTtd.objects.filter(instansi_id=instansi_id, aktif=True).order_by("nama"))
    if not terdaftar:
        return  # no electronic signing at this instansi: the PAK is signed by hand and uploaded
    nip = (nip or "").strip()
    cocok = next((p for p in terdaftar if p.nip and p.nip == nip), None)
    daftar = "; ".join(f"{p.nama} (NIP {p.nip or '-'})" for p in terdaftar)
    if cocok is None:
        raise PenetapanError(
            _(
                "PYB harus pejabat penanda tangan yang terdaftar pada instansi tim penilai; NIP %(nip)s tidak "
                "terdaftar. Pejabat terdaftar: %(daftar)s."
            )
            % {"nip": nip or "-", "daftar": daftar}
        )
    if not nama_sama(nama, cocok.nama):
        raise PenetapanError(
            _(
                "Nama PYB %(nama)s tidak sesuai dengan pejabat penanda tangan terdaftar untuk NIP %(nip)s "
                "(%(terdaftar)s)."
            )
            % {"nama": nama, "nip": nip, "terdaftar": cocok.nama}
        )


def penanda_ketua(tim: TimPenilaiAK, ketua: AnggotaTimAK) -> tuple[str, str, str]:
    """(name, position, NIP) the HAPAK prints under the ketua's signature (seed 001 BAB IV E.4:
    the covering letter is the ketua's). When the ketua is a registered signing official of the
    team's instansi (apps.ttd), the name and NIP they are registered under — the ones their
    certificate bears, so the letter lands in their signing queue; else their account's."""
    from apps.core import tenancy
    from apps.ttd.models import Pejabat as PejabatTtd

    with tenancy.all_tenants(reason="the ketua's registration as a signing official of the team's instansi"):
        terdaftar = (
            PejabatTtd.objects.filter(instansi_id=tim.instansi_id, user_id=ketua.user_id, aktif=True)
            .exclude(nip="")
            .first()
        )
    jabatan = _("Ketua %(t)s") % {"t": tim.nama}
    if terdaftar is not None:
        return terdaftar.nama, jabatan, terdaftar.nip
    return ketua.user.nama_lengkap or str(ketua.user), jabatan, (ketua.user.nip or "").strip()


@transaction.atomic
def sidang_putuskan(
    *,
    actor,
    sidang: SidangAK,
    hadir_ids,
    pyb: tuple,
    tanggal: date | None = None,
    ttd_manual: bool = False,
    ip_address=None,
) -> list[UsulanPenetapanAK]:
    """The ketua closes the sidang: valid with ⌈2/3⌉ of the members attending (seed 001 BAB IV
    D.4). Each holder whose AK kumulatif meets the requirement gets a PAK signed by the PYB
    (``pyb`` = name, position, NIP; ``ttd_manual``: the ketua stated that the PYB, no registered
    signing official, signs it by hand — recorded in the audit entry), appended to the ledger;
    the others a HAPAK with the ketua's covering letter, endorsed by the sekretariat (seed 001 BAB IV E):
    its paraf chain starts with the team's sekretariat (:func:`langkah_pengesahan_hapak`)."""
    from apps.penetapan import isi as isi_mod
    from apps.surat.models import JenisSurat
    from apps.surat.services import surat_terbitkan

    sidang = SidangAK.objects.select_for_update(of=("self",)).select_related("tim", "jf").get(pk=sidang.pk)
    tim = sidang.tim
    ketua = selectors.anggota_dari(actor, tim.pk)
    if ketua is None or ketua.peran != AnggotaTimAK.Peran.KETUA:
        raise PermissionDenied
    if sidang.status != SidangAK.Status.DIBUKA:
        raise PenetapanError(_("Sidang ini sudah diputuskan."))
    if sidang.tanggal > timezone.localdate():
        raise PenetapanError(
            _("Sidang dijadwalkan %(t)s; hasilnya baru dapat diputuskan pada atau setelah tanggal itu.")
            % {"t": tgl(sidang.tanggal)}
        )
    if tanggal is not None and tanggal < sidang.tanggal:
        raise PenetapanError(
            _("Tanggal penetapan tidak boleh sebelum tanggal sidang (%(t)s).") % {"t": tgl(sidang.tanggal)}
        )
    anggota = selectors.anggota_reguler(tim.pk)
    # Substitutes attend too (their assessment counts); only the regular members make the quorum.
    semua = {a.pk: a for a in AnggotaTimAK.objects.filter(tim_id=tim.pk)}
    hadir = [semua[int(i)] for i in set(hadir_ids or []) if str(i).isdigit() and int(i) in semua]
    hadir_reguler = [a for a in hadir if a.peran != AnggotaTimAK.Peran.PENGGANTI]
    perlu = domain.kuorum(len(anggota))
    if len(hadir_reguler) < perlu:
        raise PenetapanError(
            _("Hasil sidang sah bila dihadiri paling sedikit 2/3 anggota: hadir %(h)d dari %(n)d, perlu %(p)d.")
            % {"h": len(hadir_reguler), "n": len(anggota), "p": perlu}
        )
    hadir_ids = {a.pk for a in hadir}
    nama, jabatan, nip = (x or "" for x in pyb)
    if not nama.strip() or not jabatan.strip():
        raise PenetapanError(_("Isi nama dan jabatan pejabat yang berwenang menetapkan angka kredit (PYB)."))
    _cek_pyb(tim.instansi_id, nama, nip)
    tanggal = tanggal or timezone.localdate()
    from apps.core import tenancy

    penerbit = tim.instansi
    # The result of each usulan derives from the attending members' assessments (seed 001 BAB IV
    # D.4): an usulan none of them assessed cannot be decided in this sidang.
    daftar = [
        kunci(u)
        for u in UsulanPenetapanAK.objects.filter(sidang=sidang, status=Status.SIDANG).order_by("pejabat_nama", "pk")
    ]
    putusan = []
    tanpa = []
    # The member whose own usulan is decided does not count toward its quorum (seed 001 E.7:
    # they may not assess it, so they do not decide it either).
    kurang_kuorum = []
    for usulan in daftar:
        sah = [a for a in hadir_reguler if not _diri_sendiri(a, usulan)]
        if len(sah) < perlu:
            kurang_kuorum.append(
                _("%(n)s: hadir %(h)d anggota selain yang bersangkutan, perlu %(p)d")
                % {"n": usulan.pejabat_nama, "h": len(sah), "p": perlu}
            )
    if kurang_kuorum:
        raise PenetapanError(
            _("Anggota tim yang usulannya sendiri diputuskan tidak dihitung dalam kuorum usulan itu: %(k)s.")
            % {"k": "; ".join(kurang_kuorum)}
        )
    for usulan in daftar:
        ak_usulan = selectors.angka_kredit(usulan)
        suara, rows = suara_sidang(usulan.pk, hadir_ids, ak_usulan)
        h = domain.hasil_sidang(suara, memenuhi=ak_usulan.memenuhi)
        if not h.jumlah:
            tanpa.append(usulan.pejabat_nama)
        putusan.append((usulan, ak_usulan, h, rows))
    if tanpa:
        raise PenetapanError(
            _(
                "Belum ada penilaian dari anggota yang hadir untuk: %(n)s. Hasil sidang ditetapkan dari "
                "penilaian mereka."
            )
            % {"n": "; ".join(tanpa)}
        )
    hasil = []
    for usulan, ak_usulan, h, rows in putusan:
        roles = selectors.peran_pada(actor, usulan)
        pejabat, ak, syarat = ak_usulan.pejabat, ak_usulan.ak, ak_usulan.syarat
        memenuhi = h.pak
        keterangan = "" if memenuhi else keterangan_hapak(h, rows, untuk=isi_mod.syarat_untuk(ak_usulan))
        # A PAK (the team confirms an AK that meets the requirement) or a HAPAK: one letter, its
        # kind, signer and content.
        if memenuhi:
            jenis, perihal = JenisSurat.PAK_AK, f"Penetapan Angka Kredit a.n. {usulan.pejabat_nama}"
            penandatangan = (nama, jabatan, nip)
            isi_untuk = lambda s, u=usulan, p=pejabat, a=ak, sy=syarat, an=ak_usulan: isi_mod.pak(  # noqa: E731
                s, u, p, ak=a, syarat=sy, tim=tim, angka=an
            )
        else:
            jenis, perihal = JenisSurat.HAPAK, f"Hasil Penilaian Angka Kredit a.n. {usulan.pejabat_nama}"
            penandatangan = penanda_ketua(tim, ketua)
            if not penandatangan[2]:
                raise PenetapanError(
                    _(
                        "HAPAK untuk %(n)s ditandatangani ketua tim dengan NIP-nya di bawah tanda tangan, tetapi "
                        "akun %(k)s belum memiliki NIP. Minta pengelola akun melengkapi NIP ketua (atau daftarkan "
                        "ketua sebagai pejabat penanda tangan instansi tim dengan NIP-nya), lalu putuskan sidang "
                        "kembali."
                    )
                    % {"n": usulan.pejabat_nama, "k": ketua.user}
                )
            isi_untuk = lambda s, u=usulan, p=pejabat, a=ak, sy=syarat, k=keterangan, an=ak_usulan: (  # noqa: E731
                isi_mod.hapak(s, u, p, ak=a, syarat=sy, tim=tim, keterangan=k, angka=an)
            )
        surat = surat_terbitkan(
            jenis=jenis, penerbit=penerbit, instansi_id=usulan.instansi_id, jf=usulan.jf, tanggal=tanggal,
            pejabat=pejabat, perihal=perihal, actor=actor, penandatangan=penandatangan, isi_untuk=isi_untuk,
            instansi_penilai=penerbit,
        )  # fmt: skip
        if memenuhi:
            with tenancy.all_tenants(reason="the PAK is appended to the holder's ledger (its instansi)"):
                _buku_besar_penetapan(pejabat, usulan, surat, ak, actor, masa=isi_mod.masa_penilaian(ak_usulan))
        action = "tetapkan_pak" if memenuhi else "terbitkan_hapak"
        usulan = pindahkan(
            usulan=usulan,
            action=action,
            actor=actor,
            roles=roles,
            konteks={"surat": surat.nomor},
            fields={
                "ak_kumulatif": ak,
                "ak_syarat": syarat,
                "hasil": "pak" if action == "tetapkan_pak" else "hapak",
                "surat": surat,
                "surat_nomor": surat.nomor,
            },
            data={
                "surat": surat.pk,
                "ak": str(ak),
                "syarat": str(syarat),
                "setuju": h.setuju,
                "tidak_setuju": h.tidak_setuju,
                "usang": h.usang,
            },
            ip_address=ip_address,
        )
        hasil.append(usulan)
    sidang.hadir.set(hadir)
    sidang.status = SidangAK.Status.SELESAI
    sidang.ditutup_at = timezone.now()
    sidang.save()
    audit.record_objek(
        "penetapan.sidang_diputuskan",
        sidang,
        actor=actor,
        ip_address=ip_address,
        message=_("Sidang diputuskan: hadir %(h)d dari %(n)d; %(p)d PAK, %(k)d HAPAK.")
        % {
            "h": len(hadir_reguler),
            "n": len(anggota),
            "p": sum(1 for u in hasil if u.hasil == "pak"),
            "k": sum(1 for u in hasil if u.hasil == "hapak"),
        }
        + (
            " "
            + _(
                "PAK ditandatangani basah oleh PYB %(n)s (NIP %(nip)s), yang belum terdaftar sebagai pejabat penanda "
                "tangan."
            )
            % {"n": nama, "nip": nip or "-"}
            if ttd_manual
            else ""
        ),
        data={"pyb": {"nama": nama, "jabatan": jabatan, "nip": nip}, "ttd_manual": bool(ttd_manual)},
    )
    return hasil


def langkah_pengesahan_hapak(surat) -> list[dict]:
    """The first paraf step of every version of a HAPAK (apps.ttd.services.LANGKAH_WAJIB,
    registered in apps.penetapan.apps): seed 001 BAB IV E.4.b — the HAPAK is endorsed by the
    Sekretariat Tim Penilai of the team that decided it. Any one member whose one-year term runs
    today (an active account holding the role at the team's instansi, so the paraf queue and the
    notice reach them) gives it. The team: the usulan the letter was issued for — while the
    sidang issues it, before that link is written, the holder's usulan in sidang. Refused when
    the team has no such member: nobody could endorse the letter, so the ketua could never sign."""
    from apps.accounts.models import Role
    from apps.core import tenancy

    with tenancy.all_tenants(reason="the sekretariat of the team that decided a HAPAK (seed 001 BAB IV E.4.b)"):
        usulan = UsulanPenetapanAK.objects.filter(surat_id=surat.pk).only("tim_id").first()
        if usulan is None:
            usulan = (
                UsulanPenetapanAK.objects.filter(
                    pejabat_id=surat.pejabat_id, status=Status.SIDANG, instansi_penilai_id=surat.instansi_penilai_id
                )
                .only("tim_id")
                .first()
            )
        tim = TimPenilaiAK.objects.filter(pk=getattr(usulan, "tim_id", None)).first()
        if tim is None:
            raise PenetapanError(
                _("HAPAK %(n)s tidak terhubung dengan usulan penetapan angka kredit mana pun.") % {"n": surat.nomor}
            )
        pada = timezone.localdate()
        ids = list(
            tim.sekretariat.filter(
                masa_mulai__lte=pada, masa_selesai__gte=pada, user__is_active=True,
                user__memberships__instansi_id=tim.instansi_id, user__memberships__is_active=True,
                user__memberships__role=Role.SEKRETARIAT_TIM,
            )
            .order_by("id")
            .values_list("user_id", flat=True)
            .distinct()
        )  # fmt: skip
    if not ids:
        raise PenetapanError(
            _(
                "HAPAK a.n. %(h)s disahkan dengan paraf Sekretariat Tim Penilai sebelum ketua tim "
                "menandatanganinya, tetapi %(t)s tidak memiliki anggota sekretariat yang masa keanggotaannya "
                "berlaku hari ini (dengan akun aktif berperan sekretariat tim penilai). Minta admin instansi tim "
                "menetapkan sekretariat tim, lalu ulangi."
            )
            % {"h": getattr(usulan, "pejabat_nama", "") or surat.perihal, "t": tim.nama}
        )
    return [{"sebutan": str(_("Sekretariat Tim Penilai")), "users": ids}]


def ak_usulan_segarkan(pejabat_ids=(), *, surat_id: int | None = None, actor=None) -> int:
    """The one function that keeps the AK an usulan penetapan AK stores once decided
    (``ak_kumulatif``, ``ak_syarat``: what its PAK/HAPAK states) equal to the holder's ledger: each
    decided usulan of the holders ``pejabat_ids`` (or the one whose letter is ``surat_id``) re-reads
    its figures from the ledger as it stands now, for its masa penilaian
    (:func:`apps.penetapan.koreksi.angka_pada`: a predikat corrected after the letter counts, a
    later period does not). apps.jabatan calls it whenever a movement is appended to a ledger
    (:func:`apps.jabatan.services.ak_tersimpan_segarkan`), and a corrected PAK/HAPAK does too.
    A changed figure is audited on the usulan (before → after). Returns the usulan changed."""
    from apps.core import tenancy
    from apps.penetapan.koreksi import angka_pada
    from apps.surat.models import Surat

    ids = sorted({int(i) for i in pejabat_ids or () if i})
    if not ids and surat_id is None:
        return 0
    diubah = 0
    with tenancy.all_tenants(reason="the AK a decided usulan states follows the holder's ledger"):
        qs = UsulanPenetapanAK.objects.filter(surat__isnull=False)
        qs = qs.filter(surat_id=surat_id) if surat_id is not None else qs.filter(pejabat_id__in=ids)
        for usulan in qs.order_by("pk"):
            angka = angka_pada(usulan, Surat.objects.get(pk=usulan.surat_id))
            if (usulan.ak_kumulatif, usulan.ak_syarat) == (angka.ak, angka.syarat):
                continue
            UsulanPenetapanAK.objects.filter(pk=usulan.pk).update(ak_kumulatif=angka.ak, ak_syarat=angka.syarat)
            audit.record_objek(
                "penetapan.ak_diperbarui",
                usulan,
                actor=actor if getattr(actor, "is_authenticated", False) else None,
                message=_("AK kumulatif usulan mengikuti buku angka kredit: %(a)s → %(b)s.")
                % {"a": format_ak(usulan.ak_kumulatif), "b": format_ak(angka.ak)},
                data={
                    "sebelum": None if usulan.ak_kumulatif is None else str(usulan.ak_kumulatif),
                    "sesudah": str(angka.ak),
                    "syarat": None if angka.syarat is None else str(angka.syarat),
                },
            )
            diubah += 1
    return diubah


def _buku_besar_penetapan(pejabat, usulan, surat, ak, actor, masa=(None, None)) -> None:
    """The PAK's row in the holder's ledger (apps.jabatan), with the letter as its source and the
    period it covers (its masa penilaian: ``isi.masa_penilaian``) in ``rincian`` — not in the
    row's period columns, which place a row in the ledger's order (the PAK follows the konversi
    it sums) and keep one konversi per period."""
    from apps.jabatan import services as jabatan

    mulai, selesai = masa
    jabatan.mutasi_tambah(
        pejabat,
        "penetapan",
        0,
        oleh=actor,
        surat=surat,
        rincian={
            "ak_kumulatif": str(ak),
            "usulan_penetapan": usulan.pk,
            "surat": surat.nomor,
            "masa_mulai": mulai.isoformat() if mulai else None,
            "masa_selesai": selesai.isoformat() if selesai else None,
        },
        keterangan=_("PAK %(n)s: angka kredit kumulatif %(ak)s ditetapkan.") % {"n": surat.nomor, "ak": format_ak(ak)},
    )


@transaction.atomic
def surat_koreksi(*, actor, usulan, alasan: str, pejabat=None, ip_address=None):
    """A correction of the usulan's PAK or HAPAK (seed 001 BAB IV E.5: a PAK is not contested; a
    mistake is corrected): a new version with the same number. Who may prepare it and what it may
    change (``pejabat``: a PAK's PYB, a registered signing official of the team's instansi) is
    :mod:`apps.penetapan.koreksi`'s rule: the team's sekretariat, the ketua for the HAPAK, the PYB
    for the PAK — and not the sekretariat once the PYB has signed it. The letter is filed under
    the holder's instansi, so the issuing team reaches it here."""
    from apps.core import tenancy
    from apps.surat import services as surat_services
    from apps.surat.models import Surat

    usulan = kunci(usulan)
    if not usulan.surat_id:
        raise PermissionDenied
    perubahan = {"pejabat": pejabat} if pejabat is not None else {}
    with tenancy.all_tenants(reason="the issuing team corrects its letter, filed under the holder's instansi"):
        surat = Surat.objects.get(pk=usulan.surat_id)
        return surat_services.surat_koreksi(
            actor=actor, surat=surat, alasan=alasan, perubahan=perubahan, ip_address=ip_address
        )


def _periksa_urutan_dan_tumpukan(obj) -> None:
    """A period contradicting seed 001's calendar is refused (issue 19 walk): a kenaikan pangkat
    month not after the PAK month (counted from the submission month, ``domain.jendela``), and an
    active window sharing a day with another active period of the same JF (an usulan would fall
    in both)."""
    from apps.penetapan.models import PeriodePenetapan

    if not domain.urutan_bulan_benar(obj.bulan_pengajuan, obj.bulan_pak, obj.bulan_kenaikan_pangkat):
        isi = {"kp": BULAN[obj.bulan_kenaikan_pangkat - 1], "pak": BULAN[obj.bulan_pak - 1]}
        isi["aju"] = BULAN[obj.bulan_pengajuan - 1]
        pesan = _(
            "Bulan kenaikan pangkat (%(kp)s) harus sesudah bulan penetapan PAK (%(pak)s), dihitung dari bulan "
            "pengajuan (%(aju)s): urutannya pengajuan → PAK → kenaikan pangkat, mis. Oktober → Januari → April."
        )
        raise PenetapanError({"bulan_kenaikan_pangkat": [pesan % isi]})
    if not obj.aktif:
        return
    lain = PeriodePenetapan.objects.select_for_update().filter(jf_id=obj.jf_id, aktif=True).exclude(pk=obj.pk)
    for p in lain.order_by("hari_mulai", "id"):
        if domain.jendela_bertumpuk(obj, p):
            isi = {"a": obj.hari_mulai, "b": obj.hari_selesai, "bulan": BULAN[obj.bulan_pengajuan - 1]}
            isi |= {"nama": p.nama, "c": p.hari_mulai, "d": p.hari_selesai}
            pesan = _(
                "Masa pengajuan %(a)d–%(b)d %(bulan)s bertumpuk dengan %(nama)s (%(c)d–%(d)d %(bulan)s) yang aktif "
                "pada jabatan fungsional ini: satu usulan hanya dapat masuk satu periode. Ubah tanggalnya atau "
                "nonaktifkan salah satu periode."
            )
            raise PenetapanError({"hari_mulai": [pesan % isi]})


@transaction.atomic
def periode_simpan(*, actor, jf, data: dict, periode=None, ip_address=None):
    """The JF's admin pembina adds or edits a period of penetapan AK (seed 001 BAB IV C)."""
    from apps.penetapan.models import PeriodePenetapan

    instansi = getattr(actor, "instansi", None)
    if instansi is None or "admin_pembina" not in actor.roles or jf.instansi_pembina_id != instansi.pk:
        raise PermissionDenied
    if periode is not None and periode.jf_id != jf.pk:
        raise PermissionDenied
    kode = (data.get("kode") or "").strip()
    if PeriodePenetapan.objects.filter(jf=jf, kode=kode).exclude(pk=getattr(periode, "pk", None)).exists():
        raise PenetapanError({"kode": [_("Kode periode %(k)s sudah dipakai jabatan fungsional ini.") % {"k": kode}]})
    bulan = data["bulan_pengajuan"]
    terbanyak = domain.hari_terbanyak(bulan)
    salah = {
        f: [
            _("Bulan %(bulan)s paling banyak %(n)d hari: isi tanggal 1–%(n)d.")
            % {"bulan": BULAN[bulan - 1], "n": terbanyak}
        ]
        for f in ("hari_mulai", "hari_selesai")
        if data[f] > terbanyak
    }
    if salah:
        raise PenetapanError(salah)
    if data["hari_selesai"] < data["hari_mulai"]:
        raise PenetapanError({"hari_selesai": [_("Tanggal tutup tidak boleh sebelum tanggal buka.")]})
    obj = periode or PeriodePenetapan(jf=jf)
    for field in ("kode", "nama", "bulan_pengajuan", "hari_mulai", "hari_selesai", "bulan_pak",
                  "bulan_kenaikan_pangkat", "aktif", "sumber"):  # fmt: skip
        setattr(obj, field, data.get(field, getattr(obj, field)))
    obj.kode = kode
    _periksa_urutan_dan_tumpukan(obj)
    obj.save()
    audit.record(
        "penetapan.periode_disimpan", actor=actor, instansi=instansi.pk, jf=jf.pk, obj=obj, ip_address=ip_address,
        message=_("Periode penetapan AK %(n)s disimpan: pengajuan %(a)d–%(b)d/%(m)d, PAK bulan %(p)d.")
        % {"n": obj.nama, "a": obj.hari_mulai, "b": obj.hari_selesai, "m": obj.bulan_pengajuan, "p": obj.bulan_pak},
    )  # fmt: skip
    return obj
