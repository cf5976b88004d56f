"""Typing an AK value with the Indonesian decimal comma in Chromium saves that value (fresh-eye
walk, issue 13: the field was ``type=number``, Chromium dropped the typed comma and "25,5" was
saved as 255, marked terverifikasi). The field is a text input with the decimal keypad and the
server reads the comma (apps.core.forms.DesimalField)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from apps.core import tenancy
from apps.referensi.models import AKDasar
from tests.ui.conftest import as_

pytestmark = [pytest.mark.ui, pytest.mark.django_db(transaction=True)]


def test_a_value_typed_with_a_comma_is_saved_as_typed(page):
    call_command("load_referensi")
    call_command("demo_data")
    with tenancy.all_tenants(reason="test: the row to edit"):
        row = AKDasar.objects.filter(jf__kode="aks", golongan__kode="IV/a").first()
    assert row is not None
    as_(page, "admin.setneg")
    page.goto(reverse("referensi:ak_edit", args=["dasar", row.pk]))
    assert page.get_attribute("#id_nilai", "inputmode") == "decimal"
    page.click("#id_nilai")
    page.keyboard.press("Control+A")
    page.keyboard.type("25,5")  # as a user types it, key by key
    assert page.input_value("#id_nilai") == "25,5"
    page.locator("form").filter(has=page.locator("#id_nilai")).locator("button[type=submit]").first.click()
    page.wait_for_load_state()
    with tenancy.all_tenants(reason="test: the saved row"):
        row.refresh_from_db()
    assert row.nilai == Decimal("25.5")
