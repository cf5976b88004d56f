from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from apps.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "nama_lengkap", "email", "is_active", "is_superuser")
    search_fields = ("username", "nama_lengkap", "email", "nip")
    ordering = ("username",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Data pribadi", {"fields": ("nama_lengkap", "email", "nip")}),
        ("Status", {"fields": ("is_active", "is_staff", "is_superuser")}),
    )
    add_fieldsets = ((None, {"fields": ("username", "nama_lengkap", "email", "password1", "password2")}),)
    inlines = [MembershipInline]
    filter_horizontal = ()
    list_filter = ("is_active", "is_superuser")
