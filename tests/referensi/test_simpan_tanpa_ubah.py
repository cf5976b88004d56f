"""Issue 13, fresh-eye walk: the admin pembina could not save any JF setting at /jf/<jf>/atur/ until
they shortened text the portal ships ("Sumber ketentuan usia: … paling banyak 200 karakter (sekarang
238)"): the form shows each seeded citation with its document named in full, longer than the field
allowed. Every seeded JF's settings form, and each of its jenjang and predikat rows, saves as shown,
as a browser sends it back, and keeps the stored citations."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from apps.referensi.models import JabatanFungsional, Jenjang, PersentasePredikat
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

SUMBER_JF = ("sumber_usia", "sumber_pengalaman", "sumber_kinerja", "sumber_disiplin", "dasar_hukum")


class _Isian(HTMLParser):
    """What a browser sends back from the page's edit form (the one carrying ``versi``) untouched."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._form = self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self._form = {}
            self.forms.append(self._form)
        elif self._form is None:
            return
        elif tag == "input" and a.get("name") and (a.get("type") or "text") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            kotak = a.get("type") in ("checkbox", "radio")
            self._form.setdefault(a["name"], []).append(a.get("value") or ("on" if kotak else ""))
        elif tag == "select":
            self._select = a.get("name")
        elif tag == "option" and self._select and "selected" in a:
            self._form.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea":
            self._textarea = a.get("name")
            self._form[self._textarea] = [""]

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self._form[self._textarea][0] += data


def _kirim_apa_adanya(client, url: str):
    """GET the page, then POST its form with the values it shows (what "Simpan" does untouched)."""
    page = client.get(url)
    assert page.status_code == 200, url
    parser = _Isian()
    parser.feed(page.content.decode())
    (form,) = [f for f in parser.forms if "versi" in f]
    # A browser drops the newline that follows <textarea>.
    data = {k: [v[1:] if v.startswith("\n") else v for v in vs] for k, vs in form.items()}
    return client.post(url, data)


def _admin(jf):
    return UserFactory(instansi=jf.instansi_pembina, roles=["admin_pembina"])


def test_every_seeded_jf_settings_form_saves_unchanged(client, referensi):
    jfs = list(JabatanFungsional.objects.order_by("kode"))
    assert len(jfs) >= 3
    panjang = 0
    for jf in jfs:
        client.force_login(_admin(jf))
        sebelum = {f: getattr(jf, f) for f in SUMBER_JF}
        response = _kirim_apa_adanya(client, reverse("referensi:jf_edit", args=[jf.kode]))
        errors = response.context["form"].errors if response.context and "form" in response.context else None
        assert response.status_code == 302, (jf.kode, errors)
        jf.refresh_from_db()
        assert {f: getattr(jf, f) for f in SUMBER_JF} == sebelum, jf.kode
        panjang = max(panjang, *(len(str(v)) for v in sebelum.values()))
    # The walk's case: a citation as the form shows it is longer than the old 200-character limit.
    from apps.core.sumber import kutipan

    assert max(len(kutipan(getattr(jf, f))) for jf in jfs for f in SUMBER_JF[:4]) > 200


def test_every_seeded_jenjang_and_predikat_row_saves_unchanged(client, referensi):
    for jf in JabatanFungsional.objects.order_by("kode"):
        client.force_login(_admin(jf))
        for bagian, rows, fields in (
            ("jenjang", Jenjang.objects.filter(jf=jf), ("ak_sumber", "catatan_sumber")),
            ("predikat", PersentasePredikat.objects.filter(jf=jf), ("sumber",)),
        ):
            for row in rows.order_by("pk"):
                sebelum = {f: getattr(row, f) for f in fields}
                response = _kirim_apa_adanya(client, reverse("referensi:row_edit", args=[jf.kode, bagian, row.pk]))
                errors = response.context["form"].errors if response.context and "form" in response.context else None
                assert response.status_code == 302, (jf.kode, bagian, row.pk, errors)
                row.refresh_from_db()
                assert {f: getattr(row, f) for f in fields} == sebelum, (jf.kode, bagian, row.pk)
