"""Issue 13: AK Dasar III/d = 100 is read only in secondary material (domain.md §4 [V2]; its own
sumber says "sumber sekunder, belum terverifikasi"), so it is unverified like every other AK row
until the JF's admin pembina confirms it (rekomendasi and SK refuse an AK resting on it).

Only a row still as seeded changes — value 100, verified by no one, the seed's sumber: a row an
admin pembina has confirmed or corrected since keeps its state. Each change is audited as
``referensi.services.ak_row_update`` audits it: a ``referensi.ak_diubah`` entry for the row, and an
``usulan.ak_dihitung_ulang`` entry in the timeline of each usulan of that JF built on it whose SK
is not issued yet (its AK awal does not change)."""

from decimal import Decimal

from django.db import migrations

from apps.core import tenancy

SUMBER_SEED = (
    'PerBKN 3/2023, contoh perhitungan "Angka Kredit Dasar golongan ruang III/d sejumlah 100" [V2, domain.md §4]'
)
SEBELUM = "100 (terverifikasi)"
SESUDAH = "100 (belum terverifikasi)"
LABEL = "AK Dasar III/d"


def _ak(value) -> str:
    """An AK as the pages print it (format_ak): two decimals at most, a decimal comma."""
    if value is None:
        return "-"
    text = f"{Decimal(value).quantize(Decimal('0.01')):f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def belum_terverifikasi(apps, schema_editor):
    # The audit log and the usulan are under row-level security (also for their owner): every
    # tenant's. The backend copies the scope into the transaction before each query (apps.core.db).
    with tenancy.all_tenants(reason="data migration: AK Dasar III/d unverified, audited per JF and usulan"):
        _belum_terverifikasi(apps, schema_editor.connection.alias)


def _belum_terverifikasi(apps, db):
    AKDasar = apps.get_model("referensi", "AKDasar")
    AuditLog = apps.get_model("core", "AuditLog")
    Usulan = apps.get_model("pengusulan", "Usulan")
    rows = list(
        AKDasar.objects.using(db)
        .filter(
            golongan__kode="III/d", nilai=Decimal(100), terverifikasi=True, diverifikasi_oleh__isnull=True,
            sumber=SUMBER_SEED,
        )
        .select_related("jf")
        .order_by("pk")
    )  # fmt: skip
    if not rows:
        return
    AKDasar.objects.using(db).filter(pk__in=[r.pk for r in rows]).update(terverifikasi=False, diverifikasi_pada=None)
    entries = []
    for row in rows:
        entries.append(
            AuditLog(
                instansi_id=row.jf.instansi_pembina_id,
                jf_id=row.jf_id,
                action="referensi.ak_diubah",
                object_type="referensi.akdasar",
                object_id=str(row.pk),
                message=f"{LABEL}: {SEBELUM} → {SESUDAH} (sumber sekunder, belum terverifikasi; pembaruan data).",
                data={
                    "jf": row.jf.kode,
                    "baris": "III/d: 100",
                    "perubahan": {"terverifikasi": [True, False]},
                    "sebelum": {"nilai": "100.000", "terverifikasi": True},
                    "sesudah": {"nilai": "100.000", "terverifikasi": False},
                },
            )
        )
        terbuka = (
            Usulan.objects.using(db)
            .filter(ak_dasar_ref_id=row.pk, jf_id=row.jf_id)
            .exclude(status__in=["sk_terbit", "dibatalkan"])
            .exclude(surat_baris__jenis__in=["sk", "sk_kolektif"])
            .order_by("pk")
        )
        entries += [
            AuditLog(
                instansi_id=u.instansi_id,
                jf_id=u.jf_id,
                action="usulan.ak_dihitung_ulang",
                object_type="pengusulan.usulan",
                object_id=str(u.pk),
                message=f"Baris {LABEL} diubah: {SEBELUM} → {SESUDAH}. AK awal {_ak(u.ak_awal)} → {_ak(u.ak_awal)}.",
                data={
                    "baris": "III/d: 100",
                    "perubahan": {"terverifikasi": [True, False]},
                    "baris_sebelum": SEBELUM,
                    "baris_sesudah": SESUDAH,
                    "ak_awal": [str(u.ak_awal) if u.ak_awal is not None else None] * 2,
                },
            )
            for u in terbuka
        ]
    AuditLog.objects.using(db).bulk_create(entries)


class Migration(migrations.Migration):
    dependencies = [
        ("referensi", "0019_sumber_jf_sendiri"),
        ("core", "0009_instansi_aktif"),
        ("pengusulan", "0017_usulan_pak_unggah_ulang"),
        ("surat", "0008_pak_tim_bukan_data_pembina"),
    ]

    operations = [migrations.RunPython(belum_terverifikasi, migrations.RunPython.noop)]
