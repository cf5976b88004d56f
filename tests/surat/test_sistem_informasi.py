"""Issue 13 (fresh-eye walk): letters and e-mails name the information system as the JF configures
it (JabatanFungsional.sistem_informasi): the rekomendasi, the notification e-mails about the JF's
usulan; the admin pembina sets it on the JF's form and sees on the JF page when it is missing."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from apps.notifikasi.services import notifikasi_buat
from apps.referensi.models import JabatanFungsional
from tests.factories import UserFactory
from tests.surat.conftest import all_tenants, pdf_text, render_antrean, terbitkan_rekomendasi, versi_berlaku

pytestmark = pytest.mark.django_db

NAMA = "Sistem Informasi Pengantar Kerja (SIPK)"  # a test value: the sources name none for this JF


def test_the_rekomendasi_and_the_e_mails_use_the_jfs_system_name(diputuskan, staf, pk, instansi_a):
    JabatanFungsional.objects.filter(pk=pk.pk).update(sistem_informasi=NAMA)
    lulus, _t, _s = diputuskan(1, 1)
    pk.refresh_from_db()
    surat = terbitkan_rekomendasi(staf, pk, instansi_a)
    render_antrean()
    text = " ".join(pdf_text(versi_berlaku(surat)).split())
    assert text.count(f"melalui {NAMA}") == 2, text
    assert "sistem informasi inpassing" not in text and "SIAKS" not in text
    assert versi_berlaku(surat).isi["sistem"] == NAMA

    user = UserFactory(username="penerima.sipk", email="penerima@example.go.id")
    with all_tenants():
        mail.outbox.clear()
        notifikasi_buat([user], jenis="usulan.uji", judul="Usulan diperbarui", usulan_id=lulus[0].pk)
        notifikasi_buat([user], jenis="akun.uji", judul="Akun diperbarui")
    assert [m.subject for m in mail.outbox] == [f"[{NAMA}] Usulan diperbarui", "[SIAKS] Akun diperbarui"]


def test_the_admin_pembina_sets_it_and_sees_when_it_is_missing(client, referensi, admin_setneg):
    aks = referensi["aks"]
    client.force_login(admin_setneg)
    url = reverse("referensi:jf_detail", args=[aks.kode])
    assert 'data-testid="sistem-informasi">SIAKS<' in client.get(url).content.decode()
    JabatanFungsional.objects.filter(pk=aks.pk).update(sistem_informasi="")
    body = client.get(url).content.decode()
    assert "belum diisi" in body.split('data-testid="sistem-informasi"')[1].split("</td>")[0]
    edit = client.get(reverse("referensi:jf_edit", args=[aks.kode])).content.decode()
    assert 'name="sistem_informasi"' in edit
