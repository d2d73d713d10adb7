#!/usr/bin/env bash
# Security checks for `make test`:
#   bandit     no high-severity finding in the app's code (rehab/, ui/, app.py, app_pages/, serve.py, server/;
#              config in pyproject.toml)
#   pip-audit  no known vulnerability in the installed packages, when its vulnerability service can be reached;
#              when it cannot (offline, or a package index without that service), a note is printed, not a failure.
set -euo pipefail
cd "$(dirname "$0")/.."
PY="${PY:-.venv/bin/python}"

echo "security: bandit (high severity) on rehab ui app.py app_pages serve.py server"
"$PY" -m bandit -c pyproject.toml -r rehab ui app.py app_pages serve.py server --severity-level high --quiet

echo "security: pip-audit on the installed packages"
report="$(mktemp)"
errors="$(mktemp)"
trap 'rm -f "$report" "$errors"' EXIT
status=0
"$PY" -m pip_audit --vulnerability-service pypi --progress-spinner off --skip-editable \
    --format json --output "$report" 2>"$errors" || status=$?
"$PY" - "$report" "$errors" "$status" <<'PYTHON'
import json
import sys

report, errors, status = sys.argv[1], sys.argv[2], int(sys.argv[3])
unreachable = ("ConnectionError", "ConnectTimeout", "ReadTimeout", "Max retries", "Temporary failure in name",
               "Name or service not known", "Network is unreachable", "ServiceError", "SSLError")
try:
    with open(report, encoding="utf-8") as handle:
        found = json.load(handle)
except (OSError, ValueError):
    found = None
message = open(errors, encoding="utf-8", errors="replace").read()
if found is None:
    if any(word in message for word in unreachable):
        print("security: note: pip-audit could not reach its vulnerability service; packages were not checked "
              "(not a failure)")
        sys.exit(0)
    print(message, file=sys.stderr)
    sys.exit(status or 1)
packages = found.get("dependencies", [])
checked = [p for p in packages if "skip_reason" not in p]
vulnerable = [(p, v) for p in checked for v in p.get("vulns", [])]
for package, vuln in vulnerable:
    fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
    print(f"security: {package['name']} {package.get('version', '')}: {vuln['id']} (fixed in: {fixes})")
if vulnerable:
    print(f"security: pip-audit found {len(vulnerable)} known vulnerabilities; update the pins in requirements*.txt",
          file=sys.stderr)
    sys.exit(1)
if not checked:
    print(f"security: note: pip-audit's vulnerability service did not answer for any of the {len(packages)} "
          "packages (offline, or the package index has no such service); nothing was checked (not a failure)")
    sys.exit(0)
skipped = len(packages) - len(checked)
extra = f"; {skipped} could not be checked" if skipped else ""
print(f"security: pip-audit: no known vulnerabilities in {len(checked)} packages{extra}")
PYTHON
