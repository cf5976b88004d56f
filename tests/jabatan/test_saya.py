"""The pejabat fungsional's own login (issue 19, item 5): the PIC's invitation, the holder's scope
(their own record, ledger and letters; nothing else, in the managers and in RLS), their pages and
the 404 for anything of another holder."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from apps.accounts.models import Membership, Role, User
from apps.core import tenancy
from apps.core.models import AuditLog, OutboxMessage
from apps.jabatan import akses
from apps.jabatan.domain import JenisMutasi
from apps.jabatan.models import MutasiAK, PejabatFungsional
from apps.jabatan.services import mutasi_tambah
from apps.pengusulan.models import Pegawai
from tests.factories import PegawaiFactory, UserFactory
from tests.jabatan.conftest import buat_pejabat

pytestmark = pytest.mark.django_db


@pytest.fixture
def dunia(instansi_a, instansi_b, pic_a, pic_b, referensi):
    """Three holders: two at instansi A (one invited), one at instansi B; each with a ledger row."""
    pk = referensi["pengantar-kerja"]
    a1 = buat_pejabat(instansi_a, pk, nip="198609262015052001", nama="Ani Wulandari")
    a2 = buat_pejabat(instansi_a, pk, nip="198701012015051002", nama="Budi Prakoso")
    b1 = buat_pejabat(instansi_b, pk, nip="198802022015052003", nama="Citra Lestari")
    for p, instansi, pic in ((a1, instansi_a, pic_a), (a2, instansi_a, pic_a), (b1, instansi_b, pic_b)):
        with tenancy.scope(instansi):
            mutasi_tambah(p, JenisMutasi.AWAL, Decimal("50"), oleh=pic, periode_mulai=date(2025, 1, 1))
    PegawaiFactory(instansi=instansi_a, nama="Pegawai Lain", nip="199001012015051004")
    with tenancy.scope(instansi_a):
        user = akses.pejabat_undang(actor=pic_a, pejabat=a1, email="ani@uji.siaks.go.id")
    user.set_password("kata-sandi-pejabat-2026")
    user.save()
    return {"a1": a1, "a2": a2, "b1": b1, "user": user, "pk": pk}


def test_invitation_makes_the_login_links_it_and_sends_the_set_password_mail(dunia, instansi_a):
    user = dunia["user"]
    assert user.username == dunia["a1"].nip and user.email == "ani@uji.siaks.go.id"
    assert list(Membership.objects.filter(user=user, is_active=True).values_list("role", "instansi")) == [
        (Role.PEJABAT_FUNGSIONAL.value, instansi_a.pk)
    ]
    with tenancy.scope(instansi_a):
        assert PejabatFungsional.objects.get(pk=dunia["a1"].pk).user_id == user.pk
    # Exactly one invitation (issue 19 walk: the signal and the service each enqueued one).
    assert (
        OutboxMessage.objects.filter(task_name="accounts.kirim_email_akun_baru", kwargs={"user_id": user.pk}).count()
        == 1
    )


def test_invitation_again_reuses_the_login(dunia, instansi_a, pic_a):
    with tenancy.scope(instansi_a):
        again = akses.pejabat_undang(actor=pic_a, pejabat=dunia["a1"], email="ani.baru@uji.siaks.go.id")
    assert again.pk == dunia["user"].pk and User.objects.filter(username=dunia["a1"].nip).count() == 1
    assert User.objects.get(pk=again.pk).email == "ani.baru@uji.siaks.go.id"


def test_invitation_refused_for_a_bad_email_or_a_non_pic(dunia, instansi_a, pic_a):
    ppk = UserFactory(username="ppk.x", instansi=instansi_a, roles=["ppk"])
    with tenancy.scope(instansi_a), pytest.raises(ValidationError, match="PIC"):
        akses.pejabat_undang(actor=ppk, pejabat=dunia["a2"], email="budi@uji.siaks.go.id")
    with tenancy.scope(instansi_a), pytest.raises(ValidationError) as exc:
        akses.pejabat_undang(actor=pic_a, pejabat=dunia["a2"], email="bukan-email")
    assert "e-mail" in str(exc.value)
    assert not User.objects.filter(username=dunia["a2"].nip).exists()


def test_invitation_link_sets_the_password_and_the_holder_lands_on_their_page(client, dunia):
    user = dunia["user"]
    user.set_unusable_password()
    user.save()
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token})
    response = client.get(url, follow=True)
    set_url = response.redirect_chain[-1][0]
    response = client.post(set_url, {"new_password1": "Sandi-Pejabat-2026!", "new_password2": "Sandi-Pejabat-2026!"})
    assert response.status_code == 302
    response = client.post(reverse("accounts:login"), {"username": user.username, "password": "Sandi-Pejabat-2026!"})
    assert response.status_code == 302
    response = client.get(reverse("portal:beranda"))
    assert response.status_code == 302 and response["Location"] == reverse("saya:beranda")
    page = client.get(reverse("saya:beranda")).content.decode()
    assert "Ani Wulandari" in page and "Budi Prakoso" not in page and "Citra Lestari" not in page


def test_scope_of_a_holder_is_their_own_record_in_the_managers(dunia):
    user = User.objects.get(pk=dunia["user"].pk)
    scope = tenancy.scope_for_user(user)
    assert scope.instansi_id is None and scope.pejabat_id == dunia["a1"].pk and not scope.jf_ids
    with tenancy.activate(scope):
        assert list(PejabatFungsional.objects.values_list("pk", flat=True)) == [dunia["a1"].pk]
        assert set(MutasiAK.objects.values_list("pejabat_id", flat=True)) == {dunia["a1"].pk}
        # Default-deny for everything else of the instansi.
        assert not Pegawai.objects.exists()
        assert not AuditLog.objects.exists()
        # Writing another holder's row (or a row of the instansi) is refused by the model.
        other = PejabatFungsional(instansi_id=dunia["a2"].instansi_id, jf=dunia["pk"], jenjang=dunia["a1"].jenjang)
        with pytest.raises(tenancy.ScopeError):
            other.save()


def test_scope_of_a_holder_in_rls_without_the_manager(dunia):
    """The database says the same with nothing but the holder's settings."""
    a1 = dunia["a1"]
    with tenancy.all_tenants(reason="raw SQL under the holder's database settings"), connection.cursor() as cur:
        cur.execute(
            "SELECT set_config('siaks.all_tenants', 'off', true), set_config('siaks.instansi_id', '', true),"
            " set_config('siaks.jf_ids', '', true), set_config('siaks.pejabat_id', %s, true)",
            [str(a1.pk)],
        )
        cur.execute("SELECT id FROM jabatan_pejabatfungsional")
        assert [r[0] for r in cur.fetchall()] == [a1.pk]
        cur.execute("SELECT DISTINCT pejabat_id FROM jabatan_mutasiak")
        assert [r[0] for r in cur.fetchall()] == [a1.pk]
        cur.execute("SELECT count(*) FROM pengusulan_pegawai")
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT count(*) FROM core_auditlog")
        assert cur.fetchone()[0] == 0
        cur.execute("SELECT set_config('siaks.pejabat_id', '', true)")
        cur.execute("SELECT count(*) FROM jabatan_pejabatfungsional")
        assert cur.fetchone()[0] == 0


def test_a_holder_with_no_linked_record_sees_nothing(dunia, instansi_a, client):
    loner = UserFactory(username="199901012020121001", instansi=instansi_a, roles=["pejabat_fungsional"])
    scope = tenancy.scope_for_user(User.objects.get(pk=loner.pk))
    assert scope.pejabat_id is None and scope.instansi_id is None
    with tenancy.activate(scope):
        assert not PejabatFungsional.objects.exists()
    client.force_login(loner)
    assert client.get(reverse("saya:beranda")).status_code == 404


def test_holder_pages_show_only_their_own_data_and_other_routes_are_404(client, dunia, instansi_a):
    client.force_login(dunia["user"])
    page = client.get(reverse("saya:beranda"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Ani Wulandari" in html and "50" in html
    assert "Budi Prakoso" not in html and "Citra Lestari" not in html
    # The PIC's pages of the instansi are not the holder's.
    for name in ("pengusulan:pegawai_list", "pengusulan:dashboard", "pengusulan:formasi"):
        assert client.get(reverse(name)).status_code in (403, 404), name


def test_revoked_access_ends_the_holder_scope(dunia, instansi_a, pic_a, client):
    with tenancy.scope(instansi_a):
        assert akses.pejabat_cabut_akses(actor=pic_a, pejabat=dunia["a1"]) == 1
    client.force_login(dunia["user"])
    assert client.get(reverse("saya:beranda")).status_code == 404


def test_platform_pages_do_not_grant_the_holder_role(dunia, superadmin, instansi_a):
    from apps.accounts import platform_services

    with pytest.raises(ValidationError, match="undangan PIC"):
        platform_services.peran_atur(
            actor=superadmin, user=dunia["user"], instansi=instansi_a, roles={Role.PEJABAT_FUNGSIONAL}
        )
    # Changing the other roles of a holder leaves the holder's role in place.
    platform_services.peran_atur(actor=superadmin, user=dunia["user"], instansi=instansi_a, roles={"ppk"})
    roles = set(Membership.objects.filter(user=dunia["user"], is_active=True).values_list("role", flat=True))
    assert roles == {"ppk", "pejabat_fungsional"}


def test_demo_holder_is_linked_to_their_record_and_ledger(client):
    from django.core.management import call_command

    from apps.jabatan.selectors import ak_kumulatif

    call_command("load_referensi")
    call_command("demo_data")
    call_command("demo_data")  # safe to run again: nothing doubles
    user = User.objects.get(username="pejabat.kemenhub")
    with tenancy.activate(tenancy.scope_for_user(user)):
        pejabat = PejabatFungsional.objects.get()
        assert (pejabat.nama, pejabat.jenjang.kode) == ("Sri Wahyuni, S.Sos.", "ahli_pertama")
        assert MutasiAK.objects.count() == 3 and ak_kumulatif(pejabat) == Decimal("56.25")
    client.force_login(user)
    html = client.get(reverse("saya:beranda")).content.decode()
    assert "Sri Wahyuni" in html and "56,25" in html


def test_pic_invites_and_revokes_from_the_holders_page(client, dunia, pic_a, instansi_a):
    a2 = dunia["a2"]
    client.force_login(pic_a)
    page = client.get(reverse("jabatan:detail", args=[a2.pk])).content.decode()
    assert reverse("jabatan:undang", args=[a2.pk]) in page and "Kirim undangan" in page
    response = client.post(reverse("jabatan:undang", args=[a2.pk]), {"email": "bukan-email"}, follow=True)
    assert "Isi alamat e-mail pejabat fungsional yang benar." in response.content.decode()
    assert not User.objects.filter(username=a2.nip).exists()
    response = client.post(reverse("jabatan:undang", args=[a2.pk]), {"email": "budi@uji.siaks.go.id"}, follow=True)
    assert "Undangan terkirim ke budi@uji.siaks.go.id" in response.content.decode()
    holder = User.objects.get(username=a2.nip)
    assert Membership.objects.filter(user=holder, role="pejabat_fungsional", is_active=True).exists()
    assert "Cabut akses" in response.content.decode()
    client.post(reverse("jabatan:cabut_akses", args=[a2.pk]))
    assert not Membership.objects.filter(user=holder, role="pejabat_fungsional", is_active=True).exists()
    # Another instansi's holder: 404 for every action.
    for name in ("jabatan:undang", "jabatan:cabut_akses", "jabatan:kenaikan_jenjang"):
        assert client.post(reverse(name, args=[dunia["b1"].pk]), {"email": "x@uji.siaks.go.id"}).status_code == 404


def test_pic_kenaikan_jenjang_below_the_threshold_is_refused_on_the_page(client, dunia, pic_a):
    from apps.pengusulan.models import Usulan

    client.force_login(pic_a)
    response = client.post(reverse("jabatan:kenaikan_jenjang", args=[dunia["a2"].pk]), follow=True)
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == reverse("jabatan:detail", args=[dunia["a2"].pk])
    assert "belum memenuhi ambang kenaikan jenjang ke Ahli Muda (100)" in html and "masih kurang 50" in html
    with tenancy.scope(dunia["a2"].instansi_id):
        assert not Usulan.objects.exists()


def test_holder_api_returns_their_own_record_only(client, dunia, pic_a):
    client.force_login(dunia["user"])
    data = client.get(reverse("api:saya")).json()
    assert data["pejabat"]["nip"] == dunia["a1"].nip
    assert [m["jenis"] for m in data["mutasi"]] == ["awal"] and data["surat"] == []
    # The holder reaches no other holder through the PIC's API either.
    for other in (dunia["a2"], dunia["b1"]):
        assert client.get(reverse("api:pejabat-fungsional-detail", args=[other.pk])).status_code in (403, 404)
    client.force_login(pic_a)
    assert client.get(reverse("api:saya")).status_code == 403


def test_invitation_refused_for_an_email_already_used_by_another_account(dunia, instansi_a, pic_a):
    """Budi invited with Ani's address: the set-password link would reach Ani's mailbox. Refused
    with the reason, no login made; Ani's own re-invitation with her address still works."""
    with tenancy.scope(instansi_a), pytest.raises(ValidationError) as exc:
        akses.pejabat_undang(actor=pic_a, pejabat=dunia["a2"], email="ANI@uji.siaks.go.id")
    assert "Alamat e-mail ANI@uji.siaks.go.id sudah dipakai akun lain" in str(exc.value)
    assert not User.objects.filter(username=dunia["a2"].nip).exists()
    with tenancy.scope(instansi_a):
        again = akses.pejabat_undang(actor=pic_a, pejabat=dunia["a1"], email="ani@uji.siaks.go.id")
    assert again.pk == dunia["user"].pk


def test_the_holder_gets_404_not_403_on_the_pic_pages_and_the_api(client, dunia):
    """The holder's own record on the PIC's page sends them to /saya/; another holder's record
    and the letters API are 404 (not found), never 403."""
    client.force_login(dunia["user"])
    own = client.get(reverse("jabatan:detail", args=[dunia["a1"].pk]))
    assert own.status_code == 302 and own["Location"] == reverse("saya:beranda")
    assert client.get(reverse("jabatan:detail", args=[dunia["a2"].pk])).status_code == 404
    assert client.post(reverse("jabatan:predikat_catat", args=[dunia["a2"].pk])).status_code == 404
    assert client.get("/api/v1/surat/").status_code == 404
    assert client.get("/api/v1/surat/999999/").status_code == 404
