from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.referensi import domain
from apps.referensi.models import (
    AKDasar,
    JabatanFungsional,
    Jenjang,
    Kompetensi,
    NilaiPenyesuaianAK,
    PersyaratanDokumen,
)


def jf_list() -> QuerySet[JabatanFungsional]:
    return JabatanFungsional.objects.select_related("instansi_pembina").order_by("nama")


def jf_detail_queryset() -> QuerySet[JabatanFungsional]:
    """Everything the JF page shows, in a fixed number of queries."""
    return JabatanFungsional.objects.select_related("instansi_pembina").prefetch_related(
        "tahapan",
        Prefetch("jenjang", queryset=Jenjang.objects.select_related("golongan_min", "golongan_maks")),
        Prefetch("jenjang__kompetensi", queryset=Kompetensi.objects.order_by("jenis", "nomor")),
        Prefetch("persyaratan_dokumen", queryset=PersyaratanDokumen.objects.order_by("level", "urutan", "id")),
        "persentase_predikat",
    )


def jenjang_tanpa_standar(jf_ids) -> list[Jenjang]:
    """The jenjang of these JFs that have no competency standard yet (no Kompetensi row): their
    dossiers can pass the seleksi administrasi but no penilai can score them. JF and jenjang in
    display order."""
    return list(
        Jenjang.objects.filter(jf_id__in=list(jf_ids), kompetensi__isnull=True)
        .select_related("jf")
        .order_by("jf__nama", "urutan", "pk")
        .distinct()
    )


def jf_params(jf: JabatanFungsional) -> domain.JFParams:
    """The rule parameters of a JF as the domain engine takes them (always read fresh)."""
    jenjang = tuple(
        domain.JenjangParams(
            kode=j.kode,
            nama=j.nama,
            golongan_min=j.golongan_min.urutan,
            golongan_maks=j.golongan_maks.urutan,
            pendidikan_min=domain.PENDIDIKAN_URUTAN[domain.Pendidikan(j.pendidikan_min)],
            batas_usia_pensiun=j.batas_usia_pensiun,
            koefisien=j.koefisien_ak,
            sumber_pendidikan=(j.persyaratan or {}).get("sumber", "")
            if (j.persyaratan or {}).get("pendidikan")
            else "",
        )
        for j in Jenjang.objects.filter(jf=jf).select_related("golongan_min", "golongan_maks").order_by("urutan")
    )
    return domain.JFParams(
        nama=jf.nama,
        usia_maks=jf.usia_maks,
        pengalaman_min_tahun=jf.pengalaman_min_tahun,
        predikat_min=domain.Predikat(jf.predikat_min),
        predikat_tahun=jf.predikat_tahun,
        disiplin_tahun=jf.disiplin_tahun,
        jenjang=jenjang,
        sumber_usia=jf.sumber_usia,
        sumber_pengalaman=jf.sumber_pengalaman,
        sumber_kinerja=jf.sumber_kinerja,
        sumber_disiplin=jf.sumber_disiplin,
        usia_tafsir=domain.TafsirUsia(jf.usia_tafsir),
        kinerja_disiplin_status=domain.Status(jf.kinerja_disiplin_status),
    )


def ak_tables(jf: JabatanFungsional):
    """The JF's own penyesuaian table and AK Dasar as the domain engine takes them."""
    tabel = {
        (row.golongan.kode, row.masa_kerja, row.pendidikan): (row.nilai, row.terverifikasi)
        for row in NilaiPenyesuaianAK.objects.filter(jf=jf).select_related("golongan")
    }
    dasar = {
        row.golongan.kode: (row.nilai, row.terverifikasi)
        for row in AKDasar.objects.filter(jf=jf).select_related("golongan")
    }
    return tabel, dasar


def ak_jf_terbaca(user) -> QuerySet[JabatanFungsional]:
    """The JFs whose AK tables ``user`` may list (``permissions.can_list_ak_tables``): an admin
    pembina its own JFs only, the superadmin and every other role all of them (reference data a PIC
    reads before proposing, read-only)."""
    from apps.accounts.models import Role
    from apps.accounts.permissions import has_role, is_superadmin

    qs = jf_list()
    if not is_superadmin(user) and has_role(user, Role.ADMIN_PEMBINA):
        return qs.filter(instansi_pembina_id=user.instansi.pk if user.instansi else None)
    return qs


def ak_baris_riwayat(row, *, limit: int = 50) -> list[AuditLog]:
    """The changes to one row of a JF's AK tables (value and state, before → after)."""
    with tenancy.scope(row.jf.instansi_pembina_id):
        return list(
            AuditLog.objects.filter(
                action__startswith="referensi.ak_", object_type=row._meta.label_lower, object_id=str(row.pk)
            )
            .select_related("actor")
            .order_by("-created_at", "-id")[:limit]
        )


def jf_history(jf: JabatanFungsional, *, limit: int = 200) -> list[AuditLog]:
    """Changes to a JF's reference data (filed under its pembina)."""
    with tenancy.scope(jf.instansi_pembina_id):
        return list(
            AuditLog.objects.filter(action__startswith="referensi.", data__jf=jf.kode)
            .select_related("actor")
            .order_by("-created_at", "-id")[:limit]
        )
