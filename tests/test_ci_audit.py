"""CI's pip-audit step (.ci/audit.py) fails on a known vulnerability."""

import importlib.util
from pathlib import Path

spec = importlib.util.spec_from_file_location(
    "ci_audit", Path(__file__).resolve().parent.parent / ".ci" / "audit.py"
)
ci_audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(ci_audit)

CLEAN = {"name": "django", "version": "5.2.8", "vulns": []}
VULNERABLE = {"name": "oldlib", "version": "1.0", "vulns": [{"id": "PYSEC-2099-1"}]}
UNCHECKED = {"name": "argon2-cffi", "skip_reason": "Dependency not found on PyPI"}


def test_a_known_vulnerability_fails():
    lines, failed = ci_audit.verdict({"dependencies": [CLEAN, VULNERABLE]}, required=False)
    assert failed
    assert "KWETSBAAR: oldlib 1.0: PYSEC-2099-1" in lines


def test_clean_packages_pass():
    assert ci_audit.verdict({"dependencies": [CLEAN]}, required=True) == (
        ["pip-audit: 1 pakketten gecontroleerd, 0 kwetsbaar, 0 niet te controleren."],
        False,
    )


def test_unchecked_packages_are_named_and_fail_when_required():
    lines, failed = ci_audit.verdict({"dependencies": [CLEAN, UNCHECKED]}, required=False)
    assert not failed
    assert any(line.startswith("LET OP: 1 pakketten niet gecontroleerd") for line in lines)
    assert ci_audit.verdict({"dependencies": [UNCHECKED]}, required=True)[1]
