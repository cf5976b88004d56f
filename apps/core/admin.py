from django.contrib import admin

from apps.core.models import Instansi


@admin.register(Instansi)
class InstansiAdmin(admin.ModelAdmin):
    list_display = ("kode", "nama", "jenis", "is_pembina", "parent")
    list_filter = ("jenis", "is_pembina")
    search_fields = ("kode", "nama")
