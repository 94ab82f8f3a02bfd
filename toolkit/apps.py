from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ToolkitConfig(AppConfig):
    name = "toolkit"
    verbose_name = _("Toolkit en werkagenda")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        skip = ["version", "updated_at", "created_at"]
        for model in (
            models.ToolkitItem,
            models.PracticeExample,
            models.Measure,
            models.WerkagendaLine,
        ):
            auditlog.register(model)
        auditlog.register(models.RegionItemProgress, exclude_fields=skip)
        auditlog.register(models.RegionMeasure, exclude_fields=skip)
        auditlog.register(models.RegionAction, exclude_fields=skip, m2m_fields={"schools", "swvs"})
