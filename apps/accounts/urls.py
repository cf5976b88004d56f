from django.urls import path

from apps.accounts import views, views_2fa

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
    path("2fa/", views_2fa.status, name="2fa_status"),
    path("2fa/daftar/", views_2fa.daftar, name="2fa_daftar"),
    path("2fa/verifikasi/", views_2fa.verifikasi, name="2fa_verifikasi"),
    path("2fa/kode-cadangan/", views_2fa.kode_baru, name="2fa_kode_baru"),
    path("2fa/nonaktifkan/", views_2fa.nonaktifkan, name="2fa_nonaktifkan"),
    path("token/", views_2fa.token, name="token"),
    path("token/<int:pk>/cabut/", views_2fa.token_cabut, name="token_cabut"),
    path("token/cabut-semua/", views_2fa.token_cabut_semua, name="token_cabut_semua"),
    path("pengguna/", views_2fa.pengguna, name="pengguna"),
    path("permintaan-ppk/", views.permintaan_ppk, name="permintaan_ppk"),
    path("pengguna/<int:pk>/reset-2fa/", views_2fa.reset, name="2fa_reset"),
    path("keluar/", views.LogoutView.as_view(), name="logout"),
    path("kata-sandi/ubah/", views.PasswordChangeView.as_view(), name="password_change"),
    path("kata-sandi/lupa/", views.PasswordResetView.as_view(), name="password_reset"),
    path("kata-sandi/lupa/terkirim/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "kata-sandi/atur/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("kata-sandi/atur/selesai/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
