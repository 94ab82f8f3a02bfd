"""Page helpers every app's views use: a page for some roles only, a list that htmx
refreshes, a form page."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_safe
from django.views.decorators.vary import vary_on_headers

from .selectors import get_scope
from .versioning import ConflictError, current_values, lock_current, rebase


def scope_allows(rule):
    """A page only for users whose Scope has `rule` (e.g. "may_list_partners"): 404 for
    everyone else, since a page a role has nothing to do with does not exist for it."""

    def decorator(view):
        @wraps(view)
        def page(request, *args, **kwargs):
            if not getattr(get_scope(request.user), rule):
                raise Http404
            return view(request, *args, **kwargs)

        return page

    return decorator


def read_page(view):
    """A page to read (GET/HEAD) for a signed-in user; htmx may ask for part of it, so
    caches keep the two answers apart."""
    return login_required(require_safe(vary_on_headers("HX-Request")(view)))


def edit_in_place(view):
    """A form a signed-in user opens (GET) and saves (POST), on its own page or in place
    with htmx, so caches keep the two answers apart."""
    open_or_save = require_http_methods(["GET", "POST"])
    return login_required(open_or_save(vary_on_headers("HX-Request")(view)))


def list_page(request, template, context, *, partial=None):
    """The whole page, or only its #results partial when htmx asks for the list."""
    if request.htmx if partial is None else partial:
        template += "#results"
    return render(request, template, context)


def form_page(request, form, *, title, cancel_url, saved, then=None, save=None):
    """Edit one thing: on a valid POST save it (`save(form)` or form.save()), say
    `saved` and go to `then` (or the saved object); otherwise show the form. A form with
    a `version` field refuses a stale save: 409 with the current values."""
    conflict = None
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                save_if_current_form(form)
                obj = save(form) if save else form.save()
        except ConflictError as exc:
            conflict = conflict_context(form, exc)
        else:
            messages.success(request, saved)
            return redirect(then or obj)
    context = {"form": form, "title": title, "cancel_url": cancel_url, "conflict": conflict}
    return render(request, "form_page.html", context, status=409 if conflict else 200)


def save_if_current_form(form):
    """Inside a transaction, before the form saves: lock the row and refuse it when
    someone saved since the form was loaded (a new record has nothing to compare)."""
    if "version" not in form.fields or not form.instance.pk:
        return
    version = form.cleaned_data.get("version")
    lock_current(form.instance, version)
    form.instance.version = version + 1


def conflict_context(form, exc):
    """What the form page shows on a conflict; the form keeps what was typed."""
    rebase(form, exc.current)
    return {"message": str(exc), "current": current_values(form, exc.current)}


def partner_to_edit(request, getter, pk):
    """The school or SWV at `pk` if the user may change it; None (a new one) if they
    may add partners; 403 otherwise."""
    if pk:
        return getter(request.user, pk, write=True)
    if not get_scope(request.user).can_import:
        raise PermissionDenied
    return None
