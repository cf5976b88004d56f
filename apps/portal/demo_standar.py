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


def standar_demo() -> int:
    """Fill the jenjang without any competency; returns how many jenjang were filled."""
    from django.db import transaction

    from apps.core import audit
    from apps.referensi.loader import read
    from apps.referensi.models import Jenjang, Kompetensi

    seed = read(SUMBER_SEED_002)
    terisi = []
    with transaction.atomic():
        kosong = Jenjang.objects.select_related("jf").filter(kompetensi__isnull=True).order_by("jf__kode", "urutan")
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
                            catatan=CATATAN_MANAJERIAL.format(jf=jf.nama),
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
        if terisi:
            audit.record(
                "referensi.standar_demo",
                message=f"Standar kompetensi demo (belum terverifikasi) untuk {len(terisi)} jenjang",
                data={"jenjang": terisi},
            )
    return len(terisi)
