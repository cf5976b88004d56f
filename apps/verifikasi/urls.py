from django.urls import path

from apps.verifikasi import views

app_name = "verifikasi"

urlpatterns = [
    path("usulan/", views.inbox, name="inbox"),
    path("usulan/tugaskan/", views.tugaskan, name="tugaskan"),
    path("usulan/<int:pk>/", views.periksa, name="periksa"),
    path("usulan/<int:pk>/klaim/", views.klaim, name="klaim"),
    path("usulan/<int:pk>/pemeriksaan/", views.simpan_pemeriksaan, name="simpan_pemeriksaan"),
    path("seleksi-administrasi/berita-acara/", views.berita_acara_seleksi, name="berita_acara_seleksi"),
    path("tim/", views.tim_list, name="tim_list"),
    path("tim/<int:pk>/", views.tim_detail, name="tim_detail"),
    path("tim/<int:pk>/tugaskan/", views.tim_tugaskan, name="tim_tugaskan"),
    path("tim/<int:pk>/sidang/", views.sidang_buka, name="sidang_buka"),
    path("penilaian/", views.penilaian_saya, name="penilaian_saya"),
    path("penilaian/<int:pk>/", views.nilai, name="nilai"),
    path("sidang/<int:pk>/", views.sidang, name="sidang"),
]
