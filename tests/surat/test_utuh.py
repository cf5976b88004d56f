"""The ``utuh`` filter keeps letter tokens on one line and escapes everything else."""

from apps.surat.templatetags.surat_pdf import utuh


def test_tokens_are_wrapped_and_the_rest_escaped():
    out = utuh("Nomor B-0001/PPTKPKK/VIII/2026 tanggal 3 Agustus 2026, NIP 198609262015051001 (III/c) <b>")
    assert '<span class="utuh">B-0001/PPTKPKK/VIII/2026</span>' in out
    assert '<span class="utuh">3 Agustus 2026</span>' in out
    assert '<span class="utuh">NIP 198609262015051001</span>' in out
    assert '<span class="utuh">III/c</span>' in out
    assert "&lt;b&gt;" in out and "<b>" not in out
    assert utuh(None) == ""
