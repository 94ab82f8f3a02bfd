"""The floors of docs/architecture.md, read from the code: every import of every app's .py
file (top level and inside functions, absolute and relative) must be in ALLOWED."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

FEATURES = ["learners", "toolkit", "initiatives", "checklists"]
APPS = ["config", "regions", *FEATURES, "plans"]

# Which app may import what (docs/architecture.md, "Verdiepingen"): a module name allows
# that module and everything below it. Feature apps stand on regions and may read
# toolkit's content (its models); initiatives and checklists also read pupil facts
# through learners' selectors. Never another feature app's views.
CONTENT = ["regions", "toolkit.models"]
# Initiatives and checklists count and list pupils through learners' selectors (the scope
# rules, the small-count rule and the access log live there), never through its views.
PUPIL_FACTS = ["learners.models", "learners.selectors", "learners.audit"]
ALLOWED = {
    "regions": [],
    "toolkit": ["regions"],
    "learners": CONTENT,
    "initiatives": [*CONTENT, *PUPIL_FACTS],
    # The roll-up draws its charts with the dashboard's SVG helpers (pure markup, no data).
    "checklists": [*CONTENT, *PUPIL_FACTS, "toolkit.charts"],
    "plans": ["regions", *FEATURES],
    "config": ["regions", *FEATURES],
}
# The URL configuration is the one place below the top floor that wires plans in.
EXCEPTIONS = {"config/urls.py": ["plans"]}


def imports_of(source, module):
    """(line, imported name) for every import in `source`, the file of `module`
    ("learners.views"): `from a import b` gives "a.b", relative imports are resolved."""
    package = module.split(".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                # module "a.b.c" (a file): level 1 is package "a.b", level 2 is "a".
                parent = ".".join(package[: len(package) - node.level])
                base = f"{parent}.{base}" if base else parent
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def allowed(name, entries):
    return any(name == entry or name.startswith(entry + ".") for entry in entries)


def violations(root=ROOT):
    found = []
    for app in APPS:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            module = relative.removesuffix(".py").replace("/", ".")
            entries = [app, *ALLOWED[app], *EXCEPTIONS.get(relative, [])]
            for line, name in imports_of(path.read_text(), module):
                if name.split(".")[0] in APPS and not allowed(name, entries):
                    found.append(f"{relative}:{line} imports {name}")
    return found


def test_every_import_follows_the_floors():
    assert violations() == []


def test_the_reader_sees_imports_inside_functions_and_relative_ones():
    source = (
        "import regions.models\n"
        "from toolkit.models import Chapter\n"
        "def home(request):\n"
        "    from learners import views\n"
        "    from ..plans import views as top\n"
    )
    names = [name for _, name in imports_of(source, "regions.management.x")]
    assert names == [
        "regions.models",
        "toolkit.models.Chapter",
        "learners.views",
        "regions.plans.views",
    ]
    assert [name for _, name in imports_of("from . import selectors", "plans.views")] == [
        "plans.selectors"
    ]


def test_the_table_refuses_what_the_doc_refuses():
    assert not allowed("learners.selectors", [*ALLOWED["regions"], "regions"])
    assert not allowed("learners.views", ALLOWED["toolkit"])
    assert not allowed("toolkit.views", ALLOWED["learners"])
    assert not allowed("toolkit.selectors", ALLOWED["initiatives"])
    assert allowed("toolkit.models.Chapter", ALLOWED["learners"])
    assert not any(allowed("plans.views", ALLOWED[app]) for app in APPS if app != "plans")
