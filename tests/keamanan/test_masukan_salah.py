"""The invalid-input walk (issue 14, item 1): no dead end, no 500, whatever is typed.

Every page route of the URL conf is visited by every role that works on the dossiers of one
instansi (its PIC and PPK, the pembina's verifier, admin, ketua and penilai) and by the
platform's superadmin. The forms each page shows are read from its HTML; every route is then
sent invalid data — nothing at all, every field empty, wrong types, out-of-range dates and
numbers, another tenant's ids, and the page's own form submitted twice (duplicates). The
answer must never be a 5xx; a form that comes back must say what is wrong and keep what the
user typed. Routes are discovered from the URL conf: a new page with parameters fails
``test_every_page_route_is_walked`` until the walk knows how to fill it, so no form escapes.
"""

from __future__ import annotations

import re
import uuid
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import NoReverseMatch, reverse

from apps.core import tenancy
from apps.pengusulan import services as pic_services
from apps.verifikasi import services as pembina_services
from tests.factories import InstansiFactory, UserFactory
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory
from tests.rute import rute_halaman

pytestmark = pytest.mark.django_db

MARK = "Masukan-Uji-7Q"  # what the walk types into every text field: it must come back
# Routes the walk does not post to, with why.
SKIP = {
    "accounts:password_reset_confirm": "a signed one-time token (Django's own view, tested by Django)",
    "accounts:logout": "ends the session the walk is using (tests/keamanan/test_autentikasi.py)",
    "core:healthz": "health probes answer 503 by design while a dependency is down (tests/core/test_sehat.py)",
    "core:sehat_siap": "readiness: 503 by design while a dependency is down (tests/core/test_sehat.py)",
    "core:sehat_hidup": "liveness: no input, no form (tests/core/test_sehat.py)",
}


def _page_routes():
    """name → parameter names of every named non-API, non-admin route."""
    return {n: params for n, params in rute_halaman().items() if n not in ("schema", "swagger-ui")}


# --------------------------------------------------------------------------- reading forms


def _field(kind: str, default=None) -> dict:
    return {"kind": kind, "default": default or [], "options": []}


class _Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → kind, default values)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = None
        self._select = None
        self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {"method": (a.get("method") or "get").lower(), "action": a.get("action") or "", "fields": {}}
            self.forms.append(self._form)
        elif self._form is None or not a.get("name"):
            return
        elif tag == "input":
            kind = (a.get("type") or "text").lower()
            if kind in ("submit", "button", "reset", "image"):
                kind = "submit"
            field = self._form["fields"].setdefault(a["name"], _field(kind))
            # never echoed back, by design: one-time codes, and fields the user may not change
            field["disabled"] = "disabled" in a or "readonly" in a or a.get("autocomplete") == "one-time-code"
            if kind in ("checkbox", "radio"):
                field["options"].append(a.get("value", "on"))
                if "checked" in a:
                    field["default"].append(a.get("value", "on"))
            elif kind != "submit" or not field["default"]:
                field["default"].append(a.get("value", ""))
        elif tag == "select":
            self._select = self._form["fields"].setdefault(a["name"], _field("select"))
        elif tag == "textarea":
            self._textarea = self._form["fields"].setdefault(a["name"], _field("textarea", [""]))
            self._textarea["disabled"] = "disabled" in a or "readonly" in a  # locked: shows what was saved
        elif tag == "button" and (a.get("type") or "submit") == "submit":
            self._form["fields"].setdefault(a["name"], _field("submit", [a.get("value", "")]))
        if tag == "option" and self._select is not None:
            self._select["options"].append(a.get("value", ""))
            if "selected" in a:
                self._select["default"].append(a.get("value", ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            if self._select is not None and not self._select["default"] and self._select["options"]:
                self._select["default"].append(self._select["options"][0])
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea["default"] = [self._textarea["default"][0] + data]


def post_forms(html: str) -> list[dict]:
    parser = _Forms()
    parser.feed(html)
    return [f for f in parser.forms if f["method"] == "post"]


# --------------------------------------------------------------------------- invalid data


def payloads(fields: dict, other_ids: list[str]) -> dict[str, dict]:
    """The invalid submissions of one form (name → data)."""
    names = {n: f for n, f in fields.items() if n != "csrfmiddlewaretoken"}
    file_ = lambda: SimpleUploadedFile("bukan.pdf", b"ini bukan PDF", content_type="application/pdf")  # noqa: E731

    def each(fn):
        data = {}
        for n, f in names.items():
            value = fn(n, f)
            if value is not None:
                data[n] = value
        return data

    def wrong(n, f):
        return {
            "file": file_(), "date": "bukan-tanggal", "number": "abc", "email": "bukan surel",
            "checkbox": "bukan", "radio": "bukan", "select": "zzz", "submit": f["default"][0] if f["default"] else "",
            "hidden": f["default"][0] if f["default"] else "abc",
        }.get(f["kind"], MARK)  # fmt: skip

    def out_of_range(n, f):
        if f["kind"] == "date":
            return "2026-02-31"
        if f["kind"] == "number":
            return "-99999999999999999999"
        if f["kind"] == "file":
            return file_()
        return f["default"] or ""

    def dates_far(n, f):
        if f["kind"] == "date":
            return "9999-12-31"
        if f["kind"] == "number":
            return "99999999999999999999"
        return f["default"] or ""

    def tenant(n, f):
        if f["kind"] in ("select", "checkbox", "radio", "hidden", "number"):
            return other_ids
        return f["default"] or ""

    def defaults(n, f):
        if f["kind"] == "file":
            return file_()
        return f["default"] or None

    return {
        "kosong": {},
        "semua kosong": each(lambda n, f: "" if f["kind"] != "file" else None),
        "tipe salah": each(wrong),
        "di luar rentang": each(out_of_range),
        "tanggal jauh": each(dates_far),
        "milik instansi lain": each(tenant),
        "ganda": each(defaults),
    }


# --------------------------------------------------------------------------- the walk


@pytest.fixture
def jalan(world, instansi_a, instansi_b, superadmin):
    """The world of the probe, plus what the other forms need: a draft with its documents, a
    dossier in verification, a PPK of instansi B, and objects of instansi A (the other tenant)."""
    from apps.accounts.models import User

    pic_b, pk = world["pic_b"], world["pk"]
    staf = {u: User.objects.get(username=f"{u}.kemnaker") for u in ("verifikator", "admin", "ketua", "penilai1")}
    ppk_b = UserFactory(username="ppk.b", instansi=instansi_b, roles=["ppk"])
    with tenancy.scope(instansi_b):
        pegawai2 = pic_services.pegawai_create(actor=pic_b, data=pegawai_data(nip="19860926 201505 1 002", nama="Dua"))
        draf = pic_services.usulan_create(actor=pic_b, pegawai=pegawai2, jf=pk)
        pegawai3 = pic_services.pegawai_create(actor=pic_b, data=pegawai_data(nip="19860926 201505 1 003", nama="Tiga"))
        diperiksa = pic_services.usulan_create(actor=pic_b, pegawai=pegawai3, jf=pk)
    upload_all_mandatory(pic_b, draf)
    upload_all_mandatory(pic_b, diperiksa)
    with tenancy.scope(instansi_b):
        diperiksa = pic_services.usulan_ajukan(actor=pic_b, usulan=diperiksa, on=ON)
    with tenancy.activate(tenancy.scope_for_user(staf["verifikator"])):
        pembina_services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=diperiksa)
    pic_a = world["pic_a"]
    with tenancy.scope(instansi_a):
        pegawai_a = pic_services.pegawai_create(actor=pic_a, data=pegawai_data(nip="19860926 201505 1 009", nama="A"))
    other_ids = [str(pegawai_a.pk), str(world["ekspor"].pk + 1000)]
    users = {
        "pic": pic_b,
        "ppk": ppk_b,
        **staf,
        "superadmin": superadmin,
        "pejabat": world["pejabat_b"],
        # issue 19: the sekretariat and the ketua of instansi B's Tim Penilai angka kredit
        "sekretariat_ak": world["pak_tim"]["sekretariat"],
        "ketua_ak": world["pak_tim"]["anggota"][0].user,
    }
    from apps.penetapan import services as penetapan_services
    from tests.penetapan.conftest import DALAM_PERIODE, buat_pejabat

    with tenancy.scope(instansi_b):
        pak_draf = penetapan_services.usulan_buat(
            actor=pic_b,
            pejabat=buat_pejabat(instansi_b, pk, nip="198101012006011001", nama="Draf AK"),
            pada=DALAM_PERIODE,
        )
    uji = InstansiFactory(kode="KAB-UJI", nama="Pemerintah Kabupaten Uji", jenis="kabupaten")
    w = world
    kwargs = {
        "pengusulan:pegawai_detail": [{"pk": w["pegawai"].pk}, {"pk": pegawai2.pk}],
        "pengusulan:pegawai_update": [{"pk": pegawai2.pk}],
        "pengusulan:pegawai_data_pribadi": [{"pk": pegawai2.pk}],
        "pengusulan:pegawai_hapus_data": [{"pk": pegawai2.pk}],
        "pengusulan:usulan_create": [{"pegawai_pk": pegawai2.pk}],
        "pengusulan:eligibilitas_preview": [{"pegawai_pk": pegawai2.pk}],
        "pengusulan:usulan_detail": [{"pk": draf.pk}, {"pk": w["usulan"].pk}],
        "pengusulan:usulan_ajukan": [{"pk": draf.pk}],
        "pengusulan:usulan_batalkan": [{"pk": diperiksa.pk}],
        "pengusulan:dokumen_unggah": [{"pk": draf.pk, "persyaratan_pk": w["persyaratan"].pk}],
        "pengusulan:dokumen_unduh": [{"pk": w["dokumen"].pk}],
        "pengusulan:formasi_jf": [{"kode": pk.kode}],
        "pengusulan:formasi_dokumen_unggah": [{"kode": pk.kode, "persyaratan_pk": w["persyaratan"].pk}],
        "referensi:jf_detail": [{"kode": pk.kode}],
        "referensi:jf_edit": [{"kode": pk.kode}],
        "referensi:jf_riwayat": [{"kode": pk.kode}],
        "referensi:row_edit": [
            {"kode": pk.kode, "bagian": "jenjang", "pk": w["jenjang"].pk},
            {"kode": pk.kode, "bagian": "kompetensi", "pk": _kompetensi(w["jenjang"]).pk},
            {"kode": pk.kode, "bagian": "predikat", "pk": pk.persentase_predikat.get(predikat="baik").pk},
        ],
        "referensi:row_add": [{"kode": pk.kode, "bagian": "dokumen"}, {"kode": pk.kode, "bagian": "kompetensi"}],
        "referensi:ak_edit": [{"jenis": "dasar", "pk": _ak(pk).pk}],
        "jabatan:detail": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:predikat_catat": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:koreksi_catat": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:undang": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:cabut_akses": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:kenaikan_jenjang": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:kenaikan_pangkat": [{"pk": w["pejabat_fungsional"].pk}],
        "jabatan:mutasi_berkas": [{"pk": w["mutasi_berkas"].pk}],
        "jabatan:impor": [{"jenis": "pejabat"}, {"jenis": "predikat"}],
        "jabatan:impor_templat": [{"jenis": "pejabat"}, {"jenis": "predikat"}],
        "verifikasi:periksa": [{"pk": diperiksa.pk}, {"pk": w["usulan"].pk}],
        "verifikasi:klaim": [{"pk": diperiksa.pk}],
        "verifikasi:simpan_pemeriksaan": [{"pk": diperiksa.pk}],
        "verifikasi:tim_detail": [{"pk": w["tim"].pk}],
        "verifikasi:tim_tugaskan": [{"pk": w["tim"].pk}],
        "verifikasi:sidang_buka": [{"pk": w["tim"].pk}],
        "verifikasi:nilai": [{"pk": w["penugasan"].pk}],
        "verifikasi:sidang": [{"pk": w["sidang"].pk}],
        "accounts:2fa_reset": [{"pk": pic_b.pk}],
        "accounts:token_cabut": [{"pk": w["token_api"].pk}],  # pic.b's own API token (issue 15)
        "notifikasi:buka": [{"pk": w["notifikasi"].pk}],
        "rekap:ekspor_unduh": [{"pk": w["ekspor"].pk}],
        "surat:detail": [{"pk": w["surat"].pk}],
        "surat:koreksi": [{"pk": w["surat"].pk}],
        "surat:unduh": [{"pk": w["versi"].pk}],
        "surat:ttd": [{"pk": w["versi"].pk}],
        "surat:unduh_ttd": [{"pk": w["versi"].pk}],
        "surat:ulangi": [{"pk": w["versi"].pk}],
        "surat:batch": [{"batch": w["versi"].batch}],
        "surat:verifikasi": [{"kode": w["versi"].kode}],
        "ttd:batch": [{"pk": w["batch_ttd"].pk}],
        "ttd:alur_ubah": [{"pk": w["alur_paraf"].pk}],
        "ttd:pejabat_ubah": [{"pk": w["pejabat_ttd"].pk}],
        "ttd:pejabat_aktif": [{"pk": w["pejabat_ttd"].pk}],
        "ttd:paraf": [{"pk": w["versi"].pk}],
        "ttd:unggah": [{"pk": w["versi"].pk}],
        "ttd:baca": [{"pk": w["versi"].pk}],
        "platform:instansi_ubah": [{"pk": uji.pk}],
        "platform:instansi_aktif": [{"pk": uji.pk}],
        "platform:peran": [{"pk": ppk_b.pk}],
        "platform:pengguna_aktif": [{"pk": ppk_b.pk}],
        "platform:permintaan": [{"pk": w["permintaan"].pk}],
        "staf:peran": [{"pk": w["penilai2"].pk}],
        "staf:aktif": [{"pk": w["penilai2"].pk}],
        "portal:outbox_ulangi": [{"pk": uuid.uuid4()}],  # no such dead letter: refused, never a 500
        "penetapan:detail": [{"pk": pak_draf.pk}, {"pk": w["pak_usulan"].pk}],
        "penetapan:aksi": [{"pk": pak_draf.pk}, {"pk": w["pak_usulan"].pk}],
        "penetapan:dokumen_unggah": [{"pk": pak_draf.pk}],
        "penetapan:dokumen_unduh": [{"pk": w["pak_dokumen"].pk}],
        "penetapan:sidang": [{"pk": w["pak_sidang"].pk}],
        "penetapan:tim_detail": [{"pk": w["pak_tim"]["tim"].pk}],
        "penetapan:tim_sekretariat": [{"pk": w["pak_tim"]["tim"].pk}],
    }
    # Query strings that open the forms a page only shows on request.
    query = {"referensi:row_add": "?jenjang=" + str(w["jenjang"].pk)}
    return {"users": users, "kwargs": kwargs, "query": query, "other_ids": other_ids}


def _kompetensi(jenjang):
    from apps.referensi.models import Kompetensi

    return Kompetensi.objects.filter(jenjang__jf=jenjang.jf).first()


def _ak(jf):
    from apps.referensi.models import AKDasar

    return AKDasar.objects.filter(jf=jf).first()


def _urls(jalan):
    for name, params in sorted(_page_routes().items()):
        if name in SKIP:
            continue
        for kw in jalan["kwargs"].get(name, [{}] if not params else []):
            try:
                yield name, reverse(name, kwargs=kw) + jalan["query"].get(name, "")
            except NoReverseMatch:
                continue


def test_every_page_route_is_walked(jalan):
    routes = _page_routes()
    missing = sorted(n for n, params in routes.items() if params and n not in jalan["kwargs"] and n not in SKIP)
    assert missing == [], f"page routes with parameters the invalid-input walk cannot fill: {missing}"


def _kept(html: str, sent: dict) -> list[str]:
    """Text fields the user typed that a re-rendered form no longer holds."""
    lost = []
    for form in post_forms(html):
        for name, field in form["fields"].items():
            typed = sent.get(name) == MARK and field["kind"] in ("text", "textarea", "search", "tel")
            if typed and not field.get("disabled") and MARK not in "".join(field["default"]):
                lost.append(name)
    return lost


ERROR_MARKERS = ("alert-danger", "is-invalid", "invalid-feedback", 'role="alert"')


def test_no_invalid_input_ends_in_a_server_error(jalan, capsys, settings):
    from apps.accounts.models import User

    settings.SIAKS_RATE_UNGGAH = 100_000  # every upload form gets every payload, not a 429
    client = Client(raise_request_exception=False)  # a 5xx is recorded, and the walk goes on
    failures, lost, silent, counted = [], [], [], {"GET": 0, "POST": 0}
    fields: dict[str, dict] = {}  # form target → its fields (from every page that shows it)
    seen: dict[str, set[str]] = {}  # role → the form targets that role was shown
    urls = list(_urls(jalan))
    # 1. Every page for every role: no 5xx, and the POST forms each page shows.
    for role, user in jalan["users"].items():
        client.force_login(user)
        seen[role] = set()
        for _name, url in urls:
            response = client.get(url)
            counted["GET"] += 1
            if response.status_code >= 500:
                failures.append(f"{role} GET {url} → {response.status_code}")
            if response.status_code == 405:  # a POST-only route: its form is on another page
                seen[role].add(url.split("?")[0])
            if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
                for form in post_forms(response.content.decode()):
                    action = (form["action"] or url.split("?")[0]).split("#")[0]
                    fields.setdefault(action, {}).update(form["fields"])
                    seen[role].add(action)
    # 2. Every form target a role can use × every kind of invalid submission.
    for role, user in jalan["users"].items():
        client.force_login(user)
        for url in sorted(seen[role]):
            for label, data in payloads(fields.get(url, {}), jalan["other_ids"]).items():
                for _attempt in range(2 if label == "ganda" else 1):
                    response = client.post(url, data)
                    counted["POST"] += 1
                if response.status_code >= 500:
                    failures.append(f"{role} POST {url} [{label}] → {response.status_code}")
                elif response.status_code in (200, 400) and label == "tipe salah":
                    html = response.content.decode()
                    if any(n in data for f in post_forms(html) for n in f["fields"] if n != "csrfmiddlewaretoken"):
                        if not any(m in html for m in ERROR_MARKERS):
                            silent.append(f"{role} POST {url}")
                        lost += [f"{role} POST {url}: {f}" for f in _kept(html, data)]
                if url.startswith("/akun/keluar"):
                    client.force_login(user)
        # The superadmin's and the admin's forms include deactivating accounts: the walk's own
        # users stay able to log in for their turn.
        User.objects.filter(pk__in=[u.pk for u in jalan["users"].values()]).update(is_active=True)
    with capsys.disabled():
        print("\n".join(["", *failures, *silent, *lost]))
        targets = len(set().union(*seen.values()))
        print(
            f"jalan masukan salah: {len(urls)} halaman × {len(jalan['users'])} peran, {targets} tujuan formulir, "
            f"{counted['GET']} GET, {counted['POST']} POST"
        )
    assert failures == [], "5xx:\n" + "\n".join(failures)
    assert silent == [], "forms re-rendered without saying what is wrong:\n" + "\n".join(silent)
    assert lost == [], "input lost after a refused save:\n" + "\n".join(lost)
    assert counted["POST"] > 500


def test_the_superadmin_on_tenant_pages_gets_a_404_not_a_500(client, jalan):
    client.force_login(jalan["users"]["superadmin"])
    for url in ("/surat/", reverse("surat:detail", args=[jalan["kwargs"]["surat:detail"][0]["pk"]])):
        assert client.get(url).status_code == 404
    versi = jalan["kwargs"]["surat:unduh"][0]["pk"]
    assert client.get(reverse("surat:unduh", args=[versi])).status_code == 404
    assert client.get(reverse("surat:unduh_ttd", args=[versi])).status_code == 404


def test_a_refused_team_keeps_the_admins_input_and_says_why(client, jalan):
    """'Bentuk tim' with an even number of members and a four-year term: the rules' messages,
    the form as typed, no TransactionManagementError."""
    from apps.accounts.models import User

    admin = jalan["users"]["admin"]
    client.force_login(admin)
    ketua, penilai1 = User.objects.get(username="ketua.kemnaker"), User.objects.get(username="penilai1.kemnaker")
    response = client.post(
        reverse("verifikasi:tim_list"),
        {
            "jf": "pengantar-kerja", "nama": "Tim Baru Genap", "mulai": "2026-01-01", "selesai": "2030-01-01",
            f"peran_{ketua.pk}": "ketua", f"peran_{penilai1.pk}": "sekretaris", f"sertifikat_{ketua.pk}": "on",
        },
    )  # fmt: skip
    assert response.status_code == 200
    html = response.content.decode()
    assert "alert-danger" in html and "ganjil" in html
    assert 'value="Tim Baru Genap"' in html and 'value="2030-01-01"' in html
    assert re.search(rf'name="peran_{ketua.pk}".*?<option value="ketua" selected', html, re.S)
    assert re.search(rf'name="sertifikat_{ketua.pk}" checked', html)
