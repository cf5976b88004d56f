"""Kenaikan pangkat after a PAK (issue 19, items 1–2; seed 001 BAB V: "PAK in January →
kenaikan pangkat in April"; PerBKN 3/2023, seed 004 and domain.md §4).

The PIC records the SK kenaikan pangkat of a holder whose AK kumulatif met their jenjang's
threshold for the next pangkat: the next golongan (never a jump, never above the top pangkat of
the jenjang: that one comes only with kenaikan jenjang), its TMT, the SK's number and date (and
its PDF, optionally), and the PAK it rests on where the portal issued one. The ledger gets a
``kenaikan_pangkat`` row (append-only, as every movement) and the record takes the new golongan
and TMT golongan; the "due" lists compute the next threshold from there.

What the row does to the AK kumulatif — the documented reading, NOT stated in the seeds
(domain.md §4 gives the thresholds only) [U, unverified]: the kenaikan pangkat *uses* the
threshold it met, recorded as a negative value of that threshold; the AK above it carries over
toward the next pangkat; the total toward the next jenjang is untouched
(``apps.jabatan.domain.TANPA_UNTUK_JENJANG``). Example, Ahli Pertama in III/a (50 for pangkat,
100 for jenjang): AK awal 40 + konversi 18,75 = 58,75 → kenaikan pangkat to III/b −50 → 8,75
toward the next pangkat (none: III/b is the top of Ahli Pertama), 58,75 toward Ahli Muda. The
row's ``rincian`` says ``aturan_sisa_terverifikasi: false``; docs/panduan-angka-kredit.md too."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import format_ak, tgl
from apps.jabatan.domain import JenisMutasi, bulatkan
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.services import JabatanError, ak_tersimpan_segarkan
from apps.referensi.models import Golongan

#: How far ahead a TMT golongan may lie: the SK is issued before its TMT (seed 001: PAK in January,
#: kenaikan pangkat in April; October for the July PAK), never years ahead. Beyond a year is a
#: typing slip.
TMT_PALING_JAUH = timedelta(days=366)


def golongan_berikut(pejabat: PejabatFungsional) -> Golongan | None:
    """The golongan right above the holder's (None without a recorded golongan or at IV/e)."""
    if pejabat.golongan_id is None:
        return None
    return Golongan.objects.filter(urutan__gt=pejabat.golongan.urutan).order_by("urutan").first()


def pak_tersedia(pejabat: PejabatFungsional) -> list:
    """The holder's PAKs (usulan penetapan AK with result PAK and its letter) that no kenaikan
    pangkat has used yet, newest first: the PAK a new kenaikan pangkat rests on."""
    from apps.penetapan.models import UsulanPenetapanAK

    dipakai = MutasiAK.objects.filter(
        pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_PANGKAT, surat__isnull=False
    ).values_list("surat_id", flat=True)
    return list(
        UsulanPenetapanAK.objects.filter(pejabat=pejabat, hasil=UsulanPenetapanAK.Hasil.PAK, surat__isnull=False)
        .exclude(surat_id__in=list(dipakai))
        .select_related("surat")
        .order_by("-surat__tanggal", "-pk")
    )


def _wajib_pic(actor, pejabat: PejabatFungsional) -> None:
    from apps.accounts import permissions

    instansi = getattr(actor, "instansi", None)
    if not permissions.can_manage_pegawai(actor) or instansi is None or instansi.pk != pejabat.instansi_id:
        raise PermissionDenied


def cek_kenaikan_pangkat(
    pejabat: PejabatFungsional, *, golongan: Golongan | None, tmt: date | None, sk_tanggal: date | None, pak,
    pak_luar: tuple[str, date | None] | None = None,
) -> dict[str, list[str]]:  # fmt: skip
    """Why this kenaikan pangkat cannot be recorded, per field ("__all__" for the rest); empty: it can."""
    from apps.jabatan.selectors import ambang

    salah: dict[str, list[str]] = {}

    def tolak(field: str, pesan: str) -> None:
        salah.setdefault(field, []).append(pesan)

    nama = pejabat.nama
    if not pejabat.aktif:
        tolak("__all__", _("%(nama)s tidak lagi aktif dalam jabatan fungsional ini.") % {"nama": nama})
        return salah
    if pejabat.golongan_id is None:
        tolak(
            "__all__",
            _(
                "Pangkat/golongan %(nama)s saat ini belum tercatat, sehingga golongan berikutnya tidak dapat "
                "ditentukan. Lengkapi data pejabat (impor ulang) terlebih dahulu."
            )
            % {"nama": nama},
        )
        return salah
    lama, jenjang = pejabat.golongan, pejabat.jenjang
    maks = jenjang.golongan_maks
    if golongan is not None:
        sudah = (
            MutasiAK.objects.filter(pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_PANGKAT, golongan=golongan)
            .order_by("pk")
            .first()
        )
        if sudah is not None:
            tolak(
                "golongan",
                _("Kenaikan pangkat %(nama)s ke %(g)s sudah tercatat (SK %(n)s tanggal %(t)s).")
                % {"nama": nama, "g": golongan.kode, "n": sudah.dokumen_nomor or "-",
                   "t": tgl(sudah.dokumen_tanggal) if sudah.dokumen_tanggal else "-"},
            )  # fmt: skip
            return salah
    if lama.urutan >= maks.urutan:
        tolak(
            "golongan",
            _(
                "%(nama)s sudah berada pada pangkat tertinggi jenjang %(j)s (%(g)s). Kenaikan pangkat berikutnya "
                "hanya melalui kenaikan jenjang."
            )
            % {"nama": nama, "j": jenjang.nama, "g": lama.kode},
        )
        return salah
    berikut = golongan_berikut(pejabat)
    if golongan is not None and berikut is not None and golongan.pk != berikut.pk:
        if golongan.urutan > maks.urutan:
            tolak(
                "golongan",
                _(
                    "%(g)s di atas pangkat tertinggi jenjang %(j)s (%(maks)s). Kenaikan pangkat hanya ke golongan "
                    "berikutnya: %(b)s."
                )
                % {"g": golongan.kode, "j": jenjang.nama, "maks": maks.kode, "b": berikut.kode},
            )
        else:
            tolak(
                "golongan",
                _("Kenaikan pangkat hanya ke golongan berikutnya: dari %(a)s ke %(b)s, bukan %(g)s.")
                % {"a": lama.kode, "b": berikut.kode, "g": golongan.kode},
            )
    a = ambang(pejabat)
    if a.pangkat is None:  # the threshold is missing from the JF's data (reference data)
        tolak(
            "__all__",
            _("Ambang AK kumulatif kenaikan pangkat untuk jenjang %(j)s belum diisi pada data JF.")
            % {"j": jenjang.nama},
        )
    elif not a.memenuhi_pangkat:
        tolak(
            "__all__",
            _(
                "AK kumulatif %(nama)s untuk kenaikan pangkat %(ak)s belum memenuhi ambangnya (%(t)s); masih "
                "kurang %(k)s. Kenaikan pangkat dicatat setelah PAK yang memenuhi ambang itu."
            )
            % {
                "nama": nama,
                "ak": format_ak(a.ak_pangkat),
                "t": format_ak(a.pangkat),
                "k": format_ak(a.kurang_pangkat),
            },
        )
    hari_ini = timezone.localdate()
    pak_tanggal = pak.surat.tanggal if pak is not None and pak.surat_id else None
    pak_nomor = pak.surat.nomor if pak_tanggal else ""
    if pak_tanggal is None and pak_luar is not None:
        pak_nomor, pak_tanggal = pak_luar
    if tmt is not None:
        if pak_tanggal and tmt < pak_tanggal:
            tolak(
                "tmt_golongan",
                _("TMT golongan %(t)s sebelum tanggal PAK %(n)s (%(p)s) yang menjadi dasarnya.")
                % {"t": tgl(tmt), "n": pak_nomor, "p": tgl(pak_tanggal)},
            )
        elif pejabat.tmt_golongan and tmt <= pejabat.tmt_golongan:
            tolak(
                "tmt_golongan",
                _("TMT golongan baru harus sesudah TMT golongan %(g)s saat ini (%(t)s).")
                % {"g": lama.kode, "t": tgl(pejabat.tmt_golongan)},
            )
        if tmt > hari_ini + TMT_PALING_JAUH:
            tolak(
                "tmt_golongan",
                _("TMT golongan %(t)s terlalu jauh ke depan; paling lambat %(m)s. Periksa tahunnya.")
                % {"t": tgl(tmt), "m": tgl(hari_ini + TMT_PALING_JAUH)},
            )
    if sk_tanggal is not None:
        if sk_tanggal > hari_ini:
            tolak("sk_tanggal", _("Tanggal SK tidak boleh sesudah hari ini: catat SK yang sudah terbit."))
        elif pak_tanggal and sk_tanggal < pak_tanggal:
            tolak(
                "sk_tanggal",
                _("Tanggal SK %(t)s sebelum tanggal PAK %(n)s (%(p)s) yang menjadi dasarnya.")
                % {"t": tgl(sk_tanggal), "n": pak_nomor, "p": tgl(pak_tanggal)},
            )
    return salah


@transaction.atomic
def kenaikan_pangkat_catat(
    *, actor, pejabat: PejabatFungsional, golongan: Golongan, tmt_golongan: date, sk_nomor: str, sk_tanggal: date,
    pak=None, berkas=None, sk_kolektif: bool = False, pak_luar_nomor: str = "", pak_luar_tanggal: date | None = None,
    pak_luar_berkas=None, ip_address=None,
) -> MutasiAK:  # fmt: skip
    """Record the holder's kenaikan pangkat (the PIC of the holder's instansi): a
    ``kenaikan_pangkat`` row on the ledger using the threshold it met, and the record's new
    golongan and TMT golongan. ``pak`` is the :class:`apps.penetapan.models.UsulanPenetapanAK`
    whose PAK met the threshold; omitted, the newest unused PAK of the holder is taken (none for a
    holder whose PAK predates the portal). Without a portal PAK the kenaikan rests on a PAK issued
    outside the portal (before it existed): its number, date and scanned PDF are required
    (``pak_luar_*``, kept on the row and audited). Refused with :class:`JabatanError` naming the
    fields.

    One SK number is recorded once in the instansi (docs/panduan-angka-kredit.md §6), unless the
    PIC marks it ``sk_kolektif`` (one SK naming several holders, as a BKN/PPK collective SK may):
    then every holder recorded under that number carries the same SK date."""
    from apps.core.files import check_upload

    _wajib_pic(actor, pejabat)
    pejabat = (
        PejabatFungsional.objects.select_for_update(of=("self",))
        .select_related("jenjang__golongan_maks", "golongan", "jf")
        .get(pk=pejabat.pk)
    )
    sk_nomor = " ".join((sk_nomor or "").split())
    salah: dict[str, list[str]] = {}
    if not sk_nomor:
        salah["sk_nomor"] = [_("Isi nomor SK kenaikan pangkat.")]
    for field, value, pesan in (
        ("golongan", golongan, _("Pilih pangkat/golongan baru.")),
        ("tmt_golongan", tmt_golongan, _("Isi TMT golongan baru.")),
        ("sk_tanggal", sk_tanggal, _("Isi tanggal SK kenaikan pangkat.")),
    ):
        if value is None:
            salah[field] = [pesan]
    tersedia = pak_tersedia(pejabat)
    if pak is not None and pak.pk not in {p.pk for p in tersedia}:
        salah["pak"] = [
            _("PAK itu bukan PAK %(nama)s yang belum dipakai untuk kenaikan pangkat.") % {"nama": pejabat.nama}
        ]
        pak = None
    elif pak is None and tersedia:
        pak = tersedia[0]
    pak_luar_nomor = " ".join((pak_luar_nomor or "").split())
    pak_luar = None
    if pak is None and "pak" not in salah:
        # Seed 004 (PerBKN 3/2023): the kenaikan pangkat rests on the PAK that met the threshold.
        # No portal PAK: the PAK issued outside the portal, recorded with its number, date and file.
        if not (pak_luar_nomor or pak_luar_tanggal or pak_luar_berkas):
            salah.setdefault("pak", []).append(
                _(
                    "Kenaikan pangkat dicatat setelah PAK yang memenuhi ambang. %(nama)s belum memiliki PAK di "
                    "portal: untuk PAK yang terbit di luar portal, isi nomor dan tanggal PAK dan unggah berkasnya."
                )
                % {"nama": pejabat.nama}
            )
        if not pak_luar_nomor:
            salah.setdefault("pak_luar_nomor", []).append(_("Isi nomor PAK yang menjadi dasar kenaikan pangkat."))
        if pak_luar_tanggal is None:
            salah.setdefault("pak_luar_tanggal", []).append(_("Isi tanggal PAK."))
        elif pak_luar_tanggal > timezone.localdate():
            salah.setdefault("pak_luar_tanggal", []).append(_("Tanggal PAK tidak boleh sesudah hari ini."))
        if not pak_luar_berkas:
            salah.setdefault("pak_luar_berkas", []).append(_("Unggah berkas PAK (PDF)."))
        pak_luar = (pak_luar_nomor, pak_luar_tanggal)
    elif pak is not None and (pak_luar_nomor or pak_luar_tanggal or pak_luar_berkas):
        salah.setdefault("pak_luar_nomor", []).append(
            _("PAK %(n)s dari portal sudah menjadi dasar; data PAK di luar portal tidak diisi.")
            % {"n": pak.surat.nomor}
        )
    if golongan is None:
        raise JabatanError(salah)
    for field, errors in cek_kenaikan_pangkat(
        pejabat, golongan=golongan, tmt=tmt_golongan, sk_tanggal=sk_tanggal, pak=pak, pak_luar=pak_luar
    ).items():
        salah.setdefault(field, []).extend(errors)
    if (
        sk_nomor
        and MutasiAK.objects.filter(
            pejabat=pejabat, jenis=JenisMutasi.KENAIKAN_PANGKAT, dokumen_nomor=sk_nomor
        ).exists()
    ):
        salah.setdefault("sk_nomor", []).append(
            _("SK kenaikan pangkat nomor %(n)s sudah tercatat untuk %(nama)s.") % {"n": sk_nomor, "nama": pejabat.nama}
        )
    if sk_nomor:
        # The instansi's other holders under this number (the manager and RLS keep it to the
        # PIC's instansi: another instansi's SK numbers are theirs and never named here).
        lain = list(
            MutasiAK.objects.filter(jenis=JenisMutasi.KENAIKAN_PANGKAT, dokumen_nomor__iexact=sk_nomor)
            .exclude(pejabat=pejabat)
            .select_related("pejabat")
            .order_by("created_at")[:3]
        )
        if lain and not sk_kolektif:
            salah.setdefault("sk_nomor", []).append(
                _(
                    "SK kenaikan pangkat nomor %(n)s sudah tercatat untuk %(nama)s. Satu nomor SK hanya dicatat "
                    'sekali, kecuali SK kolektif (satu SK untuk beberapa pejabat): centang "SK kolektif".'
                )
                % {"n": sk_nomor, "nama": lain[0].pejabat.nama}
            )
        elif lain and sk_tanggal is not None and any(m.dokumen_tanggal != sk_tanggal for m in lain):
            salah.setdefault("sk_tanggal", []).append(
                _("SK kolektif nomor %(n)s tercatat bertanggal %(t)s; tanggal SK harus sama.")
                % {"n": sk_nomor, "t": tgl(lain[0].dokumen_tanggal)}
            )
    checked = None
    if berkas:
        try:
            checked = check_upload(berkas, allowed_extensions=["pdf"], max_bytes=pejabat.jf.ukuran_berkas_maks)
        except ValidationError as exc:
            salah.setdefault("berkas", []).extend(exc.messages)
    checked_pak = None
    if pak_luar is not None and pak_luar_berkas:
        try:
            checked_pak = check_upload(
                pak_luar_berkas, allowed_extensions=["pdf"], max_bytes=pejabat.jf.ukuran_berkas_maks
            )
        except ValidationError as exc:
            salah.setdefault("pak_luar_berkas", []).extend(exc.messages)
        if checked_pak is not None and checked is not None and checked_pak.sha256 == checked.sha256:
            salah.setdefault("pak_luar_berkas", []).append(_("Berkas PAK sama dengan berkas SK; unggah berkas PAK."))
    if salah:
        raise JabatanError(salah)
    from apps.jabatan.selectors import ambang

    a = ambang(pejabat)
    lama = pejabat.golongan
    dipakai = bulatkan(a.pangkat)
    surat = pak.surat if pak is not None else None
    rincian = {
        "dari_golongan": lama.kode,
        "ke_golongan": golongan.kode,
        "tmt_golongan": tmt_golongan.isoformat(),
        "tmt_golongan_lama": pejabat.tmt_golongan.isoformat() if pejabat.tmt_golongan else None,
        "sk_nomor": sk_nomor,
        "sk_tanggal": sk_tanggal.isoformat(),
        "pak": surat.nomor if surat else (pak_luar_nomor or None),
        "pak_tanggal": surat.tanggal.isoformat() if surat else (pak_luar_tanggal.isoformat() if pak_luar else None),
        "pak_di_luar_portal": pak_luar is not None,
        "usulan_penetapan": pak.pk if pak is not None else None,
        "ak_kumulatif_sebelum": str(a.ak_pangkat),
        "ambang_dipakai": str(dipakai),
        "sisa_dibawa": str(a.ak_pangkat - dipakai),
        # Not in the seeds (domain.md §4 gives the thresholds only): the kenaikan pangkat uses the
        # threshold it met and the AK above it carries over [U].
        "aturan_sisa_terverifikasi": False,
    }
    keterangan = _(
        "Kenaikan pangkat %(a)s → %(b)s, TMT %(tmt)s (SK %(n)s tanggal %(t)s%(pak)s); AK %(d)s dipakai, sisa %(s)s "
        "dibawa."
    ) % {
        "a": lama.kode, "b": golongan.kode, "tmt": tgl(tmt_golongan), "n": sk_nomor, "t": tgl(sk_tanggal),
        "pak": _(", dasar PAK %(p)s") % {"p": surat.nomor} if surat
        else _(", dasar PAK di luar portal %(p)s tanggal %(t)s") % {"p": pak_luar_nomor, "t": tgl(pak_luar_tanggal)},
        "d": format_ak(dipakai),
        "s": format_ak(a.ak_pangkat - dipakai),
    }  # fmt: skip
    mutasi = MutasiAK(
        instansi_id=pejabat.instansi_id, pejabat=pejabat, jf_id=pejabat.jf_id, jenjang_id=pejabat.jenjang_id,
        jenis=JenisMutasi.KENAIKAN_PANGKAT.value, nilai=-dipakai, periode_mulai=tmt_golongan, rincian=rincian,
        surat=surat, dibuat_oleh=actor, keterangan=keterangan, golongan=golongan, dokumen_nomor=sk_nomor,
        dokumen_tanggal=sk_tanggal,
    )  # fmt: skip
    if checked is not None:
        mutasi.berkas_nama, mutasi.berkas_sha256 = checked.nama_asli, checked.sha256
        mutasi.berkas.save(checked.nama_asli, berkas, save=False)
    if pak_luar is not None:
        mutasi.pak_luar_nomor, mutasi.pak_luar_tanggal = pak_luar_nomor, pak_luar_tanggal
        mutasi.pak_luar_berkas_nama, mutasi.pak_luar_berkas_sha256 = checked_pak.nama_asli, checked_pak.sha256
        mutasi.pak_luar_berkas.save(checked_pak.nama_asli, pak_luar_berkas, save=False)
    try:
        with transaction.atomic():
            mutasi.save()
    except IntegrityError:  # a concurrent entry of the same kenaikan won the unique index
        if checked is not None:
            mutasi.berkas.delete(save=False)  # no row holds the stored file: leave no orphan
        if pak_luar is not None:
            mutasi.pak_luar_berkas.delete(save=False)
        raise JabatanError(
            {"golongan": [_("Kenaikan pangkat %(nama)s ke %(g)s sudah tercatat.") % {"nama": pejabat.nama,
                                                                                   "g": golongan.kode}]}
        ) from None  # fmt: skip
    ak_tersimpan_segarkan([pejabat.pk], actor=actor)
    pejabat.golongan, pejabat.tmt_golongan = golongan, tmt_golongan
    pejabat.save(update_fields=["golongan", "tmt_golongan", "updated_at"])
    _pegawai_ikut(pejabat, lama=lama, golongan=golongan, tmt_golongan=tmt_golongan, sk_nomor=sk_nomor, actor=actor,
                  ip_address=ip_address)  # fmt: skip
    audit.record_objek(
        "jabatan.naik_pangkat",
        pejabat,
        actor=actor,
        ip_address=ip_address,
        message=_("%(nama)s naik pangkat dari %(a)s ke %(b)s, TMT %(t)s (SK %(n)s).")
        % {"nama": pejabat.nama, "a": lama.kode, "b": golongan.kode, "t": tgl(tmt_golongan), "n": sk_nomor},
        data={"mutasi": mutasi.pk, "golongan": golongan.kode, "pak": surat.pk if surat else None,
              "nilai": str(-dipakai),
              "pak_luar": {"nomor": pak_luar_nomor, "tanggal": pak_luar_tanggal.isoformat(),
                           "sha256": checked_pak.sha256} if pak_luar is not None else None},
    )  # fmt: skip
    _kabari_pejabat(pejabat, mutasi, lama)
    return mutasi


def _pegawai_ikut(pejabat: PejabatFungsional, *, lama: Golongan, golongan: Golongan, tmt_golongan: date, sk_nomor: str,
                  actor, ip_address=None) -> None:  # fmt: skip
    """The instansi's pegawai record of the holder (the one the inpassing started from, or the
    pegawai of the instansi with the holder's NIP) takes the new golongan and TMT golongan in the
    same transaction, audited as any change of a pegawai. A pegawai already recorded at that
    golongan or above (the PIC updated it by hand) is left as it is: never lowered."""
    from apps.pengusulan.models import Pegawai

    qs = Pegawai.objects.select_for_update(of=("self",)).select_related("golongan")
    pegawai = (
        qs.filter(pk=pejabat.pegawai_id).first()
        if pejabat.pegawai_id
        else qs.filter(instansi_id=pejabat.instansi_id, nip=pejabat.nip).first()
    )
    if pegawai is None or (pegawai.golongan_id and pegawai.golongan.urutan >= golongan.urutan):
        return
    sebelum = pegawai.golongan.kode if pegawai.golongan_id else "-"
    pegawai.golongan, pegawai.tmt_golongan = golongan, tmt_golongan
    pegawai.save(update_fields=["golongan", "tmt_golongan", "updated_at"])
    audit.record(
        "pegawai.diubah", actor=actor, instansi=pegawai.instansi_id, obj=pegawai, ip_address=ip_address,
        message=_("Pangkat/golongan diperbarui dari %(a)s ke %(b)s, TMT %(t)s, mengikuti kenaikan pangkat (SK %(n)s).")
        % {"a": sebelum, "b": golongan.kode, "t": tgl(tmt_golongan), "n": sk_nomor},
        data={"golongan": [sebelum, golongan.kode], "tmt_golongan": tmt_golongan.isoformat(), "pejabat": pejabat.pk,
              "dari_golongan_pejabat": lama.kode},
    )  # fmt: skip


def tmt_golongan_dari_kenaikan(pegawai) -> bool:
    """Whether the pegawai's golongan and TMT golongan are those of a kenaikan pangkat recorded in
    the portal for the same NIP in the instansi: that TMT may lie ahead (the SK precedes its TMT,
    seed 001: PAK in January, kenaikan pangkat in April), which a TMT typed by hand may not."""
    if not (pegawai.golongan_id and pegawai.tmt_golongan and pegawai.nip):
        return False
    return MutasiAK.objects.filter(
        instansi_id=pegawai.instansi_id, pejabat__nip=pegawai.nip, jenis=JenisMutasi.KENAIKAN_PANGKAT,
        golongan_id=pegawai.golongan_id, periode_mulai=pegawai.tmt_golongan,
    ).exists()  # fmt: skip


def _kabari_pejabat(pejabat: PejabatFungsional, mutasi: MutasiAK, lama: Golongan) -> None:
    """Tell the holder, when they have an active login, once the record is committed."""
    from apps.accounts.models import Membership, Role

    if (
        not pejabat.user_id
        or not Membership.objects.filter(user_id=pejabat.user_id, role=Role.PEJABAT_FUNGSIONAL, is_active=True).exists()
    ):
        return
    user = pejabat.user
    judul = _("Kenaikan pangkat Anda ke %(g)s tercatat") % {"g": mutasi.golongan.kode}
    isi = mutasi.keterangan

    def kirim():
        from django.urls import reverse

        from apps.notifikasi.services import notifikasi_buat

        notifikasi_buat([user], jenis="jabatan.kenaikan_pangkat", judul=judul, isi=isi, url_for=reverse("saya:beranda"))

    transaction.on_commit(kirim)
