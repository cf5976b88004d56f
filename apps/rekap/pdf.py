"""The national recap as a PDF report (WeasyPrint, same fonts and page setup as the letters)."""

from __future__ import annotations

import io

from django.template.loader import render_to_string
from django.utils import timezone, translation

from apps.core.format import jam, tgl
from apps.rekap import selectors


def rekap_pdf(jf_list) -> tuple[bytes, int]:
    from weasyprint import HTML

    from apps.surat.pdf import aset

    jf_ids = [jf.pk for jf in jf_list]
    data = selectors.nasional(jf_ids, per_instansi_limit=None)
    context = {"jf_list": jf_list, "r": data, "tanggal": tgl(timezone.localdate()), "jam": jam()}  # fmt: skip
    with translation.override("id"):
        html = render_to_string("rekap/pdf/rekap.html", context)
    fonts, css, _ua = aset()
    out = io.BytesIO()
    HTML(string=html).render(stylesheets=[css], font_config=fonts).write_pdf(out)
    return out.getvalue(), len(data["per_instansi"])
