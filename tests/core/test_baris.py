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


def test_waktu_is_the_date_filter_in_jakarta_time_with_its_zone_for_every_month():
    django_date = Template('{{ v|date:"j M Y H:i" }} WIB')
    django_long = Template('{{ v|date:"j F Y H:i" }} WIB')
    ours = Template("{% load baris %}{{ v|waktu }}")
    ours_long = Template("{% load baris %}{{ v|waktu_lengkap }}")
    with translation.override("id"):
        for month in range(1, 13):
            for v in (datetime(2026, month, 3, 17, 5, tzinfo=UTC), datetime(2026, month, 28, 23, 59, tzinfo=UTC)):
                assert ours.render(Context({"v": v})) == django_date.render(Context({"v": v}))
                assert ours_long.render(Context({"v": v})) == django_long.render(Context({"v": v}))
        assert ours.render(Context({"v": datetime(2026, 8, 5, 18, 30, tzinfo=UTC)})) == "6 Agu 2026 01:30 WIB"
        v = datetime(2026, 11, 30, 11, 1, tzinfo=UTC)
        assert ours_long.render(Context({"v": v})) == "30 November 2026 18:01 WIB"
    assert waktu(None) == ""


def test_no_page_template_shows_a_time_without_its_zone():
    """Issue 14 (fresh-eye finding 4): "diajukan 30 November 2026 18:01" without "WIB". Pages show
    a moment through ``|waktu``/``|waktu_lengkap``; a ``|date`` with hours must be followed by WIB."""
    import re
    from pathlib import Path

    tanpa_zona = []
    for path in Path("apps").glob("*/templates/**/*.html"):
        if "/pdf/" in str(path):
            continue
        for m in re.finditer(r'\|date:"[^"]*H:i[^"]*"', text := path.read_text()):
            if "WIB" not in text[m.end() : m.end() + 40]:
                tanpa_zona.append(f"{path}: {m.group(0)}")
    assert tanpa_zona == []
