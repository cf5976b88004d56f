from django.urls import path

from apps.surat import views

app_name = "surat"

urlpatterns = [
    path("surat/", views.daftar, name="daftar"),
    path("surat/pengaturan/", views.pengaturan, name="pengaturan"),
    path("surat/<int:pk>/", views.detail, name="detail"),
    path("surat/<int:pk>/koreksi/", views.koreksi, name="koreksi"),
    path("surat/versi/<int:pk>/unduh/", views.unduh, name="unduh"),
    path("surat/versi/<int:pk>/ttd/", views.ttd, name="ttd"),
    path("surat/versi/<int:pk>/ttd/unduh/", views.unduh_ttd, name="unduh_ttd"),
    path("surat/versi/<int:pk>/ulangi/", views.ulangi, name="ulangi"),
    path("surat/batch/<uuid:batch>/", views.batch, name="batch"),
    path("ppk/", views.ppk, name="ppk"),
    path("pembina/rekomendasi/", views.rekomendasi, name="rekomendasi"),
    path("pembina/sk/", views.sk_nasional, name="sk_nasional"),
    # Public (no login): the page behind the QR code printed on every letter.
    path("v/", views.verifikasi_cari, name="verifikasi_cari"),
    path("v/<str:kode>/", views.verifikasi, name="verifikasi"),
]
