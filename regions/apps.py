from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "regions"
    verbose_name = _("Regio's en partners")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        for model in (
            models.Institution,
            models.Location,
            models.Gemeente,
            models.Samenwerkingsverband,
            models.Schoolbestuur,
            models.SchoolContact,
            models.RoleAssignment,
        ):
            auditlog.register(model)
        auditlog.register(models.School, m2m_fields={"levels"})
        auditlog.register(models.Region, m2m_fields={"swvs", "gemeenten"})

        from . import role_moves

        role_moves.connect()

        from django.contrib.auth.signals import user_logged_in

        from .sessions import start_idle_clock

        user_logged_in.connect(start_idle_clock, dispatch_uid="regions.start_idle_clock")

        # 2FA: its settings check, and devices in the audit trail (never the secret key).
        from django_otp.plugins.otp_static.models import StaticDevice
        from django_otp.plugins.otp_totp.models import TOTPDevice

        from . import two_factor  # noqa: F401

        for model in (TOTPDevice, StaticDevice):
            auditlog.register(model, include_fields=["user", "name", "confirmed"])

        from . import data_version

        data_version.connect()

        from . import audit_index

        audit_index.connect()


class VerifiedAdminConfig(admin_apps.AdminConfig):
    """/beheer/ asks a verified user too (regions.two_factor.VerifiedAdminSite)."""

    default = False  # RegionsConfig stays the app config of "regions"

    default_site = "regions.two_factor.VerifiedAdminSite"
