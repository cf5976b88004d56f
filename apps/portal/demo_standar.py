"""Demo data: a standar kompetensi for every jenjang the demo offers, so a penilai can score an
usulan of any of them (the assignment refuses a jenjang without one).

Only JF Pengantar Kerja has its standard in the seeds (seed 002, KepmenPANRB SKJ.1/2022, loaded
by apps.referensi). For the jenjang of the other JFs (Analis Kerja Sama, Analis Kebijakan) the
seeds hold none, so the demo fills them, each competency marked "belum terverifikasi" with why:

* managerial and sosial kultural: the ASN competency dictionary texts transcribed from seed 002
  (the same text for a level in every jenjang), at the levels seed 002 sets for the same jenjang;
* teknis: provisional competencies drawn from the JF's field of work, not an official standard.

The admin pembina replaces them with the JF's own SKJ on the JF page. Idempotent: a jenjang that
has any competency is left alone."""

from __future__ import annotations

SUMBER_SEED_002 = "standar_pengantar_kerja.yaml"

CATATAN_MANAJERIAL = (
    "Belum terverifikasi: SKJ JF {jf} belum tersedia di portal. Teks dan level mengikuti kamus kompetensi "
    "manajerial dan sosial kultural pada KepmenPANRB Nomor SKJ.1 Tahun 2022 (SKJ JF Pengantar Kerja) untuk jenjang "
    "yang sama — data demo; ganti dengan SKJ JF {jf} yang berlaku."
)
CATATAN_TEKNIS = (
    "Belum terverifikasi: SKJ JF {jf} belum tersedia di portal. Kompetensi teknis sementara dari data demo "
    "(bukan standar resmi) agar penilaian demo dapat dicoba; ganti dengan SKJ JF {jf} yang berlaku."
)

#: A competency where seed 002 prints a jenjang's own text (``teks_khusus``: Ahli Utama "Pengambilan
#: keputusan") while the demo can only give the shared text of the level, which is another jenjang's
#: (Ahli Madya's): the copy is said on the row itself, never silent (issue 13 §7).
CATATAN_SALINAN = (
    'Belum terverifikasi: teks "{nama}" jenjang {jenjang} ini disalin dari jenjang {asal} (level {level} '
    "kamus kompetensi KepmenPANRB Nomor SKJ.1 Tahun 2022), bukan teks SKJ JF {jf} jenjang {jenjang}; pada SKJ JF "
    "Pengantar Kerja jenjang {jenjang} teks kompetensi ini berbeda. Periksa dan ganti dengan teks SKJ JF {jf} yang "
    "berlaku — data demo."
)

#: JF kode → provisional technical competencies (nama, deskripsi, indikator); the level is the
#: jenjang's (Ahli Pertama 2 … Ahli Utama 5).
TEKNIS = {
    "aks": [
        ("Perencanaan dan Penyiapan Kerja Sama",
         "Mampu menyiapkan bahan, menelaah potensi dan menyusun rencana kerja sama instansi.",
         ["Mengidentifikasi potensi dan mitra kerja sama;", "Menyusun telaahan rencana kerja sama."]),
        ("Negosiasi dan Penyusunan Naskah Kerja Sama",
         "Mampu memfasilitasi perundingan dan menyusun naskah kerja sama sesuai ketentuan.",
         ["Menyiapkan posisi runding;", "Menyusun rancangan naskah kerja sama."]),
        ("Pemantauan dan Evaluasi Kerja Sama",
         "Mampu memantau pelaksanaan dan mengevaluasi manfaat kerja sama.",
         ["Memantau pelaksanaan kerja sama;", "Menyusun laporan evaluasi kerja sama."]),
    ],
    "analis-kebijakan": [
        ("Kajian dan Analisis Kebijakan",
         "Mampu mengkaji masalah publik dan menganalisis alternatif kebijakan.",
         ["Merumuskan masalah kebijakan;", "Menyusun analisis alternatif kebijakan."]),
        ("Advokasi Kebijakan",
         "Mampu mengomunikasikan rekomendasi kebijakan kepada pemangku kepentingan.",
         ["Menyusun bahan advokasi kebijakan;", "Memfasilitasi konsultasi publik."]),
        ("Evaluasi Kebijakan",
         "Mampu mengevaluasi pelaksanaan dan dampak kebijakan.",
         ["Menyusun desain evaluasi kebijakan;", "Menyusun rekomendasi perbaikan kebijakan."]),
    ],
}  # fmt: skip
TEKNIS_UMUM = [
    ("Pelaksanaan Tugas Jabatan", "Mampu melaksanakan tugas pokok jabatan fungsional sesuai ketentuan.",
     ["Melaksanakan tugas jabatan sesuai standar;", "Melaporkan hasil kerja."]),
]  # fmt: skip


def _level(jenjang) -> int:
    return min(5, 1 + max(1, jenjang.urutan))


def _nama_jenjang(jf, kode: str) -> str:
    found = next((j.nama for j in jf.jenjang.all() if j.kode == kode), None)
    return found or kode.replace("_", " ").title()


def _salinan(seed: dict, kode: str, ref: str, level: int) -> str | None:
    """The seed jenjang whose text the demo copies for ``ref`` at ``level`` in jenjang ``kode``,
    when seed 002 gives ``kode`` a text of its own (``teks_khusus``); else None (the shared text of
    the level is every jenjang's)."""
    spec = seed["jenjang"].get(kode) or {}
    if ref not in (spec.get("teks_khusus") or {}):
        return None
    return next(
        (
            k for k, other in seed["jenjang"].items()
            if k != kode and other["manajerial"].get(ref) == level and ref not in (other.get("teks_khusus") or {})
        ),
        None,
    )  # fmt: skip


def _catatan_manajerial(seed: dict, jenjang, ref: str, level: int) -> str:
    jf = jenjang.jf
    asal = _salinan(seed, jenjang.kode, ref, level)
    if asal is None:
        return CATATAN_MANAJERIAL.format(jf=jf.nama)
    return CATATAN_SALINAN.format(
        nama=seed["perilaku"][ref]["nama"], jenjang=jenjang.nama, asal=_nama_jenjang(jf, asal), level=level, jf=jf.nama
    )


def tandai_salinan_demo(seed: dict | None = None) -> int:
    """A database filled by an earlier demo run: the rows that copy another jenjang's text and still
    carry the demo's general note (no admin has replaced them) get the specific one. Returns how
    many rows were flagged; idempotent."""
    from apps.referensi.loader import read
    from apps.referensi.models import Jenjang, Kompetensi

    seed = seed or read(SUMBER_SEED_002)
    n = 0
    for kode, spec in seed["jenjang"].items():
        for ref in spec.get("teks_khusus") or {}:
            level = spec["manajerial"][ref]
            teks = seed["perilaku"][ref][level]
            for jenjang in Jenjang.objects.select_related("jf").prefetch_related("jf__jenjang").filter(kode=kode):
                n += Kompetensi.objects.filter(
                    jenjang=jenjang, nama=seed["perilaku"][ref]["nama"], level=level, deskripsi=teks["deskripsi"],
                    indikator=teks["indikator"], catatan=CATATAN_MANAJERIAL.format(jf=jenjang.jf.nama),
                ).update(catatan=_catatan_manajerial(seed, jenjang, ref, level))  # fmt: skip
    return n


def standar_demo() -> int:
    """Fill the jenjang without any competency; returns how many jenjang were filled. A row whose
    text is another jenjang's (Ahli Utama "Pengambilan keputusan" takes Ahli Madya's) says so on the
    row (``CATATAN_SALINAN``), here and in a database an earlier run filled."""
    from django.db import transaction

    from apps.core import audit
    from apps.referensi.loader import read
    from apps.referensi.models import Jenjang, Kompetensi

    seed = read(SUMBER_SEED_002)
    terisi = []
    with transaction.atomic():
        kosong = (
            Jenjang.objects.select_related("jf")
            .prefetch_related("jf__jenjang")
            .filter(kompetensi__isnull=True)
            .order_by("jf__kode", "urutan")
        )
        for jenjang in kosong:
            jf = jenjang.jf
            # The levels seed 002 sets for the same jenjang (Ahli Pertama's for a jenjang it lacks).
            spec = seed["jenjang"].get(jenjang.kode) or seed["jenjang"]["ahli_pertama"]
            rows = []
            for jenis, refs in (
                (Kompetensi.Jenis.MANAJERIAL, spec["manajerial"]),
                (Kompetensi.Jenis.SOSIAL_KULTURAL, spec["sosial_kultural"]),
            ):
                for nomor, (ref, level) in enumerate(refs.items(), start=1):
                    teks = seed["perilaku"][ref][level]
                    rows.append(
                        Kompetensi(
                            jenjang=jenjang, jenis=jenis, nomor=nomor, nama=seed["perilaku"][ref]["nama"],
                            level=level, deskripsi=teks["deskripsi"], indikator=teks["indikator"],
                            catatan=_catatan_manajerial(seed, jenjang, ref, level),
                        )
                    )  # fmt: skip
            for nomor, (nama, deskripsi, indikator) in enumerate(TEKNIS.get(jf.kode, TEKNIS_UMUM), start=1):
                rows.append(
                    Kompetensi(
                        jenjang=jenjang, jenis=Kompetensi.Jenis.TEKNIS, nomor=nomor, nama=nama,
                        level=_level(jenjang), deskripsi=deskripsi, indikator=indikator,
                        catatan=CATATAN_TEKNIS.format(jf=jf.nama),
                    )
                )  # fmt: skip
            Kompetensi.objects.bulk_create(rows)
            terisi.append(f"{jf.nama} {jenjang.nama}")
        tandai_salinan_demo(seed)
        if terisi:
            audit.record(
                "referensi.standar_demo",
                message=f"Standar kompetensi demo (belum terverifikasi) untuk {len(terisi)} jenjang",
                data={"jenjang": terisi},
            )
    return len(terisi)
