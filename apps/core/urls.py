from django.urls import path

from apps.core import views

app_name = "core"

urlpatterns = [
    path("sehat/", views.healthz, name="healthz"),
    path("robots.txt", views.robots, name="robots"),
]
