from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Leerlingen")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models
        from .audit import audit_options

        # Every pupil record is audited with its free text masked (learners/audit.py).
        for model in (
            models.Pupil,
            models.CvoBesluit,
            models.PlacementCase,
            models.DutyOfCare,
            models.Handover,
            models.CheckIn,
            models.Conversation,
            models.Consultation,
        ):
            auditlog.register(model, **audit_options(model))
        auditlog.register(
            models.Arrangement, m2m_fields={"begeleiders"}, **audit_options(models.Arrangement)
        )
