#!/usr/bin/env bash
# Sets up Clearway on a fresh Debian machine with Python 3.11 and pip: a virtualenv with the locked
# dependencies, Debian's Chromium for the browser tests and tesseract OCR for scanned certificates (when this
# user may install packages), and the models the product serves. Safe to run again.
set -euo pipefail
cd "$(dirname "$0")"

# Each step says how long it took (bash's SECONDS), so a slow set-up shows where its time goes.
step_started=$SECONDS
step_done() {
  echo "setup: $1 ($((SECONDS - step_started)) s)"
  step_started=$SECONDS
}

PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet --require-hashes -r requirements.lock
.venv/bin/python -m pip install --quiet --no-deps -e .
step_done "virtualenv and locked dependencies"

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
step_done "chromium"

# Scanned certificates of origin are read by Debian's tesseract OCR (Korean, English, Simplified Chinese).
OCR_PACKAGES="tesseract-ocr tesseract-ocr-kor tesseract-ocr-eng tesseract-ocr-chi-sim"
if ! command -v tesseract >/dev/null 2>&1 \
  || ! tesseract --list-langs 2>/dev/null | grep -qx kor \
  || ! tesseract --list-langs 2>/dev/null | grep -qx chi_sim; then
  if [ "$(id -u)" = 0 ]; then
    # shellcheck disable=SC2086
    (apt-get install -y -q $OCR_PACKAGES >/dev/null 2>&1 || (apt-get update -q >/dev/null && apt-get install -y -q $OCR_PACKAGES >/dev/null)) \
      || echo "setup: could not install $OCR_PACKAGES; scanned certificates will be refused until it is installed" >&2
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    # shellcheck disable=SC2086
    sudo apt-get install -y -q $OCR_PACKAGES >/dev/null || echo "setup: could not install $OCR_PACKAGES" >&2
  else
    echo "setup: install Debian's $OCR_PACKAGES (apt-get install) to read scanned certificates of origin" >&2
  fi
fi
step_done "tesseract OCR"

.venv/bin/clearway setup-models
step_done "models"
echo "setup: done in $SECONDS s"
