from django.urls import path

from apps.penetapan import views, views_tim

app_name = "penetapan"

urlpatterns = [
    path("angka-kredit/usulan/", views.daftar, name="daftar"),
    path("angka-kredit/usulan/baru/", views.buat, name="buat"),
    path("angka-kredit/usulan/<int:pk>/", views.detail, name="detail"),
    path("angka-kredit/usulan/<int:pk>/dokumen/", views.dokumen_unggah, name="dokumen_unggah"),
    path("angka-kredit/usulan/<int:pk>/aksi/", views.aksi, name="aksi"),
    path("angka-kredit/dokumen/<int:pk>/", views.dokumen_unduh, name="dokumen_unduh"),
    path("angka-kredit/sidang/", views.sidang_daftar, name="sidang_daftar"),
    path("angka-kredit/sidang/<int:pk>/", views.sidang, name="sidang"),
    path("angka-kredit/surat/", views.surat_tim, name="surat_tim"),
    path("angka-kredit/rekap/", views.rekap, name="rekap"),
    path("angka-kredit/periode/", views.periode, name="periode"),
    path("angka-kredit/tim/", views_tim.tim_daftar, name="tim_daftar"),
    path("angka-kredit/tim/baru/", views_tim.tim_baru, name="tim_baru"),
    path("angka-kredit/tim/undang/", views_tim.tim_undang, name="tim_undang"),
    path("angka-kredit/tim/<int:pk>/", views_tim.tim_detail, name="tim_detail"),
    path("angka-kredit/tim/<int:pk>/sekretariat/", views_tim.tim_sekretariat, name="tim_sekretariat"),
]
