"""Fresh-eye walk 1, M2: Permensesneg 3/2024 (seed 000) and PermenPAN 45/2013 (seed 001) are
confirmed by their sources (domain.md §4a: [V]); only their titles are not. Each row as shipped
gets ``status`` V and ``status_judul`` as the data files now state them; a row the admin pembina
changed since it was shipped (another status or source) is left as it is."""

from django.db import migrations

#: (JF code, jenis, nomor, tahun) → (old status, new status, status_judul).
UBAH = {
    ("aks", "Peraturan Menteri Sekretaris Negara", "3", 2024): ("V2", "V", "V2"),
    ("analis-kebijakan", "Peraturan Menteri Pendayagunaan Aparatur Negara dan Reformasi Birokrasi", "45", 2013): (
        "V2",
        "V",
        "U",
    ),
}
SUMBER_LAMA = {
    "aks": "seed 000: nomor dan tahun (juklak/juknis, domain.md §4a); judulnya hanya dari salinan teks peraturan "
    "di pasal.id [V2] — periksa judul",
}
SUMBER_BARU = {
    "aks": "seed 000: jenis, nomor dan tahun (juklak/juknis, domain.md §4a); judulnya hanya dari salinan teks "
    "peraturan di pasal.id [V2] — periksa judul",
}


def isi(apps, schema_editor):
    JabatanFungsional = apps.get_model("referensi", "JabatanFungsional")
    db = schema_editor.connection.alias
    for jf in JabatanFungsional.objects.using(db).filter(kode__in={k[0] for k in UBAH}):
        rows, changed = [], False
        for row in jf.peraturan or []:
            kunci = (jf.kode, row.get("jenis"), str(row.get("nomor")), row.get("tahun"))
            if kunci in UBAH and row.get("status") == UBAH[kunci][0] and "status_judul" not in row:
                row = {**row, "status": UBAH[kunci][1], "status_judul": UBAH[kunci][2]}
                if row.get("sumber") == SUMBER_LAMA.get(jf.kode):
                    row["sumber"] = SUMBER_BARU[jf.kode]
                changed = True
            rows.append(row)
        if changed:
            jf.peraturan = rows
            jf.save(using=db, update_fields=["peraturan"])


class Migration(migrations.Migration):
    dependencies = [("referensi", "0022_sumber_ketentuan_teks")]

    operations = [migrations.RunPython(isi, migrations.RunPython.noop)]
