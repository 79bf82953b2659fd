#!/usr/bin/env bash
# Set up on a new machine: create .venv, install the project with its test extra, migrate.
# Idempotent: a second run only checks that everything is in place.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
stamp=.venv/.lianxin-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[test]'
  # The PyPI package `matching` (reference hospital–residents solver for tests) would shadow our own
  # `matching` app, so it lives outside the import path and tests run it in a subprocess.
  .venv/bin/python -m pip install --quiet --no-deps --target .venv/reference 'matching==1.4.3'
  touch "$stamp"
fi
.venv/bin/python manage.py migrate --noinput
# With hashed names and a manifest, as production serves them: a later start with LIANXIN_ENV=production
# finds every file, whichever mode this ran in.
STATIC_MANIFEST=1 .venv/bin/python manage.py collectstatic --noinput -v 0
