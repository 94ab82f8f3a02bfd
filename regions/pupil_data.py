"""Which models hold pupil data, read from the app registry (regions imports neither
learners nor initiatives): every model of the learners app, every model that points at
one of those (a CohortEntry's pupil, and so on), and every model that says
`holds_pupil_data = True`. Their records stay out of the functional admin's change feed,
the audit log in Django admin and the names on admin delete pages, whichever app they
live in."""

from functools import cache

from django.apps import apps

PUPIL_DATA_APP = "learners"


def _marked(model):
    return model._meta.app_label == PUPIL_DATA_APP or getattr(model, "holds_pupil_data", False)


@cache
def pupil_data_models() -> frozenset:
    found = {model for model in apps.get_models() if _marked(model)}
    grew = True
    while grew:  # a model pointing at pupil data holds pupil data too
        grew = False
        for model in apps.get_models():
            if model in found:
                continue
            if any(
                (field.many_to_one or field.one_to_one) and field.related_model in found
                for field in model._meta.concrete_fields
            ):
                found.add(model)
                grew = True
    return frozenset(found)


def is_pupil_data(obj_or_model) -> bool:
    model = obj_or_model if isinstance(obj_or_model, type) else type(obj_or_model)
    return model._meta.concrete_model in pupil_data_models()


def pupil_data_content_types():
    """The content types of pupil data, for excluding their audit entries."""
    from django.contrib.contenttypes.models import ContentType

    return list(
        ContentType.objects.get_for_models(*pupil_data_models(), for_concrete_models=True).values()
    )
