"""Generate a national-scale dataset for benchmarks: N usulan across M instansi (bulk inserts).

Not for production data: every row is marked with NIP sequence numbers of the generator."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.management.base import BaseCommand
from django.db import transaction

from apps.core import statistik, tenancy
from apps.core.models import Instansi
from apps.pengusulan.domain import Status
from apps.pengusulan.models import Pegawai, Usulan
from apps.referensi.models import Golongan, JabatanFungsional, Jenjang

STATUS_WEIGHTS = {
    Status.DRAFT: 8,
    Status.DIAJUKAN: 25,
    Status.VERIFIKASI: 12,
    Status.PERBAIKAN: 8,
    Status.TIDAK_MEMENUHI_SYARAT: 4,
    Status.LULUS_ADMINISTRASI: 10,
    Status.PENILAIAN: 10,
    Status.LULUS: 8,
    Status.TIDAK_LULUS: 3,
    Status.DIREKOMENDASIKAN: 5,
    Status.SK_TERBIT: 5,
    Status.DIBATALKAN: 2,
}


class Command(BaseCommand):
    help = "Bulk-generate pegawai and usulan for benchmarks (default 100,000 across 630 instansi)."

    def add_arguments(self, parser):
        parser.add_argument("--usulan", type=int, default=100_000)
        parser.add_argument("--instansi", type=int, default=630)
        parser.add_argument("--seed", type=int, default=2026)
        parser.add_argument("--batch", type=int, default=5000)

    def handle(self, *args, usulan, instansi, seed, batch, **options):
        rng = random.Random(seed)  # noqa: S311 - benchmark data, not security
        jfs = list(JabatanFungsional.objects.all())
        if not jfs:
            self.stderr.write("Muat referensi dahulu: manage.py load_referensi")
            return
        jenjang = {jf.pk: list(Jenjang.objects.filter(jf=jf).select_related("golongan_min")) for jf in jfs}
        golongan = {g.pk: g for g in Golongan.objects.all()}
        kinds = [Instansi.Jenis.KABUPATEN, Instansi.Jenis.KOTA, Instansi.Jenis.PROVINSI, Instansi.Jenis.KEMENTERIAN]
        with transaction.atomic(), tenancy.all_tenants(reason="benchmark data generator"):
            have = set(Instansi.objects.filter(kode__startswith="GEN-").values_list("kode", flat=True))
            Instansi.objects.bulk_create(
                Instansi(kode=f"GEN-{i:04d}", nama=f"Instansi Uji {i:04d}", jenis=kinds[i % len(kinds)])
                for i in range(instansi)
                if f"GEN-{i:04d}" not in have
            )
            targets = list(Instansi.objects.filter(kode__startswith="GEN-").order_by("kode")[:instansi])
        statuses, weights = zip(*STATUS_WEIGHTS.items(), strict=True)
        start = datetime(2026, 1, 5, 8, tzinfo=ZoneInfo("Asia/Jakarta"))
        made = 0
        while made < usulan:
            n = min(batch, usulan - made)
            with transaction.atomic(), tenancy.all_tenants(reason="benchmark data generator"):
                pegawai, rows = [], []
                for i in range(made, made + n):
                    inst = targets[i % len(targets)]
                    jf = jfs[i % len(jfs)]
                    j = rng.choice(jenjang[jf.pk])
                    # birth date and sequence number together are unique per row (up to 9 million)
                    born = date(1970, 1, 1) + timedelta(days=i % 9000)
                    nip = f"{born:%Y%m%d}{born.year + 25}{1 + i % 12:02d}{1 + i % 2}{(i // 9000) % 1000:03d}"
                    pegawai.append(
                        Pegawai(
                            instansi=inst,
                            nip=nip,
                            nama=f"Pegawai Uji {i}",
                            tanggal_lahir=born,
                            jenis_kelamin="L" if i % 2 == 0 else "P",
                            golongan=golongan[j.golongan_min_id],
                            pendidikan="s1",
                            pengalaman_bulan=36,
                        )
                    )
                    status = rng.choices(statuses, weights)[0]
                    rows.append((inst, jf, j, status, start + timedelta(minutes=i * 3 + rng.randint(0, 2))))
                created = Pegawai.objects.bulk_create(pegawai, batch_size=batch, ignore_conflicts=False)
                Usulan.objects.bulk_create(
                    [
                        Usulan(
                            instansi=inst,
                            pegawai=p,
                            pegawai_nip=p.nip,
                            pegawai_nama=p.nama,
                            jf=jf,
                            jenjang=j,
                            status=status,
                            diajukan_at=None if status == Status.DRAFT else at,
                            status_changed_at=at,
                            # perbaikan: 14 days from the request, so some are past it as in real life
                            tenggat_perbaikan=(at + timedelta(days=14)).date() if status == Status.PERBAIKAN else None,
                            data_pegawai={"nip": p.nip, "nama": p.nama},
                        )
                        for p, (inst, jf, j, status, at) in zip(created, rows, strict=True)
                    ],
                    batch_size=batch,
                )
            made += n
            self.stdout.write(f"{made} usulan")
        # Bulk inserts bypass the services: recount the dashboard aggregates once at the end.
        from apps.rekap.services import rekap_bangun_ulang

        with transaction.atomic(), tenancy.all_tenants(reason="benchmark data generator"):
            rekap_bangun_ulang()
        # Fresh planner statistics for what was just loaded, as the owner (the application role
        # may not analyze): otherwise the plans depend on whether autovacuum has come round yet.
        statistik.analyze(vacuum=True)
        self.stdout.write(self.style.SUCCESS(f"Selesai: {made} usulan di {len(targets)} instansi."))
