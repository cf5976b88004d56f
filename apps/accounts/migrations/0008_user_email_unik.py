"""One account per e-mail address (issue 14): a unique index on lower(email) for non-empty
addresses. Existing duplicates are not merged or cleared here (which account owns the mailbox is a
human decision): the migration stops and names them, so the superadmin can give each account its
own address (Platform → Pengguna → Peran, or the Django admin) and run it again."""

import django.db.models.functions.text
from django.db import migrations, models


def cek_duplikat(apps, schema_editor):
    from django.db.models import Count
    from django.db.models.functions import Lower

    User = apps.get_model("accounts", "User")
    db = schema_editor.connection.alias
    ganda = (
        User.objects.using(db)
        .exclude(email="")
        .annotate(alamat=Lower("email"))
        .values("alamat")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .order_by("alamat")
    )
    baris = []
    for item in ganda:
        names = (
            User.objects.using(db)
            .filter(email__iexact=item["alamat"])
            .order_by("username")
            .values_list("username", flat=True)
        )
        baris.append(f"  {item['alamat']}: {', '.join(names)}")
    if baris:
        raise RuntimeError(
            "Migrasi accounts.0008 dihentikan: alamat e-mail berikut dipakai lebih dari satu akun. "
            "Beri setiap akun alamatnya sendiri (atau kosongkan alamat akun yang tidak dipakai), lalu "
            "jalankan migrate lagi:\n" + "\n".join(baris)
        )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0007_permintaan_akun"),
    ]

    operations = [
        migrations.RunPython(cek_duplikat, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="user",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                condition=models.Q(("email", ""), _negated=True),
                name="user_email_unik",
                violation_error_message="Alamat e-mail ini sudah dipakai akun lain.",
            ),
        ),
    ]
