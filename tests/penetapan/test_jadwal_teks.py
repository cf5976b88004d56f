"""The period table's status reads as a sentence (issue 19 walk: "Dibuka ditutup hari ini")."""

from __future__ import annotations

import re
from datetime import date
from types import SimpleNamespace

from django.template.loader import render_to_string


def _status(sisa: int) -> str:
    jendela = SimpleNamespace(nama="Periode I", tahun=2026, mulai=date(2026, 10, 1), selesai=date(2026, 10, 7),
                              pak=date(2027, 1, 1))  # fmt: skip
    html = render_to_string(
        "penetapan/_jadwal.html",
        {"jadwal": [{"jf": "Analis Kebijakan", "jendela": jendela, "terbuka": True, "sisa_hari": sisa}]},
    )
    cell = html.split("</td>")[-2].rsplit("<td>", 1)[1]
    return " ".join(re.sub(r"<[^>]+>", " ", cell).split())


def test_the_last_day_and_the_days_left_read_as_sentences():
    assert _status(0) == "Dibuka, hari ini hari terakhir"
    assert _status(3) == "Dibuka · ditutup 3 hari lagi"
