"""The browser of the UI tests and of the guides' screenshots (`make dokumentasi`) shows a date
input the Indonesian way, dd/mm/yyyy: with only the context's locale="id-ID", Chromium drew
mm/dd/yyyy in every screenshot of a form with a date (tests/ui/conftest.py launches it with the
page's language for form controls)."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tests.ui.conftest import as_

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def _bagian_tanggal(page) -> list[list[int]]:
    """The fields of every date input on the page, in the order Chromium draws them (its
    accessibility tree: one spin button per field, with the field's value)."""
    cdp = page.context.new_cdp_session(page)
    nodes = cdp.send("Accessibility.getFullAXTree")["nodes"]
    spin = [n for n in nodes if n.get("role", {}).get("value") == "spinbutton"]
    values = [int(n.get("value", {}).get("value") or 0) for n in spin]
    return [values[i : i + 3] for i in range(0, len(values) - len(values) % 3, 3)]


def test_a_date_input_reads_day_month_year(page):
    call_command("load_referensi")
    call_command("demo_data")
    as_(page, "pic.bandung")
    page.goto("/angka-kredit/tim/baru/")
    page.fill("#id_masa_mulai", "2026-11-30")
    assert page.input_value("#id_masa_mulai") == "2026-11-30"  # the value sent stays ISO
    fields = _bagian_tanggal(page)
    assert [30, 11, 2026] in fields, fields  # drawn 30/11/2026
    assert [11, 30, 2026] not in fields, fields
