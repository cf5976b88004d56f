"""Issue 13 (fresh-eye walk): the penyesuaian table and AK Dasar belong to each JF. A row set by one
JF's admin pembina never changes another JF's usulan; each admin pembina lists and edits only its own
JFs' rows; every change is audited before → after (value and verification state) on the row and on
the usulan it recomputes."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from apps.core import tenancy
from apps.core.models import AuditLog
from apps.pengusulan import services as pic_services
from apps.pengusulan.models import Usulan
from apps.referensi import services as referensi_services
from apps.referensi.models import AKDasar, JabatanFungsional, NilaiPenyesuaianAK
from tests.factories import UserFactory
from tests.pengusulan.conftest import ON, pegawai_data, upload_all_mandatory
from tests.verifikasi.conftest import as_user

pytestmark = pytest.mark.django_db


def _fresh(u) -> Usulan:
    with tenancy.all_tenants(reason="test assertion"):
        return Usulan.objects.select_related("ak_tabel_ref__jf", "ak_dasar_ref__jf").get(pk=u.pk)


def _baris(jf):
    """The rows a pegawai III/c, 4+ years in pangkat, S1 rests on, in ``jf``'s tables."""
    return (
        NilaiPenyesuaianAK.objects.get(jf=jf, golongan__kode="III/c", masa_kerja=4, pendidikan="s1"),
        AKDasar.objects.get(jf=jf, golongan__kode="III/c"),
    )


@pytest.fixture
def usulan_aks(pic, formasi_aks, aks):
    """A submitted AKS usulan (the same pegawai profile as the Pengantar Kerja one)."""
    with tenancy.scope(pic.instansi):
        pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(nip="19860926 201505 1 090"))
        usulan = pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    upload_all_mandatory(pic, usulan)
    with tenancy.scope(pic.instansi):
        return pic_services.usulan_ajukan(actor=pic, usulan=usulan, on=ON)


def _entries(u) -> list[AuditLog]:
    with tenancy.all_tenants(reason="test assertion"):
        return list(AuditLog.objects.filter(action="usulan.ak_dihitung_ulang", object_id=str(u.pk)).order_by("id"))


def test_every_jf_has_its_own_rows_and_each_usulan_rests_on_its_jfs(referensi, diajukan, usulan_aks, pk, aks):
    jf_count = JabatanFungsional.objects.count()
    assert jf_count == 3
    assert NilaiPenyesuaianAK.objects.count() == jf_count * 13 * 5 * 5
    assert AKDasar.objects.count() == jf_count * 13
    u_pk, u_aks = _fresh(diajukan(1)[0]), _fresh(usulan_aks)
    assert (u_pk.ak_tabel_ref, u_pk.ak_dasar_ref) == _baris(pk)
    assert (u_aks.ak_tabel_ref, u_aks.ak_dasar_ref) == _baris(aks)
    assert u_pk.ak_tabel_ref.pk != u_aks.ak_tabel_ref.pk and u_pk.ak_dasar_ref.pk != u_aks.ak_dasar_ref.pk


def test_a_change_by_one_jfs_admin_never_touches_another_jfs_usulan(
    referensi, diajukan, usulan_aks, pk, aks, staf, admin_setneg
):
    """The walk: admin.setneg (AKS) set a row to 77,5 "belum terverifikasi" and a Pengantar Kerja
    usulan changed; admin.kemnaker then confirmed the same row at 75 and AKS drafts changed."""
    u_pk = diajukan(1)[0]
    ak_pk_before, ak_aks_before = _fresh(u_pk).ak_awal, _fresh(usulan_aks).ak_awal
    tabel_aks, _d = _baris(aks)
    tabel_pk, _d = _baris(pk)

    with as_user(admin_setneg):
        referensi_services.ak_row_update(row=tabel_aks, nilai=Decimal("77.5"), terverifikasi=False, actor=admin_setneg)
    assert _fresh(usulan_aks).ak_nilai_tabel == Decimal("77.5")
    assert _fresh(usulan_aks).ak_awal == ak_aks_before - tabel_aks.nilai + Decimal("77.5")
    assert _fresh(u_pk).ak_awal == ak_pk_before and _entries(u_pk) == []
    tabel_pk.refresh_from_db()
    assert (tabel_pk.nilai, tabel_pk.terverifikasi) == (tabel_aks.nilai, False)

    with as_user(staf["admin"]):
        referensi_services.ak_row_update(row=tabel_pk, nilai=Decimal("75"), terverifikasi=True, actor=staf["admin"])
    assert _fresh(u_pk).ak_nilai_tabel == Decimal("75") and _fresh(u_pk).ak_tabel_ref.terverifikasi
    assert _fresh(usulan_aks).ak_nilai_tabel == Decimal("77.5")
    assert not _fresh(usulan_aks).ak_tabel_ref.terverifikasi
    assert len(_entries(usulan_aks)) == 1 and len(_entries(u_pk)) == 1

    # Neither admin pembina may change the other JF's row, even through the service.
    with as_user(admin_setneg), pytest.raises(PermissionDenied):
        referensi_services.ak_row_update(row=tabel_pk, nilai=Decimal("1"), terverifikasi=True, actor=admin_setneg)
    with as_user(staf["admin"]), pytest.raises(PermissionDenied):
        referensi_services.ak_row_update(row=tabel_aks, nilai=Decimal("1"), terverifikasi=True, actor=staf["admin"])
    tabel_pk.refresh_from_db()
    tabel_aks.refresh_from_db()
    assert (tabel_pk.nilai, tabel_aks.nilai) == (Decimal("75"), Decimal("77.5"))


def test_an_admin_pembina_lists_and_edits_only_its_own_jfs_rows(client, referensi, pk, aks, staf, admin_setneg):
    tabel_aks, dasar_aks = _baris(aks)
    tabel_pk, dasar_pk = _baris(pk)
    client.force_login(admin_setneg)
    page = client.get(reverse("referensi:ak_tabel")).content.decode()
    assert "Analis Kerja Sama" in page and reverse("referensi:ak_edit", args=["tabel", tabel_aks.pk]) in page
    assert reverse("referensi:ak_edit", args=["tabel", tabel_pk.pk]) not in page
    assert client.get(reverse("referensi:ak_tabel") + f"?jf={pk.kode}").status_code == 404
    assert client.get(reverse("referensi:ak_edit", args=["tabel", tabel_pk.pk])).status_code == 404
    assert client.get(reverse("referensi:ak_edit", args=["dasar", dasar_pk.pk])).status_code == 404
    versi = client.get(reverse("referensi:ak_edit", args=["dasar", dasar_aks.pk])).context["versi"]
    post = client.post(
        reverse("referensi:ak_edit", args=["dasar", dasar_pk.pk]), {"nilai": "1", "terverifikasi": "on", "versi": versi}
    )
    assert post.status_code == 404
    dasar_pk.refresh_from_db()
    assert dasar_pk.nilai != Decimal("1")

    # The JF pages link to the tables only where they can be read (no link to a 404).
    jf_page = client.get(reverse("referensi:jf_detail", args=[pk.kode])).content.decode()
    assert 'data-testid="tautan-tabel-ak"' not in jf_page and "dikelola admin pembina" in jf_page
    jf_page = client.get(reverse("referensi:jf_detail", args=[aks.kode])).content.decode()
    assert f'href="{reverse("referensi:ak_tabel")}?jf={aks.kode}" data-testid="tautan-tabel-ak"' in jf_page

    client.force_login(staf["admin"])
    page = client.get(reverse("referensi:ak_tabel")).content.decode()
    assert reverse("referensi:ak_edit", args=["tabel", tabel_pk.pk]) in page
    assert reverse("referensi:ak_edit", args=["tabel", tabel_aks.pk]) not in page

    superadmin = UserFactory(username="super.ak", instansi=None, roles=[], is_superuser=True, is_staff=True)
    client.force_login(superadmin)
    for jf, row in ((pk, tabel_pk), (aks, tabel_aks)):
        page = client.get(reverse("referensi:ak_tabel") + f"?jf={jf.kode}").content.decode()
        assert reverse("referensi:ak_edit", args=["tabel", row.pk]) in page
        assert client.get(reverse("referensi:ak_edit", args=["tabel", row.pk])).status_code == 200


def test_a_change_shows_before_and_after_on_the_row_and_in_the_usulans_timeline(
    client, referensi, usulan_aks, aks, admin_setneg, pic
):
    tabel, _dasar = _baris(aks)
    lama = tabel.nilai
    client.force_login(admin_setneg)
    url = reverse("referensi:ak_edit", args=["tabel", tabel.pk])
    versi = client.get(url).context["versi"]
    resp = client.post(url, {"nilai": "77.5", "terverifikasi": "", "versi": versi})
    assert resp.status_code == 302
    from apps.core.format import format_ak

    expected = f"{format_ak(lama)} (belum terverifikasi) → 77,5 (belum terverifikasi)"
    page = client.get(url).content.decode()
    riwayat = page.split('data-testid="riwayat-baris"', 1)[1].split("</ul>", 1)[0]
    assert expected in riwayat and "masa kerja 4 tahun" in riwayat
    riwayat_jf = client.get(reverse("referensi:jf_riwayat", args=[aks.kode])).content.decode()
    assert expected in riwayat_jf

    versi = client.get(url).context["versi"]
    client.post(url, {"nilai": "77.5", "terverifikasi": "on", "versi": versi})
    page = client.get(url).content.decode()
    assert "77,5 (belum terverifikasi) → 77,5 (terverifikasi)" in page

    with tenancy.all_tenants(reason="test assertion"):
        entry = AuditLog.objects.filter(action="referensi.ak_diubah", object_id=str(tabel.pk)).latest("id")
    assert entry.data["sebelum"] == {"nilai": "77.500", "terverifikasi": False}
    assert entry.data["sesudah"] == {"nilai": "77.500", "terverifikasi": True}
    assert entry.jf_id == aks.pk and entry.instansi_id == aks.instansi_pembina_id

    entries = _entries(usulan_aks)
    assert [e.data["baris_sebelum"] for e in entries] == [
        f"{format_ak(lama)} (belum terverifikasi)",
        "77,5 (belum terverifikasi)",
    ]
    assert expected in entries[0].message
    client.force_login(pic)
    page = client.get(reverse("pengusulan:usulan_detail", args=[usulan_aks.pk])).content.decode()
    assert "77,5 (belum terverifikasi) → 77,5 (terverifikasi)" in page


@pytest.mark.django_db(transaction=True, databases=["default", "owner"])
def test_the_migration_copies_each_row_to_every_jf_and_moves_each_usulan_to_its_jfs_copy(pic, aks, pk):
    """Upgrading a database whose AK tables were shared: every row (value, verification, source)
    is copied to every JF, and each usulan built on a row then rests on its own JF's copy."""
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    from apps.referensi.models import Golongan

    with tenancy.scope(pic.instansi):
        u_aks = pic_services.usulan_create(
            actor=pic, pegawai=pic_services.pegawai_create(actor=pic, data=pegawai_data(nip="19860926 201505 1 091")),
            jf=aks,
        )  # fmt: skip
        u_pk = pic_services.usulan_create(
            actor=pic, pegawai=pic_services.pegawai_create(actor=pic, data=pegawai_data(nip="19860926 201505 1 092")),
            jf=pk,
        )  # fmt: skip
    with tenancy.all_tenants(reason="test: empty the AK tables (usulan protect their rows)"):
        NilaiPenyesuaianAK.objects.all().delete()
        AKDasar.objects.all().delete()
    golongan = Golongan.objects.get(kode="III/c").pk
    owner = connections["owner"]
    sebelum = [("referensi", "0015_dokumen_kenaikan_jenjang")]
    terakhir = MigrationExecutor(owner).loader.graph.leaf_nodes("referensi")
    try:
        MigrationExecutor(owner).migrate(sebelum)
        with owner.cursor() as cursor:  # the shared tables as they were: one row per key, no JF
            cursor.execute(
                "INSERT INTO referensi_nilaipenyesuaianak (golongan_id, masa_kerja, pendidikan, nilai, terverifikasi, "
                "sumber) VALUES (%s, 4, 's1', 77.5, true, 'dikoreksi') RETURNING id",
                [golongan],
            )
            tabel_id = cursor.fetchone()[0]
            cursor.execute(
                "INSERT INTO referensi_akdasar (golongan_id, nilai, terverifikasi, sumber) "
                "VALUES (%s, 50, false, 'sementara') RETURNING id",
                [golongan],
            )
            dasar_id = cursor.fetchone()[0]
            cursor.execute("SELECT set_config('siaks.all_tenants', 'on', false)")
            cursor.execute(
                "UPDATE pengusulan_usulan SET ak_tabel_ref_id = %s, ak_dasar_ref_id = %s WHERE id IN (%s, %s)",
                [tabel_id, dasar_id, u_aks.pk, u_pk.pk],
            )
            cursor.execute("SELECT set_config('siaks.all_tenants', '', false)")
    finally:
        MigrationExecutor(owner).migrate(terakhir)
    owner.close()
    jf_ids = set(JabatanFungsional.objects.values_list("pk", flat=True))
    tabel = NilaiPenyesuaianAK.objects.filter(golongan_id=golongan)
    assert set(tabel.values_list("jf_id", flat=True)) == jf_ids and tabel.count() == len(jf_ids) == 3
    assert {(r.nilai, r.terverifikasi, r.sumber) for r in tabel} == {(Decimal("77.5"), True, "dikoreksi")}
    dasar = AKDasar.objects.filter(golongan_id=golongan)
    assert set(dasar.values_list("jf_id", flat=True)) == jf_ids
    assert {(r.nilai, r.terverifikasi) for r in dasar} == {(Decimal("50"), False)}
    for u, jf in ((u_aks, aks), (u_pk, pk)):
        u = _fresh(u)
        assert (u.ak_tabel_ref.jf, u.ak_dasar_ref.jf) == (jf, jf)


def test_a_change_shows_in_the_timeline_of_every_draft_whose_ak_preview_rests_on_the_row(
    client, referensi, aks, admin_setneg, pic
):
    """A draft has no AK of its own: its page shows the AK awal its submission would compute today.
    A change of a row under that preview is noted in the draft's Riwayat (preview before → after,
    dated), and in no draft whose preview reads another row."""
    from datetime import date

    from apps.core.format import format_ak

    with tenancy.scope(pic.instansi):

        def draf(nip, **extra):
            pegawai = pic_services.pegawai_create(actor=pic, data=pegawai_data(nip=nip, **extra))
            return pic_services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)

        sama = draf("19860926 201505 1 093")  # III/c, 4+ years, S1: rests on the row
        baru = draf("19860926 201505 1 094", tmt_golongan=date.today())  # masa kerja 0: another row
    tabel, dasar = _baris(aks)
    total = tabel.nilai + dasar.nilai

    with as_user(admin_setneg):
        referensi_services.ak_row_update(row=tabel, nilai=Decimal("77.5"), terverifikasi=False, actor=admin_setneg)
    [entry] = _entries(sama)
    assert _entries(baru) == []
    baru_total = Decimal("77.5") + dasar.nilai
    assert f"Pratinjau AK awal {format_ak(total)} → {format_ak(baru_total)}" in entry.message
    assert "AK awal ditetapkan saat usulan diajukan" in entry.message
    assert entry.data["pratinjau"] is True and entry.jf_id == aks.pk and entry.instansi_id == pic.instansi.pk
    assert _fresh(sama).ak_awal is None  # nothing stored on the draft

    with as_user(admin_setneg):  # AK Dasar: every III/c draft of the JF, whatever its masa kerja
        referensi_services.ak_row_update(row=dasar, nilai=dasar.nilai, terverifikasi=True, actor=admin_setneg)
    assert len(_entries(sama)) == 2 and len(_entries(baru)) == 1
    assert f"Pratinjau AK awal tetap {format_ak(baru_total)}" in _entries(sama)[1].message

    client.force_login(pic)
    page = client.get(reverse("pengusulan:usulan_detail", args=[sama.pk])).content.decode()
    assert f"{format_ak(tabel.nilai)} (belum terverifikasi) → 77,5 (belum terverifikasi)" in page
    assert f"Pratinjau AK awal {format_ak(total)} → {format_ak(baru_total)}" in page
