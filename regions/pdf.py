"""HTML to PDF (WeasyPrint) for every app (the regional plan, a pupil's inzageverzoek):
one function, and the URL fetcher that keeps WeasyPrint off the network and out of every
directory but the static files.

Fonts come from fontconfig (Debian's fonts-dejavu-core / fonts-liberation, installed by
`make run`, `make test` and .ci/run); nothing is fetched.
"""

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetchingError

# Relative URLs in the PDF template resolve against this base: "/static/css/x.css" becomes
# file:///static/css/x.css, which the fetcher maps into the static directories.
BASE_URL = "file:///"


def static_roots() -> list[Path]:
    """The only directories WeasyPrint may read from."""
    roots = [Path(d) for d in settings.STATICFILES_DIRS]
    if settings.STATIC_ROOT:
        roots.insert(0, Path(settings.STATIC_ROOT))
    return [root.resolve() for root in roots]


class StaticFilesFetcher(URLFetcher):
    """Serves files from the static directories and data: URLs; refuses everything
    else (http, https, ftp, file: outside the static roots, ../ escapes)."""

    def fetch(self, url, headers=None):
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise URLFetchingError(f"Geweigerd (alleen statische bestanden): {url}")
        path = self.static_file(unquote(urlsplit(url).path))
        if path is None:
            raise URLFetchingError(f"Geweigerd (geen statisch bestand): {url}")
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return self.response(url, path.read_bytes(), content_type)

    @staticmethod
    def response(url, body, content_type):
        from weasyprint.urls import URLFetcherResponse

        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def static_file(path: str) -> Path | None:
        """The file at `path` if it lies inside a static root: an absolute path inside
        one, or "/<STATIC_URL>/<name>" looked up in each root. Resolved first, so a
        symlink or ../ cannot lead out."""
        roots = static_roots()
        candidates = [Path(path)]
        prefix = "/" + settings.STATIC_URL.strip("/") + "/"
        if path.startswith(prefix):
            candidates += [root / path.removeprefix(prefix) for root in roots]
        for candidate in candidates:
            resolved = candidate.resolve()
            if resolved.is_file() and any(resolved.is_relative_to(root) for root in roots):
                return resolved
        return None


def render_pdf(html: str, *, base_url: str = BASE_URL) -> bytes:
    """A4 (set by the template's @page), tagged PDF/UA-1: structure tree, the document's
    language from <html lang> and its title from <title>, for screen readers."""
    document = HTML(string=html, base_url=base_url, url_fetcher=StaticFilesFetcher())
    return document.write_pdf(pdf_variant="pdf/ua-1")
