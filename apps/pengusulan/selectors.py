"""Reads for the PIC journey. Querysets come through the scoped managers, so another
instansi's rows are simply absent; related data is fetched here so that a page's query count
does not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from apps.pengusulan.domain import MEMAKAI_FORMASI, Jenis, Status
from apps.pengusulan.models import Dokumen, Formasi, Pegawai, Usulan
from apps.referensi import domain as rules
from apps.referensi import selectors as referensi_selectors
from apps.referensi.models import JabatanFungsional, Jenjang, PersyaratanDokumen


def cari_nip_nama(q: str, *, nip: str, nama: str, nomor: str | None = None) -> Q | None:
    """A search box's condition: a NIP prefix (typed with or without spaces) or a name
    fragment, and optionally an exact usulan number. None for an empty search."""
    q = q.strip()
    if not q:
        return None
    digits = "".join(q.split())
    cond = Q(**{f"{nip}__startswith": digits}) if digits.isdigit() else Q(**{f"{nama}__icontains": q})
    if nomor:
        cond |= Q(**{f"{nomor}__iexact": q})
    return cond


def pegawai_list(*, q: str = "") -> QuerySet[Pegawai]:
    qs = Pegawai.objects.select_related("golongan")
    cond = cari_nip_nama(q, nip="nip", nama="nama")
    if cond is not None:
        qs = qs.filter(cond)
    return qs.order_by("nama", "id")


def usulan_list(
    *, status: str = "", jf: str = "", jenjang: str = "", q: str = "", perlu_tindakan: bool = False
) -> QuerySet[Usulan]:
    qs = Usulan.objects.select_related("pegawai", "jf", "jenjang", "pegawai__golongan")
    if status:
        qs = qs.filter(status=status)
    if jf:
        qs = qs.filter(jf__kode=jf)
    if jenjang:
        qs = qs.filter(jenjang__kode=jenjang)
    cond = cari_nip_nama(q, nip="pegawai_nip", nama="pegawai_nama", nomor="nomor")
    if cond is not None:
        qs = qs.filter(cond)
    if perlu_tindakan:
        qs = qs.filter(status__in=[Status.PERBAIKAN, Status.DRAFT])
    return qs


def usulan_for_pic_list(**filters) -> QuerySet[Usulan]:
    """What needs the PIC first: perbaikan, then drafts, then the rest by latest change. Each row
    says whether its SK in force is a correction awaiting signature (``sk_koreksi_menunggu_ttd``)."""
    from apps.surat.selectors import dengan_koreksi_sk

    return dengan_koreksi_sk(usulan_list(**filters)).order_by(
        Case(
            When(status=Status.PERBAIKAN, then=Value(0)),
            When(status=Status.DRAFT, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        ),
        "-updated_at",
        "-id",
    )


def jenjang_pilihan() -> list[tuple[str, str]]:
    """Distinct jenjang (kode, nama) across the JFs, in career order, for filters."""
    seen: dict[str, str] = {}
    for kode, nama in Jenjang.objects.order_by("urutan", "kode").values_list("kode", "nama"):
        seen.setdefault(kode, nama)
    return list(seen.items())


def status_counts() -> dict[str, int]:
    rows = Usulan.objects.values("status").annotate(n=Count("id")).order_by()
    return {r["status"]: r["n"] for r in rows}


def jf_params_cached(jf: JabatanFungsional) -> rules.JFParams:
    return referensi_selectors.jf_params(jf)


def snapshot_of(pegawai: Pegawai) -> rules.PegawaiSnapshot:
    hukuman = []
    if pegawai.hukuman_disiplin != Pegawai.Hukuman.TIDAK_ADA and pegawai.tanggal_hukuman:
        hukuman.append((pegawai.tanggal_hukuman, rules.TingkatHukuman(pegawai.hukuman_disiplin)))
    return rules.PegawaiSnapshot(
        nip=pegawai.nip,
        tanggal_lahir=pegawai.tanggal_lahir,
        jenis_kelamin=pegawai.jenis_kelamin or None,
        golongan_urutan=pegawai.golongan.urutan if pegawai.golongan_id else None,
        golongan_kode=pegawai.golongan.kode if pegawai.golongan_id else "",
        tmt_golongan=pegawai.tmt_golongan,
        pendidikan=rules.Pendidikan(pegawai.pendidikan) if pegawai.pendidikan else None,
        pengalaman_bulan=pegawai.pengalaman_bulan,
        predikat={int(y): rules.Predikat(p) for y, p in (pegawai.predikat or {}).items() if p},
        hukuman_disiplin=tuple(hukuman),
    )


def eligibility_for(pegawai: Pegawai, jf: JabatanFungsional, *, on: date | None = None) -> rules.Eligibility:
    return rules.check_eligibility(snapshot_of(pegawai), jf_params_cached(jf), on or timezone.localdate())


def _ak_json(model, **filters):
    """A JSON array of the AK rows of ``model`` matching ``filters`` (OuterRef allowed): pk,
    masa kerja (table rows), value as exact text and verification state."""
    from django.contrib.postgres.aggregates import JSONBAgg
    from django.db.models import CharField, Subquery
    from django.db.models.functions import Cast, JSONObject

    fields = {"pk": "pk", "nilai": Cast("nilai", CharField()), "terverifikasi": "terverifikasi"}
    if hasattr(model, "masa_kerja"):
        fields["masa_kerja"] = "masa_kerja"
    return Subquery(
        model.objects.filter(**filters)
        .order_by()
        .values("jf_id")
        .annotate(baris=JSONBAgg(JSONObject(**fields)))
        .values("baris")[:1]
    )


def with_ak_baris(qs: QuerySet[Usulan]) -> QuerySet[Usulan]:
    """The usulan with its JF's AK rows for its pegawai's golongan and pendidikan (every masa kerja)
    and AK Dasar folded into the same query (``_ak_tabel_json``, ``_ak_dasar_json``): the AK awal
    preview reads no table of its own."""
    from django.db.models import OuterRef

    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    return qs.annotate(
        _ak_tabel_json=_ak_json(
            NilaiPenyesuaianAK,
            jf_id=OuterRef("jf_id"),
            golongan_id=OuterRef("pegawai__golongan_id"),
            pendidikan=OuterRef("pegawai__pendidikan"),
        ),
        _ak_dasar_json=_ak_json(AKDasar, jf_id=OuterRef("jf_id"), golongan_id=OuterRef("pegawai__golongan_id")),
    )


def _ak_baris_dari_json(pegawai: Pegawai, jf_id: int, masa_kerja: int, tabel_json, dasar_json):
    from decimal import Decimal

    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    def buat(model, data, **extra):
        obj = model(
            pk=data["pk"], jf_id=jf_id, golongan=pegawai.golongan, nilai=Decimal(data["nilai"]),
            terverifikasi=data["terverifikasi"], **extra,
        )  # fmt: skip
        obj._state.adding, obj._state.db = False, "default"
        return obj

    data = next((d for d in tabel_json or [] if d["masa_kerja"] == masa_kerja), None)
    row = buat(NilaiPenyesuaianAK, data, masa_kerja=masa_kerja, pendidikan=pegawai.pendidikan) if data else None
    dasar = buat(AKDasar, dasar_json[0]) if dasar_json else None
    return row, dasar


def _ak_awal_rows(pegawai: Pegawai, jf_id: int | None, *, on: date, dari_json=None):
    """The masa kerja, AK awal and the two reference rows (table row, AK Dasar) of ``pegawai`` in
    the JF ``jf_id``'s own tables. ``dari_json``: the usulan's rows read by :func:`with_ak_baris`
    (no query); else one query, the AK Dasar read alongside the table row."""
    from django.db.models import OuterRef, Subquery

    from apps.referensi.models import AKDasar, NilaiPenyesuaianAK

    if not (jf_id and pegawai.golongan_id and pegawai.tmt_golongan and pegawai.pendidikan):
        return None, None, (None, None)
    dari_cpns = rules.counts_from_cpns(pegawai.golongan.kode, pegawai.is_pelaksana)
    masa_kerja = rules.masa_kerja_pangkat(
        pegawai.tmt_golongan, on, hitung_dari_cpns=dari_cpns, tmt_cpns=pegawai.tmt_cpns
    )
    if dari_json is not None:
        row, dasar = _ak_baris_dari_json(pegawai, jf_id, masa_kerja, *dari_json)
    else:
        dasar_qs = AKDasar.objects.filter(jf_id=OuterRef("jf_id"), golongan_id=OuterRef("golongan_id"))
        row = (
            NilaiPenyesuaianAK.objects.filter(
                jf_id=jf_id, golongan_id=pegawai.golongan_id, masa_kerja=masa_kerja, pendidikan=pegawai.pendidikan
            )
            .annotate(
                dasar_pk=Subquery(dasar_qs.values("pk")[:1]),
                dasar_nilai=Subquery(dasar_qs.values("nilai")[:1]),
                dasar_terverifikasi=Subquery(dasar_qs.values("terverifikasi")[:1]),
            )
            .first()
        )
        dasar = None
        if row is not None and row.dasar_pk is not None:
            dasar = AKDasar(
                pk=row.dasar_pk, jf_id=jf_id, golongan=pegawai.golongan, nilai=row.dasar_nilai,
                terverifikasi=row.dasar_terverifikasi,
            )  # fmt: skip
            dasar._state.adding, dasar._state.db = False, row._state.db
        if row is not None:
            row.golongan = pegawai.golongan
    tabel = {(pegawai.golongan.kode, masa_kerja, pegawai.pendidikan): (row.nilai, row.terverifikasi)} if row else {}
    dasar_map = {pegawai.golongan.kode: (dasar.nilai, dasar.terverifikasi)} if dasar else {}
    ak = rules.hitung_ak_awal(
        golongan_kode=pegawai.golongan.kode,
        masa_kerja=masa_kerja,
        pendidikan=pegawai.pendidikan,
        tabel=tabel,
        ak_dasar=dasar_map,
    )
    return masa_kerja, ak, (row, dasar)


def ak_awal_fields(pegawai: Pegawai, jf_id: int | None, *, on: date, dari_json=None) -> dict:
    """The usulan fields of AK awal with its provenance (values and the JF's own reference rows)."""
    masa_kerja, ak, (row, dasar) = _ak_awal_rows(pegawai, jf_id, on=on, dari_json=dari_json)
    bulan = None
    if masa_kerja is not None:
        dari_cpns = rules.counts_from_cpns(pegawai.golongan.kode, pegawai.is_pelaksana) and pegawai.tmt_cpns
        bulan = rules.full_months_between(pegawai.tmt_cpns if dari_cpns else pegawai.tmt_golongan, on)
    return {
        "masa_kerja_pangkat": masa_kerja,
        "masa_kerja_bulan": bulan,
        "masa_kerja_per": on if masa_kerja is not None else None,
        "ak_awal": ak.total if ak else None,
        "ak_nilai_tabel": ak.nilai_tabel if ak else None,
        "ak_dasar": ak.ak_dasar if ak else None,
        "ak_tabel_ref": row if ak else None,
        "ak_dasar_ref": dasar if ak else None,
    }


def ak_awal_pratinjau(usulan: Usulan, on: date) -> dict | None:
    """The AK awal of an usulan the PIC can still change, computed as its submission on ``on``
    would (same rows, same rule), with the reference rows for the "belum terverifikasi" flags.
    None for a kenaikan jenjang (no AK awal)."""
    if usulan.kenaikan_jenjang or usulan.pegawai_id is None:
        return None
    dari_json = None
    if hasattr(usulan, "_ak_tabel_json"):  # read with the usulan (with_ak_baris): no query of its own
        dari_json = (usulan._ak_tabel_json, usulan._ak_dasar_json)
    return {**ak_awal_fields(usulan.pegawai, usulan.jf_id, on=on, dari_json=dari_json), "on": on}


AK_RELATED = ("ak_tabel_ref__golongan", "ak_dasar_ref__golongan", "pak_ulang__uploaded_by")


def pegawai_snapshot_json(pegawai: Pegawai) -> dict:
    """The pegawai's data as submitted: what the pembina reviews and the letters print."""
    return {
        "nip": pegawai.nip,
        "nama": pegawai.nama,
        "tempat_lahir": pegawai.tempat_lahir,
        "tanggal_lahir": pegawai.tanggal_lahir.isoformat() if pegawai.tanggal_lahir else None,
        "jenis_kelamin": pegawai.jenis_kelamin,
        "golongan": pegawai.golongan.kode if pegawai.golongan_id else "",
        "pangkat": pegawai.golongan.pangkat if pegawai.golongan_id else "",
        "tmt_golongan": pegawai.tmt_golongan.isoformat() if pegawai.tmt_golongan else None,
        "tmt_cpns": pegawai.tmt_cpns.isoformat() if pegawai.tmt_cpns else None,
        "pendidikan": pegawai.get_pendidikan_display() if pegawai.pendidikan else "",
        "jabatan_saat_ini": pegawai.jabatan_saat_ini,
        "unit_kerja": pegawai.unit_kerja,
        "pengalaman_bulan": pegawai.pengalaman_bulan,
        "predikat": pegawai.predikat,
        "hukuman_disiplin": pegawai.hukuman_disiplin,
    }


def persyaratan_usulan(jf: JabatanFungsional, jenis: str = Jenis.PENYESUAIAN) -> list[PersyaratanDokumen]:
    """The JF's per-usulan documents for an usulan of ``jenis`` (each type has its own list)."""
    return list(
        PersyaratanDokumen.objects.untuk_usulan(jf.pk, jenis)
        .filter(level=PersyaratanDokumen.Level.USULAN)
        .order_by("urutan")
    )


def persyaratan_instansi(jf: JabatanFungsional) -> list[PersyaratanDokumen]:
    return list(PersyaratanDokumen.objects.filter(jf=jf, level=PersyaratanDokumen.Level.INSTANSI).order_by("urutan"))


def eligibilitas_usulan(usulan: Usulan, on: date | None = None):
    """The eligibility an usulan is checked against, by its type: the penyesuaian rules for an
    inpassing, the kenaikan jenjang's (AK kumulatif, pangkat, BUP, time since the JF's TMT;
    ``apps.jabatan.kenaikan.syarat_kenaikan_jenjang``) for a kenaikan jenjang."""
    if usulan.kenaikan_jenjang:
        from apps.jabatan.kenaikan import syarat_kenaikan_jenjang

        return syarat_kenaikan_jenjang(usulan.pejabat, usulan.jenjang, on=on)
    return eligibility_for(usulan.pegawai, usulan.jf, on=on)


def dokumen_versions(usulan: Usulan) -> dict[int, list[Dokumen]]:
    """persyaratan id → versions, newest first."""
    out: dict[int, list[Dokumen]] = {}
    for d in Dokumen.objects.filter(usulan=usulan).select_related("uploaded_by").order_by("persyaratan_id", "-versi"):
        out.setdefault(d.persyaratan_id, []).append(d)
    return out


def dokumen_instansi_versions(jf: JabatanFungsional) -> dict[int, list[Dokumen]]:
    out: dict[int, list[Dokumen]] = {}
    rows = Dokumen.objects.filter(usulan__isnull=True, jf=jf).select_related("uploaded_by")
    for d in rows.order_by("persyaratan_id", "-versi"):
        out.setdefault(d.persyaratan_id, []).append(d)
    return out


@dataclass
class BerkasUsulan:
    """An usulan's requirements and document versions, as its detail pages show them."""

    persyaratan: list[PersyaratanDokumen]  # every requirement of the JF, by level and order
    versi: dict[int, list[Dokumen]]  # usulan-level: persyaratan id → versions, newest first
    versi_instansi: dict[int, list[Dokumen]]  # the usulan's instansi's documents for the JF

    @property
    def persyaratan_usulan(self) -> list[PersyaratanDokumen]:
        return [p for p in self.persyaratan if p.level == PersyaratanDokumen.Level.USULAN]

    @property
    def kurang(self) -> list[PersyaratanDokumen]:
        """Mandatory documents (per usulan and per instansi) not yet uploaded."""
        return [
            p
            for p in self.persyaratan
            if p.wajib
            and p.pk not in (self.versi if p.level == PersyaratanDokumen.Level.USULAN else self.versi_instansi)
        ]


def berkas_usulan(usulan: Usulan) -> BerkasUsulan:
    """Two queries whatever the number of documents: the JF's requirements, and the versions of
    the usulan's documents together with its instansi's documents for the JF."""
    from django.db.models import Q

    persyaratan = list(PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis).order_by("level", "urutan"))
    versi: dict[int, list[Dokumen]] = {}
    versi_instansi: dict[int, list[Dokumen]] = {}
    rows = (
        Dokumen.objects.filter(
            Q(usulan=usulan) | Q(usulan__isnull=True, instansi_id=usulan.instansi_id, jf_id=usulan.jf_id)
        )
        .select_related("uploaded_by")
        .order_by("persyaratan_id", "-versi")
    )
    for d in rows:
        (versi if d.usulan_id else versi_instansi).setdefault(d.persyaratan_id, []).append(d)
    return BerkasUsulan(persyaratan, versi, versi_instansi)


def dokumen_wajib_kurang(usulan: Usulan) -> list[PersyaratanDokumen]:
    """Mandatory documents (per usulan and per instansi) not yet uploaded."""
    have_usulan = set(Dokumen.objects.filter(usulan=usulan).values_list("persyaratan_id", flat=True))
    have_instansi = set(
        Dokumen.objects.filter(usulan__isnull=True, jf=usulan.jf).values_list("persyaratan_id", flat=True)
    )
    missing = []
    for p in (
        PersyaratanDokumen.objects.untuk_usulan(usulan.jf_id, usulan.jenis)
        .filter(wajib=True)
        .order_by("level", "urutan")
    ):
        have = have_usulan if p.level == PersyaratanDokumen.Level.USULAN else have_instansi
        if p.pk not in have:
            missing.append(p)
    return missing


def dokumen_untuk(user) -> QuerySet[Dokumen]:
    """Documents ``user`` may read. The scope gives the instansi its own and the pembina staff
    their JFs' documents; a penilai (without those roles) reads only the dossiers assigned to him
    or her, through the django-guardian grant. Pages and API both read documents through here."""
    from guardian.shortcuts import get_objects_for_user

    from apps.accounts import permissions

    qs = Dokumen.objects.select_related("persyaratan", "usulan")
    if permissions.can_view_instansi_data(user) or permissions.can_verify(user):
        return qs
    if permissions.can_assess(user):
        assigned = get_objects_for_user(
            user, "pengusulan.view_usulan", klass=Usulan.objects.all(), accept_global_perms=False, with_superuser=False
        )
        return qs.filter(usulan__in=assigned.values("pk"))
    return qs.none()


def formasi_overview(jf: JabatanFungsional) -> list[Formasi]:
    """Formasi rows of the JF with ``terpakai`` (positions held by live usulan) and ``sisa``."""
    used = (
        Usulan.objects.filter(formasi=OuterRef("pk"), status__in=MEMAKAI_FORMASI)
        .order_by()
        .values("formasi")
        .annotate(n=Count("id"))
        .values("n")
    )
    rows = list(
        Formasi.objects.filter(jf=jf)
        .select_related("jenjang")
        .annotate(terpakai=Subquery(used))
        .order_by("jenjang__urutan", "unit_kerja")
    )
    for row in rows:
        row.terpakai = row.terpakai or 0
        row.sisa = max(0, row.jumlah - row.terpakai)
    return rows


def perubahan_sejak_dikembalikan(usulan: Usulan) -> list[str]:
    """What the PIC changed since the usulan was returned for perbaikan (it is in perbaikan):
    the names of the documents with a new version, and "data pegawai" when the pegawai's data
    differ from those submitted. Empty: nothing changed."""
    if usulan.status != Status.PERBAIKAN:
        return []
    dokumen = (
        Dokumen.objects.filter(Q(usulan=usulan) | Q(usulan__isnull=True, instansi_id=usulan.instansi_id, jf=usulan.jf))
        .filter(created_at__gt=usulan.status_changed_at)
        .order_by("persyaratan__urutan", "versi")
        .values_list("persyaratan__nama", "versi")
    )
    berubah = [f"{nama} (v{versi})" for nama, versi in dokumen]
    if pegawai_snapshot_json(usulan.pegawai) != usulan.data_pegawai:
        berubah.append(str(_("data pegawai")))
    return berubah


#: Audit entries about the penilai, and how the instansi reads them: the PIC and PPK never see a
#: penilai's name (issue 14, item 9), only the role.
PESAN_TIM_PENILAI = {
    "usulan.penilai_ditugaskan": gettext_lazy("Penilai dari Tim Penilai ditugaskan."),
    "usulan.penilai_diganti": gettext_lazy("Seorang penilai Tim Penilai diganti."),
    "penilai.bebas_konflik": gettext_lazy("Penilai menyatakan tidak ada konflik kepentingan."),
    # The name and the reason stay with the pembina (issue 13): the instansi reads only that a
    # penilai stepped aside.
    "penilai.konflik": gettext_lazy("Seorang penilai menyatakan memiliki konflik kepentingan dan akan diganti."),
    "penilai.selesai": gettext_lazy("Penilai mengirim hasil penilaian."),
}


def timeline(usulan: Usulan, *, pembaca) -> list:
    """The usulan's history, oldest first. Each entry carries ``pelaku`` (who, as the reader may
    see it) and ``keterangan``. The pembina's staff see names; anyone else (the instansi's PIC
    and PPK) sees "Tim Penilai" for what a penilai or the ketua did, and no penilai's name."""
    from apps.accounts.models import Membership, Role
    from apps.core.models import AuditLog

    lengkap = bool(getattr(pembaca, "is_pembina_staff", False))
    qs = AuditLog.objects.filter(object_type="pengusulan.usulan", object_id=str(usulan.pk)).select_related("actor")
    if not lengkap:  # in the same query: did a penilai or the ketua act?
        tim = Membership.objects.filter(user_id=OuterRef("actor_id"), role__in=[Role.PENILAI, Role.KETUA_TIM])
        qs = qs.annotate(oleh_tim=Exists(tim))
    entries = list(qs.order_by("created_at", "id"))
    if lengkap:  # the PIC's uploads to the draft, before the dossier was handed over, are not the pembina's
        diserahkan = next((e.created_at for e in entries if e.action == "usulan.diajukan"), None)
        entries = [
            e for e in entries
            if not (e.action.startswith("dokumen.") and (diserahkan is None or e.created_at < diserahkan))
        ]  # fmt: skip
    for e in entries:
        e.pelaku = str(e.actor) if e.actor_id else "SIAKS"
        e.keterangan = e.message or e.label_aksi
        if lengkap:
            continue
        if e.oleh_tim:
            e.pelaku = str(gettext_lazy("Tim Penilai"))
        if e.action in PESAN_TIM_PENILAI:
            e.keterangan = str(PESAN_TIM_PENILAI[e.action])
    return entries


def progres_per_jenjang() -> list[dict]:
    """The PIC dashboard's progress table: per JF and jenjang, formasi, positions used, proposed,
    passed and SK issued (two grouped queries over the instansi's own rows)."""
    from django.db.models import Q, Sum

    usulan = (
        Usulan.objects.exclude(status=Status.DRAFT)
        .values("jf__nama", "jenjang__nama", "jenjang__urutan", "jf_id", "jenjang_id")
        .annotate(
            diusulkan=Count("id", filter=~Q(status=Status.DIBATALKAN)),
            terpakai=Count("id", filter=Q(status__in=MEMAKAI_FORMASI)),
            lulus=Count("id", filter=Q(status__in=[Status.LULUS, Status.DIREKOMENDASIKAN, Status.SK_TERBIT])),
            sk=Count("id", filter=Q(status=Status.SK_TERBIT)),
        )
        .order_by("jf__nama", "jenjang__urutan")
    )
    formasi = {
        (r["jf_id"], r["jenjang_id"]): r["n"]
        for r in Formasi.objects.values("jf_id", "jenjang_id").annotate(n=Sum("jumlah")).order_by()
    }
    rows = []
    for r in usulan:
        rows.append({**r, "formasi": formasi.pop((r["jf_id"], r["jenjang_id"]), 0)})
    return rows


def pengajuan_terbuka(jf: JabatanFungsional, on: date) -> bool:
    """The JF's submission window (``JabatanFungsional.masa_pengajuan``) is open on ``on``."""
    return jf.masa_pengajuan.terbuka(on)
