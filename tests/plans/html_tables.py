"""The tables of a rendered page, read with the standard library's HTML parser: per
table its header cells and its body rows, each cell as (class attribute, text)."""

from html.parser import HTMLParser


class _Tables(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tables, self._part, self._cell = [], None, None

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.tables.append({"head": [], "rows": []})
        elif tag in ("thead", "tbody"):
            self._part = tag
        elif tag == "tr" and self._part == "tbody":
            self.tables[-1]["rows"].append([])
        elif tag in ("th", "td") and self.tables:
            self._cell = [dict(attrs).get("class") or "", ""]

    def handle_data(self, data):
        if self._cell is not None:
            self._cell[1] += data

    def handle_endtag(self, tag):
        if tag in ("th", "td") and self._cell is not None:
            cell = (self._cell[0], " ".join(self._cell[1].split()))
            table = self.tables[-1]
            (table["head"] if self._part == "thead" else table["rows"][-1]).append(cell)
            self._cell = None
        elif tag in ("thead", "tbody"):
            self._part = None


def tables_of(html):
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def number_columns(cells):
    return [i for i, (css, _text) in enumerate(cells) if "num" in css.split()]
