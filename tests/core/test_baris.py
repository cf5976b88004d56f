"""The list pages' row tags give exactly what ``{% url %}`` and ``|date:"j M Y H:i"`` give."""

from __future__ import annotations

from datetime import UTC, datetime

from django.template import Context, Template
from django.urls import reverse, set_script_prefix
from django.utils import translation

from apps.core.templatetags.baris import url_pk, waktu


def test_url_pk_is_the_reversed_url_also_under_a_script_prefix():
    for pk in (1, 42, 987654321, 10**12):
        assert url_pk("verifikasi:periksa", pk) == reverse("verifikasi:periksa", args=[pk])
    try:
        set_script_prefix("/siaks/")
        assert url_pk("pengusulan:usulan_detail", 7) == reverse("pengusulan:usulan_detail", args=[7])
        assert url_pk("pengusulan:usulan_detail", 7).startswith("/siaks/")
    finally:
        set_script_prefix("/")


def test_waktu_is_the_date_filter_in_jakarta_time_for_every_month():
    django_date = Template('{{ v|date:"j M Y H:i" }}')
    ours = Template("{% load baris %}{{ v|waktu }}")
    with translation.override("id"):
        for month in range(1, 13):
            for v in (datetime(2026, month, 3, 17, 5, tzinfo=UTC), datetime(2026, month, 28, 23, 59, tzinfo=UTC)):
                assert ours.render(Context({"v": v})) == django_date.render(Context({"v": v}))
        assert ours.render(Context({"v": datetime(2026, 8, 5, 18, 30, tzinfo=UTC)})) == "6 Agu 2026 01:30"
    assert waktu(None) == ""
