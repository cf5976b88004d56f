"""Every write route of the API documents the error answers it can give (apps.core.api.SkemaAPI),
also where its ``extend_schema`` names only the success: ``POST /api/v1/usulan/{id}/ajukan/``
answered an undocumented 400 (left from the re-check walk of issue 19), as did 24 other write
routes. A real refusal matches the documented status and body."""

from __future__ import annotations

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

PUBLIK = {"/api/v1/token/", "/api/v1/ttd/publik/{kode}/validasi/", "/api/v1/verifikasi-surat/{kode}/cocokkan/"}


def _jawaban(paths, method: str, path: str) -> list[str]:
    return sorted(c for c in paths[path][method]["responses"] if c >= "400")


def test_every_write_route_documents_its_error_answers():
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    kurang = {}
    for path, ops in paths.items():
        for method, op in ops.items():
            if method not in ("post", "put", "patch", "delete"):
                continue
            harus = {"400"} if "requestBody" in op else set()
            if path not in PUBLIK:
                harus.add("401")
            if "{" in path:
                harus.add("404")
            if missing := harus - set(op["responses"]):
                kurang[f"{method.upper()} {path}"] = sorted(missing)
    assert kurang == {}

    # Behind a role check (Capability): a service's refusal, a role that may not, an object not
    # found or a holder's login off their own routes — also without a body or a path parameter.
    for path in ("/api/v1/usulan/{id}/ajukan/", "/api/v1/usulan/{id}/batalkan/", "/api/v1/usulan/"):
        assert _jawaban(paths, "post", path) == ["400", "401", "403", "404"], path
    galat = paths["/api/v1/usulan/{id}/ajukan/"]["post"]["responses"]
    assert galat["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/GalatValidasi")
    assert galat["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Galat")
    # Nothing claimed that cannot happen: any signed-in user may mark their notifications read,
    # with no body to refuse; only a notification named in the path can be missing.
    assert _jawaban(paths, "post", "/api/v1/notifikasi/baca-semua/") == ["401"]
    assert _jawaban(paths, "post", "/api/v1/notifikasi/{id}/baca/") == ["401", "404"]
    assert _jawaban(paths, "delete", "/api/v1/akun/token/{id}/") == ["401", "404"]
    # Public routes name no 401/403, and a route's own answers stay (the token's refusal).
    assert _jawaban(paths, "post", "/api/v1/token/") == ["400", "429"]
    token = paths["/api/v1/token/"]["post"]["responses"]
    assert token["400"]["content"]["application/json"]["schema"]["$ref"].endswith("/TokenDitolak")


@pytest.mark.django_db
def test_a_refused_submission_answers_the_documented_400(pic, aks, make_pegawai, keep_the_test_connection):
    from apps.accounts import token
    from apps.core import tenancy
    from apps.pengusulan import services

    pegawai = make_pegawai(nip="19860926 201505 1 001", nama="Pegawai Uji")
    with tenancy.scope(pic.instansi):
        usulan = services.usulan_create(actor=pic, pegawai=pegawai, jf=aks)
    schema = schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    case = schema["/api/v1/usulan/{id}/ajukan/"]["POST"].Case(
        path_parameters={"id": usulan.pk}, body={}, media_type="application/json"
    )
    response = case.call(headers={"Authorization": f"Token {token.terbitkan(pic, dua_langkah=False)[1]}"})
    assert response.status_code == 400, response.text[:300]
    assert "Dokumen wajib belum diunggah" in " ".join(response.json()["non_field_errors"])
    case.validate_response(response, checks=[not_a_server_error, status_code_conformance, response_schema_conformance])
