#!/usr/bin/env bash
# Schemathesis against every operation of the API for every role (tests/fuzz/schema_fuzz.py), in-process, on a
# database of its own: `<name of DATABASE_URL>_fuzz` (pytest-django makes test_<that> afresh). Bounded:
# FUZZ_EXAMPLES examples per operation and role (default 50). Exits non-zero on any 5xx or schema violation.
set -euo pipefail
cd "$(dirname "$0")/.."
base=${DATABASE_URL:?set DATABASE_URL to the PostgreSQL database of the suite}
export DATABASE_URL="${base%%\?*}_fuzz"
exec .venv/bin/pytest -p no:cacheprovider -n 0 --create-db -q -s tests/fuzz/schema_fuzz.py "$@"
