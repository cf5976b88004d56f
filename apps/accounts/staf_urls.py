"""The admin pembina's pages for the accounts of their staff (verifikator, penilai, ketua tim);
the list is Kelola → Pengguna (``accounts:pengguna``). 404 for everyone else."""

from django.urls import path

from apps.accounts import platform_views as views

app_name = "staf"

urlpatterns = [
    path("baru/", views.staf_baru, name="baru"),
    path("<int:pk>/peran/", views.staf_peran, name="peran"),
    path("<int:pk>/aktif/", views.staf_aktif, name="aktif"),
]
