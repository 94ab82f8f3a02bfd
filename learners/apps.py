from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# Name and date of birth never reach the audit trail; the access log says who looked.
PUPIL_IDENTITY_FIELDS = ["first_name", "last_name", "date_of_birth"]


class LearnersConfig(AppConfig):
    name = "learners"
    verbose_name = _("Leerlingen")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        auditlog.register(models.Pupil, exclude_fields=PUPIL_IDENTITY_FIELDS)
        for model in (
            models.CvoBesluit,
            models.PlacementCase,
            models.DutyOfCare,
            models.Handover,
            models.CheckIn,
            models.Conversation,
            models.Consultation,
        ):
            auditlog.register(model)
        auditlog.register(models.Arrangement, m2m_fields={"begeleiders"})
