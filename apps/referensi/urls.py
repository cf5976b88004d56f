from django.urls import path

from apps.referensi import views

app_name = "referensi"

urlpatterns = [
    path("jf/", views.jf_list, name="jf_list"),
    path("jf/<slug:kode>/", views.jf_detail, name="jf_detail"),
    path("jf/<slug:kode>/atur/", views.jf_edit, name="jf_edit"),
    path("jf/<slug:kode>/atur/<slug:bagian>/tambah/", views.row_edit, name="row_add"),
    path("jf/<slug:kode>/atur/<slug:bagian>/<int:pk>/", views.row_edit, name="row_edit"),
    path("jf/<slug:kode>/riwayat/", views.jf_riwayat, name="jf_riwayat"),
    path("referensi/angka-kredit/", views.ak_tabel, name="ak_tabel"),
    path("referensi/angka-kredit/<slug:jenis>/<int:pk>/", views.ak_edit, name="ak_edit"),
]
