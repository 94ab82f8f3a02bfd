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

        # --- transition plans ---
        from learners.audit import audit_options

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

        # --- agreements ---
        auditlog.register(models.Agreement, exclude_fields=[*skip, "status_since"])
        auditlog.register(models.AgreementParty)
        auditlog.register(models.AgreementVersion)
        auditlog.register(models.AgreementConsent)
