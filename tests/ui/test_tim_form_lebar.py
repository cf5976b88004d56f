"""The Tim Penilai AK forms in Chromium (issue 19 fresh-eye walk): the inputs were rendered
without Bootstrap's classes, at the browser's default width of about 20 characters, so a team's
name was cut off in its own field. Every text input, date and select of the team form spans the
form's width, and a long name shows whole."""

from __future__ import annotations

import os

import pytest
from django.core.management import call_command

from tests.ui.conftest import as_

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]

NAMA = "Tim Penilai Kota Bandung Jabatan Fungsional Pengantar Kerja 2027-2029"


def test_the_team_form_inputs_span_the_form_and_show_the_whole_name(page):
    call_command("load_referensi")
    call_command("demo_data")
    as_(page, "pic.bandung")
    page.goto("/angka-kredit/tim/baru/")
    page.fill("#id_nama", NAMA)
    if os.environ.get("SIAKS_UJI_TANGKAPAN"):  # to look at it by hand, outside the repository
        page.screenshot(path=os.environ["SIAKS_UJI_TANGKAPAN"], full_page=True)
    form = page.locator("main form").first.bounding_box()
    for selector in ("#id_jf", "#id_nama", "#id_nomor_sk", "#id_masa_mulai", "#id_sekretariat_mulai"):
        box = page.locator(selector).bounding_box()
        assert box["width"] > 0.8 * form["width"], (selector, box["width"], form["width"])
    assert page.eval_on_selector("#id_nama", "e => e.scrollWidth <= e.clientWidth"), "the name is cut off"
