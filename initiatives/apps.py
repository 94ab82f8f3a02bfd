from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatieven en afspraken")

    def ready(self):
        # --- initiatives ---
        from auditlog.registry import auditlog

        from . import models

        skip = ["version", "updated_at", "created_at"]
        auditlog.register(models.Initiative, exclude_fields=skip, m2m_fields={"lines", "actions"})
        auditlog.register(models.InitiativePartner)
        auditlog.register(models.StatusChange)
