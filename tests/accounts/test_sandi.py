"""The set-password page (the invitation link) reports every problem at once, in one voice."""

from __future__ import annotations

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _halaman_atur(client, user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    url = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(user)])
    response = client.get(url)
    assert response.status_code == 302  # Django swaps the token for the session's
    return response["Location"]


def test_every_password_problem_is_in_the_summary_with_the_mismatch(client):
    user = UserFactory(username="budi.santoso", email="budi.santoso@slemankab.go.id")
    user.set_unusable_password()
    user.save()
    url = _halaman_atur(client, user)
    page = client.get(url).content.decode()
    assert "Sandi anda" not in page and "Kata sandi Anda harus memuat sedikitnya 10 karakter" in page
    response = client.post(url, {"new_password1": "123456", "new_password2": "654321"})
    assert response.status_code == 200
    html = response.content.decode()
    summary = html[html.index('data-testid="ringkasan-galat"') :]
    summary = summary[: summary.index("</div>")]
    for pesan in (
        "Kata sandi Anda terlalu pendek: sedikitnya 10 karakter.",
        "Kata sandi Anda terlalu umum dan mudah ditebak.",
        "Kata sandi Anda hanya berisi angka.",
        "Kedua isian kata sandi Anda tidak sama.",
    ):
        assert pesan in summary, summary
    assert "Sandi anda" not in html
    response = client.post(url, {"new_password1": "budi.santoso1", "new_password2": "budi.santoso2"})
    summary = response.content.decode()
    assert "Kata sandi Anda terlalu mirip dengan" in summary and "tidak sama" in summary
    user.refresh_from_db()
    assert not user.has_usable_password()


def test_a_wrong_old_password_is_an_error_not_a_500(client):
    user = UserFactory(username="budi.lama")
    client.force_login(user)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": "salah-sekali", "new_password1": "123", "new_password2": "124"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "Kata sandi lama Anda salah" in html and "Kata sandi Anda terlalu pendek" in html and "tidak sama" in html
