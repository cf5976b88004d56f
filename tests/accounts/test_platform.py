"""Platform administration in the portal (issue 14, item 3): the superadmin creates, changes and
deactivates instansi and creates, invites and gives roles to users; every change is audited;
the pages are 404 for everyone else."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from apps.accounts.models import Membership, User
from apps.core import tenancy
from apps.core.models import AuditLog, Instansi, OutboxMessage
from tests.factories import InstansiFactory, UserFactory

pytestmark = pytest.mark.django_db


def _audit(action):
    with tenancy.all_tenants(reason="test reads the audit trail"):
        return list(AuditLog.objects.filter(action=action))


def test_the_superadmin_creates_a_kabupaten_under_di_yogyakarta(client, superadmin):
    client.force_login(superadmin)
    page = client.get(reverse("platform:instansi_baru")).content.decode()
    assert page.count('<option value="') >= 38 + 5  # 38 provinces (+ the jenis)
    assert ">DI Yogyakarta</option>" in page and ">Papua Barat Daya</option>" in page
    response = client.post(
        reverse("platform:instansi_baru"),
        {"kode": "kab-sleman", "nama": "Pemerintah Kabupaten Sleman", "jenis": "kabupaten", "provinsi": "34",
         "kop_surat": "PEMERINTAH KABUPATEN SLEMAN\nBADAN KEPEGAWAIAN", "alamat": "Jl. Parasamya",
         "kota": " Sleman "},
    )  # fmt: skip
    assert response.status_code == 302
    sleman = Instansi.objects.get(kode="KAB-SLEMAN")
    assert sleman.kota == "Sleman"  # the SK's "Ditetapkan di": without it the instansi cannot issue an SK
    assert sleman.parent.nama == "Pemerintah Provinsi DI Yogyakarta" and sleman.parent.jenis == "provinsi"
    assert sleman.kop_surat.startswith("PEMERINTAH KABUPATEN SLEMAN") and sleman.aktif
    [entry] = _audit("platform.instansi_dibuat")
    assert entry.actor == superadmin and entry.instansi_id == sleman.pk
    # a kabupaten without its province, and a duplicate code: explained, input kept
    response = client.post(
        reverse("platform:instansi_baru"),
        {"kode": "KAB-SLEMAN", "nama": "Kabupaten Kembar", "jenis": "kabupaten", "provinsi": ""},
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="ringkasan-galat"' in html
    assert "Pilih provinsi" in html and 'value="Kabupaten Kembar"' in html
    # change: the form shows the kota kept, and changes it
    ubah = client.get(reverse("platform:instansi_ubah", args=[sleman.pk])).content.decode()
    assert 'name="kota" value="Sleman"' in ubah
    response = client.post(
        reverse("platform:instansi_ubah", args=[sleman.pk]),
        {"kode": "KAB-SLEMAN", "nama": "Pemkab Sleman", "jenis": "kabupaten", "provinsi": "34", "kota": "Beran"},
    )
    assert response.status_code == 302
    sleman.refresh_from_db()
    assert sleman.nama == "Pemkab Sleman" and sleman.kota == "Beran"
    [entry] = _audit("platform.instansi_diubah")
    assert entry.data["perubahan"]["nama"] == ["Pemerintah Kabupaten Sleman", "Pemkab Sleman"]
    assert entry.data["perubahan"]["kota"] == ["Sleman", "Beran"]
    # the list tells which instansi still lacks its kota
    InstansiFactory(kode="KAB-BARU", nama="Kabupaten Baru", jenis="kabupaten", kota="")
    daftar = client.get(reverse("portal:instansi_list")).content.decode()
    assert daftar.count('data-testid="kota-kosong"') == Instansi.objects.filter(kota="").count() >= 1


def test_deactivating_an_instansi_revokes_its_roles_and_is_audited(client, superadmin, instansi_a, pic_a):
    client.force_login(superadmin)
    client.post(reverse("platform:instansi_aktif", args=[instansi_a.pk]), {"aktif": "0"})
    instansi_a.refresh_from_db()
    assert not instansi_a.aktif
    assert not Membership.objects.filter(user=pic_a, is_active=True).exists()
    assert len(_audit("platform.instansi_dinonaktifkan")) == 1
    page = client.get(reverse("platform:pengguna_baru")).content.decode()
    assert f'<option value="{instansi_a.pk}"' not in page  # no longer a choice


def test_a_new_user_is_invited_sets_a_password_and_gets_roles(client, superadmin, instansi_a, settings):
    from apps.accounts.tasks import kirim_email_akun_baru

    client.force_login(superadmin)
    response = client.post(
        reverse("platform:pengguna_baru"),
        {"username": "pic.sleman", "nama_lengkap": "Rina Wulandari", "email": "rina@slemankab.go.id",
         "nip": "19700512 199503 2 001", "instansi": instansi_a.pk, "peran": ["pic_instansi"]},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="pic.sleman")
    assert user.nip == "197005121995032001" and not user.has_usable_password()
    assert user.roles == {"pic_instansi"}
    message = OutboxMessage.objects.get(task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk})
    kirim_email_akun_baru.apply(kwargs=message.kwargs, task_id=str(message.pk), throw=True)
    [email] = mail.outbox
    assert email.to == ["rina@slemankab.go.id"]
    link = re.search(r"(http\S+/akun/kata-sandi/atur/\S+/)", email.body).group(1)
    client.logout()
    path = link.removeprefix(settings.SITE_URL.rstrip("/"))
    form_page = client.get(path, follow=True)
    assert form_page.status_code == 200
    client.post(
        form_page.redirect_chain[-1][0], {"new_password1": "Sleman#2026-aman", "new_password2": "Sleman#2026-aman"}
    )
    user.refresh_from_db()
    assert user.check_password("Sleman#2026-aman")
    # roles: grant the PPK role, revoke the PIC role; each audited
    client.force_login(superadmin)
    client.post(reverse("platform:peran", args=[user.pk]), {"instansi": instansi_a.pk, "peran": ["ppk"]})
    user = User.objects.get(pk=user.pk)
    assert user.roles == {"ppk"}
    assert [e.data["role"] for e in _audit("akun.peran_diberikan")] == ["ppk"]
    assert [e.data["role"] for e in _audit("akun.peran_dicabut")] == ["pic_instansi"]
    # a pembina role in an instansi pengguna: refused with the reason
    html = client.post(
        reverse("platform:peran", args=[user.pk]), {"instansi": instansi_a.pk, "peran": ["verifikator"]}
    ).content.decode()
    assert "Peran tim pembina hanya untuk pegawai instansi pembina." in html


def test_platform_pages_are_404_for_everyone_else(client, pic_a, instansi_a, referensi):
    admin = UserFactory(username="admin.x", instansi=referensi["aks"].instansi_pembina, roles=["admin_pembina"])
    other = InstansiFactory(kode="KAB-X", nama="Kabupaten X", jenis="kabupaten")
    urls = [
        reverse("platform:instansi_baru"), reverse("platform:instansi_ubah", args=[other.pk]),
        reverse("platform:instansi_aktif", args=[other.pk]), reverse("platform:pengguna_baru"),
        reverse("platform:peran", args=[pic_a.pk]),
    ]  # fmt: skip
    for user in (pic_a, admin):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code in (404, 405)
            assert client.post(url, {"aktif": "0", "kode": "X"}).status_code == 404
    other.refresh_from_db()
    assert other.aktif


def _undangan_kirim():
    """What the worker does with the outbox: the account e-mails."""
    from apps.accounts.tasks import kirim_email_akun_baru

    for m in OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", published_at__isnull=True):
        kirim_email_akun_baru.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
        OutboxMessage.objects.filter(pk=m.pk).update(published_at=m.created_at)


def test_a_user_made_by_createsuperuser_is_invited_too(client, settings, monkeypatch):
    """Users created any other way get the invitation: ``createsuperuser`` with no password
    (non-interactive) leaves the password unusable; the user sets one from the e-mail."""
    from django.core.management import call_command

    monkeypatch.delenv("DJANGO_SUPERUSER_PASSWORD", raising=False)
    call_command(
        "createsuperuser", interactive=False, username="ops.baru", email="ops@siaks.go.id",
        nama_lengkap="Operator Baru", verbosity=0,
    )  # fmt: skip
    user = User.objects.get(username="ops.baru")
    assert user.is_superuser and not user.has_usable_password()
    assert (
        OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk}).count()
        == 1
    )
    _undangan_kirim()
    [email] = mail.outbox
    assert email.to == ["ops@siaks.go.id"] and "ops.baru" in email.body
    link = re.search(r"(http\S+/akun/kata-sandi/atur/\S+/)", email.body).group(1)
    form_page = client.get(link.removeprefix(settings.SITE_URL.rstrip("/")), follow=True)
    assert form_page.status_code == 200 and 'name="new_password1"' in form_page.content.decode()
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Ops#2026-aman-sekali", "new_password2": "Ops#2026-aman-sekali"},
    )
    user.refresh_from_db()
    assert user.check_password("Ops#2026-aman-sekali")


def test_the_portal_and_the_admin_send_one_invitation_not_two(superadmin, instansi_a):
    from apps.accounts import services

    user = services.user_create(
        username="pic.satu", nama_lengkap="Satu", email="satu@x.go.id", instansi=instansi_a, roles=["pic_instansi"],
        actor=superadmin,
    )  # fmt: skip
    assert OutboxMessage.objects.filter(kwargs={"user_id": user.pk}).count() == 1
    # a user made with a password by a command is not invited (the password is known)
    made = User.objects.create_user(username="cmd.sandi", email="c@x.go.id", password="Sandi#2026-kuat")
    assert not OutboxMessage.objects.filter(kwargs={"user_id": made.pk}).exists()
    made = User.objects.create_user(username="cmd.tanpa", email="t@x.go.id")
    assert OutboxMessage.objects.filter(kwargs={"user_id": made.pk}).count() == 1


def test_a_superadmin_cannot_deactivate_or_strip_another_superadmin(client, superadmin, instansi_a):
    """Issue 14 (walk): one superadmin could lock out another from the portal's Pengguna page.
    The list no longer offers it and a forged request is refused with the reason."""
    from django.core.exceptions import ValidationError

    from apps.accounts import platform_services

    kedua = UserFactory(username="superadmin.dua", instansi=None, roles=[], is_superuser=True, is_staff=True)
    client.force_login(superadmin)
    daftar = client.get(reverse("accounts:pengguna")).content.decode()
    assert 'data-testid="superadmin-superadmin.dua"' in daftar
    assert 'data-testid="aktif-superadmin.dua"' not in daftar and 'data-testid="peran-superadmin.dua"' not in daftar
    response = client.post(reverse("platform:pengguna_aktif", args=[kedua.pk]), {"aktif": "0"}, follow=True)
    assert "superadmin.dua adalah superadmin" in response.content.decode()
    kedua.refresh_from_db()
    assert kedua.is_active and kedua.is_superuser
    assert not _audit("akun.dinonaktifkan")
    # the roles page: refused the same way, on the way in and on a forged post
    for response in (
        client.get(reverse("platform:peran", args=[kedua.pk]), follow=True),
        client.post(reverse("platform:peran", args=[kedua.pk]), {"instansi": instansi_a.pk, "peran": ["ppk"]},
                    follow=True),
    ):  # fmt: skip
        assert response.redirect_chain[-1][0] == reverse("accounts:pengguna")
        assert "superadmin.dua adalah superadmin" in response.content.decode()
    assert not Membership.objects.filter(user=kedua).exists()
    # the services refuse it too, whoever calls them
    with pytest.raises(ValidationError):
        platform_services.peran_atur(actor=superadmin, user=kedua, instansi=instansi_a, roles=set())
    # an ordinary account is still managed as before
    biasa = UserFactory(username="pic.biasa", instansi=instansi_a, roles=["pic_instansi"])
    client.post(reverse("platform:pengguna_aktif", args=[biasa.pk]), {"aktif": "0"})
    biasa.refresh_from_db()
    assert not biasa.is_active


def test_a_refused_new_user_shows_every_error_in_one_pass(client, superadmin, instansi_a):
    """Taken username, bad e-mail, short NIP and a refused role mix: all four at once (the username
    and the roles only showed after the others were fixed); the roles render as a fieldset of
    checkboxes, not inside one squeezed 'form-check-input' box."""
    UserFactory(username="sudah.ada")
    client.force_login(superadmin)
    response = client.post(
        reverse("platform:pengguna_baru"),
        {"username": "Sudah.Ada", "nama_lengkap": "Rina", "email": "bukan-email", "nip": "1234",
         "instansi": instansi_a.pk, "peran": ["pic_instansi", "verifikator"]},
    )  # fmt: skip
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) >= {"username", "email", "nip", "peran"}, form.errors
    html = response.content.decode()
    summary = html[html.index('data-testid="ringkasan-galat"') :]
    summary = summary[: summary.index("</div>")]
    assert "sudah dipakai" in summary and 'href="#id_peran"' in summary
    assert '<fieldset class="mb-3" id="id_peran"' in html
    assert 'id="id_peran" class="form-check-input' not in html
    assert not User.objects.filter(nama_lengkap="Rina").exists()


def test_a_refused_new_instansi_reports_a_used_kode_with_the_missing_province(client, superadmin, instansi_a):
    client.force_login(superadmin)
    response = client.post(
        reverse("platform:instansi_baru"),
        {"kode": instansi_a.kode.lower(), "nama": "Pemerintah Kabupaten Baru", "jenis": "kabupaten", "provinsi": ""},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kode", "provinsi"}
    html = response.content.decode()
    crumbs = html[html.index('class="breadcrumb"') :]
    crumbs = crumbs[: crumbs.index("</ol>")]
    assert "Instansi" in crumbs and "Pengguna" not in crumbs


def test_changing_an_instansi_reports_every_error_at_once(client, superadmin, instansi_a):
    """Fresh-eye finding 8: an empty Nama and a cleared Provinsi (and a taken kode) at once."""
    InstansiFactory(kode="KAB-LAIN", nama="Kabupaten Lain", jenis="kabupaten")
    client.force_login(superadmin)
    response = client.post(
        reverse("platform:instansi_ubah", args=[instansi_a.pk]),
        {"kode": "kab-lain", "nama": "", "jenis": "kabupaten", "provinsi": ""},
    )
    assert response.status_code == 200
    assert set(response.context["form"].errors) == {"kode", "nama", "provinsi"}
    # its own kode is not a clash
    response = client.post(
        reverse("platform:instansi_ubah", args=[instansi_a.pk]),
        {"kode": instansi_a.kode, "nama": "", "jenis": "kabupaten", "provinsi": "34"},
    )
    assert set(response.context["form"].errors) == {"nama"}


def test_a_user_nip_is_read_by_the_pegawai_nip_rule(client, superadmin, instansi_a):
    """Fresh-eye finding 9: digit 15 = 3 (and other impossible NIPs) were accepted for a user."""
    client.force_login(superadmin)
    data = {"username": "ppk.kp", "nama_lengkap": "Bupati", "email": "bupati@kp.go.id",
            "nip": "19700512 199503 3 001", "instansi": instansi_a.pk, "peran": ["ppk"]}  # fmt: skip
    response = client.post(reverse("platform:pengguna_baru"), data)
    assert response.status_code == 200
    assert response.context["form"].errors["nip"] == ["Digit ke-15 NIP (3) harus 1 (laki-laki) atau 2 (perempuan)."]
    data["nip"] = "19701312 199503 1 001"
    errors = client.post(reverse("platform:pengguna_baru"), data).context["form"].errors
    assert "bukan tanggal lahir" in errors["nip"][0]
    data["nip"] = "19700512 199503 1 001"
    assert client.post(reverse("platform:pengguna_baru"), data).status_code == 302
    assert User.objects.get(username="ppk.kp").nip == "197005121995031001"
