#!/usr/bin/env bash
# Set everything up on a fresh machine (Python 3.11), then build the book or run the tests.
#   bash dev.sh book    set up, then build the book into _build/html
#   bash dev.sh test    set up, then run the course's tests
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-book}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# setuptools' editable install of packages that sit at the top of a checkout warns, every
# time, that same-named folders in the working directory may shadow them: true of any
# checkout and nothing to act on. pip_install silences that one warning, nothing else.
pip_install() { PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation" .venv/bin/python -m pip install -q "$@"; }
# the course, and with it the toolkit (pyproject.toml says where the toolkit comes from)
pip_install -e ".[test]"

case "$task" in
  book) .venv/bin/course build ;;
  test)
    set +e
    .venv/bin/python -m pytest "${@:2}"
    status=$?
    # pytest's 5 means no test ran: that must never pass silently
    [ $status -eq 5 ] && echo "dev.sh: pytest collected no tests" >&2 && exit 1
    exit $status ;;
  *) echo "usage: bash dev.sh book|test" >&2; exit 2 ;;
esac
