"""Issue 13, third walk, item 7: the berita acara's signer list is numbered consecutively when a
member present but not voting (below the assessed pangkat) is left out: "1., 2.", never "1., 3.".
Since then every member present signs (tests/verifikasi/test_pangkat_sidang.py); a snapshot stored
before that (no ``menandatangani`` key) still renders as it was signed."""

from __future__ import annotations

import re
from types import SimpleNamespace

from django.template.loader import render_to_string

from apps.surat import isi as isi_mod


def test_signers_are_numbered_consecutively(monkeypatch):
    monkeypatch.setattr(isi_mod, "umum", lambda surat: {})
    anggota = [
        {"nama": "Joko Susilo", "nip": "197001011995031001", "peran": "ketua", "hadir": True, "bersuara": True},
        {"nama": "Budi Rendah", "nip": "198501012010011001", "peran": "anggota", "hadir": True, "bersuara": False},
        {"nama": "Agus Salim", "nip": "197201011996031001", "peran": "anggota", "hadir": True, "bersuara": True},
        {"nama": "Tidak Datang", "nip": "197301011997031001", "peran": "anggota", "hadir": False},
    ]
    isi = isi_mod.berita_acara(None, SimpleNamespace(isi={"anggota": anggota, "hasil": []}))
    html = render_to_string("surat/pdf/berita_acara.html", {"isi": isi, "surat": None})
    ttd = html.split('class="nama-ttd"', 1)[0].rsplit("<table", 1)[-1] + html.split('class="nama-ttd"', 1)[1]
    nomor = re.findall(r'<td class="num">(\d+)\.</td><td class="nama-ttd">', html)
    assert nomor == ["1", "2"], ttd[:500]
    assert "Budi Rendah" not in html.split('class="nama-ttd"', 1)[1]
