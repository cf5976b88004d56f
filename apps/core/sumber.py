"""A source as the user reads it: the document it comes from, its article or section, and
whether it is verified.

The reference data keeps its working notes (the admin pembina edits them as written): the number
of the source document in the project's source collection ("seed 004"), verification markers
("[V]" primary source, "[V2]" secondary material only, "[U]" unverified, "periksa"), and
pointers to the developers' reference ("domain.md §4"). No page, letter, export or API response
shows those notes: :func:`kutipan` turns them into the document's name and "belum terverifikasi"
(the ``sumber`` template filter and the API's ``source`` fields both use it)."""

from __future__ import annotations

import re

# The source documents by their number in the collection, with the names by which the data
# already cites them (a citation that names the document drops the bare number).
DOKUMEN: dict[str, tuple[str, tuple[str, ...]]] = {
    "000": ("Webinar Pusbin AKS Kemensetneg tentang inpassing JF Analis Kerja Sama, 11 Desember 2025", ("Pusbin AKS",)),
    "001": ("Rancangan Perkalan LAN tentang Tata Kerja Tim Penilai JFAK", ("Perkalan", "Tim Penilai JFAK")),
    "002": ("KepmenPANRB Nomor SKJ.1 Tahun 2022 tentang Standar Kompetensi JF Pengantar Kerja", ("SKJ.1",)),
    "003": (
        "Kemnaker, Alur Inpassing JF Pengantar Kerja",
        ("Permenaker 4/2017", "Permenaker Nomor 4", "Alur Inpassing"),
    ),
    "004": (
        "Panduan Teknis BKN atas Peraturan BKN Nomor 3 Tahun 2023",
        ("PerBKN 3/2023", "Peraturan BKN Nomor 3 Tahun 2023", "Panduan Teknis BKN"),
    ),
}

BELUM = "belum terverifikasi"
_NOMOR = r"[Ss]eeds? (\d{3}(?:\s*/\s*\d{3})*)"


def _dokumen(nomor: str, text: str) -> str:
    """The names of the documents ``nomor`` ("002/003") points to that ``text`` does not name yet."""
    names = []
    for n in re.split(r"\s*/\s*", nomor):
        name, aliases = DOKUMEN.get(n, ("", ()))
        if name and not any(a.lower() in text.lower() for a in aliases) and name not in names:
            names.append(name)
    return "; ".join(names)


def _tanda(text: str) -> str:
    """Verification markers → words: [V] says nothing (a named regulation is the norm), [V2] and
    [U] and "periksa" say "belum terverifikasi" (once, where the text does not already say it)."""
    sudah = BELUM in text.lower()

    def ganti(m: re.Match) -> str:
        nonlocal sudah
        kind = (m.group(1) if m.re.groups else "") or ""
        if kind.startswith("V") and kind != "V2":  # [V]: verified, nothing to add
            return ""
        sekunder = kind == "V2"
        if sudah:
            return " (sumber sekunder)" if sekunder else ""
        sudah = True
        return f" (sumber sekunder, {BELUM})" if sekunder else f" ({BELUM})"

    text = re.sub(r"\s*\[(V\d?|U)(?:[;,][^\]]*)?\](?:\s*[,;]?\s*periksa\b)?", ganti, text)
    return re.sub(r"\s*(?:[—-]|,|;)?\s*\bperiksa\b(?=\s*(?:[);.]|$))", ganti, text)


def kutipan(value) -> str:
    """The user-facing citation of a working note of the reference data, e.g.
    ``"Seed 000: batas usia maksimal 56 tahun"`` → ``"Webinar Pusbin AKS … 2025: batas usia
    maksimal 56 tahun"``; ``"PerBKN 3/2023 (seed 004): …"`` → ``"PerBKN 3/2023: …"``;
    ``"… 8/9/11/13 [V2], periksa"`` → ``"… 8/9/11/13 (sumber sekunder, belum terverifikasi)"``."""
    text = str(value or "")
    original = text
    # "(domain.md §4)", ", domain.md §4", "[V2, domain.md §4]": the developers' reference.
    text = re.sub(r"\s*\(domain\.md §\d+[a-z]?\)", "", text)
    text = re.sub(r"[,;]?\s*domain\.md §\d+[a-z]?", "", text)
    text = re.sub(r"\[(V\d?|U)[,;]\s*\]", r"[\1]", text)
    text = _tanda(text)

    # "(seed 004)" / "(seed 000; juklak)" after a name: dropped when the text names the document.
    def dalam_kurung(m: re.Match) -> str:
        name = _dokumen(m.group(1), original)
        rest = (m.group(2) or "").strip()
        inner = "; ".join(x for x in (name, rest) if x)
        return f" ({inner})" if inner else ""

    text = re.sub(r"\s*\(" + _NOMOR + r"(?:\s*;\s*([^)]*))?\)", dalam_kurung, text)

    # "Seed 003 (Permenaker 4/2017 pasal 5): …": the document named in brackets, else both.
    def dengan_nama(m: re.Match) -> str:
        name = _dokumen(m.group(1), original)
        return f"{name} ({m.group(2)})" if name else m.group(2)

    text = re.sub(r"\b" + _NOMOR + r"\s*\(([^)]*)\)", dengan_nama, text)

    # "Seed 000: …": the document's name.
    def bebas(m: re.Match) -> str:
        name = _dokumen(m.group(1), original)
        return f"{name} " if name else ""

    text = re.sub(r"\b" + _NOMOR + r"\s*", bebas, text)
    # A bare mention of the collection ("tidak termuat dalam seed"): the documents the portal holds.
    text = re.sub(r"\b[Ss]eeds?\b", "dokumen sumber portal", text)
    text = re.sub(r"\s+([):;,.])", r"\1", text)
    text = re.sub(r"\(\s*\)", "", text)
    text = re.sub(r"\s{2,}", " ", text).strip(" ;,:")
    return text[:1].upper() + text[1:] if text else ""


class KutipanFormMixin:
    """A ModelForm whose fields hold working notes of the reference data (``kutipan_fields``):
    the admin reads and edits them as :func:`kutipan` shows them (the document's name, "belum
    terverifikasi" in words), never "Seed 000" or "[V2]". A field left as shown keeps its stored
    note (markers and all), so opening and saving the form loses no verification state; an edited
    one is stored as typed (the words "belum terverifikasi" carry the state). A list field (one
    citation a line) is read line by line the same way."""

    kutipan_fields: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)
        if instance is None or not instance.pk or self.is_bound:
            return
        for name in self.kutipan_fields:
            raw = getattr(instance, name, None)
            if isinstance(raw, list):
                self.initial[name] = [kutipan(x) for x in raw]
            elif raw:
                self.initial[name] = kutipan(raw)

    def clean(self):
        data = super().clean()
        instance = getattr(self, "instance", None)
        if instance is None or not instance.pk:
            return data
        for name in self.kutipan_fields:
            if name not in data:
                continue
            raw = getattr(instance, name, None)
            value = data[name]
            if isinstance(raw, list) and isinstance(value, list):
                shown = {kutipan(x): x for x in raw}
                data[name] = [shown.get(v, v) for v in value]
            elif raw and isinstance(value, str) and value.strip() == kutipan(raw):
                data[name] = raw
        return data
