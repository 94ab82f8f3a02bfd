from django.apps import AppConfig
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

        from . import data_version

        data_version.connect()

        from . import audit_index

        audit_index.connect()
