#!/usr/bin/env bash
# Set up on a new machine and run the service with demo data on the embedded default
# (SQLite file, eager tasks). Open http://127.0.0.1:8000/ and log in as printed.
set -euo pipefail
cd "$(dirname "$0")/.."
# DEBUG off unless asked for: people trying the service see the Chinese error pages, not Django's debug pages
# (static files are served by WhiteNoise from what setup collected).
export DEBUG="${DEBUG:-0}"
export PORT="${PORT:-8000}"
scripts/setup.sh
.venv/bin/python manage.py seed_demo --if-empty
.venv/bin/python manage.py expire_postings  # no Celery beat here to close yesterday's expired postings
# Tasks run in this server's process: an import (or run) it was doing when last stopped is resumed now.
.venv/bin/python manage.py recover_stuck_work --at-start
echo "连心 Lianxin: http://127.0.0.1:${PORT}/  (API docs: /api/docs/, admin: /admin/)"
echo "Logins: admin, bureau, liaison, resident, deputy — password: lianxin-demo"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT}"
