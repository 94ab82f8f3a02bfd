"""The regional plan's PDF renders with the generic renderer of the ground floor
(regions/pdf.py), which a pupil's inzageverzoek uses too."""

from regions.pdf import BASE_URL, StaticFilesFetcher, render_pdf, static_roots

__all__ = ["BASE_URL", "StaticFilesFetcher", "render_pdf", "static_roots"]
