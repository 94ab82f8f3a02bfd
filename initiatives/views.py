"""Initiatives, agreements and transition plans of closing (v)so locations."""
