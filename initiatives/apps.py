from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatieven en afspraken")

    def ready(self):
        # --- agreements ---
        from auditlog.registry import auditlog

        from . import models

        skip = ["version", "updated_at", "created_at", "status_since"]
        auditlog.register(models.Agreement, exclude_fields=skip)
        auditlog.register(models.AgreementParty)
        auditlog.register(models.AgreementVersion)
        auditlog.register(models.AgreementConsent)
