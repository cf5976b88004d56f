from django.urls import path

from apps.accounts import views

app_name = "accounts"

urlpatterns = [
    path("masuk/", views.LoginView.as_view(), name="login"),
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
