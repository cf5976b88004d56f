from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

admin.site.site_header = "SIAKS — Administrasi Platform"
admin.site.site_title = "SIAKS"

urlpatterns = [
    path("", include("apps.core.urls")),
    path("", include("apps.portal.urls")),
    path("akun/", include("apps.accounts.urls")),
    path("platform/", include("apps.accounts.platform_urls")),
    path("", include("apps.referensi.urls")),
    path("", include("apps.pengusulan.urls")),
    path("", include("apps.surat.urls")),
    path("", include("apps.rekap.urls")),
    path("", include("apps.ttd.urls")),
    path("", include("apps.jabatan.urls")),
    path("", include("apps.penetapan.urls")),
    path("notifikasi/", include("apps.notifikasi.urls")),
    path("pembina/staf/", include("apps.accounts.staf_urls")),
    path("pembina/", include("apps.verifikasi.urls")),
    path("saya/", include("apps.jabatan.urls_saya")),
    path("api/v1/", include("siaks.api_urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="swagger-ui"),
]
# Off under production settings unless SIAKS_ADMIN_AKTIF; superadmins with 2FA only (siaks.admin).
if settings.SIAKS_ADMIN_AKTIF:
    urlpatterns.append(path("admin/", admin.site.urls))

if settings.SIAKS_BENCH_LANTAI:  # only siaks.settings.bench: the benchmark's floor (bench/halaman_beban.py)
    from apps.portal.lantai import lantai

    urlpatterns.append(path("bench/lantai/", lantai, name="bench_lantai"))
