from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Lower
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from apps.core.tenancy import TenantModel


class Role(models.TextChoices):
    PIC_INSTANSI = "pic_instansi", _("PIC Admin Instansi")
    PPK = "ppk", _("Pejabat Pembina Kepegawaian")
    VERIFIKATOR = "verifikator", _("Verifikator (Tim Seleksi Administrasi)")
    PENILAI = "penilai", _("Penilai (Tim Penilai)")
    KETUA_TIM = "ketua_tim", _("Ketua Tim Penilai")
    ADMIN_PEMBINA = "admin_pembina", _("Admin Instansi Pembina")
    # The Sekretariat Tim Penilai angka kredit (seed 001 BAB III), of the instansi whose team it
    # serves; its one-year term is on its place in the team (penetapan.SekretariatTimAK).
    SEKRETARIAT_TIM = "sekretariat_tim", _("Sekretariat Tim Penilai")
    # A member of a Tim Penilai angka kredit of any level (pusat, instansi, provinsi,
    # kabupaten/kota); what they assess follows their place in a team (penetapan.AnggotaTimAK).
    PENILAI_AK = "penilai_ak", _("Anggota Tim Penilai Angka Kredit")
    # The JF holder after the SK: sees only their own record, AK ledger, letters and usulan
    # penetapan AK (the tenant scope ``pejabat_id``, apps/core/tenancy.py). Granted only through
    # the PIC's invitation from the holder's page, which links the login to the record.
    PEJABAT_FUNGSIONAL = "pejabat_fungsional", _("Pejabat Fungsional")


#: Roles that belong to an instansi pengguna (the tenant) and to an instansi pembina.
PENGGUNA_ROLES = frozenset({Role.PIC_INSTANSI, Role.PPK})
PEMBINA_ROLES = frozenset({Role.VERIFIKATOR, Role.PENILAI, Role.KETUA_TIM, Role.ADMIN_PEMBINA})
#: The pembina's staff who see every dossier of its JFs (a penilai sees only those assigned).
STAF_PEMBINA = (Role.ADMIN_PEMBINA, Role.VERIFIKATOR, Role.KETUA_TIM)
#: Roles the superadmin's platform pages grant and revoke (the holder's comes with the record).
PLATFORM_ROLES = [(value, label) for value, label in Role.choices if value != Role.PEJABAT_FUNGSIONAL]


class User(AbstractUser):
    """A person who logs in. ``is_superuser`` is the platform's superadmin."""

    first_name = None
    last_name = None
    nama_lengkap = models.CharField(_("nama lengkap"), max_length=150)
    email = models.EmailField(_("alamat e-mail"), blank=True)
    nip = models.CharField(_("NIP"), max_length=18, blank=True, help_text=_("18 digit, opsional."))
    pengiriman_email = models.CharField(
        _("pemberitahuan lewat e-mail"),
        max_length=10,
        choices=[("segera", _("Segera")), ("harian", _("Ringkasan harian")), ("mati", _("Tidak dikirim"))],
        default="segera",
    )

    REQUIRED_FIELDS = ["email", "nama_lengkap"]

    class Meta:
        verbose_name = _("pengguna")
        verbose_name_plural = _("pengguna")
        constraints = [
            # One account per mailbox (issue 14): a set-password link for an address must reach the
            # one account it names. Case-insensitive; an account without an address is allowed.
            models.UniqueConstraint(
                Lower("email"),
                condition=~models.Q(email=""),
                name="user_email_unik",
                violation_error_message=_("Alamat e-mail ini sudah dipakai akun lain."),
            )
        ]

    def __str__(self) -> str:
        return self.nama_lengkap or self.username

    @property
    def ringkasan_akun(self) -> str:
        """Which account this is, for the e-mails: "ppk.kp — Pejabat Pembina Kepegawaian,
        Pemerintah Kabupaten Kulon Progo" (the roles and instansi when it has any)."""
        peran = ", ".join(str(m.get_role_display()) for m in self.active_memberships)
        instansi = self.instansi
        bagian = [self.username]
        if peran:
            bagian.append(f"{peran}, {instansi}" if instansi else peran)
        elif self.is_superuser:
            bagian.append(str(_("Superadmin platform")))
        return " — ".join(bagian)

    def get_full_name(self) -> str:
        return self.nama_lengkap

    def get_short_name(self) -> str:
        return self.nama_lengkap.split(" ")[0] if self.nama_lengkap else self.username

    @cached_property
    def active_memberships(self) -> list[Membership]:
        return list(self.memberships.filter(is_active=True).select_related("instansi"))

    @cached_property
    def roles(self) -> frozenset[str]:
        return frozenset(m.role for m in self.active_memberships)

    @property
    def is_pembina_staff(self) -> bool:
        """Holds a role of an instansi pembina (the tenant scope then adds the JFs it administers)."""
        return bool(self.roles & PEMBINA_ROLES)

    @cached_property
    def instansi(self):
        """The user's instansi (every membership of a user is in the same instansi)."""
        return self.active_memberships[0].instansi if self.active_memberships else None


class Membership(models.Model):
    """A user's role in an instansi. A user belongs to one instansi and may hold several roles."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    instansi = models.ForeignKey("core.Instansi", on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("peran"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("aktif"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="membership_user_role_unique")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.instansi})"


class TokenAPI(models.Model):
    """An API token (issue 15, finding 3). Only the key's SHA-256 is kept; the key is shown
    once. A token remembers whether a second factor was verified when it was issued: without
    one it is refused as soon as its user must give a code (``apps.accounts.token``). It
    expires (``SIAKS_TOKEN_UMUR``), and enrolling or resetting 2FA, a new password or a change
    of role revokes every token of the user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="token_api")
    kunci_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    awalan = models.CharField(_("awalan kunci"), max_length=8, editable=False)
    nama = models.CharField(_("nama"), max_length=100, blank=True)
    dua_langkah = models.BooleanField(_("diterbitkan dengan verifikasi dua langkah"), default=False)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    dibuat_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    kedaluwarsa_at = models.DateTimeField(_("kedaluwarsa"))
    dipakai_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    dicabut_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    alasan_cabut = models.CharField(_("alasan dicabut"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("token API")
        verbose_name_plural = _("token API")
        ordering = ["-dibuat_at", "-id"]
        indexes = [models.Index(fields=["user", "dicabut_at"], name="tokenapi_user_aktif_idx")]

    def __str__(self) -> str:
        return f"{self.awalan}… ({self.user})"


class PercobaanOTP(models.Model):
    """Failed second-factor codes per user, client address and kind of code (issue 15,
    finding 4). An attacker holding the password pauses only his own address — and only the
    kind of code he guesses (app codes and backup codes count apart) — for a delay that doubles
    and is capped (``SIAKS_OTP_JEDA_MAKS``)."""

    class Jenis(models.TextChoices):
        TOTP = "totp", _("kode aplikasi")
        CADANGAN = "cadangan", _("kode cadangan")

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    jenis = models.CharField(max_length=10, choices=Jenis.choices)
    gagal = models.PositiveIntegerField(default=0)
    terakhir_at = models.DateTimeField()
    jeda_sampai = models.DateTimeField(null=True, blank=True)
    diperingatkan_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("percobaan kode 2FA")
        verbose_name_plural = _("percobaan kode 2FA")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "ip_address", "jenis"], name="percobaanotp_unique", nulls_distinct=False
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.ip_address} {self.jenis}: {self.gagal}"


class PermintaanAkun(TenantModel):
    """A PIC's request for the PPK account of their instansi (issue 14, item 3). The superadmin
    sees it in a queue and approves it (the account is created and invited) or rejects it with a
    reason; the PIC is notified either way."""

    class Status(models.TextChoices):
        MENUNGGU = "menunggu", _("Menunggu")
        DISETUJUI = "disetujui", _("Disetujui")
        DITOLAK = "ditolak", _("Ditolak")

    peran = models.CharField(_("peran"), max_length=20, choices=Role.choices, default=Role.PPK)
    nama_lengkap = models.CharField(_("nama lengkap"), max_length=150)
    nip = models.CharField(_("NIP"), max_length=18)
    email = models.EmailField(_("alamat e-mail"))
    jabatan = models.CharField(_("jabatan"), max_length=200)
    diminta_oleh = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+", verbose_name=_("diminta oleh"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.MENUNGGU)
    alasan = models.TextField(_("alasan penolakan"), blank=True)
    diputus_oleh = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    diputus_at = models.DateTimeField(_("diputus"), null=True, blank=True)
    pengguna = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("akun dibuat")
    )
    created_at = models.DateTimeField(_("diminta"), auto_now_add=True)

    class Meta(TenantModel.Meta):
        verbose_name = _("permintaan akun")
        verbose_name_plural = _("permintaan akun")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per instansi and role: a second waits for the first decision.
            models.UniqueConstraint(
                fields=["instansi", "peran"], condition=models.Q(status="menunggu"), name="permintaanakun_satu_menunggu"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_peran_display()} {self.nama_lengkap} ({self.get_status_display()})"
