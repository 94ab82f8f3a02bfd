from django.apps import AppConfig


class PlansConfig(AppConfig):
    """The top floor: pages and commands that gather from several apps. Nothing imports
    plans (docs/architecture.md, tests/test_layers.py)."""

    name = "plans"
