"""Issue 16: the pages under load, through gunicorn as the Dockerfile runs it, against a floor.

1. Data: 100,000 usulan across 630 instansi (``buat_usulan_massal``, which also analyzes as the
   owner), bench users: PICs (password only), a verifier and an admin pembina (TOTP, enrolled
   here; the script computes the codes).
2. ``gunicorn siaks.wsgi:application --workers 4`` with ``siaks.settings.bench`` (the production
   settings plus the floor view), on 127.0.0.1 only, against this benchmark's own database.
3. Logs in with real form posts (password, then the TOTP code), then drives the pages with a
   small threaded HTTP client at c=1, 10 and 50, the floor interleaved with the pages in one
   shuffled stream: p50/p95/p99, requests/s and each page's p95 ÷ the floor's p95.
4. Queries per page with the full middleware stack (in-process client), page 1 and a deep page.
5. Deadline day: c=50 for ``BENCH_DETIK`` seconds, PIC uploads of 2 MB PDFs mixed with the PIC
   list/detail, the verifier inbox/detail and the recap; errors, p95 per page, uploads/s.

The floor (apps/portal/lantai.py): login required, one ``.values()`` query of the same 50 usulan,
a plain table, the same middleware and context processors.

    .venv/bin/python bench/halaman_beban.py          # BENCH_USULAN=20000 for a quick run
"""

from __future__ import annotations

import io
import os
import random
import secrets
import subprocess
import sys
import tempfile
import threading
import time
from http.client import HTTPConnection
from http.cookies import SimpleCookie
from urllib.parse import quote, urlencode

from _setup import bench_database

HOST = "127.0.0.1"
PORT = int(os.environ.get("BENCH_PORT", "8716"))
USULAN = int(os.environ.get("BENCH_USULAN", "100000"))
DETIK = float(os.environ.get("BENCH_DETIK", "30"))
PASSWORD = "Bench-Sandi-2026!"  # noqa: S105 - throw-away bench users on a throw-away database
PER_PAGE = {1: 12, 10: 40, 50: 100}  # requests per page (and for the floor) at each concurrency
N_PIC = 8


# --------------------------------------------------------------------------- HTTP client


class Klien:
    """One browser: its cookies, plain HTTP on the loopback. The production settings mark cookies
    Secure and redirect to HTTPS; like the TLS proxy in front of gunicorn, the client says
    ``X-Forwarded-Proto: https`` (SECURE_PROXY_SSL_HEADER)."""

    def __init__(self, name: str):
        self.name = name
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes | None = None, content_type: str = "") -> tuple:
        headers = {"Host": f"{HOST}:{PORT}", "X-Forwarded-Proto": "https", "User-Agent": "siaks-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers["Origin"] = f"https://{HOST}:{PORT}"
            headers["Referer"] = f"https://{HOST}:{PORT}{path}"
            headers["Content-Type"] = content_type
        conn = HTTPConnection(HOST, PORT, timeout=120)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
            for raw in response.headers.get_all("Set-Cookie") or []:
                cookie = SimpleCookie()
                cookie.load(raw)
                for key, morsel in cookie.items():
                    if morsel["max-age"] == "0":
                        self.cookies.pop(key, None)
                    else:
                        self.cookies[key] = morsel.value
            return response.status, response.getheader("Location", ""), data
        finally:
            conn.close()

    def get(self, path: str) -> tuple:
        return self.request("GET", path)

    def post(self, path: str, fields: dict) -> tuple:
        body = urlencode({"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **fields}).encode()
        return self.request("POST", path, body, "application/x-www-form-urlencoded")

    def upload(self, path: str, filename: str, data: bytes) -> tuple:
        boundary = secrets.token_hex(16)
        parts = [
            f'--{boundary}\r\nContent-Disposition: form-data; name="csrfmiddlewaretoken"\r\n\r\n'
            f"{self.cookies.get('csrftoken', '')}\r\n".encode(),
            f'--{boundary}\r\nContent-Disposition: form-data; name="berkas"; filename="{filename}"\r\n'
            f"Content-Type: application/pdf\r\n\r\n".encode(),
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
        return self.request("POST", path, b"".join(parts), f"multipart/form-data; boundary={boundary}")

    def login(self, username: str, totp_key: str | None = None) -> None:
        """The login form, then (pembina staff) the TOTP form, with the codes computed here."""
        self.get("/akun/masuk/")  # the CSRF cookie
        status, location, _ = self.post("/akun/masuk/", {"username": username, "password": PASSWORD})
        assert status == 302, (username, status)
        if totp_key:
            from django_otp.oath import totp

            self.get("/akun/2fa/verifikasi/")
            code = f"{totp(bytes.fromhex(totp_key)):06d}"
            status, location, _ = self.post("/akun/2fa/verifikasi/", {"kode": code})
            assert status == 302 and "2fa" not in location, (username, status, location)
        status, location, _ = self.get("/beranda/")
        assert status == 200, (username, status, location)


def pdf_2mb() -> bytes:
    """A valid one-page PDF of 2 MB (just under the JF's 2 MiB limit): an uncompressed RGB image."""
    w, h = 1000, 664
    pixels = random.Random(16).randbytes(w * h * 3)  # noqa: S311 - filler pixels
    content = b"q 500 0 0 333 50 400 cm /Im1 Do Q"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /XObject << /Im1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"\nendstream",
        b"<< /Type /XObject /Subtype /Image /Width %d /Height %d /ColorSpace /DeviceRGB /BitsPerComponent 8 "
        b"/Length %d >>\nstream\n" % (w, h, len(pixels)) + pixels + b"\nendstream",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for i, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % i + obj + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for off in offsets:
        out.write(b"%010d 00000 n \n" % off)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref))
    return out.getvalue()


# --------------------------------------------------------------------------- load generator


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


def drive(tasks: list[tuple], concurrency: int, *, until: float | None = None, make=None) -> dict:
    """Run ``tasks`` (name, callable returning ok) on ``concurrency`` threads; with ``until``,
    threads keep drawing new tasks from ``make()`` until that monotonic time. Returns per-name
    latencies (ms), errors and the wall time."""
    lock = threading.Lock()
    results: dict[str, list[float]] = {}
    errors: dict[str, list[str]] = {}
    todo = list(tasks)

    def worker():
        while True:
            with lock:
                if until is None:
                    if not todo:
                        return
                    name, call = todo.pop()
                else:
                    if time.monotonic() >= until:
                        return
                    name, call = make()
            started = time.perf_counter()
            try:
                problem = call()
            except Exception as exc:  # every failure is counted and reported
                problem = f"{type(exc).__name__}: {exc}"
            elapsed = (time.perf_counter() - started) * 1000
            with lock:
                results.setdefault(name, []).append(elapsed)
                if problem:
                    errors.setdefault(name, []).append(problem)

    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return {"lat": results, "err": errors, "wall": time.perf_counter() - started}


def page_call(klien: Klien, path: str, expect: bytes | None = None):
    def call():
        status, location, body = klien.get(path)
        if status != 200:
            return f"HTTP {status} {location}"
        if expect is not None and expect not in body:
            return f"{expect!r} missing"
        return None

    return call


# --------------------------------------------------------------------------- set-up


def prepare():
    """Bench users and the objects the pages show; returns a dict of what the run needs."""
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from apps.accounts.models import User
    from apps.core import tenancy
    from apps.core.models import Instansi
    from apps.pengusulan.models import Usulan
    from apps.referensi.models import JabatanFungsional, PersyaratanDokumen
    from tests.factories import UserFactory

    aks = JabatanFungsional.objects.select_related("instansi_pembina").get(kode="aks")
    pembina = aks.instansi_pembina
    # the production hasher (Django's default); this process runs the test settings' fast one
    hashed = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8))
    users = {}
    keys = {}
    for username, instansi, roles in (
        ("bench.verifikator", pembina, ["verifikator"]),
        ("bench.admin", pembina, ["admin_pembina"]),
    ):
        user = UserFactory(username=username, instansi=instansi, roles=roles)
        key = secrets.token_hex(20)
        TOTPDevice.objects.create(user=user, name="bench", key=key, confirmed=True)
        users[username], keys[username] = user, key
    with tenancy.all_tenants(reason="benchmark set-up"):
        # the generator gives each instansi one JF: PICs of instansi with AKS usulan in perbaikan
        ids = set(Usulan.objects.filter(jf=aks, status="perbaikan").values_list("instansi_id", flat=True))
    pic_instansi = list(Instansi.objects.filter(kode__startswith="GEN-", pk__in=ids).order_by("kode")[:N_PIC])
    for i, inst in enumerate(pic_instansi):
        users[f"bench.pic{i}"] = UserFactory(username=f"bench.pic{i}", instansi=inst, roles=["pic_instansi"])
    User.objects.filter(username__startswith="bench.").update(password=hashed)
    assert "pdf" in aks.ekstensi_berkas and aks.ukuran_berkas_maks > len(pdf_2mb()), aks.ukuran_berkas_maks
    syarat = list(
        # The inpassing's own list (a kenaikan jenjang has another: PersyaratanDokumen.jenis_usulan).
        PersyaratanDokumen.objects.filter(jf=aks, level="usulan", jenis_usulan="penyesuaian")
        .order_by("urutan")
        .values_list("pk", flat=True)
    )
    with tenancy.all_tenants(reason="benchmark set-up"):
        editable = {}
        for i, inst in enumerate(pic_instansi):
            editable[i] = list(
                Usulan.objects.filter(instansi=inst, jf=aks, status__in=["draft", "perbaikan"])
                .order_by("id")
                .values_list("pk", flat=True)[:20]
            )
        detail = Usulan.objects.filter(instansi=pic_instansi[0], jf=aks, status="perbaikan").order_by("id").first()
    return {"aks": aks, "users": users, "keys": keys, "syarat": syarat, "editable": editable, "detail": detail}


def start_gunicorn(db_name: str, media: str) -> subprocess.Popen:
    from django.conf import settings

    from siaks import embedded

    def url(role: str) -> str:
        return f"postgres://{role}@/{db_name}?host={quote(settings.DATABASES['default']['HOST'], safe='')}"

    env = os.environ | {
        "DJANGO_SETTINGS_MODULE": "siaks.settings.bench",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": url(embedded.APP_ROLE),
        "DATABASE_OWNER_URL": url(embedded.OWNER_ROLE),
        "REDIS_URL": embedded.redis_url(embedded.ensure_redis(), db=5),
        "SIAKS_MEDIA_ROOT": media,
        "SIAKS_RATE_UNGGAH": "100000",  # the bench's PICs upload far faster than people do
    }
    base = settings.BASE_DIR
    subprocess.run(  # as the Dockerfile does at build time
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v", "0"], cwd=base, env=env, check=True
    )
    server = subprocess.Popen(  # noqa: S603 - our own interpreter, fixed arguments
        [str(base / ".venv" / "bin" / "gunicorn"), "siaks.wsgi:application", "--bind", f"{HOST}:{PORT}",
         "--workers", "4", "--timeout", "60", "--log-level", "warning"],
        cwd=base, env=env, stdout=subprocess.DEVNULL, stderr=open(os.path.join(media, "gunicorn.log"), "w"),  # noqa: SIM115
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Klien("probe").get("/sehat/")[0] in (200, 503):
                return server
        except OSError:
            time.sleep(0.3)
    server.terminate()
    raise SystemExit("gunicorn did not start")


def count_queries(paths: dict[str, tuple[object, str]]) -> dict[str, int]:
    """Queries per page with the full middleware stack (in-process client, same database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django_otp.plugins.otp_totp.models import TOTPDevice

    setup_test_environment()
    # this process runs the test settings: route the floor here too, as siaks.settings.bench does
    import importlib

    from django.conf import settings
    from django.urls import clear_url_caches

    import siaks.urls

    settings.SIAKS_BENCH_LANTAI = True
    importlib.reload(siaks.urls)
    clear_url_caches()
    counts = {}
    clients = {}
    for name, (user, path) in paths.items():
        client = clients.get(user.pk)
        if client is None:
            client = clients[user.pk] = Client()
            user.refresh_from_db()  # the password set after the factory: the session's auth hash
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user).first()
            if device is not None:
                session = client.session
                session["otp_device_id"] = device.persistent_id
                session.save()
            client.get("/beranda/")  # session warm (last-seen written), as a user mid-day
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(path)
        assert response.status_code == 200, (name, response.status_code)
        # BEGIN/COMMIT of the request's transaction are transaction control, not queries
        control = ("BEGIN", "COMMIT", "SAVEPOINT", "RELEASE SAVEPOINT")
        counts[name] = sum(1 for q in ctx.captured_queries if not q["sql"].startswith(control))
    return counts


# --------------------------------------------------------------------------- main


def main() -> None:
    with bench_database("halaman"):
        from django.core.management import call_command
        from django.db import connections

        from apps.core import tenancy
        from apps.pengusulan.models import Dokumen, Usulan
        from apps.referensi.loader import load_all
        from apps.verifikasi.selectors import _encode

        load_all()
        started = time.perf_counter()
        call_command("buat_usulan_massal", usulan=USULAN, instansi=630, verbosity=0, stdout=io.StringIO())
        print(f"data: {USULAN} usulan / 630 instansi dalam {time.perf_counter() - started:.0f} s")
        ctx = prepare()
        aks, users, detail = ctx["aks"], ctx["users"], ctx["detail"]
        with tenancy.all_tenants(reason="benchmark set-up"):
            submitted = Usulan.objects.filter(jf=aks).exclude(status="draft").order_by("diajukan_at", "id")
            deep_at = min(150, submitted.count() // 50 - 2) * 50  # the 150th page at 100,000 usulan
            deep = _encode(submitted[deep_at])
            pic_total = Usulan.objects.filter(instansi=users["bench.pic0"].instansi).count()
        deep_pic_page = max(1, pic_total // 50)
        db_name = connections["default"].settings_dict["NAME"]
        for conn in connections.all():
            conn.close()
        media = tempfile.mkdtemp(prefix="siaks-bench-media-")
        server = start_gunicorn(db_name, media)
        try:
            run(ctx, users, detail, deep, deep_pic_page)
        finally:
            server.terminate()
            server.wait(timeout=60)
        with tenancy.all_tenants(reason="benchmark check"):
            stored = Dokumen.objects.count()
        print(f"dokumen tersimpan: {stored}")


def run(ctx, users, detail, deep, deep_pic_page) -> None:
    pdf = pdf_2mb()
    klien = {}
    for username in ("bench.verifikator", "bench.admin"):
        klien[username] = Klien(username)
        klien[username].login(username, ctx["keys"][username])
    for i in range(N_PIC):
        klien[f"bench.pic{i}"] = Klien(f"bench.pic{i}")
        klien[f"bench.pic{i}"].login(f"bench.pic{i}")
    pic, ver, adm = klien["bench.pic0"], klien["bench.verifikator"], klien["bench.admin"]
    # the detail usulan gets the documents a dossier has (a version of each requirement)
    for s in ctx["syarat"]:
        status, _loc, _b = pic.upload(f"/usulan/{detail.pk}/dokumen/{s}/unggah/", "berkas.pdf", pdf)
        assert status == 302, status
    pages = {
        "lantai (verifikator)": (ver, "/bench/lantai/", users["bench.verifikator"]),
        "kotak masuk, hal. 1": (ver, "/pembina/usulan/", users["bench.verifikator"]),
        "kotak masuk, kursor dalam": (ver, f"/pembina/usulan/?cursor={quote(deep)}", users["bench.verifikator"]),
        "periksa usulan (verifikator)": (ver, f"/pembina/usulan/{detail.pk}/", users["bench.verifikator"]),
        "rekap nasional (admin pembina)": (adm, "/pembina/rekap/", users["bench.admin"]),
        "daftar usulan PIC, hal. 1": (pic, "/pengusulan/", users["bench.pic0"]),
        "daftar usulan PIC, hal. akhir": (pic, f"/pengusulan/?page={deep_pic_page}", users["bench.pic0"]),
        "detail usulan PIC": (pic, f"/usulan/{detail.pk}/", users["bench.pic0"]),
        "daftar pegawai PIC": (pic, "/pegawai/", users["bench.pic0"]),
    }
    for name, (k, path, _u) in pages.items():  # warm every worker's caches
        for _ in range(4):
            status, location, _b = k.get(path)
            assert status == 200, (name, status, location)
    queries = count_queries({name: (u, path) for name, (_k, path, u) in pages.items()})
    load = os.getloadavg()
    print(f"\nbeban mesin saat mulai: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (uptime, 2 inti)")
    floor = "lantai (verifikator)"
    table = {}
    for c, n in PER_PAGE.items():
        tasks = [(name, page_call(k, path)) for name, (k, path, _u) in pages.items() for _ in range(n)]
        random.Random(c).shuffle(tasks)  # noqa: S311 - an interleaving, not a secret
        out = drive(tasks, c)
        errs = sum(len(v) for v in out["err"].values())
        rps = sum(len(v) for v in out["lat"].values()) / out["wall"]
        print(f"\nc={c}: {len(tasks)} permintaan dalam {out['wall']:.1f} s, {rps:.1f} permintaan/s, galat {errs}")
        if errs:
            print("  ", {k: v[:2] for k, v in out["err"].items()})
        f95 = pct(out["lat"][floor], 95)
        print(f"  {'halaman':34} {'p50':>7} {'p95':>7} {'p99':>7}  p95÷lantai  kueri")
        for name in pages:
            lat = out["lat"][name]
            ratio = pct(lat, 95) / f95
            table.setdefault(name, {})[c] = ratio
            print(f"  {name:34} {pct(lat, 50):7.1f} {pct(lat, 95):7.1f} {pct(lat, 99):7.1f}  {ratio:9.2f}×  "
                  f"{queries[name]:5d}")  # fmt: skip
    print("\nringkasan p95 ÷ lantai p95 (target ≤ 1,5× pada c=10 dan c=50; kueri ≤ 8):")
    print(f"  {'halaman':34} {'c=1':>6} {'c=10':>6} {'c=50':>6} kueri")
    for name in pages:
        r = table[name]
        print(f"  {name:34} {r[1]:5.2f}× {r[10]:5.2f}× {r[50]:5.2f}× {queries[name]:5d}")

    # --------------------------------------------------------------- deadline day
    rng = random.Random(2026)  # noqa: S311 - a request mix, not a secret
    targets = [(f"bench.pic{i}", u, s) for i, ids in ctx["editable"].items() for u in ids for s in ctx["syarat"]]
    uploads = {"n": 0}

    def upload_call():
        username, usulan_id, syarat = rng.choice(targets)

        def call():
            status, location, _b = klien[username].upload(
                f"/usulan/{usulan_id}/dokumen/{syarat}/unggah/", "berkas.pdf", pdf
            )
            if status != 302 or f"/usulan/{usulan_id}/" not in location:
                return f"HTTP {status} {location}"
            uploads["n"] += 1
            return None

        return call

    mix = [
        ("unggah PDF 2 MB (PIC)", 20, upload_call),
        ("daftar usulan PIC", 20, lambda: page_call(klien[f"bench.pic{rng.randrange(N_PIC)}"], "/pengusulan/")),
        ("detail usulan PIC", 20, lambda: page_call(pic, f"/usulan/{detail.pk}/")),
        ("kotak masuk", 15, lambda: page_call(ver, "/pembina/usulan/")),
        ("periksa usulan", 15, lambda: page_call(ver, f"/pembina/usulan/{detail.pk}/")),
        ("rekap nasional", 10, lambda: page_call(adm, "/pembina/rekap/")),
    ]
    names, weights, makers = zip(*mix, strict=True)

    def make():
        i = rng.choices(range(len(mix)), weights)[0]
        return names[i], makers[i]()

    load = os.getloadavg()
    out = drive([], 50, until=time.monotonic() + DETIK, make=make)
    total = sum(len(v) for v in out["lat"].values())
    errs = sum(len(v) for v in out["err"].values())
    print(
        f"\nhari tenggat: c=50 selama {out['wall']:.0f} s (beban mesin {load[0]:.2f}), {total} permintaan, "
        f"{total / out['wall']:.1f} permintaan/s, galat {errs}, unggahan {uploads['n']} "
        f"({uploads['n'] / out['wall']:.2f} unggahan/s, {uploads['n'] * len(pdf) / out['wall'] / 1e6:.1f} MB/s)"
    )
    if errs:
        print("  ", {k: v[:3] for k, v in out["err"].items()})
    for name in names:
        lat = out["lat"].get(name, [])
        if lat:
            print(f"  {name:28} n={len(lat):4d}  p50 {pct(lat, 50):7.1f}  p95 {pct(lat, 95):7.1f}  "
                  f"p99 {pct(lat, 99):7.1f} ms")  # fmt: skip


if __name__ == "__main__":
    main()
