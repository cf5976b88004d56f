"""PIC services: the only code that writes pegawai, usulan, formasi and documents. Status moves
go through the transition core, ``apps.pengusulan.alur.pindahkan``.

Each is atomic, locks the row it changes, writes the audit entry, and asks for side effects
through the outbox."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.accounts import permissions as account_permissions
from apps.core import audit
from apps.core.files import check_upload
from apps.core.format import format_ak, tgl
from apps.core.transisi import TransitionError
from apps.pengusulan import ak, selectors
from apps.pengusulan.alur import UsulanError, pindahkan
from apps.pengusulan.domain import DAPAT_DIUBAH_PIC, MEMAKAI_FORMASI, SELESAI, Jenis, Status, transition_for
from apps.pengusulan.models import Dokumen, Formasi, Pegawai, Usulan
from apps.referensi import domain as rules
from apps.referensi.models import (
    AKDasar,
    JabatanFungsional,
    Jenjang,
    NilaiPenyesuaianAK,
    PersyaratanDokumen,
)
from apps.rekap import services as rekap


def _require_pic(actor) -> None:
    if not account_permissions.can_manage_pegawai(actor):
        raise PermissionDenied


def _pegawai_fields(data: dict) -> dict:
    allowed = {
        "nip", "nama", "tempat_lahir", "tanggal_lahir", "jenis_kelamin", "golongan", "tmt_golongan", "pendidikan",
        "jabatan_saat_ini", "is_pelaksana", "unit_kerja", "pengalaman_bulan", "predikat", "hukuman_disiplin",
        "tanggal_hukuman",
    }  # fmt: skip
    return {k: v for k, v in data.items() if k in allowed}


def _periksa_pegawai(pegawai: Pegawai, *, baru: bool, nip_baru: bool = False) -> None:
    """Fill birth date, sex and TMT CPNS from the NIP, then check everything at once: the NIP,
    its agreement with a recorded birth date and sex, a NIP already registered (``baru``) and the
    model's own rules. One :class:`ValidationError` with every problem, field by field."""
    errors: dict[str, list[str]] = {}
    try:
        info = rules.nip_pns(pegawai.nip)  # NipError (a ValueError), translated: not a NIP, or a PPPK one
    except ValueError as exc:
        info = None
        errors["nip"] = [str(exc)]
    if info is not None:
        pegawai.nip = info.nip
        for field, message in info.tidak_sesuai(
            tanggal_lahir=pegawai.tanggal_lahir, jenis_kelamin=pegawai.jenis_kelamin
        ).items():
            errors[field] = [message]
        if "tanggal_lahir" not in errors:
            pegawai.tanggal_lahir = info.tanggal_lahir
        if "jenis_kelamin" not in errors:
            pegawai.jenis_kelamin = info.jenis_kelamin
        pegawai.tmt_cpns = info.tmt_cpns
        if (baru or nip_baru) and selectors.pegawai_list().filter(nip=pegawai.nip).exclude(pk=pegawai.pk).exists():
            errors["nip"] = [_("NIP %(nip)s sudah terdaftar di instansi Anda.") % {"nip": pegawai.nip}]
    try:
        pegawai.full_clean(exclude=list(errors))
    except ValidationError as exc:
        for field, messages in exc.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pegawai_create(*, actor, data: dict, ip_address=None) -> Pegawai:
    """Register a pegawai of the PIC's instansi. Caller: pic_instansi."""
    _require_pic(actor)
    pegawai = Pegawai(instansi=actor.instansi, **_pegawai_fields(data))
    _periksa_pegawai(pegawai, baru=True)
    try:
        with transaction.atomic():
            pegawai.save()
    except IntegrityError:  # a concurrent double click won the race
        raise ValidationError(
            {"nip": _("NIP %(nip)s sudah terdaftar di instansi Anda.") % {"nip": pegawai.nip}}
        ) from None
    audit.record(
        "pegawai.didaftarkan", actor=actor, instansi=pegawai.instansi_id, obj=pegawai, ip_address=ip_address,
        message=_("Pegawai %(nama)s didaftarkan.") % {"nama": pegawai.nama},
    )  # fmt: skip
    return pegawai


@transaction.atomic
def pegawai_update(*, actor, pegawai: Pegawai, data: dict, ip_address=None) -> Pegawai:
    _require_pic(actor)
    locked = selectors.pegawai_list().select_for_update(of=("self",)).get(pk=pegawai.pk)
    changes = _pegawai_fields(data)
    nip_lama = locked.nip
    nip = rules.normalize_nip(changes.pop("nip", None) or "") or nip_lama
    nip_baru = nip != nip_lama
    if nip_baru and locked.nip_terkunci:
        # The NIP identifies the pegawai to the pembina once an usulan was submitted.
        raise ValidationError(
            {"nip": _("NIP tidak dapat diubah: usulan pegawai ini sudah diajukan. Hubungi instansi pembina.")}
        )
    for field, value in changes.items():
        setattr(locked, field, value)
    locked.nip = nip
    if nip_baru:  # the NIP's birth date and sex replace those of the mistyped one
        locked.tanggal_lahir, locked.jenis_kelamin = data.get("tanggal_lahir"), data.get("jenis_kelamin") or ""
    _periksa_pegawai(locked, baru=False, nip_baru=nip_baru)
    try:
        with transaction.atomic():
            locked.save()
    except IntegrityError:
        raise ValidationError(
            {"nip": _("NIP %(nip)s sudah terdaftar di instansi Anda.") % {"nip": locked.nip}}
        ) from None
    audit.record(
        "pegawai.diubah", actor=actor, instansi=locked.instansi_id, obj=locked, ip_address=ip_address,
        message=_("NIP diperbaiki dari %(a)s menjadi %(b)s.") % {"a": nip_lama, "b": locked.nip} if nip_baru else "",
        data={"nip": [nip_lama, locked.nip]} if nip_baru else None,
    )  # fmt: skip
    for usulan in locked.usulan.filter(status=Status.DRAFT):
        usulan.pegawai_nama = locked.nama
        usulan.pegawai_nip = locked.nip
        usulan.save(update_fields=["pegawai_nama", "pegawai_nip", "updated_at"])
        _refresh_jenjang(usulan)  # (a kenaikan jenjang keeps the jenjang proposed)
    return locked


def _refresh_jenjang(usulan: Usulan) -> None:
    if usulan.kenaikan_jenjang:
        return  # the next jenjang of the holder, set when it was proposed (apps.jabatan)
    params = selectors.jf_params_cached(usulan.jf)
    golongan = usulan.pegawai.golongan
    found = rules.jenjang_for_golongan(golongan.urutan, params.jenjang) if golongan else None
    jenjang_id = (
        Jenjang.objects.filter(jf=usulan.jf, kode=found.kode).values_list("pk", flat=True).first() if found else None
    )
    if usulan.jenjang_id != jenjang_id:
        lama = usulan.jenjang_id
        usulan.jenjang_id = jenjang_id
        usulan.save(update_fields=["jenjang", "updated_at"])
        rekap.rekap_catat_jenjang(usulan, lama_id=lama)


@transaction.atomic
def usulan_create(*, actor, pegawai: Pegawai, jf: JabatanFungsional, ip_address=None) -> Usulan:
    """Start an usulan (draft) for a pegawai into a JF. A repeated request returns the live one."""
    _require_pic(actor)
    existing = selectors.usulan_list().filter(pegawai=pegawai, jf=jf).exclude(status__in=SELESAI).first()
    if existing:
        return existing
    usulan = Usulan(
        instansi=actor.instansi, pegawai=pegawai, jf=jf, created_by=actor, pegawai_nip=pegawai.nip,
        pegawai_nama=pegawai.nama,
    )  # fmt: skip
    try:
        with transaction.atomic():
            usulan.save()
    except IntegrityError:  # a concurrent double click created it first
        return selectors.usulan_list().filter(pegawai=pegawai, jf=jf).exclude(status__in=SELESAI).get()
    _refresh_jenjang(usulan)
    audit.record(
        "usulan.dibuat", actor=actor, instansi=usulan.instansi_id, jf=jf, obj=usulan, ip_address=ip_address,
        message=_("Usulan %(nomor)s dibuat.") % {"nomor": usulan.nomor},
    )  # fmt: skip
    return usulan


def _lock_usulan(usulan: Usulan) -> Usulan:
    return selectors.usulan_list().select_for_update(of=("self",)).select_related("pegawai", "jf").get(pk=usulan.pk)


@transaction.atomic
def dokumen_upload(
    *, actor, jf: JabatanFungsional, persyaratan: PersyaratanDokumen, upload, usulan: Usulan | None = None,
    ip_address=None, nomor_surat: str = "", tanggal_surat: date | None = None,
) -> Dokumen:  # fmt: skip
    """Add a version of a document (per usulan, or per instansi when ``usulan`` is None).

    The PAK signed by the atasan langsung comes with its number and date (``nomor_surat``,
    ``tanggal_surat``): the SK cites them (issue 13). Caller: pic_instansi; an usulan must be draft
    or in perbaikan. Nothing is overwritten."""
    _require_pic(actor)
    from apps.referensi.services import DOKUMEN_PAK

    nomor_surat = (nomor_surat or "").strip()
    if persyaratan.kode == DOKUMEN_PAK["kode"]:
        masalah = []
        if not nomor_surat:
            masalah.append(_("Isi nomor PAK yang ditandatangani atasan langsung; SK mengutipnya."))
        elif len(nomor_surat) > 100:
            masalah.append(_("Nomor PAK paling banyak 100 karakter."))
        if tanggal_surat is None:
            masalah.append(_("Isi tanggal PAK yang ditandatangani atasan langsung; SK mengutipnya."))
        elif tanggal_surat > timezone.localdate():
            masalah.append(
                _("Tanggal PAK %(t)s belum tiba: PAK ditandatangani sebelum diunggah.") % {"t": tgl(tanggal_surat)}
            )
        elif tanggal_surat.year < 2000:
            masalah.append(_("Tanggal PAK %(t)s terlalu jauh di masa lalu.") % {"t": tgl(tanggal_surat)})
        if masalah:
            raise ValidationError(masalah)
    else:
        nomor_surat, tanggal_surat = "", None
    if persyaratan.jf_id != jf.pk:
        raise ValidationError(_("Dokumen ini bukan persyaratan JF %(jf)s.") % {"jf": jf.nama})
    expected_level = PersyaratanDokumen.Level.USULAN if usulan else PersyaratanDokumen.Level.INSTANSI
    if persyaratan.level != expected_level:
        raise ValidationError(_("Dokumen ini diunggah di halaman lain."))
    if usulan is not None and persyaratan.jenis_usulan != usulan.jenis:
        raise ValidationError(
            _("Dokumen %(doc)s bukan persyaratan usulan %(jenis)s.")
            % {"doc": persyaratan.nama, "jenis": usulan.get_jenis_display().lower()}
        )
    if usulan is not None:
        usulan = _lock_usulan(usulan)
        # A recompute changed the AK after the PAK signed by the atasan langsung was attached: its new
        # version may be uploaded whatever the status (it goes to the pembina at once).
        pak_baru = usulan.pak_unggah_ulang_sejak is not None and persyaratan.kode == DOKUMEN_PAK["kode"]
        if not usulan.dapat_diubah and not pak_baru:
            raise ValidationError(_("Usulan berstatus %(s)s tidak dapat diubah.") % {"s": usulan.status_label})
        versions = Dokumen.objects.filter(usulan=usulan, persyaratan=persyaratan)
    else:
        # Serialize version numbers of instansi documents on the formasi page's JF row lock.
        JabatanFungsional.objects.select_for_update().get(pk=jf.pk)
        versions = Dokumen.objects.filter(usulan__isnull=True, persyaratan=persyaratan)
        pak_baru = False
    checked = check_upload(upload, allowed_extensions=jf.ekstensi_berkas, max_bytes=jf.ukuran_berkas_maks)
    if pak_baru and (lama := versions.filter(sha256=checked.sha256).order_by("-versi").first()) is not None:
        # The PAK states the AK it was signed for: the same file again still states the old value.
        raise ValidationError(
            _(
                "Berkas ini sama dengan PAK versi %(v)d yang sudah diunggah (%(nama)s), yang masih memuat AK lama. "
                "Unggah PAK baru yang ditandatangani atasan langsung dengan AK %(ak)s."
            )
            % {"v": lama.versi, "nama": lama.nama_asli, "ak": format_ak(usulan.ak_awal)}
        )
    versi = (versions.aggregate(m=Max("versi"))["m"] or 0) + 1
    dokumen = Dokumen(
        instansi=actor.instansi,
        jf=jf,
        persyaratan=persyaratan,
        usulan=usulan,
        versi=versi,
        nama_asli=checked.nama_asli,
        ekstensi=checked.ekstensi,
        ukuran=checked.ukuran,
        sha256=checked.sha256,
        jumlah_halaman=checked.jumlah_halaman,
        nomor_surat=nomor_surat,
        tanggal_surat=tanggal_surat,
        uploaded_by=actor,
    )
    dokumen.berkas.save(checked.nama_asli, upload, save=False)
    if usulan is not None and pak_baru and not usulan.dapat_diubah:
        dokumen.diserahkan_at = timezone.now()
    dokumen.save()
    if usulan is not None and pak_baru:
        usulan.pak_unggah_ulang_sejak = None
        usulan.pak_ulang = dokumen
        usulan.save(update_fields=["pak_unggah_ulang_sejak", "pak_ulang", "updated_at"])
    # The pembina reads the entry (through its JF) only once the dossier was handed over: a draft's
    # uploads stay the instansi's own (a perbaikan's new versions are for the verifier to see).
    diserahkan = (
        usulan.status != Status.DRAFT
        if usulan is not None
        else Usulan.objects.filter(jf=jf).exclude(status=Status.DRAFT).exists()
    )
    audit.record(
        "dokumen.diunggah", actor=actor, instansi=dokumen.instansi_id, jf=jf if diserahkan else None,
        obj=usulan or dokumen,
        ip_address=ip_address,
        message=_("%(doc)s versi %(v)d diunggah (%(name)s).")
        % {"doc": persyaratan.nama, "v": versi, "name": checked.nama_asli},
        data={"dokumen_id": dokumen.pk, "sha256": checked.sha256, "versi": versi},
    )  # fmt: skip
    return dokumen


def _reserve_formasi(usulan: Usulan) -> Formasi:
    """Lock the formasi rows of the usulan's JF and jenjang, and take a free position.

    The row lock serializes concurrent submissions: of two PICs racing for the last position,
    the second sees it taken."""
    candidates = list(
        Formasi.objects.select_for_update()
        .filter(instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, jenjang_id=usulan.jenjang_id)
        .order_by("id")
    )
    unit = usulan.pegawai.unit_kerja.strip().lower()
    preferred = [f for f in candidates if f.unit_kerja.strip().lower() == unit and unit]
    general = [f for f in candidates if not f.unit_kerja.strip()]
    for formasi in preferred + general:
        used = Usulan.objects.filter(formasi=formasi, status__in=MEMAKAI_FORMASI).exclude(pk=usulan.pk).count()
        if used < formasi.jumlah:
            return formasi
    if not candidates:
        raise UsulanError(
            _("Belum ada formasi %(jf)s jenjang %(j)s. Isi formasi di halaman Formasi terlebih dahulu.")
            % {"jf": usulan.jf.nama, "j": usulan.jenjang.nama}
        )
    raise UsulanError(
        _("Formasi %(jf)s jenjang %(j)s sudah terisi penuh.") % {"jf": usulan.jf.nama, "j": usulan.jenjang.nama}
    )


def _serahkan_dokumen(usulan: Usulan) -> None:
    """Hand the dossier's document versions to the pembina: those of the usulan and the
    instansi's documents of its JF not yet handed over. Until then (a draft, or a version
    uploaded during perbaikan) the pembina's staff cannot see them (``Dokumen.tenancy_jf_since``)."""
    now = timezone.now()
    Dokumen.objects.filter(usulan=usulan, diserahkan_at__isnull=True).update(diserahkan_at=now)
    Dokumen.objects.filter(
        usulan__isnull=True, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id, diserahkan_at__isnull=True
    ).update(diserahkan_at=now)


def pengantar_ajukan(usulan: Usulan, *, nomor: str | None, tanggal: str | date | None) -> dict:
    """The surat pengantar arguments of :func:`usulan_ajukan` from what the page's form or the
    API's body holds (one rule for both): a first submission (a draft) carries the PPK's surat
    pengantar, nomor and tanggal (the service refuses each one missing, under its field); a
    resubmission after perbaikan keeps the stored one unless a new one is typed. An unreadable
    date is refused here, under ``pengantar_tanggal``."""
    from django.utils.dateparse import parse_date

    nomor = (nomor or "").strip()
    if isinstance(tanggal, str):
        teks = tanggal.strip()
        try:
            tanggal = parse_date(teks) if teks else None
        except ValueError:
            tanggal = None
        if teks and tanggal is None:
            raise UsulanError({"pengantar_tanggal": [_("Tanggal surat pengantar tidak valid.")]})
    if nomor or tanggal or usulan.status == Status.DRAFT:
        return {"pengantar_nomor": nomor, "pengantar_tanggal": tanggal}
    return {}


@transaction.atomic
def usulan_ajukan(
    *, actor, usulan: Usulan, on: date | None = None, pengantar_nomor: str | None = None,
    pengantar_tanggal: date | None = None, ip_address=None,
) -> Usulan:  # fmt: skip
    """Submit (or resubmit after perbaikan). Caller: pic_instansi.

    Allowed only when every mandatory document is present, no hard eligibility rule fails,
    the JF's pengajuan window is open and a formasi position is free; the checks and the
    reservation happen under row locks in one transaction. Submitting twice is harmless."""
    _require_pic(actor)
    usulan = _lock_usulan(usulan)
    if usulan.status == Status.DIAJUKAN:
        return usulan  # a double click: the first request already submitted it
    try:
        transition_for("ajukan", usulan.status, actor.roles)
    except TransitionError as exc:
        raise UsulanError(str(exc)) from None
    on = on or timezone.localdate()
    problems: list[str] = []
    pengantar = {}
    galat_pengantar: dict[str, list[str]] = {}
    if pengantar_nomor is not None or pengantar_tanggal is not None:
        # The PPK's surat pengantar accompanies the usulan (seed 000); the rekomendasi cites it.
        pengantar_nomor = (pengantar_nomor or "").strip()
        if not pengantar_nomor:
            galat_pengantar["pengantar_nomor"] = [_("Isi nomor surat pengantar usulan dari PPK.")]
        if pengantar_tanggal is None:
            galat_pengantar["pengantar_tanggal"] = [_("Isi tanggal surat pengantar usulan dari PPK.")]
        elif pengantar_tanggal > timezone.localdate():
            galat_pengantar["pengantar_tanggal"] = [_("Tanggal surat pengantar tidak boleh setelah hari ini.")]
        if not galat_pengantar:
            pengantar = {"pengantar_nomor": pengantar_nomor[:100], "pengantar_tanggal": pengantar_tanggal}
    if not selectors.pengajuan_terbuka(usulan.jf, on):
        problems.append(
            _("Masa pengajuan JF %(jf)s ditutup (%(buka)s – %(tutup)s).")
            % {
                "jf": usulan.jf.nama,
                "buka": tgl(usulan.jf.masa_pengajuan.buka),
                "tutup": tgl(usulan.jf.masa_pengajuan.tutup),
            }
        )
    _refresh_jenjang(usulan)
    # By the usulan's type: an inpassing's penyesuaian rules; a kenaikan jenjang's AK kumulatif
    # against the next jenjang's threshold (seed 004), pangkat and BUP, checked again here.
    eligibility = selectors.eligibilitas_usulan(usulan, on=on)
    problems += [o.message for o in eligibility.hard_failures]
    problems += [
        _("Dokumen wajib belum diunggah: %(doc)s.") % {"doc": p.nama} for p in selectors.dokumen_wajib_kurang(usulan)
    ]
    formasi = None
    perlu_formasi = not usulan.kenaikan_jenjang and (usulan.formasi_id is None or usulan.status == Status.DRAFT)
    # Checked with the rest, so a missing or full formasi is in the same list.
    if perlu_formasi and (usulan.jenjang_id is not None or not problems):
        try:
            formasi = _reserve_formasi(usulan)
        except UsulanError as exc:
            problems += exc.messages
    if galat_pengantar:
        # Per field (the API answers each under its name); the page lists them with the rest.
        raise UsulanError({**galat_pengantar, **({NON_FIELD_ERRORS: problems} if problems else {})})
    if problems:
        raise UsulanError(problems)
    if formasi is not None:
        usulan.formasi = formasi
    # A resubmission with nothing changed since the return is allowed (the PIC may disagree with
    # the verifier), and recorded as such: the verifier sees "tidak ada perubahan".
    tanpa_perubahan = usulan.status == Status.PERBAIKAN and not selectors.perubahan_sejak_dikembalikan(usulan)
    _serahkan_dokumen(usulan)
    return pindahkan(
        usulan=usulan,
        action="ajukan",
        actor=actor,
        data={"formasi": usulan.formasi_id, **({"tanpa_perubahan": True} if tanpa_perubahan else {})},
        catatan=_("Tanpa perubahan sejak dikembalikan untuk perbaikan.") if tanpa_perubahan else "",
        ip_address=ip_address,
        fields={
            "data_pegawai": selectors.pegawai_snapshot_json(usulan.pegawai),
            "eligibilitas": [
                {"rule": o.rule, "status": o.status.value, "message": o.message, "source": o.source}
                for o in eligibility.outcomes
            ],
            **({} if usulan.kenaikan_jenjang else selectors.ak_awal_fields(usulan.pegawai, usulan.jf_id, on=on)),
            **pengantar,
            # The PAK rule the usulan's documents follow (a PAK signed by the atasan langsung, or
            # none): its SK reads this, never the JF's setting at the time (issue 13).
            "pak_penandatangan": aturan_pak_usulan(usulan),
            "diajukan_at": usulan.diajukan_at or timezone.now(),
            "pegawai_nip": usulan.pegawai.nip,
            "pegawai_nama": usulan.pegawai.nama,
            "tenggat_perbaikan": None,
        },
    )


def aturan_pak_usulan(usulan: Usulan) -> str:
    """Who signs the usulan's PAK, as it is (re)submitted: the JF's rule today, except that an
    usulan submitted before with the PAK signed by the atasan langsung, and still carrying it,
    keeps that PAK as the one in force when resubmitted after the JF switched to "the SK's signer":
    its SK cites it and the portal issues no second PAK (issue 13)."""
    from apps.referensi.models import PakPenandatangan
    from apps.referensi.services import DOKUMEN_PAK

    atasan = PakPenandatangan.ATASAN_LANGSUNG
    if (
        usulan.pak_penandatangan == atasan
        and not usulan.kenaikan_jenjang
        and Dokumen.objects.filter(usulan=usulan, persyaratan__kode=DOKUMEN_PAK["kode"]).exists()
    ):
        return atasan
    return usulan.jf.pak_penandatangan


def usulan_berjalan_aturan_pak_lain(jf: JabatanFungsional) -> int:
    """How many of the JF's usulan in progress (submitted, SK not issued; not a kenaikan jenjang)
    follow another PAK rule than the JF's current one: they keep the rule they were submitted
    under (apps.referensi.services.pesan_aturan_pak says so when the JF's rule changes)."""
    from apps.core import tenancy

    with tenancy.all_tenants(reason="the JF's admin counts its usulan in progress, per PAK rule"):
        return (
            Usulan.objects.filter(jf=jf, diajukan_at__isnull=False)
            .exclude(status__in=[*SELESAI, Status.DRAFT])
            .exclude(jenis=Jenis.KENAIKAN_JENJANG)
            .exclude(pak_penandatangan=jf.pak_penandatangan)
            .count()
        )


@transaction.atomic
def usulan_batalkan(*, actor, usulan: Usulan, alasan: str = "", ip_address=None) -> Usulan:
    """Withdraw before verification starts; frees the formasi position. Caller: pic_instansi."""
    _require_pic(actor)
    usulan = _lock_usulan(usulan)
    if usulan.status == Status.DIBATALKAN:
        return usulan
    return pindahkan(
        usulan=usulan, action="batalkan", actor=actor, ip_address=ip_address, catatan=alasan,
        data={"alasan": alasan[:300]},
    )  # fmt: skip


@transaction.atomic
def formasi_simpan(
    *, actor, jf: JabatanFungsional, jenjang: Jenjang, unit_kerja: str, jumlah: int, ip_address=None
) -> Formasi:
    """Set the approved number of positions; never below the positions already in use."""
    _require_pic(actor)
    if jenjang.jf_id != jf.pk:
        raise ValidationError({"jenjang": _("Jenjang ini bukan jenjang JF %(jf)s.") % {"jf": jf.nama}})
    unit_kerja = unit_kerja.strip()
    lookup = {"instansi": actor.instansi, "jf": jf, "jenjang": jenjang, "unit_kerja": unit_kerja}
    formasi = Formasi.objects.select_for_update().filter(**lookup).first()
    before = formasi.jumlah if formasi else None
    if formasi is None:
        # An upsert: of several requests creating the same row at once, one inserts; the others
        # wait on the unique index, then lock and update the row it committed (was an IntegrityError).
        candidate = Formasi(**lookup, jumlah=jumlah)
        candidate.full_clean(validate_unique=False, validate_constraints=False)
        try:
            with transaction.atomic():
                candidate.save()
            formasi = candidate
        except IntegrityError:
            formasi = Formasi.objects.select_for_update().get(**lookup)
            before = formasi.jumlah
    used = Usulan.objects.filter(formasi=formasi, status__in=MEMAKAI_FORMASI).count() if before is not None else 0
    if jumlah < used:
        raise ValidationError(
            {"jumlah": _("Sudah %(n)d posisi terpakai oleh usulan; jumlah formasi tidak boleh kurang dari itu.")
             % {"n": used}}
        )  # fmt: skip
    formasi.jumlah = jumlah
    formasi.full_clean()
    formasi.save()
    audit.record(
        "formasi.disimpan", actor=actor, instansi=formasi.instansi_id, jf=jf, obj=formasi, ip_address=ip_address,
        message=f"{formasi}: {before if before is not None else '-'} → {jumlah}",
        data={"sebelum": before, "sesudah": jumlah},
    )  # fmt: skip
    return formasi


@transaction.atomic
def pegawai_impor(*, actor, berkas, jf: JabatanFungsional, ip_address=None):
    """Import pegawai (a draft usulan each) from the XLSX template (``xlsx.baca_pegawai`` checks
    the rows). Caller: pic_instansi. Returns the report; ``report.imported`` rows went in."""
    from apps.core import outbox, statistik
    from apps.core.models import AuditLog
    from apps.pengusulan import xlsx

    _require_pic(actor)
    report, good = xlsx.baca_pegawai(actor=actor, berkas=berkas, jf=jf)
    if not good:
        return report
    params = selectors.jf_params_cached(jf)
    jenjang_ids = dict(Jenjang.objects.filter(jf=jf).values_list("kode", "pk"))
    created = Pegawai.objects.bulk_create(good)
    usulan = []
    for p in created:
        found = rules.jenjang_for_golongan(p.golongan.urutan, params.jenjang)
        usulan.append(
            Usulan(
                instansi_id=p.instansi_id, pegawai=p, jf=jf, created_by=actor, pegawai_nip=p.nip,
                pegawai_nama=p.nama, jenjang_id=jenjang_ids.get(found.kode) if found else None,
            )
        )  # fmt: skip
    usulan = Usulan.objects.bulk_create(usulan)
    audit.record_bulk(
        "usulan.dibuat", usulan, actor=actor, jf=jf, ip_address=ip_address,
        message_for=lambda u: _("Usulan %(nomor)s dibuat dari impor XLSX.") % {"nomor": u.nomor},
    )  # fmt: skip
    if len(created) >= statistik.MIN_ROWS_IMPOR:
        # Many new rows: fresh planner statistics once they are committed (owner role, worker).
        tabel = [Pegawai._meta.db_table, Usulan._meta.db_table, AuditLog._meta.db_table]
        outbox.enqueue("core.analisis_statistik", tabel=tabel)
    report.imported = len(created)
    report.diimpor = usulan
    return report


# --------------------------------------------------------------------------- AK reference changes


def _rekomendasi_nomor(usulan_ids) -> dict[int, str]:
    """usulan id → the number of the rekomendasi that recommends it (issued, whatever its state)."""
    from apps.surat.models import JenisSurat, SuratUsulan

    return dict(
        SuratUsulan.objects.filter(usulan__in=usulan_ids, jenis=JenisSurat.REKOMENDASI, direkomendasikan=True)
        .order_by("surat_id")
        .values_list("usulan_id", "surat__nomor")
    )


def usulan_ak_hitung_ulang(
    *, row: NilaiPenyesuaianAK | AKDasar, diff: dict, sebelum: str = "", actor, ip_address=None
) -> int:
    """After a row of a JF's AK tables is confirmed or corrected (``referensi.services.ak_row_update``):
    recompute the AK awal of every usulan of that JF built on it that no rekomendasi recommends yet,
    and note the change (the row's value and state before → after, the AK awal before → after) in
    each one's timeline. ``sebelum``: the row's value and state before the change. Returns the number
    of usulan touched.

    An usulan a rekomendasi already recommends keeps that letter's AK: the SK and the PAK follow the
    rekomendasi they cite, so a row changed afterwards never changes them silently (issue 13). Its
    timeline says what the table gives now, and the SK is refused (``apps.surat.services``) until the
    admin pembina corrects the rekomendasi, whose new version takes the table's value
    (``apps.pengusulan.ak.usulan_ak_ikuti_tabel``)."""
    from apps.core import tenancy
    from apps.referensi.services import ak_baris_label, ak_keadaan

    field = "ak_tabel_ref" if isinstance(row, NilaiPenyesuaianAK) else "ak_dasar_ref"
    touched = 0
    sesudah = ak_keadaan(row.nilai, row.terverifikasi)
    data_dasar = {"baris": str(row), "perubahan": diff, "baris_sebelum": sebelum, "baris_sesudah": sesudah}
    label_dasar = {"row": ak_baris_label(row), "lama": sebelum or "-", "baru": sesudah}
    with tenancy.all_tenants(reason="a JF's AK row changed: recompute that JF's usulan built on it"):
        rows = list(
            Usulan.objects.select_for_update(of=("self",))
            .filter(**{field: row}, jf_id=row.jf_id)
            .exclude(status__in=[Status.SK_TERBIT, Status.DIBATALKAN])
            .exclude(surat_baris__jenis__in=["sk", "sk_kolektif"])
            .select_related("ak_tabel_ref", "ak_dasar_ref")
            .order_by("id")
        )
        rekomendasi = _rekomendasi_nomor([u.pk for u in rows])
        for usulan in rows:
            before = usulan.ak_awal
            nomor_rek = rekomendasi.get(usulan.pk)
            data, label = data_dasar, label_dasar
            if nomor_rek is not None:
                menurut_tabel = usulan.ak_menurut_tabel
                beda = menurut_tabel is not None and menurut_tabel != before
                pesan = (
                    _(
                        "Baris %(row)s diubah: %(lama)s → %(baru)s. AK awal tetap %(a)s sesuai rekomendasi %(rek)s; "
                        "menurut tabel kini %(b)s. SK dan PAK tidak dapat diterbitkan sampai admin pembina "
                        "memperbaiki rekomendasi %(rek)s."
                    )
                    if beda
                    else _("Baris %(row)s diubah: %(lama)s → %(baru)s. AK awal tetap %(a)s sesuai rekomendasi %(rek)s.")
                )
                audit.record_objek(
                    "usulan.ak_dihitung_ulang", usulan, actor=actor, ip_address=ip_address,
                    message=pesan % {**label, "a": format_ak(before), "b": format_ak(menurut_tabel), "rek": nomor_rek},
                    data={
                        **data, "ak_awal": [ak.teks(before), ak.teks(before)], "rekomendasi": nomor_rek,
                        "ak_menurut_tabel": ak.teks(menurut_tabel),
                    },
                )  # fmt: skip
                touched += 1
                continue
            if field == "ak_tabel_ref":
                usulan.ak_nilai_tabel = row.nilai
            else:
                usulan.ak_dasar = row.nilai
            usulan.ak_awal = rules.angka_kredit_penyesuaian(usulan.ak_nilai_tabel, usulan.ak_dasar)
            pak_usang = ak.ak_pak_usang(usulan, before)
            usulan.save(update_fields=["ak_nilai_tabel", "ak_dasar", "ak_awal", "pak_unggah_ulang_sejak", "updated_at"])
            if pak_usang:
                ak.kabari_pak_usang(usulan)
            audit.record_objek(
                "usulan.ak_dihitung_ulang",
                usulan,
                actor=actor,
                ip_address=ip_address,
                message=(
                    _("Baris %(row)s diubah: %(lama)s → %(baru)s. AK awal %(a)s → %(b)s.")
                    if before != usulan.ak_awal
                    else _("Baris %(row)s diubah: %(lama)s → %(baru)s. AK awal tetap %(b)s.")
                )
                % {**label, "a": format_ak(before), "b": format_ak(usulan.ak_awal)},
                data={**data, "ak_awal": [ak.teks(before), ak.teks(usulan.ak_awal)]},
            )
            touched += 1
        touched += _pratinjau_ak_dicatat(
            row=row, field=field, diff=diff, data_dasar=data_dasar, label=label_dasar,
            kecuali=[u.pk for u in rows], actor=actor, ip_address=ip_address,
        )  # fmt: skip
    return touched


def _pratinjau_ak_dicatat(*, row, field: str, diff: dict, data_dasar: dict, label: dict, kecuali, actor, ip_address):
    """The usulan the PIC can still change (a draft never submitted has no AK of its own: its page
    shows the AK awal its submission would compute today, ``selectors.ak_awal_pratinjau``) whose
    preview rests on ``row``: note the change in each one's timeline, with the preview before →
    after. Nothing is stored on them (the AK awal is fixed at submission); the entry tells the PIC
    why the figure on the page moved. ``kecuali``: the usulan already noted with their stored AK."""
    from decimal import Decimal

    hari_ini = timezone.localdate()
    filters = {"pegawai__golongan_id": row.golongan_id}
    if field == "ak_tabel_ref":
        filters["pegawai__pendidikan"] = row.pendidikan
    calon = selectors.with_ak_baris(
        Usulan.objects.filter(jf_id=row.jf_id, status__in=DAPAT_DIUBAH_PIC, jenis=Jenis.PENYESUAIAN, **filters)
        .exclude(pk__in=kecuali)
        .select_related("pegawai__golongan")
        .order_by("id")
    )
    lama = Decimal(diff["nilai"][0]) if "nilai" in diff else row.nilai
    catatan = []
    for usulan in calon:
        pratinjau = selectors.ak_awal_pratinjau(usulan, hari_ini)
        ref = pratinjau and pratinjau[field]
        if ref is None or ref.pk != row.pk:
            continue  # its preview reads another masa kerja's row (or none)
        sesudah = pratinjau["ak_awal"]
        if field == "ak_tabel_ref":
            sebelum = rules.angka_kredit_penyesuaian(lama, pratinjau["ak_dasar"])
        else:
            sebelum = rules.angka_kredit_penyesuaian(pratinjau["ak_nilai_tabel"], lama)
        nilai = {**label, "a": format_ak(sebelum), "b": format_ak(sesudah), "tgl": tgl(hari_ini)}
        pesan = (
            _("Baris %(row)s diubah: %(lama)s → %(baru)s. Pratinjau AK awal %(a)s → %(b)s (dihitung per %(tgl)s; "
              "AK awal ditetapkan saat usulan diajukan).") % nilai
            if sebelum != sesudah
            else _("Baris %(row)s diubah: %(lama)s → %(baru)s. Pratinjau AK awal tetap %(b)s (dihitung per %(tgl)s; "
                   "AK awal ditetapkan saat usulan diajukan).") % nilai
        )  # fmt: skip
        data = {**data_dasar, "pratinjau": True, "ak_awal": [ak.teks(sebelum), ak.teks(sesudah)]}
        catatan.append((usulan, pesan, data))
    if catatan:
        pesan_dari = {u.pk: (p, d) for u, p, d in catatan}
        audit.record_bulk(
            "usulan.ak_dihitung_ulang", [u for u, _p, _d in catatan], actor=actor, jf=row.jf_id, ip_address=ip_address,
            message_for=lambda u: pesan_dari[u.pk][0], data_for=lambda u: pesan_dari[u.pk][1],
        )  # fmt: skip
    return len(catatan)
