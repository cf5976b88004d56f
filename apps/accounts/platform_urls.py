from django.urls import path

from apps.accounts import platform_views as views

app_name = "platform"

urlpatterns = [
    path("instansi/baru/", views.instansi_form, name="instansi_baru"),
    path("instansi/<int:pk>/ubah/", views.instansi_form, name="instansi_ubah"),
    path("instansi/<int:pk>/aktif/", views.instansi_aktif, name="instansi_aktif"),
    path("pengguna/baru/", views.pengguna_baru, name="pengguna_baru"),
    path("pengguna/<int:pk>/peran/", views.peran, name="peran"),
    path("pengguna/<int:pk>/aktif/", views.pengguna_aktif, name="pengguna_aktif"),
    path("permintaan/", views.permintaan_list, name="permintaan_list"),
    path("permintaan/<int:pk>/", views.permintaan, name="permintaan"),
]
