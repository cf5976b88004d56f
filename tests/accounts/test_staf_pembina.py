"""Accounts beyond the superadmin (issue 14, item 3): the admin pembina manages their own staff
(verifikator, penilai, ketua tim) with the superadmin's forms and services — create and invite,
deactivate, give and take those roles, all audited — and nothing else; the PIC asks for the PPK
account of their instansi and the superadmin approves or rejects it from a queue."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from apps.accounts import platform_services
from apps.accounts.models import Membership, PermintaanAkun, User
from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.notifikasi.models import Notifikasi
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


def _audit(action):
    with tenancy.all_tenants(reason="test reads the audit trail"):
        return list(AuditLog.objects.filter(action=action))


def _jalankan(task_name):
    """What the worker does with the outbox for ``task_name``."""
    from apps.accounts import tasks

    task = {t.name: t for t in (tasks.kabari_permintaan_akun, tasks.kirim_email_akun_baru)}[task_name]
    for m in OutboxMessage.objects.filter(task_name=task_name, published_at__isnull=True):
        task.apply(kwargs=m.kwargs, task_id=str(m.pk), throw=True)
        OutboxMessage.objects.filter(pk=m.pk).update(published_at=m.created_at)


@pytest.fixture
def setneg(admin_setneg):
    inst = admin_setneg.instansi
    return {
        "admin": admin_setneg,
        "penilai": UserFactory(username="penilai.setneg", instansi=inst, roles=["penilai"]),
        "admin2": UserFactory(username="admin2.setneg", instansi=inst, roles=["admin_pembina"]),
        "campur": UserFactory(username="campur.setneg", instansi=inst, roles=["ketua_tim", "admin_pembina"]),
    }


def test_the_admin_pembina_creates_and_invites_their_staff(client, setneg):
    admin = setneg["admin"]
    client.force_login(admin)
    page = client.get(reverse("staf:baru")).content.decode()
    assert 'value="penilai"' in page and 'value="ketua_tim"' in page and 'value="verifikator"' in page
    assert 'value="admin_pembina"' not in page and 'value="ppk"' not in page  # only the staff roles
    assert page.count("<option") == 1  # their own pembina, nothing else
    response = client.post(
        reverse("staf:baru"),
        {"username": "penilai.baru", "nama_lengkap": "Dewi Lestari", "email": "dewi@setneg.go.id",
         "nip": "19800101 200501 2 001", "instansi": admin.instansi.pk, "peran": ["penilai", "ketua_tim"],
         "is_superuser": "on"},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="penilai.baru")
    assert user.roles == {"penilai", "ketua_tim"} and user.instansi == admin.instansi
    assert not user.is_superuser and not user.is_staff and not user.has_usable_password()
    assert OutboxMessage.objects.filter(
        task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk}
    ).exists()
    [entry] = _audit("akun.dibuat")
    assert entry.actor == admin
    # the staff list shows them, with their buttons
    html = client.get(reverse("accounts:pengguna")).content.decode()
    assert 'data-testid="peran-penilai.baru"' in html and 'data-testid="aktif-penilai.baru"' in html
    assert 'data-testid="peran-admin2.setneg"' not in html  # another admin pembina: not theirs


def test_the_admin_pembina_cannot_give_other_roles_or_reach_other_instansi(client, setneg, instansi_a, pic_a):
    admin = setneg["admin"]
    client.force_login(admin)
    for peran, instansi in ((["admin_pembina"], admin.instansi.pk), (["ppk"], admin.instansi.pk),
                            (["penilai"], instansi_a.pk)):  # fmt: skip
        html = client.post(
            reverse("staf:baru"),
            {"username": "x.baru", "nama_lengkap": "X", "email": "x@x.go.id", "instansi": instansi, "peran": peran},
        ).content.decode()
        assert 'data-testid="ringkasan-galat"' in html
    assert not User.objects.filter(username="x.baru").exists()
    # no roles at all: refused too (a staff account has a role)
    html = client.post(reverse("staf:baru"), {"username": "x.baru", "nama_lengkap": "X", "email": "x@x.go.id",
                                               "instansi": admin.instansi.pk}).content.decode()  # fmt: skip
    assert "Pilih sedikitnya satu peran." in html and not User.objects.filter(username="x.baru").exists()
    # staff: granting admin_pembina through the page is an invalid choice; nothing changes
    penilai = setneg["penilai"]
    client.post(reverse("staf:peran", args=[penilai.pk]), {"instansi": admin.instansi.pk, "peran": ["admin_pembina"]})
    assert User.objects.get(pk=penilai.pk).roles == {"penilai"}
    # the service says the same, whatever a caller passes
    with pytest.raises(ValidationError):
        platform_services.peran_atur(actor=admin, user=penilai, instansi=admin.instansi, roles={"admin_pembina"})
    with pytest.raises(PermissionDenied):
        platform_services.peran_atur(actor=admin, user=penilai, instansi=instansi_a, roles={"penilai"})
    with pytest.raises(PermissionDenied):  # themselves: no superadmin, no more roles
        platform_services.peran_atur(actor=admin, user=admin, instansi=admin.instansi, roles={"admin_pembina",
                                                                                              "ketua_tim"})  # fmt: skip
    # users that are not their staff: 404 on every staff page, GET and POST
    lan_admin = UserFactory(username="admin.lan2", instansi=instansi_a, roles=["pic_instansi"])
    for target in (admin, setneg["admin2"], setneg["campur"], pic_a, lan_admin):
        for name in ("staf:peran", "staf:aktif"):
            url = reverse(name, args=[target.pk])
            assert client.get(url).status_code in (404, 405)
            assert (
                client.post(url, {"aktif": "0", "instansi": admin.instansi.pk, "peran": ["penilai"]}).status_code == 404
            )
        target.refresh_from_db()
        assert target.is_active
    assert User.objects.get(pk=admin.pk).roles == {"admin_pembina"} and not User.objects.get(pk=admin.pk).is_superuser


def test_another_pembinas_admin_cannot_touch_this_staff(client, setneg, admin_lan):
    penilai = setneg["penilai"]
    client.force_login(admin_lan)
    for name in ("staf:peran", "staf:aktif"):
        assert (
            client.post(reverse(name, args=[penilai.pk]), {"aktif": "0", "peran": ["verifikator"]}).status_code == 404
        )
    penilai.refresh_from_db()
    assert penilai.is_active and penilai.roles == {"penilai"}


def test_the_admin_pembina_changes_roles_and_deactivates_staff_audited(client, setneg):
    admin, penilai = setneg["admin"], setneg["penilai"]
    client.force_login(admin)
    response = client.post(
        reverse("staf:peran", args=[penilai.pk]), {"instansi": admin.instansi.pk, "peran": ["verifikator"]}
    )
    assert response.status_code == 302
    assert User.objects.get(pk=penilai.pk).roles == {"verifikator"}
    assert [e.data["role"] for e in _audit("akun.peran_diberikan")] == ["verifikator"]
    assert [e.data["role"] for e in _audit("akun.peran_dicabut")] == ["penilai"]
    # every role taken away: still theirs to manage (listed, roles can come back)
    client.post(reverse("staf:peran", args=[penilai.pk]), {"instansi": admin.instansi.pk})
    assert User.objects.get(pk=penilai.pk).roles == set()
    assert 'data-testid="peran-penilai.setneg"' in client.get(reverse("accounts:pengguna")).content.decode()
    client.post(reverse("staf:peran", args=[penilai.pk]), {"instansi": admin.instansi.pk, "peran": ["penilai"]})
    assert User.objects.get(pk=penilai.pk).roles == {"penilai"}
    # deactivate: no login any more; an empty POST changes nothing
    client.post(reverse("staf:aktif", args=[penilai.pk]), {})
    assert User.objects.get(pk=penilai.pk).is_active
    client.post(reverse("staf:aktif", args=[penilai.pk]), {"aktif": "0"})
    assert not User.objects.get(pk=penilai.pk).is_active
    [entry] = _audit("akun.dinonaktifkan")
    assert entry.actor == admin and entry.object_id == str(penilai.pk)
    client.logout()
    client.post(reverse("accounts:login"), {"username": "penilai.setneg", "password": PASSWORD})
    assert "_auth_user_id" not in client.session  # cannot log in any more
    client.force_login(admin)
    client.post(reverse("staf:aktif", args=[penilai.pk]), {"aktif": "1"})
    assert User.objects.get(pk=penilai.pk).is_active and len(_audit("akun.diaktifkan")) == 1


def test_staff_pages_are_404_for_everyone_but_an_admin_pembina(client, setneg, pic_a, superadmin, verifikator):
    penilai = setneg["penilai"]
    for user in (pic_a, superadmin, verifikator, penilai):
        client.force_login(user)
        assert client.get(reverse("staf:baru")).status_code == 404
        assert client.post(reverse("staf:baru"), {"username": "z"}).status_code == 404
        assert client.post(reverse("staf:aktif", args=[penilai.pk]), {"aktif": "0"}).status_code == 404
    assert User.objects.get(pk=penilai.pk).is_active


# --------------------------------------------------------------------------- the PIC asks for the PPK account


def _minta(client, pic, **extra):
    client.force_login(pic)
    data = {"nama_lengkap": "Bambang Wisnu", "nip": "19700512 199503 1 001", "email": "bambang@kemenhub.go.id",
            "jabatan": "Sekretaris Jenderal", **extra}  # fmt: skip
    return client.post(reverse("accounts:permintaan_ppk"), data)


def _permintaan():
    with tenancy.all_tenants(reason="test assertion"):
        return list(PermintaanAkun.objects.order_by("id"))


def test_the_pic_asks_for_the_ppk_account_and_the_superadmin_approves(client, pic_a, superadmin, instansi_a):
    assert _minta(client, pic_a).status_code == 302
    [p] = _permintaan()
    assert (p.status, p.instansi_id, p.nip, p.diminta_oleh) == ("menunggu", instansi_a.pk, "197005121995031001", pic_a)
    assert len(_audit("akun.permintaan_dibuat")) == 1
    # a second one while the first waits: refused, input kept
    html = _minta(client, pic_a, nama_lengkap="Orang Kedua").content.decode()
    assert "masih menunggu" in html and len(_permintaan()) == 1
    _jalankan("accounts.kabari_permintaan_akun")
    assert Notifikasi.objects.filter(user=superadmin, jenis="akun.permintaan").exists()
    # the superadmin's queue and decision
    client.force_login(superadmin)
    assert "Bambang Wisnu" in client.get(reverse("platform:permintaan_list")).content.decode()
    page = client.get(reverse("platform:permintaan", args=[p.pk])).content.decode()
    assert 'value="bambang"' in page and 'value="bambang@kemenhub.go.id"' in page
    response = client.post(
        reverse("platform:permintaan", args=[p.pk]),
        {"keputusan": "setujui", "username": "ppk.kemenhub", "nama_lengkap": "Bambang Wisnu",
         "email": "bambang@kemenhub.go.id", "nip": "197005121995031001", "instansi": instansi_a.pk, "peran": ["ppk"]},
    )  # fmt: skip
    assert response.status_code == 302
    user = User.objects.get(username="ppk.kemenhub")
    assert user.roles == {"ppk"} and user.instansi == instansi_a and not user.has_usable_password()
    assert OutboxMessage.objects.filter(
        task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk}
    ).exists()
    [p] = _permintaan()
    assert (p.status, p.pengguna, p.diputus_oleh) == ("disetujui", user, superadmin)
    _jalankan("accounts.kabari_permintaan_akun")
    [n] = Notifikasi.objects.filter(user=pic_a, jenis="akun.permintaan")
    assert n.judul == "Permintaan akun PPK disetujui"
    # decided: a second decision is refused
    client.post(reverse("platform:permintaan", args=[p.pk]), {"keputusan": "tolak", "alasan": "x"})
    assert _permintaan()[0].status == "disetujui"


def test_the_superadmin_rejects_with_a_reason_and_the_pic_reads_it(client, pic_a, superadmin, instansi_a):
    _minta(client, pic_a)
    [p] = _permintaan()
    client.force_login(superadmin)
    html = client.post(reverse("platform:permintaan", args=[p.pk]), {"keputusan": "tolak", "alasan": ""}).content
    assert "ringkasan-galat" in html.decode() and _permintaan()[0].status == "menunggu"
    client.post(reverse("platform:permintaan", args=[p.pk]), {"keputusan": "tolak", "alasan": "NIP bukan milik PPK."})
    assert _permintaan()[0].status == "ditolak" and len(_audit("akun.permintaan_ditolak")) == 1
    _jalankan("accounts.kabari_permintaan_akun")
    [n] = Notifikasi.objects.filter(user=pic_a, jenis="akun.permintaan")
    assert n.judul == "Permintaan akun PPK ditolak" and "NIP bukan milik PPK." in n.isi
    client.force_login(pic_a)
    html = client.get(reverse("accounts:permintaan_ppk")).content.decode()
    assert "NIP bukan milik PPK." in html and 'data-testid="kirim-permintaan-ppk"' in html  # may ask again
    assert not Membership.objects.filter(role="ppk").exists()


def test_request_pages_are_404_for_everyone_else(client, pic_a, pic_b, admin_setneg, ppk_a):
    _minta(client, pic_a)
    [p] = _permintaan()
    for user in (pic_a, pic_b, admin_setneg, ppk_a):
        client.force_login(user)
        for url in (reverse("platform:permintaan_list"), reverse("platform:permintaan", args=[p.pk])):
            assert client.get(url).status_code == 404
            assert client.post(url, {"keputusan": "tolak", "alasan": "x"}).status_code == 404
    for user in (admin_setneg, ppk_a):
        client.force_login(user)
        assert client.get(reverse("accounts:permintaan_ppk")).status_code == 404
    client.force_login(pic_b)  # another instansi's PIC does not see pic_a's request
    assert "Bambang" not in client.get(reverse("accounts:permintaan_ppk")).content.decode()
    assert _permintaan()[0].status == "menunggu"
