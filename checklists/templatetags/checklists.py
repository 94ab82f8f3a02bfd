from django import template

from checklists import scoring

register = template.Library()


@register.filter
def lookup(mapping, key):
    """mapping[key] in a template (a school's score of a section, a question's chart)."""
    return mapping.get(key) if mapping else None


@register.filter
def percent(score):
    return scoring.percent(score)


@register.filter
def is_low(score):
    return scoring.is_low(score)
