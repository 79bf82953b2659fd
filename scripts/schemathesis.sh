#!/usr/bin/env bash
# Schemathesis against every operation of the API for every role (tests/fuzz/schema_fuzz.py), in-process, on a
# database of its own: `<name of DATABASE_URL>_fuzz` (pytest-django makes test_<that> afresh, one per worker).
# Bounded: FUZZ_EXAMPLES examples per operation and role (default in .ci/run), the five roles spread over
# FUZZ_WORKERS processes. Prints one summary line; exits non-zero on any 5xx or schema violation.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database of the suite}
export DATABASE_URL="${base%%\?*}_fuzz"
export FUZZ_REPORT_DIR
FUZZ_REPORT_DIR=$(mktemp -d)
trap 'rm -rf "$FUZZ_REPORT_DIR"' EXIT
status=0
.venv/bin/pytest -p no:cacheprovider -n "${FUZZ_WORKERS:-2}" --create-db -q tests/fuzz/schema_fuzz.py "$@" || status=$?
.venv/bin/python - "$FUZZ_REPORT_DIR" <<'PY'
import json, sys
from pathlib import Path

reports = [json.loads(p.read_text()) for p in sorted(Path(sys.argv[1]).glob("*.json"))]
if reports:
    examples = __import__("os").environ.get("FUZZ_EXAMPLES", "50")
    statuses = {}
    for report in reports:
        for key, count in report["statuses"].items():
            statuses[key] = statuses.get(key, 0) + count
    print(f"schemathesis: {reports[0]['operations']} operations x {len(reports)} roles "
          f"({', '.join(r['role'] for r in reports)}), up to {examples} examples each "
          f"({sum(r['refused'] for r in reports)} operation-role pairs stopped after 5 refusals), "
          f"{sum(r['requests'] for r in reports)} requests ({', '.join(f'{k} {v}' for k, v in sorted(statuses.items()))}), "
          f"{sum(len(r['failures']) for r in reports)} failures (5xx or schema violations), "
          f"slowest role {max(r['seconds'] for r in reports):.0f} s")
    for report in reports:
        for line in report["failures"]:
            print("  " + line)
PY
exit $status
