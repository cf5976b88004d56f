from django.urls import path

from apps.pengusulan import views

app_name = "pengusulan"

urlpatterns = [
    path("pengusulan/", views.dashboard, name="dashboard"),
    path("pegawai/", views.pegawai_list, name="pegawai_list"),
    path("pegawai/baru/", views.pegawai_form, name="pegawai_create"),
    path("pegawai/<int:pk>/", views.pegawai_detail, name="pegawai_detail"),
    path("pegawai/<int:pk>/ubah/", views.pegawai_form, name="pegawai_update"),
    path("pegawai/<int:pk>/data-pribadi/", views.pegawai_data_pribadi, name="pegawai_data_pribadi"),
    path("pegawai/<int:pk>/hapus-data/", views.pegawai_hapus_data, name="pegawai_hapus_data"),
    path("pegawai/<int:pegawai_pk>/usulkan/", views.usulan_create, name="usulan_create"),
    path("pegawai/<int:pegawai_pk>/eligibilitas/", views.eligibilitas_preview, name="eligibilitas_preview"),
    path("usulan/<int:pk>/", views.usulan_detail, name="usulan_detail"),
    path("usulan/<int:pk>/ajukan/", views.usulan_ajukan, name="usulan_ajukan"),
    path("usulan/<int:pk>/batalkan/", views.usulan_batalkan, name="usulan_batalkan"),
    path("usulan/<int:pk>/dokumen/<int:persyaratan_pk>/unggah/", views.dokumen_unggah, name="dokumen_unggah"),
    path("dokumen/<int:pk>/unduh/", views.dokumen_unduh, name="dokumen_unduh"),
    path("formasi/", views.formasi, name="formasi"),
    path("formasi/<slug:kode>/", views.formasi, name="formasi_jf"),
    path(
        "formasi/<slug:kode>/dokumen/<int:persyaratan_pk>/unggah/",
        views.formasi_dokumen_unggah,
        name="formasi_dokumen_unggah",
    ),
    path("impor/", views.impor, name="impor"),
    path("impor/templat.xlsx", views.impor_templat, name="impor_templat"),
]
