from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    """The header search: composes regions, learners and toolkit (top floor; nothing
    imports it)."""

    name = "search"
    verbose_name = _("Zoeken")
