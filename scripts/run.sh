#!/usr/bin/env bash
# Set up on a new machine and run the service with demo data on the embedded default
# (SQLite file, eager tasks). Open http://127.0.0.1:8000/ and log in as printed.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
.venv/bin/python manage.py seed_demo --if-empty
.venv/bin/python manage.py expire_postings  # no Celery beat here to close yesterday's expired postings
echo "连心 Lianxin: http://127.0.0.1:${PORT:-8000}/  (API docs: /api/docs/, admin: /admin/)"
echo "Logins: admin, bureau, liaison, resident, deputy — password: lianxin-demo"
exec .venv/bin/python manage.py runserver "127.0.0.1:${PORT:-8000}"
