"""Cross-tenant and cross-role probes (issue 8, item 4).

Every named URL with parameters — pages and API — is filled with objects of *another* instansi
(or, for pembina routes, of another JF's pembina, or a dossier the penilai was not assigned), and
requested by every role that must not reach it, with GET and POST. Anything but 403/404/405 fails.
A new route with parameters fails ``test_every_parameterised_route_is_probed`` until it is
listed below: unscoped routes cannot slip in unprobed.

Issue 15 adds "pembina vs draft": every usulan and document route of the same list, filled with a
draft usulan and with document versions the pembina was never handed (a draft's, one uploaded
during perbaikan, a new instansi document), requested by every pembina staff role."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.penetapan.models import PeriodePenetapan
from apps.pengusulan import services as pic_services
from apps.referensi.models import AKDasar
from apps.verifikasi import services as pembina_services
from tests.pengusulan.conftest import ON, pdf_upload, pegawai_data, upload_all_mandatory
from tests.rute import rute_bernama, rute_halaman

pytestmark = pytest.mark.django_db

REFUSED = {403, 404, 405}

# Parameters that are public reference data or tokens, not tenant objects (with why).
PUBLIC = {
    "referensi:jf_detail": "a JF page is public to every logged-in role",
    "pengusulan:formasi_jf": "the JF code selects the PIC's own formasi page",
    "pengusulan:formasi_dokumen_unggah": "uploads go to the PIC's own instansi (tested in the pengusulan tests)",
    "accounts:password_reset_confirm": "a signed one-time token, checked by Django",
    "surat:verifikasi": "the public verification page: anyone holding the printed code (tests/surat/test_publik.py)",
    "api:verifikasi-surat-detail": "the public verification API (same code, same page data)",
    "api:verifikasi-surat-cocokkan": "the public file comparison (nothing stored, rate limited)",
    "api:ttd-publik-validasi": "the public validation of a signed copy by the printed code (nothing stored, "
    "rate limited; tests/ttd/test_api.py)",
}


def _named_routes():
    """(name, parameter names) of every named route with parameters (pages and API, no admin)."""
    routes = {name: params - {"format"} for name, params in rute_bernama().items()}
    return {name: params for name, params in routes.items() if params and not name.startswith("admin:")}


# "pejabat_b" (a JF holder of instansi B) is refused everywhere: nothing here is their own.
PIC_SIDE = ["pic_a", "ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "pejabat_b"]
PEMBINA_SIDE = ["pic_a", "ppk_a", "pic_b", "verifikator_lan", "admin_lan", "ketua_lan", "pejabat_b"]
PENILAI_SIDE = ["pic_a", "penilai2", "verifikator_lan", "admin_lan", "ketua_lan", "pejabat_b"]
JF_EDITORS = ["pic_a", "ppk_a", "pic_b", "admin_lan", "verifikator_lan", "pejabat_b"]
LETTER_SIDE = ["pic_a", "ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "penilai2", "pejabat_b"]
# A user's own notifications and exports: every other user, even of the same instansi.
PLATFORM_SIDE = ["pic_a", "ppk_a", "pic_b", "verifikator_lan", "admin_lan", "ketua_lan", "penilai2", "pejabat_b"]
OTHER_USERS = ["pic_a", "ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "penilai2", "pejabat_b"]
# Usulan penetapan AK (issue 19): other instansi, other JFs' pembina, the JF's own penilai of the
# inpassing team (neither the PIC nor in the assessing team), and another holder of instansi B.
PAK_SIDE = ["pic_a", "ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "penilai2", "pejabat_b"]


def probes(w):
    """route name → (kwargs, roles that must be refused)."""
    u, pg, d, t, s, pn = w["usulan"], w["pegawai"], w["dokumen"], w["tim"], w["sidang"], w["penugasan"]
    ak = AKDasar.objects.filter(jf=w["pk"]).first()  # the AK tables are the JF's: other JFs' admins are refused
    return {
        "pengusulan:pegawai_detail": ({"pk": pg.pk}, PIC_SIDE),
        "pengusulan:pegawai_update": ({"pk": pg.pk}, PIC_SIDE),
        "pengusulan:pegawai_data_pribadi": ({"pk": pg.pk}, PIC_SIDE),
        "pengusulan:pegawai_hapus_data": ({"pk": pg.pk}, PIC_SIDE),
        # platform pages: the superadmin's only (a real dead letter: no one else may retry it)
        "portal:outbox_ulangi": ({"pk": w["outbox_mati"].pk}, PLATFORM_SIDE),
        "pengusulan:usulan_create": ({"pegawai_pk": pg.pk}, PIC_SIDE),
        "pengusulan:eligibilitas_preview": ({"pegawai_pk": pg.pk}, PIC_SIDE),
        "pengusulan:usulan_detail": ({"pk": u.pk}, PIC_SIDE),
        "pengusulan:usulan_ajukan": ({"pk": u.pk}, PIC_SIDE),
        "pengusulan:usulan_batalkan": ({"pk": u.pk}, PIC_SIDE),
        "pengusulan:dokumen_unggah": ({"pk": u.pk, "persyaratan_pk": w["persyaratan"].pk}, PIC_SIDE),
        "pengusulan:dokumen_unduh": ({"pk": d.pk}, OTHER_USERS),
        "referensi:jf_edit": ({"kode": w["pk"].kode}, JF_EDITORS),
        "referensi:jf_riwayat": ({"kode": w["pk"].kode}, JF_EDITORS),
        "referensi:row_edit": ({"kode": w["pk"].kode, "bagian": "jenjang", "pk": w["jenjang"].pk}, JF_EDITORS),
        "referensi:row_add": ({"kode": w["pk"].kode, "bagian": "dokumen"}, JF_EDITORS),
        "referensi:ak_edit": ({"jenis": "dasar", "pk": ak.pk}, JF_EDITORS),
        "verifikasi:periksa": ({"pk": u.pk}, PEMBINA_SIDE),
        "verifikasi:klaim": ({"pk": u.pk}, PEMBINA_SIDE),
        "verifikasi:simpan_pemeriksaan": ({"pk": u.pk}, PEMBINA_SIDE),
        "verifikasi:tim_detail": ({"pk": t.pk}, PEMBINA_SIDE),
        "verifikasi:tim_tugaskan": ({"pk": t.pk}, PEMBINA_SIDE),
        "verifikasi:sidang_buka": ({"pk": t.pk}, PEMBINA_SIDE),
        "verifikasi:nilai": ({"pk": pn.pk}, PENILAI_SIDE),
        "verifikasi:sidang": ({"pk": s.pk}, PEMBINA_SIDE),
        "api:pegawai-detail": ({"pk": pg.pk}, PIC_SIDE),
        "api:usulan-detail": ({"pk": u.pk}, PIC_SIDE),
        "api:usulan-ajukan": ({"pk": u.pk}, PIC_SIDE),
        "api:usulan-batalkan": ({"pk": u.pk}, PIC_SIDE),
        "api:usulan-eligibilitas": ({"pk": u.pk}, PIC_SIDE),
        "api:usulan-timeline": ({"pk": u.pk}, PIC_SIDE),
        "api:usulan-dokumen": ({"pk": u.pk}, PIC_SIDE),
        "api:dokumen-detail": ({"pk": d.pk}, OTHER_USERS),
        "api:dokumen-unduh": ({"pk": d.pk}, OTHER_USERS),
        "api:pembina-usulan-detail": ({"pk": u.pk}, PEMBINA_SIDE),
        "api:pembina-usulan-mulai": ({"pk": u.pk}, PEMBINA_SIDE),
        "api:pembina-usulan-pemeriksaan": ({"pk": u.pk}, PEMBINA_SIDE),
        "api:pembina-tim-detail": ({"pk": t.pk}, PEMBINA_SIDE),
        "api:pembina-tim-tugaskan": ({"pk": t.pk}, PEMBINA_SIDE),
        "api:pembina-tim-sidang": ({"pk": t.pk}, PEMBINA_SIDE),
        "api:pembina-penugasan-detail": ({"pk": pn.pk}, PENILAI_SIDE),
        "api:pembina-penugasan-bebas-konflik": ({"pk": pn.pk}, PENILAI_SIDE),
        "api:pembina-penugasan-nilai": ({"pk": pn.pk}, PENILAI_SIDE),
        "api:pembina-sidang-detail": ({"pk": s.pk}, PEMBINA_SIDE),
        "api:pembina-sidang-putuskan": ({"pk": s.pk}, PEMBINA_SIDE),
        "accounts:2fa_reset": (
            {"pk": w["pic_b"].pk},
            ["pic_a", "ppk_a", "pic_b", "verifikator_lan", "admin_lan", "pejabat_b"],
        ),
        "notifikasi:buka": ({"pk": w["notifikasi"].pk}, OTHER_USERS),
        "api:notifikasi-detail": ({"pk": w["notifikasi"].pk}, OTHER_USERS),
        "api:notifikasi-baca": ({"pk": w["notifikasi"].pk}, OTHER_USERS),
        "rekap:ekspor_unduh": ({"pk": w["ekspor"].pk}, OTHER_USERS),
        "accounts:token_cabut": ({"pk": w["token_api"].pk}, OTHER_USERS),
        "api:token-saya-detail": ({"pk": w["token_api"].pk}, OTHER_USERS),
        "surat:detail": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "surat:koreksi": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "surat:unduh": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "surat:ttd": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "surat:unduh_ttd": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "surat:ulangi": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "surat:batch": ({"batch": w["versi"].batch}, LETTER_SIDE),
        "api:surat-detail": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "api:surat-unduh": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "api:surat-koreksi": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "api:surat-ttd": ({"pk": w["surat"].pk}, LETTER_SIDE),
        "ttd:paraf": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "ttd:unggah": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "ttd:baca": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "ttd:batch": ({"pk": w["batch_ttd"].pk}, OTHER_USERS),
        "ttd:alur_ubah": ({"pk": w["alur_paraf"].pk}, LETTER_SIDE),
        # Kemnaker's signing official: its admin pembina's register only (LAN's admin: 404)
        "ttd:pejabat_ubah": ({"pk": w["pejabat_ttd"].pk}, LETTER_SIDE),
        "ttd:pejabat_aktif": ({"pk": w["pejabat_ttd"].pk}, LETTER_SIDE),
        "api:ttd-versi-detail": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "api:ttd-versi-paraf": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "api:ttd-versi-validasi": ({"pk": w["versi"].pk}, LETTER_SIDE),
        "api:ttd-batch-detail": ({"pk": w["batch_ttd"].pk}, OTHER_USERS),
        # holders and their AK ledger (apps/jabatan): the instansi's own and the JF's pembina
        "jabatan:detail": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:predikat_catat": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:koreksi_catat": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:undang": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:cabut_akses": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:kenaikan_jenjang": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:kenaikan_pangkat": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        # The SK kenaikan pangkat stored with a ledger row of instansi B's holder.
        "jabatan:mutasi_berkas": ({"pk": w["mutasi_berkas"].pk}, PIC_SIDE),
        "api:pejabat-fungsional-kenaikan-pangkat": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "api:pejabat-fungsional-detail": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "api:pejabat-fungsional-mutasi": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "api:pejabat-fungsional-predikat": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "api:pejabat-fungsional-kenaikan-jenjang": ({"pk": w["pejabat_fungsional"].pk}, PIC_SIDE),
        "jabatan:impor": ({"jenis": "predikat"}, ["ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "pejabat_b"]),
        "jabatan:impor_templat": (
            {"jenis": "pejabat"},
            ["ppk_a", "verifikator_lan", "admin_lan", "ketua_lan", "pejabat_b"],
        ),
        "penetapan:detail": ({"pk": w["pak_usulan"].pk}, PAK_SIDE),
        "penetapan:aksi": ({"pk": w["pak_usulan"].pk}, PAK_SIDE),
        "penetapan:dokumen_unggah": ({"pk": w["pak_usulan"].pk}, PAK_SIDE),
        "penetapan:dokumen_unduh": ({"pk": w["pak_dokumen"].pk}, PAK_SIDE),
        "penetapan:sidang": ({"pk": w["pak_sidang"].pk}, [*PAK_SIDE, "pic_b"]),
        # instansi B's own Tim Penilai AK: only its PIC (and the JF's admin pembina) open it
        "penetapan:tim_detail": ({"pk": w["pak_tim"]["tim"].pk}, PAK_SIDE),
        "penetapan:tim_sekretariat": ({"pk": w["pak_tim"]["tim"].pk}, PAK_SIDE),
        "api:penetapan-tim-detail": ({"pk": w["pak_tim"]["tim"].pk}, PAK_SIDE),
        "api:penetapan-tim-sekretariat": ({"pk": w["pak_tim"]["tim"].pk}, PAK_SIDE),
        **{
            f"api:penetapan-usulan-{a}": ({"pk": w["pak_usulan"].pk}, PAK_SIDE)
            for a in ("detail", "ajukan", "batalkan", "periksa", "nilai", "dokumen")
        },
        # instansi B's team's sidang: its members and sekretariat only (pic_b is neither)
        "api:penetapan-sidang-detail": ({"pk": w["pak_sidang"].pk}, [*PAK_SIDE, "pic_b"]),
        "api:penetapan-sidang-putuskan": ({"pk": w["pak_sidang"].pk}, [*PAK_SIDE, "pic_b"]),
        # a period of Kemnaker's JF: its admin pembina only (LAN's admin: 404)
        "api:penetapan-periode-detail": ({"pk": PeriodePenetapan.objects.filter(jf=w["pk"]).first().pk}, JF_EDITORS),
        # platform pages: the superadmin's only
        "platform:instansi_ubah": ({"pk": w["pic_b"].instansi.pk}, PLATFORM_SIDE),
        "platform:instansi_aktif": ({"pk": w["pic_b"].instansi.pk}, PLATFORM_SIDE),
        "platform:peran": ({"pk": w["pic_b"].pk}, PLATFORM_SIDE),
        "platform:pengguna_aktif": ({"pk": w["pic_b"].pk}, PLATFORM_SIDE),
        "platform:permintaan": ({"pk": w["permintaan"].pk}, PLATFORM_SIDE),
        # the admin pembina's staff pages: Kemnaker's penilai belongs to Kemnaker's admin only
        "staf:peran": ({"pk": w["penilai2"].pk}, PLATFORM_SIDE),
        "staf:aktif": ({"pk": w["penilai2"].pk}, PLATFORM_SIDE),
    }


def test_every_parameterised_route_is_probed(world):
    routes = _named_routes()
    missing = sorted(set(routes) - set(probes(world)) - set(PUBLIC))
    assert missing == [], f"routes with parameters and no probe: {missing}"
    stale = sorted(set(probes(world)) - set(routes))
    assert stale == [], f"probes for routes that no longer exist: {stale}"


def _minta_sebagai(client, w, roles, name: str, url: str, failures: list[str]) -> int:
    """GET and POST ``url`` as each of ``roles`` (users of ``w``); an answer other than a refusal
    goes into ``failures``. Returns the number of requests."""
    checked = 0
    for role in roles:
        client.force_login(w[role])
        for method in ("get", "post"):
            response = (
                getattr(client, method)(url, {}, content_type="application/json")
                if name.startswith("api:")
                else getattr(client, method)(url, {})
            )
            checked += 1
            if response.status_code not in REFUSED:
                failures.append(f"{role} {method.upper()} {url} → {response.status_code}")
    return checked


def test_no_role_reaches_another_tenants_or_jfs_objects(client, world, capsys):
    failures, checked = [], 0
    for name, (kwargs, roles) in probes(world).items():
        url = reverse(name, kwargs=kwargs)
        checked += _minta_sebagai(client, world, roles, name, url, failures)
    pairs = sum(len(roles) for _kwargs, roles in probes(world).values())
    with capsys.disabled():
        print(f"\nprobe: {len(probes(world))} rute, {pairs} pasangan peran×rute, {checked} permintaan")
    assert failures == []
    assert checked == 2 * pairs >= 400  # every route × every refused role × GET and POST
    with tenancy.all_tenants(reason="test assertion"):
        world["usulan"].refresh_from_db()
    assert world["usulan"].status == "penilaian"  # nothing moved
    with tenancy.all_tenants(reason="test assertion"):
        world["pak_usulan"].refresh_from_db()
        assert world["pak_usulan"].status == "diajukan" and world["pak_usulan"].dokumen.count() == 4


def test_platform_and_staff_pages_are_404_for_everyone_else(client, world, superadmin):
    """Issue 14, item 3: every page under /platform/ exists only for the superadmin, every page
    under /pembina/staf/ only for the admin pembina (their own staff); for anyone else they are
    404 (405 for a GET on a POST-only route), GET and POST, with or without parameters."""
    from apps.accounts.models import User

    kw = {name: kwargs for name, (kwargs, _roles) in probes(world).items()}
    urls = {"platform": [], "staf": []}
    for name, params in sorted(rute_halaman().items()):
        if params and name not in kw:
            continue  # public reference data or tokens (PUBLIC): not under these prefixes
        url = reverse(name, kwargs=kw[name] if params else None)
        for prefix in urls:
            if url.startswith(f"/{'platform' if prefix == 'platform' else 'pembina/staf'}/"):
                urls[prefix].append(url)
    assert len(urls["platform"]) >= 9 and len(urls["staf"]) == 3
    kemnaker = {u: User.objects.get(username=f"{u}.kemnaker") for u in ("verifikator", "ketua", "penilai1")}
    others = [world[r] for r in PLATFORM_SIDE] + list(kemnaker.values())
    failures, checked = [], 0
    for prefix, users in (("platform", [*others, User.objects.get(username="admin.kemnaker")]),
                          # admin.lan has staff pages of their own (LAN's): refused Kemnaker's in probes()
                          ("staf", [*[u for u in others if u != world["admin_lan"]], superadmin])):  # fmt: skip
        for user in users:
            client.force_login(user)
            for url in urls[prefix]:
                for method in ("get", "post"):
                    status = getattr(client, method)(url, {"aktif": "0"}).status_code
                    checked += 1
                    if status != 404 and not (method == "get" and status == 405):
                        failures.append(f"{user.username} {method.upper()} {url} → {status}")
    assert failures == [] and checked > 200
    world["penilai2"].refresh_from_db()
    assert world["penilai2"].is_active
    # and the owners do reach them
    client.force_login(superadmin)
    assert client.get(reverse("platform:permintaan", args=[world["permintaan"].pk])).status_code == 200
    client.force_login(User.objects.get(username="admin.kemnaker"))
    assert client.get(reverse("staf:peran", args=[world["penilai2"].pk])).status_code == 200


def test_the_owners_do_reach_them(client, world):
    """The probe would be meaningless if the routes refused everyone."""
    client.force_login(world["pic_b"])
    assert client.get(reverse("pengusulan:usulan_detail", args=[world["usulan"].pk])).status_code == 200
    client.force_login(world["penilai2"])
    assert client.get(reverse("verifikasi:tim_detail", args=[world["tim"].pk])).status_code == 200
    assert client.get(reverse("surat:detail", args=[world["surat"].pk])).status_code == 404  # penilai: no letters
    client.force_login(world["pic_b"])
    assert client.get(reverse("surat:detail", args=[world["surat"].pk])).status_code == 200
    assert client.get(reverse("surat:unduh", args=[world["versi"].pk])).status_code == 200
    assert client.get(reverse("api:surat-detail", args=[world["surat"].pk])).status_code == 200
    assert client.get(reverse("surat:batch", args=[world["versi"].batch])).status_code == 200
    assert client.get(reverse("jabatan:detail", args=[world["pejabat_fungsional"].pk])).status_code == 200
    assert client.get(reverse("jabatan:mutasi_berkas", args=[world["mutasi_berkas"].pk])).status_code == 200
    assert client.get(reverse("penetapan:detail", args=[world["pak_usulan"].pk])).status_code == 200
    assert client.get(reverse("penetapan:dokumen_unduh", args=[world["pak_dokumen"].pk])).status_code == 200
    assert client.get(reverse("penetapan:tim_detail", args=[world["pak_tim"]["tim"].pk])).status_code == 200
    client.force_login(world["pak_tim"]["sekretariat"])
    assert client.get(reverse("penetapan:detail", args=[world["pak_usulan"].pk])).status_code == 200
    assert client.get(reverse("penetapan:sidang", args=[world["pak_sidang"].pk])).status_code == 200


def test_the_batch_paraf_api_reaches_no_other_tenants_letter(client, world):
    """Issue 17 (i17h): ``POST /api/v1/ttd/paraf/`` takes its letters in the body, not the URL, so
    the route walk above cannot fill it. Every role that must not reach instansi B's letter posts
    it there — by version and by letter id, also an A approver named in A's own SK chain (the
    chain rule reaches letters one's instansi *issued*) — and gets exactly the answer of ids that
    do not exist: nothing given, nothing told (no number)."""
    from apps.ttd.models import AlurParaf, LangkahParaf, Paraf

    w = world
    with tenancy.all_tenants(reason="test set-up"):
        alur_a = AlurParaf.objects.create(instansi=w["pic_a"].instansi, jenis=w["surat"].jenis)
        LangkahParaf.objects.create(instansi=alur_a.instansi, alur=alur_a, urutan=1, user=w["pic_a"], sebutan="K")
    url = reverse("api:ttd-paraf-list")
    failures, checked = [], 0
    for role in LETTER_SIDE:
        client.force_login(w[role])
        asing = client.post(url, {"versi": [w["versi"].pk], "surat": [w["surat"].pk]}, content_type="application/json")
        tiada = client.post(url, {"versi": [2**31 - 1], "surat": [2**31 - 2]}, content_type="application/json")
        checked += 1
        if asing.status_code != 200 or tiada.status_code != 200:
            failures.append(f"{role} → {asing.status_code}/{tiada.status_code}")
            continue
        tanpa_id = [{k: v for k, v in h.items() if k not in ("versi", "surat")} for h in asing.json()["hasil"]]
        if {h["hasil"] for h in asing.json()["hasil"]} != {"tidak_ditemukan"} or tanpa_id != [
            {k: v for k, v in h.items() if k not in ("versi", "surat")} for h in tiada.json()["hasil"]
        ]:
            failures.append(f"{role} → {asing.json()}")
        if w["surat"].nomor and w["surat"].nomor in asing.content.decode():
            failures.append(f"{role} read the letter's number")
    assert failures == [] and checked == len(LETTER_SIDE)
    with tenancy.all_tenants(reason="test assertion"):
        assert not Paraf.objects.filter(versi=w["versi"]).exists()


# --------------------------------------------------------------------------- pembina vs draft (issue 15)

PEMBINA_STAF = ["verifikator", "admin", "ketua", "penilai1", "penilai2"]


@pytest.fixture
def draft_world(world, instansi_b):
    """Beside ``world``: a draft of instansi B in the same JF (never submitted, documents
    uploaded), an usulan sent back for perbaikan with a new version uploaded and not yet
    resubmitted, and a new version of an instansi document uploaded after the submissions."""
    from apps.pengusulan.models import Dokumen

    pk, pic_b = world["pk"], world["pic_b"]
    kemnaker = pk.instansi_pembina
    staf = {r: type(pic_b).objects.get(username=f"{r}.kemnaker") for r in PEMBINA_STAF}
    with tenancy.scope(instansi_b):
        pegawai2 = pic_services.pegawai_create(actor=pic_b, data=pegawai_data(nip="19860926 201505 1 002"))
        draft = pic_services.usulan_create(actor=pic_b, pegawai=pegawai2, jf=pk)
        pegawai3 = pic_services.pegawai_create(actor=pic_b, data=pegawai_data(nip="19860926 201505 1 003"))
        kembali = pic_services.usulan_create(actor=pic_b, pegawai=pegawai3, jf=pk)
    upload_all_mandatory(pic_b, draft)
    upload_all_mandatory(pic_b, kembali)
    with tenancy.scope(instansi_b):
        kembali = pic_services.usulan_ajukan(actor=pic_b, usulan=kembali, on=ON)
    with tenancy.activate(tenancy.scope_for_user(staf["verifikator"])):
        pembina_services.pemeriksaan_mulai(actor=staf["verifikator"], usulan=kembali)
        pembina_services.pemeriksaan_putuskan(
            actor=staf["verifikator"], usulan=kembali, keputusan="perbaikan", catatan="Perbaiki", tenggat=None
        )
    with tenancy.scope(instansi_b):
        d1 = Dokumen.objects.filter(usulan=kembali).first()
        perbaikan = pic_services.dokumen_upload(
            actor=pic_b, jf=pk, persyaratan=d1.persyaratan, upload=pdf_upload(), usulan=kembali
        )
        instansi_doc = Dokumen.objects.filter(usulan__isnull=True, jf=pk).first()
        instansi_baru = pic_services.dokumen_upload(
            actor=pic_b, jf=pk, persyaratan=instansi_doc.persyaratan, upload=pdf_upload()
        )
        draft_dokumen = Dokumen.objects.filter(usulan=draft).first()
    assert kemnaker.pk == staf["admin"].instansi.pk
    return {
        **world,
        **staf,
        "draft": draft,
        "kembali": kembali,
        "draft_dokumen": draft_dokumen,
        "perbaikan_dokumen": perbaikan,
        "instansi_baru": instansi_baru,
        "d1": d1,
    }


def _kind(name, kwargs, w):
    """Which object a probed route takes: "usulan", "dokumen", "surat" or None (from its path)."""
    path = reverse(name, kwargs=kwargs)
    if f"/usulan/{w['usulan'].pk}/" in path:
        return "usulan"
    if f"/dokumen/{w['dokumen'].pk}/" in path:
        return "dokumen"
    if "surat" in name:
        return "surat"
    return None


def draft_probes(w):
    """Every usulan and document route of ``probes``, filled with the draft (and, for documents,
    with each version the pembina has not been handed), for every pembina staff role."""
    out = []
    for name, (kwargs, _roles) in probes(w).items():
        kind = _kind(name, kwargs, w)
        if kind == "usulan":
            out.append((name, {**kwargs, "pk": w["draft"].pk}))
        elif kind == "dokumen":
            for key in ("draft_dokumen", "perbaikan_dokumen", "instansi_baru"):
                out.append((name, {**kwargs, "pk": w[key].pk}))
    return out


def test_pembina_staff_never_reach_a_draft_or_an_unsubmitted_version(client, draft_world, capsys):
    """Issue 15, finding 1: admin and verifikator of the pembina got 200 and the PDF for a
    draft's document. Every usulan and document route, every pembina staff role, GET and POST."""
    from apps.pengusulan.models import Dokumen
    from apps.surat.models import SuratUsulan

    w = draft_world
    cases = draft_probes(w)
    kinds = {_kind(n, k, w) for n, (k, _r) in probes(w).items()}
    assert {"usulan", "dokumen", "surat"} <= kinds
    failures, checked = [], 0
    for name, kwargs in cases:
        url = reverse(name, kwargs=kwargs)
        checked += _minta_sebagai(client, w, PEMBINA_STAF, name, url, failures)
    # Letters: no letter route takes an usulan; issuing one for the draft's instansi (page and
    # API) must not put the draft into a letter.
    client.force_login(w["admin"])
    data = {"jf": w["pk"].kode, "instansi": [w["draft"].instansi_id], "tanggal": "2026-08-01",
            "penandatangan_nama": "A", "penandatangan_jabatan": "B"}  # fmt: skip
    assert client.post(reverse("api:pembina-rekomendasi-list"), data, content_type="application/json").status_code in (
        400,
        403,
        404,
    )
    client.post(reverse("surat:rekomendasi"), {**data, "instansi": w["draft"].instansi_id})
    checked += 2
    with tenancy.all_tenants(reason="test assertion"):
        assert not SuratUsulan.objects.filter(usulan=w["draft"]).exists()
    with capsys.disabled():
        print(f"\nprobe pembina vs draft: {len(cases)} kasus rute, {checked} permintaan")
    assert failures == []
    assert len(cases) >= 20 and checked == 2 * len(cases) * len(PEMBINA_STAF) + 2

    # The same rule below the views: the scoped manager and, without it, the RLS policy.
    hidden = [w["draft_dokumen"].pk, w["perbaikan_dokumen"].pk, w["instansi_baru"].pk]
    with tenancy.activate(tenancy.scope_for_user(w["verifikator"])):
        assert not Dokumen.objects.filter(pk__in=hidden).exists()
        assert Dokumen.objects.filter(pk=w["d1"].pk).exists()  # the submitted version stays visible
        from apps.pengusulan.models import Usulan

        assert not Usulan.objects.filter(pk=w["draft"].pk).exists()
        assert Usulan.objects.filter(pk=w["kembali"].pk).exists()
    from django.db import connection

    scope = tenancy.scope_for_user(w["verifikator"])
    with tenancy.all_tenants(reason="raw SQL under the pembina's database settings"), connection.cursor() as cur:
        cur.execute(
            "SELECT set_config('siaks.all_tenants', 'off', true), set_config('siaks.instansi_id', %s, true),"
            " set_config('siaks.jf_ids', %s, true)",
            [str(scope.instansi_id), ",".join(str(i) for i in sorted(scope.jf_ids))],
        )
        cur.execute("SELECT id FROM pengusulan_dokumen WHERE id = ANY(%s)", [[*hidden, w["d1"].pk]])
        assert [r[0] for r in cur.fetchall()] == [w["d1"].pk]
        cur.execute("SELECT id FROM pengusulan_usulan WHERE id = ANY(%s)", [[w["draft"].pk, w["kembali"].pk]])
        assert [r[0] for r in cur.fetchall()] == [w["kembali"].pk]


def test_resubmission_hands_the_new_version_over(client, draft_world):
    """The perbaikan version reaches the pembina once the usulan is submitted again."""
    from apps.pengusulan.models import Dokumen

    w = draft_world
    with tenancy.scope(w["kembali"].instansi_id):
        pic_services.usulan_ajukan(actor=w["pic_b"], usulan=w["kembali"], on=ON)
    client.force_login(w["verifikator"])
    assert client.get(reverse("api:dokumen-detail", args=[w["perbaikan_dokumen"].pk])).status_code == 200
    assert client.get(reverse("pengusulan:dokumen_unduh", args=[w["instansi_baru"].pk])).status_code == 200
    with tenancy.activate(tenancy.scope_for_user(w["verifikator"])):
        assert not Dokumen.objects.filter(pk=w["draft_dokumen"].pk).exists()
