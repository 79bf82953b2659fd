#!/usr/bin/env bash
# Set up (venv, install, migrate) and run the whole test suite.
# With DATABASE_URL / CELERY_BROKER_URL set it runs against PostgreSQL and Redis; otherwise SQLite
# and eager tasks, and the tests that need those services are skipped (or fail under REQUIRE_SERVICES=1).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/pytest -n "${PYTEST_WORKERS:-2}" "$@"
