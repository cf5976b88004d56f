"""The ``sumber`` filter shows a citation as the user reads it: the regulation, without the working
notes of the reference data (issue 13 §8)."""

from __future__ import annotations

import pytest

from apps.core.templatetags.pesan import sumber


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("Seed 003 (Permenaker 4/2017 pasal 5): prestasi kerja", "Permenaker 4/2017 pasal 5: prestasi kerja"),
        ("PerBKN 3/2023 (seed 004): pengalaman", "PerBKN 3/2023: pengalaman"),
        ("Slide pelatihan BKN tentang PerBKN 3/2023 [V2; tidak ada dalam seed], domain.md §4",
         "Slide pelatihan BKN tentang PerBKN 3/2023"),
        ("PerBKN 3/2023, contoh \"AK Dasar III/d sejumlah 100\" [V2, domain.md §4]",
         "PerBKN 3/2023, contoh \"AK Dasar III/d sejumlah 100\""),
        ("PermenPANRB 1/2023 (domain.md §4): koefisien Ahli Pertama [V], lainnya [U]",
         "PermenPANRB 1/2023: koefisien Ahli Pertama, lainnya"),
        ("Nilai umum (domain.md §3): minimal Baik", "Nilai umum: minimal Baik"),
    ],
)  # fmt: skip
def test_working_notes_are_stripped(raw, shown):
    assert sumber(raw) == shown
    for mark in ("[V", "[U]", "seed 0", "Seed 0", "domain.md"):
        assert mark not in sumber(raw)
