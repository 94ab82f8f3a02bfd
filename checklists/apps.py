from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class ChecklistsConfig(AppConfig):
    name = "checklists"
    verbose_name = _("Checklists")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models

        skip = ["version", "updated_at", "created_at", "answered_at"]
        auditlog.register(models.ChecklistTemplate, exclude_fields=["updated_at", "created_at"])
        auditlog.register(models.Assignment, exclude_fields=skip)
        auditlog.register(models.Answer, exclude_fields=skip)
        auditlog.register(models.Remark, exclude_fields=skip)
        # The shipped templates (checklists/content/*.json) are published after every
        # migrate, so a changed file reaches the database with the deploy; an unchanged
        # file changes nothing (see loader.py).
        post_migrate.connect(_load_shipped_templates, sender=self)


def _load_shipped_templates(sender, **kwargs):
    from toolkit.models import ToolkitItem

    from .loader import load_templates

    # The templates link to toolkit content. A database without it (a test that flushed
    # the tables and migrates again) gets the templates with its next full migrate.
    if not ToolkitItem.objects.exists():
        return
    load_templates()
