"""Issue 13 §8: every source a user reads, through the API or on a page of the rules, names the
document it comes from (its article or section, and "belum terverifikasi" where the data marks it),
never the reference data's working notes ("Seed 004", "[V2]", "domain.md §4").

A sweep: the API responses of the eligibility and rule endpoints (the PIC's usulan list, detail and
eligibility, a draft's computed outcomes and a submitted usulan's stored ones; the pembina's inbox),
the OpenAPI schema (its descriptions and help texts are user-facing too), and the rendered pages of
the rule screens (each JF's page, the AK tables, the eligibility preview, the PIC's usulan page, the
verifier's page, the periods of penetapan AK)."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from apps.core import tenancy
from apps.core.sumber import kutipan
from apps.pengusulan import services

pytestmark = pytest.mark.django_db

PENANDA = re.compile(r"\bseeds?[ -]?\d{3}|\[V\d?\]|\[V2|\[U\]|domain\.md", re.IGNORECASE)


def tanpa_penanda(name: str, text: str) -> None:
    m = PENANDA.search(text)
    assert m is None, (name, text[max(0, m.start() - 120) : m.end() + 120])


def client_for(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def test_api_sources_cite_documents_not_working_notes(pic, aks, formasi_aks, make_pegawai, diajukan, staf, pic_pk):
    pegawai = make_pegawai(nip="19790101 200501 1 002")
    with tenancy.scope(pic.instansi):
        draft = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    api = client_for(pic)
    responses = {
        "eligibilitas (AKS)": api.get(f"/api/v1/usulan/{draft.pk}/eligibilitas/"),
        "usulan list (AKS)": api.get("/api/v1/usulan/"),
        "usulan detail (AKS)": api.get(f"/api/v1/usulan/{draft.pk}/"),
    }
    submitted = diajukan(1)[0]  # JF Pengantar Kerja: the outcomes stored at submission
    assert submitted.eligibilitas and any("Seed" in o["source"] for o in submitted.eligibilitas)
    pic_api, verifier = client_for(pic_pk), client_for(staf["verifikator"])
    responses |= {
        "eligibilitas (PK)": pic_api.get(f"/api/v1/usulan/{submitted.pk}/eligibilitas/"),
        "usulan detail (PK, stored)": pic_api.get(f"/api/v1/usulan/{submitted.pk}/"),
        "inbox": verifier.get("/api/v1/pembina/usulan/"),
        "inbox detail": verifier.get(f"/api/v1/pembina/usulan/{submitted.pk}/"),
        "schema": api.get("/api/schema/", {"format": "json"}),
    }
    for name, response in responses.items():
        assert response.status_code == 200, (name, response.status_code)
        tanpa_penanda(name, response.content.decode())

    aks_sources = {o["rule"]: o["source"] for o in responses["eligibilitas (AKS)"].json()}
    assert aks_sources["usia"].startswith("Webinar Pusbin AKS Kemensetneg tentang inpassing JF Analis Kerja Sama")
    assert aks_sources["disiplin"].startswith("Webinar Pusbin AKS Kemensetneg")
    # the golongan → jenjang table is not in seed 004: the principle's document, and the table unverified
    assert aks_sources["jenjang"].startswith("Panduan Teknis BKN atas Peraturan BKN Nomor 3 Tahun 2023")
    assert "(sumber sekunder, belum terverifikasi)" in aks_sources["jenjang"]
    stored = {o["rule"]: o["source"] for o in responses["usulan detail (PK, stored)"].json()["eligibilitas"]}
    assert stored["pengalaman"].startswith("Permenaker 4/2017 pasal 5")
    assert stored["pendidikan"].startswith("KepmenPANRB Nomor SKJ.1 Tahun 2022")
    inbox = {o["rule"]: o["source"] for o in responses["inbox detail"].json()["eligibilitas"]}
    assert inbox == stored
    assert all(o["source"] for o in responses["eligibilitas (AKS)"].json())
    schema = responses["schema"].content.decode()
    assert "Rancangan Perkalan LAN tentang Tata Kerja Tim Penilai JFAK" in schema


def test_rule_pages_cite_documents_not_working_notes(
    client, referensi, pic, aks, make_pegawai, diajukan, staf, pic_pk, admin_setneg, admin_lan
):
    pegawai = make_pegawai(nip="19790101 200501 1 002")
    with tenancy.scope(pic.instansi):
        draft = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    submitted = diajukan(1)[0]
    pages = {}
    for user in (admin_setneg, admin_lan, staf["admin"]):
        client.force_login(user)
        for kode in referensi:
            pages[f"jf {kode} ({user.username})"] = client.get(reverse("referensi:jf_detail", args=[kode]))
        pages[f"ak tabel ({user.username})"] = client.get(reverse("referensi:ak_tabel"))
        pages[f"periode ({user.username})"] = client.get(reverse("penetapan:periode"))
    client.force_login(pic)
    pages["usulan (AKS, draft)"] = client.get(reverse("pengusulan:usulan_detail", args=[draft.pk]))
    pages["eligibilitas preview"] = client.get(
        reverse("pengusulan:eligibilitas_preview", args=[pegawai.pk]), {"jf": "aks"}
    )
    client.force_login(pic_pk)
    pages["usulan (PK, diajukan)"] = client.get(reverse("pengusulan:usulan_detail", args=[submitted.pk]))
    client.force_login(staf["verifikator"])
    pages["periksa"] = client.get(reverse("verifikasi:periksa", args=[submitted.pk]))
    for name, response in pages.items():
        assert response.status_code == 200, (name, response.status_code)
        tanpa_penanda(name, response.content.decode())
    preview = pages["eligibilitas preview"].content.decode()
    assert "Webinar Pusbin AKS Kemensetneg" in preview and "belum terverifikasi" in preview
    assert "Permenaker 4/2017 pasal 5" in pages["periksa"].content.decode()
    lan = pages["periode (admin.lan)"].content.decode()
    assert "Rancangan Perkalan LAN tentang Tata Kerja Tim Penilai JFAK, Bab IV C" in lan


def test_the_ak_ledger_cites_the_sources_of_its_rates(client, instansi_a, pk, pic_pk):
    """The holder's ledger (API and page): a konversi's breakdown keeps the sources of its
    percentage and koefisien; the API cites them as the pages do."""
    from datetime import date

    from tests.jabatan.conftest import buat_pejabat

    pejabat = buat_pejabat(instansi_a, pk)
    client.force_login(pic_pk)
    dibuat = client.post(
        f"/api/v1/pejabat-fungsional/{pejabat.pk}/predikat/",
        {"predikat": "baik", "periode_mulai": "2025-01-01", "periode_selesai": "2025-12-31"},
        content_type="application/json",
    )
    assert dibuat.status_code == 201, dibuat.content
    ledger = client.get(f"/api/v1/pejabat-fungsional/{pejabat.pk}/mutasi/")
    page = client.get(reverse("jabatan:detail", args=[pejabat.pk]))
    for name, response in {"predikat": dibuat, "mutasi": ledger, "halaman": page}.items():
        assert response.status_code == 200 or name == "predikat"
        tanpa_penanda(name, response.content.decode())
    rincian = ledger.json()[0]["rincian"]
    assert rincian["persen_sumber"].startswith("Slide pelatihan BKN tentang PerBKN 3/2023")
    assert rincian["persen_sumber"].endswith("(sumber sekunder, belum terverifikasi)")
    assert rincian["koefisien_sumber"] and ledger.json()[0]["periode_mulai"] == str(date(2025, 1, 1))


#: A working note word of the AK career's sources, also without a number ("tidak tertulis di seed").
PENANDA_AK = re.compile(PENANDA.pattern + r"|\bseeds?\b", re.IGNORECASE)


def test_the_ak_career_api_and_schema_cite_documents_not_working_notes(instansi_a, pk, pic_pk, staf, admin_lan):
    """Issue 19: the kenaikan jenjang proposal, its eligibility (computed, then stored at
    submission and read by the pembina), the holder's record and ledger, the periods of penetapan
    AK and the AK-career part of the OpenAPI schema cite documents, never "seed 004", "[V]" or
    "domain.md" (apps.jabatan.kenaikan.SUMBER_* keep them as working notes)."""
    from datetime import date
    from decimal import Decimal

    from apps.jabatan.domain import JenisMutasi
    from apps.jabatan.services import mutasi_tambah
    from apps.pengusulan.models import Usulan
    from tests.jabatan.conftest import buat_pejabat
    from tests.pengusulan.conftest import ON, upload_all_mandatory

    h = buat_pejabat(
        instansi_a, pk, jenjang_kode="ahli_muda", golongan="III/d", tmt=date(2019, 3, 1),
        nip="196905122019031002", nama="Bambang Hartono", tanggal_lahir=date(1969, 5, 12),
    )  # fmt: skip
    with tenancy.scope(instansi_a):
        mutasi_tambah(
            h, JenisMutasi.KONVERSI, Decimal("212.50"), oleh=pic_pk, periode_mulai=date(2019, 3, 1),
            periode_selesai=date(2025, 12, 31), predikat="baik", keterangan="Konversi 2019–2025",
        )  # fmt: skip
    api = client_for(pic_pk)
    usul = api.post(f"/api/v1/pejabat-fungsional/{h.pk}/kenaikan-jenjang/", {}, format="json")
    assert usul.status_code in (200, 201), usul.content
    with tenancy.scope(instansi_a):
        usulan = Usulan.objects.get(pejabat=h)
    responses = {
        "kenaikan jenjang diusulkan": usul,
        "eligibilitas kenaikan jenjang": api.get(f"/api/v1/usulan/{usulan.pk}/eligibilitas/"),
        "usulan kenaikan jenjang": api.get(f"/api/v1/usulan/{usulan.pk}/"),
        "pejabat": api.get(f"/api/v1/pejabat-fungsional/{h.pk}/"),
        "mutasi": api.get(f"/api/v1/pejabat-fungsional/{h.pk}/mutasi/"),
        "memenuhi": api.get("/api/v1/pejabat-fungsional/memenuhi/"),
    }
    upload_all_mandatory(pic_pk, usulan)
    with tenancy.scope(instansi_a):
        usulan = services.usulan_ajukan(actor=pic_pk, usulan=usulan, on=ON)
    assert usulan.eligibilitas and any("domain.md" in o["source"].lower() for o in usulan.eligibilitas)
    verifier = client_for(staf["verifikator"])
    lan = client_for(admin_lan)
    periode = {"kode": "I", "nama": "Periode I", "bulan_pengajuan": 10, "hari_mulai": 1, "hari_selesai": 7,
               "bulan_pak": 1, "bulan_kenaikan_pangkat": 4, "aktif": True, "sumber": "Seed 001 BAB IV C [V2]",
               "jf": "analis-kebijakan"}  # fmt: skip
    dibuat = lan.post("/api/v1/penetapan/periode/", periode, format="json")
    assert dibuat.status_code == 201, dibuat.content
    responses |= {
        "usulan kenaikan jenjang (tersimpan)": api.get(f"/api/v1/usulan/{usulan.pk}/"),
        "eligibilitas (diajukan)": api.get(f"/api/v1/usulan/{usulan.pk}/eligibilitas/"),
        "inbox detail": verifier.get(f"/api/v1/pembina/usulan/{usulan.pk}/"),
        "periode dibuat": dibuat,
        "periode": lan.get("/api/v1/penetapan/periode/"),
        "periode detail": lan.get(f"/api/v1/penetapan/periode/{dibuat.json()['id']}/"),
    }
    for name, response in responses.items():
        assert response.status_code in (200, 201), (name, response.status_code)
        text = response.content.decode()
        m = PENANDA_AK.search(text)
        assert m is None, (name, text[max(0, m.start() - 120) : m.end() + 120])

    sources = {o["rule"]: o["source"] for o in responses["eligibilitas kenaikan jenjang"].json()}
    assert set(sources) == {"ak_kumulatif", "pangkat", "bup", "masa_jabatan"}
    # The threshold is the JF's data: cited as the JF page cites it ("Sumber koefisien dan AK
    # kumulatif"), unverified until its admin pembina confirms it — not as a verified PerBKN rule.
    assert sources["ak_kumulatif"] == kutipan(h.jenjang.ak_sumber)
    assert "AK kumulatif (sumber sekunder, belum terverifikasi)" in sources["ak_kumulatif"]
    assert sources["bup"] == "PP 11/2017 pasal 239: batas usia pensiun per jenjang"
    assert "(sumber sekunder, belum terverifikasi)" in sources["pangkat"]
    stored = {o["rule"]: o["source"] for o in responses["usulan kenaikan jenjang (tersimpan)"].json()["eligibilitas"]}
    assert stored == sources
    assert {o["rule"]: o["source"] for o in responses["inbox detail"].json()["eligibilitas"]} == stored
    assert responses["periode detail"].json()["sumber"] == (
        "Rancangan Perkalan LAN tentang Tata Kerja Tim Penilai JFAK BAB IV C (sumber sekunder, belum terverifikasi)"
    )

    # The pages that show the kenaikan jenjang's rules (apps.jabatan.kenaikan) and the holder's
    # ledger figures (apps.penetapan.selectors.angka_kredit): the PIC's usulan page, the verifier's.
    from django.test import Client

    for user, url in (
        (pic_pk, reverse("pengusulan:usulan_detail", args=[usulan.pk])),
        (staf["verifikator"], reverse("verifikasi:periksa", args=[usulan.pk])),
    ):
        page = Client()
        page.force_login(user)
        response = page.get(url)
        assert response.status_code == 200, url
        teks = _teks_terlihat(response.content.decode())
        m = PENANDA_KETAT.search(teks)
        assert m is None, (url, teks[max(0, m.start() - 150) : m.end() + 150])
    # the verifier reads the stored rules with their sources
    assert "AK kumulatif (sumber sekunder, belum terverifikasi)" in teks

    # The AK-career part of the OpenAPI schema: its paths are there, and no working note.
    import json

    schema = json.loads(api.get("/api/schema/", {"format": "json"}).content)
    ak_paths = {p: v for p, v in schema["paths"].items() if "/penetapan/" in p or "pejabat-fungsional" in p
                or p.startswith("/api/v1/saya")}  # fmt: skip
    assert "/api/v1/penetapan/sidang/" in ak_paths and "/api/v1/pejabat-fungsional/{id}/kenaikan-jenjang/" in ak_paths
    assert "/api/v1/usulan/{id}/eligibilitas/" in schema["paths"]
    tanpa_penanda("schema (AK)", json.dumps(ak_paths, ensure_ascii=False))
    tanpa_penanda("schema (komponen)", json.dumps(schema["components"], ensure_ascii=False))
    assert PENANDA_AK.search(json.dumps(ak_paths, ensure_ascii=False)) is None


# Any trace of the working notes: the collection's word ("seed", "tidak termuat dalam seed"), a marker.
PENANDA_KETAT = re.compile(r"\bseeds?\b|\[V|\[U\]|domain\.md", re.IGNORECASE)


def _teks_terlihat(html: str) -> str:
    """The page's text and form values (what a user reads), without scripts and styles."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    values = " ".join(re.findall(r'value="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + values


def _data_form(response) -> dict:
    """What the browser would send for the form as rendered (its fields' shown values)."""
    form = response.context["form"]
    data = {"versi": response.context["versi"]}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif value is not None:
            data[name] = value
    return data


def test_fe13_jf_pages_standar_kompetensi_and_forms_show_no_working_notes(client, referensi, staf, pic):
    """Fresh-eye walk, item 4: the AKS "Standar kompetensi" tab said "tidak termuat dalam seed" on every
    competency; the admin's "Atur persyaratan" form pre-filled "Seed 000: batas usia maksimal …". For
    each JF: its page (with the standar kompetensi tab) for the PIC, a penilai and its admin, and its
    admin's forms show citations by document name; saving the form unchanged keeps the stored notes."""
    from apps.portal.demo_standar import standar_demo
    from apps.referensi.models import JabatanFungsional, Jenjang, Kompetensi, PersentasePredikat, PersyaratanDokumen
    from tests.factories import UserFactory

    assert standar_demo() > 0  # the demo's provisional standard for AKS and Analis Kebijakan
    for kode, jf in referensi.items():
        pembina = jf.instansi_pembina
        admin = UserFactory(username=f"admin.{kode}", instansi=pembina, roles=["admin_pembina"])
        penilai = UserFactory(username=f"penilai.{kode}", instansi=pembina, roles=["penilai"])
        for user in (pic, penilai, admin):
            client.force_login(user)
            page = client.get(reverse("referensi:jf_detail", args=[kode]))
            assert page.status_code == 200, (kode, user.username)
            teks = _teks_terlihat(page.content.decode())
            m = PENANDA_KETAT.search(teks)
            assert m is None, (kode, user.username, teks[max(0, m.start() - 150) : m.end() + 150])
            if kode != "pengantar-kerja":
                assert 'data-testid="catatan-kompetensi"' in page.content.decode()
        client.force_login(admin)
        urls = [reverse("referensi:jf_edit", args=[kode])]
        urls += [reverse("referensi:row_edit", args=[kode, "jenjang", j.pk]) for j in Jenjang.objects.filter(jf=jf)]
        urls += [
            reverse("referensi:row_edit", args=[kode, "dokumen", d.pk])
            for d in PersyaratanDokumen.objects.filter(jf=jf)
        ]
        urls += [
            reverse("referensi:row_edit", args=[kode, "predikat", p.pk])
            for p in PersentasePredikat.objects.filter(jf=jf)
        ]
        k = Kompetensi.objects.filter(jenjang__jf=jf).first()
        if k is not None:
            urls.append(reverse("referensi:row_edit", args=[kode, "kompetensi", k.pk]))
        for url in urls:
            form = client.get(url)
            assert form.status_code == 200, url
            teks = _teks_terlihat(form.content.decode())
            m = PENANDA_KETAT.search(teks)
            assert m is None, (url, teks[max(0, m.start() - 150) : m.end() + 150])
    # Saved unchanged, the JF's form keeps the stored notes (their verification markers) as they were.
    aks = referensi["aks"]
    sebelum = JabatanFungsional.objects.get(pk=aks.pk)
    assert "Seed 000" in sebelum.sumber_usia
    client.force_login(UserFactory(username="admin.aks2", instansi=aks.instansi_pembina, roles=["admin_pembina"]))
    url = reverse("referensi:jf_edit", args=["aks"])
    shown = client.get(url)
    data = _data_form(shown)
    assert data["sumber_usia"].startswith("Webinar Pusbin AKS Kemensetneg")
    assert client.post(url, data).status_code == 302
    sesudah = JabatanFungsional.objects.get(pk=aks.pk)
    for name in ("sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin", "dasar_hukum"):
        assert getattr(sesudah, name) == getattr(sebelum, name), name
    # An edited citation is stored as typed, its state in words.
    data["sumber_usia"] = data["sumber_usia"] + " (belum terverifikasi)"
    assert client.post(url, {**data, "versi": client.get(url).context["versi"]}).status_code == 302
    assert JabatanFungsional.objects.get(pk=aks.pk).sumber_usia == data["sumber_usia"]
    # The change history shows the citations as pages do, before and after.
    riwayat = client.get(reverse("referensi:jf_riwayat", args=["aks"]))
    teks = _teks_terlihat(riwayat.content.decode())
    assert "Webinar Pusbin AKS Kemensetneg" in teks
    m = PENANDA_KETAT.search(teks)
    assert m is None, teks[max(0, m.start() - 150) : m.end() + 150]


def test_fe13_a_bare_mention_of_the_collection_is_not_shown():
    """Data stored before the demo's wording changed ("tidak termuat dalam seed") reads as words."""
    lama = "Belum terverifikasi: SKJ JF Analis Kerja Sama tidak termuat dalam seed. Teks dan level mengikuti seed 002."
    teks = kutipan(lama)
    assert PENANDA_KETAT.search(teks) is None, teks
    assert "tidak termuat dalam dokumen sumber portal" in teks and "KepmenPANRB Nomor SKJ.1 Tahun 2022" in teks


def test_fe13_the_tembusan_pak_shows_no_raw_placeholder(client, referensi, pic, admin_setneg):
    """Fresh-eye walk, item 5: the "Tembusan PAK" list on /jf/aks/ showed "{pembina}", "{unit_pembina}"
    and "{instansi}" to PIC users: filled for the PIC's instansi, a readable placeholder for the pembina."""
    for user, instansi in ((pic, pic.instansi.nama), (admin_setneg, "(nama instansi pengusul)")):
        client.force_login(user)
        for kode in ("aks", "pengantar-kerja"):
            body = client.get(reverse("referensi:jf_detail", args=[kode])).content.decode()
            start = body.index('data-testid="tembusan-pak"')
            sel = body[start : body.index("</td>", start)]
            assert "{" not in sel and "}" not in sel, (kode, user.username, sel)
            assert instansi in sel and referensi[kode].instansi_pembina.nama in sel, (kode, user.username)
