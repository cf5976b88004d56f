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

    def save_model(self, request, obj, form, change):
        """A user created here gets the same account e-mail (set-password link) as one created in
        the portal, and the creation is audited."""
        super().save_model(request, obj, form, change)
        if not change:
            from apps.core import audit, outbox

            audit.record("akun.dibuat", actor=request.user, obj=obj, message=f"Akun {obj.username} dibuat (admin).")
            if obj.email and not getattr(obj, "_undangan_terkirim", False):
                outbox.enqueue("accounts.kirim_email_akun_baru", user_id=obj.pk)
