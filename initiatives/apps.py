from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InitiativesConfig(AppConfig):
    name = "initiatives"
    verbose_name = _("Initiatieven en afspraken")

    def ready(self):
        # --- transition plans ---
        from auditlog.registry import auditlog

        from learners.audit import audit_options

        from . import models

        skip = ["version", "updated_at", "created_at"]
        for model in (
            models.TransitionPlan,
            models.ExpectedEnrolment,
            models.Milestone,
            models.BoardQuestion,
            models.CommunicationItem,
            models.StaffDestination,
            models.InspectieEvent,
        ):
            auditlog.register(model, exclude_fields=skip)
        # Pupil data: free text masked like the learners' records.
        auditlog.register(
            models.CohortEntry, exclude_fields=skip, **audit_options(models.CohortEntry)
        )
