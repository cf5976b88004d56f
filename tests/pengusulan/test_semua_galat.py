"""Every error of a pegawai at once (issue 14): the form and the XLSX import report the NIP's
birth date and sex, the model's date rules and a repeated NIP together with the other fields'
errors, not after them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from apps.core import tenancy
from apps.core.format import tgl
from apps.pengusulan import services
from apps.pengusulan.models import Pegawai
from apps.referensi.models import Golongan
from tests.pengusulan.conftest import pegawai_data, row, workbook

pytestmark = pytest.mark.django_db


def _isian(**overrides) -> dict:
    data = {
        "nip": "19860926 201505 2 001", "nama": "Dewi Anggraini", "tempat_lahir": "Bandung", "tanggal_lahir": "",
        "jenis_kelamin": "", "golongan": Golongan.objects.get(kode="III/c").pk, "tmt_golongan": "2021-04-01",
        "pendidikan": "s1", "jabatan_saat_ini": "Analis", "is_pelaksana": "True", "unit_kerja": "Biro KS",
        "hukuman_disiplin": "tidak_ada", "tanggal_hukuman": "", "pengalaman_tahun": 3, "pengalaman_bulan_sisa": 0,
    }  # fmt: skip
    return {**data, **overrides}


def test_the_pegawai_form_shows_the_nip_errors_with_the_other_fields_errors(client, pic, aks):
    client.force_login(pic)
    besok = (date.today() + timedelta(days=2)).isoformat()
    isian = _isian(nama="", tanggal_lahir="1987-01-01", jenis_kelamin="L", tmt_golongan=besok)
    response = client.post(reverse("pengusulan:pegawai_create"), isian)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["tanggal_lahir"] == [f"Tanggal lahir tidak sesuai dengan NIP ({tgl(date(1986, 9, 26))})."]
    assert errors["jenis_kelamin"] == ["Jenis kelamin tidak sesuai dengan NIP (digit ke-15)."]
    assert "nama" in errors and errors["tmt_golongan"][0].startswith("TMT pangkat/golongan tidak boleh setelah")
    body = response.content.decode()
    assert 'data-testid="ringkasan-galat"' in body and body.count('class="alert-link"') >= 4
    assert 'value="1987-01-01"' in body
    with tenancy.scope(pic.instansi):
        assert not Pegawai.objects.exists()


def test_a_tmt_before_the_birth_date_read_from_the_nip_is_reported_with_the_rest(client, pic, aks):
    """The birth date is left empty (it comes from the NIP): the TMT rule still runs in the same pass."""
    client.force_login(pic)
    response = client.post(reverse("pengusulan:pegawai_create"), _isian(nama="", tmt_golongan="1980-01-01"))
    errors = response.context["form"].errors
    assert "nama" in errors and errors["tmt_golongan"] == ["TMT pangkat/golongan tidak boleh sebelum tanggal lahir."]


def test_editing_a_pegawai_checks_the_nip_with_the_other_fields(client, pic, aks):
    with tenancy.scope(pic.instansi):
        pegawai = services.pegawai_create(actor=pic, data=pegawai_data())
    client.force_login(pic)
    page = client.get(reverse("pengusulan:pegawai_update", args=[pegawai.pk]))
    versi = page.context["versi"]
    isian = _isian(nip=pegawai.nip, nama="", jenis_kelamin="P", versi=versi)
    errors = client.post(reverse("pengusulan:pegawai_update", args=[pegawai.pk]), isian).context["form"].errors
    assert set(errors) == {"nama", "jenis_kelamin"}


def test_the_service_reports_every_problem_at_once(pic, aks):
    """The API and every other caller get the same: the NIP's disagreements with the model's rules."""
    from django.core.exceptions import ValidationError

    besok = date.today() + timedelta(days=2)
    data = pegawai_data(tanggal_lahir=date(1987, 1, 1), jenis_kelamin="P", tmt_golongan=besok)
    with tenancy.scope(pic.instansi), pytest.raises(ValidationError) as refused:
        services.pegawai_create(actor=pic, data=data)
    assert set(refused.value.message_dict) == {"tanggal_lahir", "jenis_kelamin", "tmt_golongan"}


def test_the_import_reports_every_error_of_a_row_in_one_pass(client, pic, aks):
    besok = date.today() + timedelta(days=2)
    rows = [
        row(),  # row 2: good
        # row 3: the same NIP as row 2, a sex that disagrees with it, an unknown golongan, a TMT in the
        # future, an unknown education, no answer for pelaksana and a sanction dated in the future
        row(jk="P", gol="III/e", tmt=besok, pend="S9", pelaksana="", hukuman="ringan", tgl_hukuman=besok),
        row(nip="19860926 201505 1 003", nama="Andi", tmt=besok),  # row 4: only the future TMT
    ]
    client.force_login(pic)
    report = client.post(reverse("pengusulan:impor"), {"berkas": workbook(rows), "jf": "aks"}).context["report"]
    assert report.imported == 1
    baris3 = [(column, reason) for r, column, reason in report.errors if r == 3]
    assert [column for column, _r in baris3] == [
        "NIP", "Jenis kelamin L/P (opsional)", "Golongan (mis. III/c)", "Pendidikan (SLTA/D3/S1/D4/S2/S3)",
        "Jabatan pelaksana (Ya/Tidak)", "TMT golongan", "Tanggal hukuman disiplin",
    ]  # fmt: skip
    assert baris3[0][1] == "NIP 198609262015051001 sudah ada di baris 2"
    assert baris3[5][1].startswith("TMT pangkat/golongan tidak boleh setelah hari ini")
    assert baris3[6][1] == "Tanggal hukuman disiplin tidak boleh setelah hari ini."
    assert [(c, r[:40]) for n, c, r in report.errors if n == 4] == [
        ("TMT golongan", "TMT pangkat/golongan tidak boleh setelah")
    ]
