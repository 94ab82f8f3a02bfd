"""Known vulnerabilities in the installed packages (pip-audit), as CI runs it.

Fails (exit 1) when any package has a known vulnerability. A package pip-audit could not
look up (no advisory data reachable, e.g. a PyPI mirror without per-version JSON) is not
a pass: it is listed as unchecked, and with AUDIT_REQUIRED=1 that fails too.
"""

import json
import os
import subprocess
import sys


def verdict(report: dict, *, required: bool) -> tuple[list[str], bool]:
    """The lines to print and whether CI fails, from pip-audit's JSON report."""
    deps = report["dependencies"]
    vulnerable = [d for d in deps if d.get("vulns")]
    unchecked = [d for d in deps if "skip_reason" in d]
    lines = [
        f"KWETSBAAR: {d['name']} {d['version']}: {', '.join(v['id'] for v in d['vulns'])}"
        for d in vulnerable
    ]
    lines.append(
        f"pip-audit: {len(deps) - len(unchecked)} pakketten gecontroleerd, "
        f"{len(vulnerable)} kwetsbaar, {len(unchecked)} niet te controleren."
    )
    if unchecked:
        lines.append(
            f"LET OP: {len(unchecked)} pakketten niet gecontroleerd (geen kwetsbaarhedendata "
            f"bereikbaar), bijvoorbeeld: {unchecked[0]['skip_reason']}"
        )
    return lines, bool(vulnerable) or (bool(unchecked) and required)


def main() -> int:
    pip_audit = os.path.join(os.path.dirname(sys.executable), "pip-audit")
    run = subprocess.run(  # noqa: S603 - our own venv's pip-audit, fixed arguments
        [pip_audit, "--skip-editable", "--progress-spinner", "off", "-f", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:
        print(run.stderr, file=sys.stderr)
        print("pip-audit gaf geen rapport; zie de melding hierboven.")
        return 1
    lines, failed = verdict(report, required=os.environ.get("AUDIT_REQUIRED") == "1")
    print("\n".join(lines))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
