"""Issue 17 (helper i17h, item 2): the REST API had the single paraf only, while /ttd/ lets an
approver give the paraf on many letters at once. ``POST /api/v1/ttd/paraf/`` gives it on the
chosen versions (or letters: their version in force) in one request, with the rules of the single
paraf — the chain's order, the version's sha256, a superseded version refused — and a result per
letter with the reason of each refusal. Another instansi's letter is answered exactly like one that
does not exist (the probe over every role is in tests/keamanan/test_probe.py)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from apps.surat import services as surat_services
from apps.ttd import services
from apps.ttd.models import AlurParaf, LangkahParaf, Paraf
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants, render_antrean
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db

URL = "/api/v1/ttd/paraf/"


def _post(client, data):
    return client.post(URL, data, content_type="application/json")


def _paraf(**filter) -> set[int]:
    with all_tenants():
        return set(Paraf.objects.filter(batal_at__isnull=True, **filter).values_list("versi_id", flat=True))


@pytest.fixture
def sekda(instansi_a, alur):
    """A second step after the Kabag: the Sekretaris Daerah's paraf, then the PPK signs."""
    user = UserFactory(username="sekda.a", instansi=instansi_a, roles=["pic_instansi"], nama_lengkap="Sekda")
    with all_tenants():
        LangkahParaf.objects.create(instansi=instansi_a, alur=alur, urutan=2, user=user, sebutan="Sekretaris Daerah")
    return user


def test_the_approver_gives_many_parafs_in_one_request_with_a_result_per_letter(
    client, alur, kabag, sekda, sk_siap, ppk_pk, pejabat_ppk
):
    a, b, c, d = sk_siap(4)
    assert reverse("api:ttd-paraf-list") == URL
    # Chain order: the Sekda's step comes after the Kabag's, so nothing is given yet.
    client.force_login(sekda)
    r = _post(client, {"versi": [a.pk, b.pk]})
    assert r.status_code == 200, r.content
    assert [(h["versi"], h["hasil"]) for h in r.json()["hasil"]] == [(a.pk, "ditolak"), (b.pk, "ditolak")]
    assert all("tidak sedang menunggu paraf Anda" in h["alasan"] for h in r.json()["hasil"])
    assert _paraf(user=sekda) == set()
    # D is corrected after the approver read it: its old version takes no paraf.
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=d.surat, alasan="TMT keliru")
    render_antrean()
    client.force_login(kabag)
    r = _post(client, {"versi": [a.pk, b.pk, d.pk, 999999, a.pk], "surat": [c.surat_id]})
    assert r.status_code == 200, r.content
    body = r.json()
    hasil = body["hasil"]
    assert [(h["versi"], h["surat"], h["hasil"]) for h in hasil] == [
        (a.pk, a.surat_id, "diberikan"), (b.pk, b.surat_id, "diberikan"), (d.pk, d.surat_id, "ditolak"),
        (999999, None, "tidak_ditemukan"), (c.pk, c.surat_id, "diberikan"),
    ]  # fmt: skip
    # An unknown id is counted as not found, not as refused (fresh-eye F5).
    assert (body["diberikan"], body["ditolak"], body["tidak_ditemukan"]) == (3, 1, 1)
    # Each paraf is bound to the sha256 of the version approved.
    assert [h["paraf"]["sha256"] for h in hasil if h["paraf"]] == [a.sha256, b.sha256, c.sha256]
    assert hasil[0]["nomor"] == a.surat.nomor and hasil[0]["versi_ke"] == 1 and hasil[0]["alasan"] == ""
    assert "versi yang lebih baru" in hasil[2]["alasan"] and hasil[2]["paraf"] is None
    assert hasil[3] == {"versi": 999999, "surat": None, "nomor": "", "versi_ke": None, "hasil": "tidak_ditemukan",
                        "alasan": "Surat yang dipilih tidak ditemukan atau tidak menunggu paraf Anda.",
                        "paraf": None}  # fmt: skip
    assert _paraf(user=kabag) == {a.pk, b.pk, c.pk}
    with all_tenants():
        assert [p.sha256 for p in Paraf.objects.filter(versi=a)] == [a.sha256]
    # A second request: those given already are refused with the reason, nothing doubled.
    r = _post(client, {"versi": [a.pk]})
    assert r.json()["hasil"][0]["hasil"] == "ditolak" and r.json()["hasil"][0]["alasan"]
    with all_tenants():
        assert Paraf.objects.filter(versi=a).count() == 1
    # The Sekda now may give theirs on A and B (the chain moved on), not on D's new version.
    client.force_login(sekda)
    with all_tenants():
        d2 = d.surat.versi_set.get(diganti_at__isnull=True)
    r = _post(client, {"surat": [a.surat_id, b.surat_id, d.surat_id]})
    assert [h["hasil"] for h in r.json()["hasil"]] == ["diberikan", "diberikan", "ditolak"]
    assert r.json()["hasil"][2]["versi"] == d2.pk
    with all_tenants():
        assert services.paraf_lengkap(a) and not services.paraf_lengkap(d2)


def test_a_paraf_given_in_a_batch_is_void_once_the_letter_is_corrected(client, alur, kabag, sk_siap, ppk_pk):
    (a,) = sk_siap(1)
    client.force_login(kabag)
    assert _post(client, {"versi": [a.pk]}).json()["diberikan"] == 1
    with as_user(ppk_pk):
        surat_services.surat_koreksi(actor=ppk_pk, surat=a.surat, alasan="Nama keliru")
    render_antrean()
    with all_tenants():
        (p,) = Paraf.objects.filter(versi=a)
        a2 = a.surat.versi_set.get(diganti_at__isnull=True)
        assert p.batal_at is not None and not services.paraf_lengkap(a2)
    r = _post(client, {"surat": [a.surat_id]})
    assert r.json()["hasil"][0]["versi"] == a2.pk and r.json()["hasil"][0]["hasil"] == "diberikan"
    assert r.json()["hasil"][0]["paraf"]["sha256"] == a2.sha256 != a.sha256


def test_another_instansis_letters_are_answered_like_ones_that_do_not_exist(client, alur, kabag, sk_siap, instansi_b):
    """Instansi B's approver, named in B's SK chain, posts A's ids: nothing given, nothing told."""
    (a,) = sk_siap(1)
    kabag_b = UserFactory(username="kabag.b", instansi=instansi_b, roles=["pic_instansi"])
    with all_tenants():
        alur_b = AlurParaf.objects.create(instansi=instansi_b, jenis="sk")
        LangkahParaf.objects.create(instansi=instansi_b, alur=alur_b, urutan=1, user=kabag_b, sebutan="Kabag")
    client.force_login(kabag_b)
    asing = _post(client, {"versi": [a.pk], "surat": [a.surat_id]})
    tiada = _post(client, {"versi": [2**31 - 1], "surat": [2**31 - 2]})
    assert asing.status_code == tiada.status_code == 200
    strip = [{k: v for k, v in h.items() if k not in ("versi", "surat")} for h in asing.json()["hasil"]]
    assert strip == [{k: v for k, v in h.items() if k not in ("versi", "surat")} for h in tiada.json()["hasil"]]
    assert {h["hasil"] for h in asing.json()["hasil"]} == {"tidak_ditemukan"}
    assert (asing.json()["ditolak"], asing.json()["tidak_ditemukan"]) == (0, 2)
    assert a.surat.nomor not in asing.content.decode()
    assert _paraf() == set()


@pytest.mark.parametrize(
    "data",
    [
        {}, {"versi": []}, {"versi": [], "surat": []}, {"versi": ["x"]}, {"versi": [0]}, {"versi": [-5]},
        {"versi": [2**31]}, {"surat": [10**20]}, {"versi": "1"}, {"versi": [None]}, {"versi": [1.5]},
        {"versi": {"a": 1}}, [1, 2], "versi", {"versi": list(range(1, 502))},
        {"versi": list(range(1, 300)), "surat": list(range(1, 300))},
    ],
)  # fmt: skip
def test_invalid_input_is_a_400_with_the_reason_and_gives_nothing(client, kabag, data):
    client.force_login(kabag)
    r = _post(client, data)
    assert r.status_code == 400, (data, r.status_code, r.content[:300])
    assert r.json()  # the reason, per field
    assert _paraf() == set()


def test_only_logged_in_staff_reach_it(client, db):
    assert _post(client, {"versi": [1]}).status_code in (401, 403)
