"""Fault tolerance (issue 8, item 6): a file whose transaction rolls back is never reachable and
is cleaned up; the audit log is readable by the right people only (item 3)."""

from __future__ import annotations

import io
import os
import time
from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from apps.core import tenancy
from apps.pengusulan import services
from apps.pengusulan.management.commands.bersihkan_berkas_yatim import berkas_yatim
from apps.pengusulan.models import Dokumen
from apps.referensi.models import PersyaratanDokumen
from tests.factories import UserFactory
from tests.pengusulan.conftest import pdf_upload, pegawai_data

pytestmark = pytest.mark.django_db


def test_a_file_from_a_rolled_back_upload_is_unreachable_and_cleaned(referensi, instansi_a):
    pic = UserFactory(username="pic.x", instansi=instansi_a, roles=["pic_instansi"])
    aks = referensi["aks"]
    sk = PersyaratanDokumen.objects.get(jf=aks, kode="sk_cpns")
    with tenancy.scope(instansi_a):
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data())
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
        kept = services.dokumen_upload(actor=pic, jf=aks, persyaratan=sk, upload=pdf_upload(), usulan=usulan)
        with pytest.raises(RuntimeError), transaction.atomic():
            lost = services.dokumen_upload(actor=pic, jf=aks, persyaratan=sk, upload=pdf_upload(), usulan=usulan)
            orphan = lost.berkas.name
            raise RuntimeError("the request failed after the file was written")
        assert list(Dokumen.objects.values_list("pk", flat=True)) == [kept.pk]
    assert default_storage.exists(orphan)
    # within the grace period nothing is touched (an upload may still be committing)
    assert orphan not in berkas_yatim(lebih_tua_dari=timedelta(hours=6))
    old = time.time() - 7 * 3600
    os.utime(default_storage.path(orphan), (old, old))
    out = io.StringIO()
    call_command("bersihkan_berkas_yatim", stdout=out)
    assert f"yatim: {orphan}" in out.getvalue() and default_storage.exists(orphan)  # dry run
    call_command("bersihkan_berkas_yatim", "--hapus", stdout=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept.berkas.name)


def test_the_audit_log_is_for_the_superadmin_and_the_admin_pembina_in_scope(client, referensi, instansi_a, superadmin):
    from apps.core import audit

    aks = referensi["aks"]
    admin = UserFactory(username="adm.setneg", instansi=aks.instansi_pembina, roles=["admin_pembina"])
    lan_admin = UserFactory(
        username="adm.lan", instansi=referensi["analis-kebijakan"].instansi_pembina, roles=["admin_pembina"]
    )
    pic = UserFactory(username="pic.log", instansi=instansi_a, roles=["pic_instansi"])
    audit.record("usulan.diajukan", instansi=instansi_a, jf=aks, message="Usulan AKS diajukan.")
    audit.record("usulan.diajukan", instansi=instansi_a, message="Peristiwa tanpa JF.")
    client.force_login(pic)
    assert client.get(reverse("portal:audit_log")).status_code == 403
    client.force_login(admin)
    body = client.get(reverse("portal:audit_log")).content.decode()
    assert "Usulan AKS diajukan." in body and "Peristiwa tanpa JF." not in body
    client.force_login(lan_admin)
    assert "Usulan AKS diajukan." not in client.get(reverse("portal:audit_log")).content.decode()
    client.force_login(superadmin)
    body = client.get(reverse("portal:audit_log"), {"aksi": "usulan."}).content.decode()
    assert "Usulan AKS diajukan." in body and "Peristiwa tanpa JF." in body
    with tenancy.all_tenants(reason="test"):
        from apps.core.models import AuditLog

        assert AuditLog.objects.filter(action="audit.dibaca").count() == 3
