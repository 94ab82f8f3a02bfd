from .selectors import get_scope


def scope(request):
    """Lazy: only pages that draw the navigation pay for the role lookup."""
    return {"scope": lambda: get_scope(request.user)}
