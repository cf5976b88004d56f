from django.urls import path

from apps.jabatan import views

app_name = "jabatan"

urlpatterns = [
    path("pejabat-fungsional/", views.daftar, name="daftar"),
    path("pejabat-fungsional/rekap/", views.rekap, name="rekap"),
    path("pejabat-fungsional/impor/<slug:jenis>/", views.impor, name="impor"),
    path("pejabat-fungsional/impor/<slug:jenis>/templat/", views.impor_templat, name="impor_templat"),
    path("pejabat-fungsional/<int:pk>/", views.detail, name="detail"),
    path("pejabat-fungsional/<int:pk>/predikat/", views.predikat_catat, name="predikat_catat"),
]
