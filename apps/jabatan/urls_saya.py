"""The pejabat fungsional's own pages (no object ids: always their own record)."""

from django.urls import path

from apps.jabatan import views_saya

app_name = "saya"

urlpatterns = [
    path("", views_saya.beranda, name="beranda"),
    path("usulan-penetapan/", views_saya.usulan_penetapan_buat, name="usulan_penetapan_buat"),
]
