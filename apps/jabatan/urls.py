from django.urls import path

from apps.jabatan import views, views_akses

app_name = "jabatan"

urlpatterns = [
    path("pejabat-fungsional/", views.daftar, name="daftar"),
    path("pejabat-fungsional/rekap/", views.rekap, name="rekap"),
    path("pejabat-fungsional/impor/<slug:jenis>/", views.impor, name="impor"),
    path("pejabat-fungsional/impor/<slug:jenis>/templat/", views.impor_templat, name="impor_templat"),
    path("pejabat-fungsional/<int:pk>/", views.detail, name="detail"),
    path("pejabat-fungsional/<int:pk>/predikat/", views.predikat_catat, name="predikat_catat"),
    path("pejabat-fungsional/<int:pk>/koreksi/", views.koreksi_catat, name="koreksi_catat"),
    path("pejabat-fungsional/<int:pk>/undang/", views_akses.undang, name="undang"),
    path("pejabat-fungsional/<int:pk>/cabut-akses/", views_akses.cabut_akses, name="cabut_akses"),
    path("pejabat-fungsional/<int:pk>/kenaikan-pangkat/", views.kenaikan_pangkat, name="kenaikan_pangkat"),
    path("pejabat-fungsional/mutasi/<int:pk>/berkas/", views.mutasi_berkas, name="mutasi_berkas"),
    path("pejabat-fungsional/<int:pk>/kenaikan-jenjang/", views_akses.kenaikan_jenjang, name="kenaikan_jenjang"),
]
