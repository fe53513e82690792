#!/usr/bin/env bash
# Sets up Clearway on a fresh Debian machine with Python 3.11 and pip: a virtualenv with the locked
# dependencies, Debian's Chromium for the browser tests (when this user may install packages), and the
# models the product serves. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps -e .

# Browser tests drive Debian's Chromium through Playwright (no browser download).
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then
    (apt-get install -y -q chromium >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q chromium >/dev/null)) \
      || echo "setup: could not install chromium; browser tests will fail until it is installed" >&2
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo apt-get install -y -q chromium >/dev/null || echo "setup: could not install chromium" >&2
  else
    echo "setup: install Debian's chromium (apt-get install chromium) to run the browser tests" >&2
  fi
fi

.venv/bin/clearway setup-models
echo "setup: done"
