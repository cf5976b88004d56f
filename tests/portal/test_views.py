from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_anonymous_visitors_are_sent_to_the_indonesian_login(client):
    response = client.get(reverse("portal:beranda"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
    page = client.get(reverse("accounts:login"))
    assert "Masuk ke SIAKS" in page.content.decode()
    assert page["Content-Language"] == "id"


def test_a_wrong_password_gets_a_translated_error(client, pic_a):
    response = client.post(reverse("accounts:login"), {"username": "pic.a", "password": "salah"})
    assert response.status_code == 200
    assert "Nama pengguna atau kata sandi salah" in response.content.decode()


def test_login_lands_on_the_role_home(client, pic_a):
    response = client.post(
        reverse("accounts:login"), {"username": "pic.a", "password": "kata-sandi-uji-2026"}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("portal:beranda")
    assert "Beranda PIC Admin Instansi" in response.content.decode()


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("pic_instansi", "Beranda PIC Admin Instansi"),
        ("ppk", "Beranda Pejabat Pembina Kepegawaian"),
    ],
)
def test_pengguna_roles_have_their_own_home(client, instansi_a, role, heading):
    from tests.factories import UserFactory

    client.force_login(UserFactory(instansi=instansi_a, roles=[role]))
    assert heading in client.get(reverse("portal:beranda")).content.decode()


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        ("verifikator", "Beranda Verifikator"),
        ("penilai", "Beranda Penilai"),
        ("ketua_tim", "Beranda Ketua Tim Penilai"),
        ("admin_pembina", "Beranda Admin Instansi Pembina"),
    ],
)
def test_pembina_roles_have_their_own_home(client, pembina, role, heading):
    from tests.factories import UserFactory

    client.force_login(UserFactory(instansi=pembina, roles=[role]))
    assert heading in client.get(reverse("portal:beranda")).content.decode()


def test_the_superadmin_home_and_instansi_list(client, superadmin, instansi_a):
    client.force_login(superadmin)
    assert "Beranda Superadmin Platform" in client.get(reverse("portal:beranda")).content.decode()
    assert "Kementerian Perhubungan" in client.get(reverse("portal:instansi_list")).content.decode()


def test_the_instansi_list_is_for_the_superadmin_only(client, pic_a):
    client.force_login(pic_a)
    assert client.get(reverse("portal:instansi_list")).status_code == 404  # a platform page


def test_the_navigation_shows_only_what_the_role_can_use(client, pic_a, verifikator):
    client.force_login(pic_a)
    assert reverse("pengusulan:pegawai_list") in client.get(reverse("portal:beranda")).content.decode()
    client.force_login(verifikator)
    assert reverse("pengusulan:pegawai_list") not in client.get(reverse("portal:beranda")).content.decode()


def test_administration_pages_sit_in_the_kelola_menu(client, pic_a, superadmin):
    client.force_login(pic_a)
    html = client.get(reverse("portal:beranda")).content.decode()
    assert 'data-testid="menu-kelola"' not in html
    assert reverse("portal:audit_log") not in html
    assert reverse("rekap:ekspor_daftar") in html  # "Ekspor saya" in the user menu
    client.force_login(superadmin)
    response = client.get(reverse("portal:instansi_list"))
    kelola = [url for _label, url, _icon in response.context["nav_kelola"]]
    assert kelola == [
        reverse("portal:audit_log"),
        reverse("portal:instansi_list"),
        reverse("portal:outbox_mati"),
        reverse("accounts:pengguna"),
        reverse("platform:permintaan_list"),
    ]
    assert not {url for _label, url, _icon in response.context["nav_items"]} & set(kelola)
    html = response.content.decode()
    # the open page is marked in the menu and for screen readers
    assert f'class="dropdown-item active" href="{reverse("portal:instansi_list")}" aria-current="page"' in html


def test_healthz_reports_readiness(client):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json()["cek"]["database"] == "ok"


def test_health_paths_are_exempt_from_the_https_redirect(client, settings, monkeypatch):
    """Probes speak plain HTTP inside the cluster; production redirects everything else."""
    import importlib

    monkeypatch.setenv("DJANGO_SECRET_KEY", "k" * 50)
    production = importlib.import_module("siaks.settings.production")

    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = production.SECURE_REDIRECT_EXEMPT
    assert client.get("/sehat/hidup/").status_code == 200
    assert client.get("/sehat/siap/").status_code == 200
    assert client.get("/sehat/").status_code == 200
    assert client.get("/beranda/").status_code == 301


def test_logout_is_a_post(client, pic_a):
    client.force_login(pic_a)
    response = client.post(reverse("accounts:logout"))
    assert response.status_code == 302
    assert client.get(reverse("portal:beranda")).status_code == 302
