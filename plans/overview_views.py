"""The institution overview for the manager (plans.overview gathers it)."""

from django.http import Http404

from regions.pages import read_page


@read_page
def document_download_placeholder(request, pk):
    """Placeholder until the pdf helper's download view lands: no document yet."""
    raise Http404
