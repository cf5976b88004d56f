"""An usulan's AK awal following its JF's AK table: the pieces both the PIC's services
(``usulan_ak_hitung_ulang``, after a table row changes) and the letter code (a corrected
rekomendasi, ``apps.surat.services``) use. The letter code never imports the PIC's services
(tests/verifikasi/test_workflow.py), so what they share lives here."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from apps.core import audit
from apps.core.format import format_ak
from apps.pengusulan.domain import Jenis, Status
from apps.pengusulan.models import Usulan
from apps.referensi.models import PakPenandatangan


def teks(nilai) -> str | None:
    return None if nilai is None else str(nilai)


def ak_pak_usang(usulan: Usulan, before) -> bool:
    """The attached PAK signed by the atasan langsung states the AK it was signed for: once the AK
    changes it no longer matches (the SK's KETIGA cites it), so the PIC uploads a new one. Marks the
    usulan (saved by the caller) and returns whether it did."""
    usang = (
        before != usulan.ak_awal
        and usulan.pak_penandatangan == PakPenandatangan.ATASAN_LANGSUNG
        and not usulan.kenaikan_jenjang
    )
    if usang:
        usulan.pak_unggah_ulang_sejak = timezone.now()
    return usang


def kabari_pak_usang(usulan: Usulan) -> None:
    from apps.core import outbox

    outbox.enqueue("pengusulan.kabari_pak_unggah_ulang", usulan_id=usulan.pk, ak_awal=teks(usulan.ak_awal))


@transaction.atomic
def usulan_ak_ikuti_tabel(*, usulan_list, surat, actor, ip_address=None) -> list[Usulan]:
    """The admin pembina corrects the rekomendasi ``surat`` (``apps.surat.services.surat_koreksi``,
    in its transaction): each usulan it recommends whose SK is not issued takes the AK awal its
    reference rows give today, noted in its timeline (before → after, naming the letter), so that
    the new version, the SK and the PAK state the same value. Returns the usulan whose AK changed."""
    from apps.core import tenancy

    berubah = []
    with tenancy.all_tenants(reason="a corrected rekomendasi takes its usulan's AK from the JF's AK table"):
        rows = (
            Usulan.objects.select_for_update(of=("self",))
            .filter(pk__in=[u.pk for u in usulan_list], status=Status.DIREKOMENDASIKAN)
            .exclude(jenis=Jenis.KENAIKAN_JENJANG)
            .exclude(surat_baris__jenis__in=["sk", "sk_kolektif"])
            .select_related("ak_tabel_ref", "ak_dasar_ref")
            .order_by("id")
        )
        for usulan in rows:
            before = usulan.ak_awal
            if usulan.ak_menurut_tabel is None or usulan.ak_menurut_tabel == before:
                continue
            usulan.ak_nilai_tabel = usulan.ak_tabel_ref.nilai
            usulan.ak_dasar = usulan.ak_dasar_ref.nilai
            usulan.ak_awal = usulan.ak_menurut_tabel
            pak_usang = ak_pak_usang(usulan, before)
            usulan.save(update_fields=["ak_nilai_tabel", "ak_dasar", "ak_awal", "pak_unggah_ulang_sejak", "updated_at"])
            if pak_usang:
                kabari_pak_usang(usulan)
            audit.record_objek(
                "usulan.ak_dihitung_ulang", usulan, actor=actor, ip_address=ip_address,
                message=_("Rekomendasi %(rek)s diperbaiki: AK awal %(a)s → %(b)s mengikuti tabel angka kredit.")
                % {"rek": surat.nomor, "a": format_ak(before), "b": format_ak(usulan.ak_awal)},
                data={"ak_awal": [teks(before), teks(usulan.ak_awal)], "rekomendasi": surat.nomor},
            )  # fmt: skip
            berubah.append(usulan)
    return berubah
