"""Issue 17: sign 1,000 one-page SKs electronically with the worker pool (queue ``ttd``).

Set-up: a throw-away database, the test CA (apps.ttd.ca_uji), a local RFC 3161 TSA on loopback
in a process of its own (``TSAUji.proses``: it stands for the remote TSA and must not compete
with the driver for its interpreter), the PPK registered as a signing official with the
``pkcs12`` backend. One SK is rendered for real by the PDF worker code; its bytes are stored as
the issued PDF of every letter (numbered rows of their own), so the benchmark measures signing,
not rendering.

Then, in the same run, ``BENCH_ULANG`` times (default 3) in turn:

* **bare pyHanko**: the same PDF signed in this one process with plain pyHanko calls (the same
  key, TSA, PAdES settings and visible QR block) — the comparator;
* **portal, 1 worker process**: one signing request per letter through the outbox to a real
  Celery worker (``-Q ttd -c 1``, production settings as in docker-compose: connection pool,
  file storage): lock, read the issued file, sign, store, record;
* **portal, 2 worker processes**: the same with ``-c 2`` on a fresh set of letters.

Reports signatures per second (wall clock, queue to last signature) and the median time per
signature (bare: the pyHanko call; portal: ``selesai_at - diproses_at`` in the worker), each
the median over the repetitions, and for every round the CPU each part used (the worker's pool
processes, its main process, this driver with the relay, the TSA, PostgreSQL, Redis, and the
rest of the machine), from /proc, in % of one core. Targets: portal median ≤ 1.25 × bare
median; 2 workers ≥ 1.7 × the throughput of 1. ``BENCH_N`` sets the letters per round
(default 1000); the machine's cores are shared with everything else running."""

from __future__ import annotations

import io
import os
import secrets
import statistics
import subprocess
import sys
import time
from datetime import date
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import quote

from _setup import bench_database

N = int(os.environ.get("BENCH_N", "1000"))
ULANG = int(os.environ.get("BENCH_ULANG", "3"))
WARMUP = 6
PASSPHRASE = "bench-pkcs12"  # noqa: S105 - a throw-away test key
NIP = "196805121993031002"


def render_one_sk(instansi, jf, jenjang, ppk) -> bytes:
    from django.db import transaction

    from apps.core import tenancy
    from apps.surat import isi, services
    from apps.surat.models import VersiSurat
    from apps.surat.tasks import render

    rekomendasi = SimpleNamespace(penerbit=jf.instansi_pembina, nomor="001/REK-JF/KEMNAKER/VIII/2026",
                                  tanggal=date(2026, 8, 3))  # fmt: skip
    with tenancy.scope(instansi), transaction.atomic():
        surat = services._create(
            jenis="sk", penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
            perihal=f"Pengangkatan dalam JF {jf.nama}", actor=ppk,
            penandatangan=("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", NIP), tmt=date(2026, 9, 1),
        )  # fmt: skip
        usulan = SimpleNamespace(
            pk=None, masa_kerja_per=date(2026, 8, 1),  # what the SK's rows read (no PAK issued with it)
            nomor="USL-2026-000000000001", jenis="penyesuaian", pegawai_nip="198609262015051001",
            pegawai_nama="Pegawai Uji, S.E.",
            jenjang=jenjang, ak_awal=Decimal("112.500"), masa_kerja_pangkat=4, masa_kerja_bulan=64,
            ak_nilai_tabel=Decimal("100.000"), ak_dasar=Decimal("12.500"),
            data_pegawai={"nip": "198609262015051001", "nama": "Pegawai Uji, S.E.", "tempat_lahir": "Surabaya",
                          "tanggal_lahir": "1986-09-26", "pangkat": "Penata", "golongan": "III/c",
                          "tmt_golongan": "2021-04-01", "pendidikan": "Sarjana (S1)",
                          "jabatan_saat_ini": "Pengelola Penempatan Tenaga Kerja", "unit_kerja": "Biro SDM"},
        )  # fmt: skip
        versi = services._versi(surat, isi.sk(surat, [usulan], rekomendasi), actor=ppk)
    render.apply(kwargs={"versi_id": versi.pk}, throw=True)
    with tenancy.all_tenants(reason="benchmark"):
        versi = VersiSurat.objects.get(pk=versi.pk)
        with versi.berkas.open("rb") as fh:
            return fh.read()


def issue(instansi, jf, ppk, pdf: bytes, n: int) -> list[int]:
    """n numbered SK letters whose issued PDF is ``pdf`` (each its own stored file)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.db import transaction

    from apps.core import tenancy
    from apps.surat import services
    from apps.surat.models import VersiSurat

    sha = hashlib.sha256(pdf).hexdigest()
    ids = []
    with tenancy.scope(instansi), transaction.atomic():
        for i in range(n):
            surat = services._create(
                jenis="sk", penerbit=instansi, instansi_id=instansi.pk, jf=jf, tanggal=date(2026, 8, 20),
                perihal=f"Pengangkatan dalam JF {jf.nama} a.n. Pegawai {i}", actor=ppk,
                penandatangan=("Ir. Budi Santoso, M.T.", "Sekretaris Jenderal", NIP), tmt=date(2026, 9, 1),
            )  # fmt: skip
            versi = VersiSurat(surat=surat, instansi_id=instansi.pk, jf_id=jf.pk, versi=1, isi={}, sha256=sha,
                               ukuran=len(pdf), jumlah_halaman=1, status="selesai", dibuat_oleh=ppk)  # fmt: skip
            versi.berkas.save(f"bench-{i}.pdf", ContentFile(pdf), save=False)
            versi.save()
            ids.append(versi.pk)
    return ids


def bare(pdf: bytes, identitas, tsa_url: str, n: int, *, tuned: bool = False) -> list[float]:
    """Plain pyHanko: the same signature, in this process. ``tuned``: with the portal's three
    settings (key parsed once, container size reserved, one HTTP session to the TSA), to show
    the portal's own overhead."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.pdf_utils.text import TextBoxStyle
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps import HTTPTimeStamper
    from pyhanko.stamp import QRStampStyle

    from apps.ttd.pades import RUANG_TTD, signer_kunci_tetap

    signer = signers.SimpleSigner.load_pkcs12_data(identitas.pkcs12(PASSPHRASE.encode()), [], PASSPHRASE.encode())
    if tuned:
        signer = signer_kunci_tetap(signer)
    timestamper = HTTPTimeStamper(tsa_url)
    if tuned:
        from apps.ttd.penanda import _kelas_timestamper

        timestamper = _kelas_timestamper()(tsa_url, 10)
    style = QRStampStyle(
        stamp_text="Ditandatangani secara elektronik oleh\n%(nama)s\n%(nip)s\n%(jabatan)s\nWaktu: %(ts)s",
        text_box_style=TextBoxStyle(font_size=7, leading=9), border_width=1, innsep=3,
    )  # fmt: skip
    times = []
    for i in range(n):
        t0 = time.perf_counter()
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        meta = signers.PdfSignatureMetadata(
            field_name="TTE-1", md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES
        )
        spec = fields.SigFieldSpec(sig_field_name="TTE-1", on_page=0, box=(320, 92, 570, 170))
        out = io.BytesIO()
        signers.PdfSigner(meta, signer, timestamper=timestamper, stamp_style=style, new_field_spec=spec).sign_pdf(
            writer, output=out, bytes_reserved=RUANG_TTD if tuned else None,
            appearance_text_params={"nama": "Ir. Budi Santoso, M.T.", "nip": f"NIP {NIP}", "jabatan": "Sekjen",
                                    "url": f"https://siaks.example/v/BENCH-{i:04d}/"},
        )  # fmt: skip
        times.append(time.perf_counter() - t0)
    return times


# --------------------------------------------------------------------------- CPU per process (Linux /proc)

TICK = os.sysconf("SC_CLK_TCK")


def _stat(pid: int) -> tuple[int, float, float] | None:
    """(parent pid, own CPU seconds, CPU seconds of its reaped children)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            f = fh.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return int(f[1]), (int(f[11]) + int(f[12])) / TICK, (int(f[13]) + int(f[14])) / TICK


def _pohon(pid: int, stats: dict) -> float:
    """CPU seconds of ``pid`` and all its descendants, living or reaped: a child that exits
    between two readings moves into its parent's reaped-children time, so deltas stay right."""
    _ppid, own, reaped = stats.get(pid, (0, 0.0, 0.0))
    return own + reaped + sum(_pohon(c, stats) for c, st in stats.items() if st[0] == pid)


def _mesin() -> float:
    """Busy CPU seconds of the whole machine (all cores)."""
    with open("/proc/stat") as fh:
        f = [int(x) for x in fh.readline().split()[1:]]
    return (f[0] + f[1] + f[2] + f[5] + f[6] + f[7]) / TICK  # user nice system irq softirq steal


def baca_cpu(*, worker: int | None, tsa: int, layanan: dict[str, int]) -> dict[str, float]:
    """CPU seconds so far of each part of the run (see the module docstring)."""
    stats = {}
    for name in os.listdir("/proc"):
        if name.isdigit() and (st := _stat(int(name))) is not None:
            stats[int(name)] = st
    out = {}
    if worker is not None:
        _p, own, reaped = stats.get(worker, (0, 0.0, 0.0))
        out["worker: proses pool"] = reaped + sum(_pohon(c, stats) for c, st in stats.items() if st[0] == worker)
        out["worker: proses induk Celery"] = own
    out["driver (proses ini: relai, pemantau, pyHanko polos)"] = stats[os.getpid()][1]
    out["TSA (proses sendiri)"] = _pohon(tsa, stats)
    for name, pid in layanan.items():
        out[name] = _pohon(pid, stats)
    out["mesin"] = _mesin()
    return out


def selisih_cpu(a: dict, b: dict, detik: float) -> dict[str, float]:
    """% of one core per group over ``detik`` (the machine has os.cpu_count() cores)."""
    pct = {k: 100 * (b[k] - a[k]) / detik for k in a}
    pct["lain (proses lain di mesin)"] = pct.pop("mesin") - sum(pct.values())
    return pct


def env_worker(db_name: str, tsa_url: str) -> dict:
    """The worker as docker-compose runs it: production settings (connection pool, file
    storage), pointed at the bench database, the test Redis the relay publishes to, the test
    media folder and the local TSA."""
    from django.conf import settings

    from siaks import embedded

    def url(role: str) -> str:
        return f"postgres://{role}@/{db_name}?host={quote(settings.DATABASES['default']['HOST'], safe='')}"

    broker = embedded.redis_url(settings.TEST_REDIS_SOCKET)
    return os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.production",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": url(embedded.APP_ROLE),
        "DATABASE_OWNER_URL": url(embedded.OWNER_ROLE),
        "REDIS_URL": broker,
        "SIAKS_MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIAKS_TTD_TSA_URL": tsa_url,
        "SIAKS_TTD_PKCS12_PASSPHRASE": PASSPHRASE,
    }


def pid_layanan() -> dict[str, int]:
    """PostgreSQL (the postmaster: its backends are its children) and the test Redis."""
    import redis
    from django.conf import settings
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("SELECT pg_backend_pid()")
        backend = cur.fetchone()[0]
    postmaster = _stat(backend)[0]
    r = redis.Redis(unix_socket_path=str(settings.TEST_REDIS_SOCKET))
    return {"PostgreSQL": postmaster, "Redis": int(r.info("server")["process_id"])}


def statistik_pg() -> dict[str, int]:
    """The bench database's commits and new sessions so far (after the backends' one-second
    statistics flush)."""
    from django.db import connection

    time.sleep(1.2)
    with connection.cursor() as cur:
        cur.execute("SELECT pg_stat_clear_snapshot()")
        cur.execute("SELECT xact_commit, sessions FROM pg_stat_database WHERE datname = current_database()")
        commits, sessions = cur.fetchone()
    return {"commit": commits, "sesi baru": sessions}


def relay_all() -> int:
    from apps.core import outbox

    total = 0
    while n := outbox.relay_once(limit=500):
        total += n
    return total


def wait_done(ids: list[int], timeout: float) -> None:
    from apps.core import tenancy
    from apps.ttd.models import TandaTangan

    deadline = time.monotonic() + timeout
    done = 0
    while time.monotonic() < deadline:
        with tenancy.all_tenants(reason="benchmark"):
            done = TandaTangan.objects.filter(versi_id__in=ids, status__in=["selesai", "gagal"]).count()
        if done >= len(ids):
            return
        time.sleep(0.2)
    raise SystemExit(f"timed out: {done}/{len(ids)} signatures done")


def portal_round(ppk, ids: list[int], concurrency: int, env: dict, base_dir, pids: dict) -> dict:
    from apps.core import tenancy
    from apps.ttd import services
    from apps.ttd.models import TandaTangan
    from siaks.celery import app as celery_app

    with celery_app.connection_for_write() as conn:
        conn.default_channel.queue_purge("ttd")
    worker = subprocess.Popen(  # noqa: S603 - our own interpreter and fixed arguments
        [sys.executable, "-m", "celery", "-A", "siaks", "worker", "-Q", "ttd", "-c", str(concurrency), "-P", "prefork",
         "--without-gossip", "--without-mingle", "--without-heartbeat", "-l", "WARNING"],
        cwd=base_dir, env=env,
    )  # fmt: skip
    try:
        warm, rest = ids[: WARMUP * concurrency], ids[WARMUP * concurrency :]
        with tenancy.activate(tenancy.scope_for_user(ppk)):
            services.minta_tandatangan(actor=ppk, versi_ids=warm)
        relay_all()
        wait_done(warm, 300)
        with tenancy.activate(tenancy.scope_for_user(ppk)):
            for start in range(0, len(rest), services.MAKS_BATCH):
                services.minta_tandatangan(actor=ppk, versi_ids=rest[start : start + services.MAKS_BATCH])
        pg0 = statistik_pg()
        cpu0 = baca_cpu(worker=worker.pid, **pids)
        started = time.perf_counter()
        relay_all()
        wait_done(rest, 3600)
        elapsed = time.perf_counter() - started
        cpu = selisih_cpu(cpu0, baca_cpu(worker=worker.pid, **pids), elapsed)
        pg = {k: (v - pg0[k]) / len(rest) for k, v in statistik_pg().items()}
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    with tenancy.all_tenants(reason="benchmark"):
        rows = list(TandaTangan.objects.filter(versi_id__in=rest).values_list("status", "diproses_at", "selesai_at"))
    per = [(r[2] - r[1]).total_seconds() for r in rows if r[0] == "selesai"]
    failed = sum(1 for r in rows if r[0] != "selesai")
    return {"laju": len(rest) / elapsed, "median": statistics.median(per), "p95": sorted(per)[int(len(per) * 0.95)],
            "gagal": failed, "cpu": cpu, "n": len(rest), "pg": pg}  # fmt: skip


def main() -> None:
    with bench_database("ttd"):
        from django.conf import settings
        from django.db import connections

        from apps.core import tenancy
        from apps.core.models import Instansi
        from apps.referensi.loader import load_all
        from apps.referensi.models import JabatanFungsional, Jenjang
        from apps.ttd.ca_uji import CAUji
        from apps.ttd.models import Pejabat
        from apps.ttd.tsa_uji import TSAUji
        from tests.factories import UserFactory

        load_all()
        jf = JabatanFungsional.objects.get(kode="pengantar-kerja")
        jenjang = Jenjang.objects.get(jf=jf, kode="ahli_muda")
        instansi = Instansi.objects.create(kode="KEMENHUB", nama="Kementerian Perhubungan", jenis="kementerian",
                                           kop_surat="KEMENTERIAN PERHUBUNGAN\nSEKRETARIAT JENDERAL")  # fmt: skip
        ppk = UserFactory(username="ppk.bench", instansi=instansi, roles=["ppk"], nama_lengkap="Ir. Budi Santoso")
        ca = CAUji.buat()
        identitas = ca.pejabat("Ir. Budi Santoso, M.T.", nip=NIP, nik="3273011205680002")
        with tenancy.all_tenants(reason="benchmark"):
            blob = identitas.pkcs12(PASSPHRASE.encode())
            Pejabat.objects.create(instansi=instansi, user=ppk, nama="Ir. Budi Santoso, M.T.", nip=NIP,
                                   jabatan="Sekretaris Jenderal", backend="pkcs12", pkcs12=blob,
                                   sidik_jari=identitas.sidik_jari)  # fmt: skip
        with TSAUji.proses(ca) as tsa:
            settings.SIAKS_TTD_TSA_URL = tsa.url
            settings.SIAKS_TTD_PKCS12_PASSPHRASE = PASSPHRASE
            pdf = render_one_sk(instansi, jf, jenjang, ppk)
            env = env_worker(connections["default"].settings_dict["NAME"], tsa.url)
            pids = {"tsa": tsa.pid, "layanan": pid_layanan()}
            bare(pdf, identitas, tsa.url, WARMUP)
            putaran = []
            for ulang in range(ULANG):
                hasil = {}
                cpu0 = baca_cpu(worker=None, **pids)
                t0 = time.perf_counter()
                times = bare(pdf, identitas, tsa.url, N)
                elapsed = time.perf_counter() - t0
                hasil["polos"] = {"laju": N / elapsed, "median": statistics.median(times),
                                  "cpu": selisih_cpu(cpu0, baca_cpu(worker=None, **pids), elapsed)}  # fmt: skip
                hasil["setelan"] = {"median": statistics.median(bare(pdf, identitas, tsa.url, max(10, N // 4),
                                                                     tuned=True))}  # fmt: skip
                for c in (1, 2):
                    ids = issue(instansi, jf, ppk, pdf, N + WARMUP * c)
                    hasil[c] = portal_round(ppk, ids, c, env, settings.BASE_DIR, pids)
                putaran.append(hasil)
                satu, dua = hasil[1]["laju"], hasil[2]["laju"]
                print(f"putaran {ulang + 1}: polos {hasil['polos']['laju']:.1f}/s, 1 proses {satu:.1f}/s, "
                      f"2 proses {dua:.1f}/s ({dua / satu:.2f}×)", flush=True)  # fmt: skip
        from apps.ttd.penanda import _jumlah_halaman

        def med(key, field):
            return statistics.median(h[key][field] for h in putaran)

        bare_med = med("polos", "median") * 1000
        tuned_med = med("setelan", "median") * 1000
        print(f"\nSK {_jumlah_halaman(pdf)} halaman, {len(pdf)} byte; {N} tanda tangan per putaran, {ULANG} putaran "
              f"(median antarputaran); TSA lokal di proses sendiri; {os.cpu_count()} inti CPU")  # fmt: skip
        print(f"pyHanko polos (1 proses): {med('polos', 'laju'):.1f} ttd/detik, median {bare_med:.1f} ms")
        print("pyHanko dengan tiga setelan portal (kunci sekali urai, ruang tetap, satu sesi HTTP ke TSA): "
              f"median {tuned_med:.1f} ms")  # fmt: skip
        for c in (1, 2):
            m = med(c, "median") * 1000
            print(f"portal, {c} proses worker: {med(c, 'laju'):.1f} ttd/detik, median {m:.1f} ms "
                  f"({m / bare_med:.2f}× pyHanko polos, {m / tuned_med:.2f}× dengan setelan sama), "
                  f"p95 {med(c, 'p95') * 1000:.1f} ms, gagal {sum(h[c]['gagal'] for h in putaran)}")  # fmt: skip
        rasio = [h[2]["laju"] / h[1]["laju"] for h in putaran]
        print(f"2 proses / 1 proses: {statistics.median(rasio):.2f}× laju (median; per putaran: "
              f"{', '.join(f'{r:.2f}' for r in rasio)})")  # fmt: skip
        print("\nCPU per bagian selama putaran terukur, % satu inti (median antarputaran; "
              f"{os.cpu_count()} inti = {100 * (os.cpu_count() or 1)}%):")  # fmt: skip
        kolom = [("polos", "pyHanko polos"), (1, "1 proses"), (2, "2 proses")]
        nama = list(putaran[0][2]["cpu"])
        print(f"  {'bagian':<52}" + "".join(f"{judul:>15}" for _k, judul in kolom))
        for n in nama:
            sel = [statistics.median(h[k]["cpu"].get(n, 0.0) for h in putaran) for k, _j in kolom]
            print(f"  {n:<52}" + "".join(f"{v:14.0f}%" for v in sel))
        for c in (1, 2):
            per = statistics.median(
                (h[c]["cpu"]["worker: proses pool"] + h[c]["cpu"]["worker: proses induk Celery"]) / 100 / h[c]["laju"]
                for h in putaran
            )
            semua = statistics.median(
                sum(v for k, v in h[c]["cpu"].items() if not k.startswith("lain")) / 100 / h[c]["laju"] for h in putaran
            )
            print(f"  CPU per tanda tangan, {c} proses: worker {per * 1000:.1f} ms, seluruh bagian run ini "
                  f"{semua * 1000:.1f} ms")  # fmt: skip
        for c in (1, 2):
            pg = {k: statistics.median(h[c]["pg"][k] for h in putaran) for k in putaran[0][c]["pg"]}
            print(f"  PostgreSQL per tanda tangan, {c} proses: " + ", ".join(f"{k} {v:.1f}" for k, v in pg.items())
                  + " (termasuk relai dan pemantau bench)")  # fmt: skip


if __name__ == "__main__":
    main()
