"""A table that can scroll sideways is a focusable, named region (keyboard users scroll it)."""

import re
from pathlib import Path

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
WRAP = re.compile(r"<div[^>]*\btable-wrap\b[^>]*>")


def test_every_table_wrap_is_a_focusable_named_region():
    bad = []
    for path in TEMPLATES.rglob("*.html"):
        for tag in WRAP.findall(path.read_text()):
            named = "aria-labelledby=" in tag or "aria-label=" in tag
            if not ('role="region"' in tag and 'tabindex="0"' in tag and named):
                bad.append(f"{path.relative_to(TEMPLATES)}: {tag}")
    assert bad == []


def test_a_labelled_region_points_at_an_id_on_its_page():
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text()
        for target in re.findall(r'table-wrap[^>]*aria-labelledby="([^"{]+)"', text):
            assert f'id="{target}"' in text, (path.name, target)
