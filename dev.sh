#!/usr/bin/env bash
# Set everything up on a fresh machine (Python 3.11, Node's npm; Debian for the browser
# tests), then build the book or run the whole test suite.
#   bash dev.sh book    set up, then build the book into _build/html, with its PDFs where
#                       Debian's chromium is (installed here as root)
#   bash dev.sh test    set up (with Chromium for the browser tests), then run pytest
set -euo pipefail
cd "$(dirname "$0")"
task="${1:-book}"
PY="${PYTHON:-python3.11}"
command -v "$PY" >/dev/null 2>&1 || PY=python3

# The tests need Chromium (browser checks), bubblewrap (the grading sandbox) and a
# PostgreSQL server (two graders on one gradebook), all from Debian.
if [ "$task" = test ]; then
  missing=""
  command -v chromium >/dev/null 2>&1 || missing="$missing chromium"
  command -v bwrap >/dev/null 2>&1 || missing="$missing bubblewrap"
  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
  if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
      echo "dev.sh: the tests need these Debian packages:$missing (sudo apt-get install$missing)" >&2
    fi
  fi
fi
# The book's PDFs are printed by Chromium: as root, install it for the book too.
if [ "$task" = book ] && ! command -v chromium >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
if ! command -v npm >/dev/null 2>&1 && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null
fi

[ -x .venv/bin/python ] || "$PY" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
# setuptools' editable install of packages that sit at the top of a checkout warns, every
# time, that same-named folders in the working directory may shadow them: true of any
# checkout and nothing to act on. pip_install silences that one warning, nothing else.
pip_install() { PYTHONWARNINGS="${PYTHONWARNINGS:+$PYTHONWARNINGS,}ignore:Editable installation" .venv/bin/python -m pip install -q "$@"; }
# the toolkit first (./toolkit: it is not on PyPI), then the course, which requires it
pip_install -e "./toolkit[pdf]"
pip_install -e ".[test]"
# a venv made before the toolkit had a distribution of its own: replacing the old course
# distribution took the `course` command with it
[ -x .venv/bin/course ] || pip_install --force-reinstall --no-deps -e ./toolkit
.venv/bin/course fetch-assets
# the hub test (tests/test_hub.py) runs JupyterHub behind configurable-http-proxy, from npm
if [ "$task" = test ] && [ ! -x .cache/hub-node/node_modules/.bin/configurable-http-proxy ] && command -v npm >/dev/null 2>&1; then
  mkdir -p .cache/hub-node
  (cd .cache/hub-node && npm install --no-audit --no-fund --silent configurable-http-proxy@4 >/dev/null)
fi

case "$task" in
  book)
    # without chromium the book is built without its PDFs, and no page links one
    if command -v chromium >/dev/null 2>&1; then .venv/bin/course build --pdf
    else echo "dev.sh: no chromium, so no PDFs (sudo apt-get install chromium, then .venv/bin/course build --pdf)" >&2; .venv/bin/course build
    fi ;;
  test)
    .venv/bin/ruff check .    # the code's own rules (pyproject.toml); the import rules run as tests
    set +e
    .venv/bin/python -m pytest "${@:2}"
    status=$?
    # pytest's 5 means no test ran: that must never pass silently
    [ $status -eq 5 ] && echo "dev.sh: pytest collected no tests" >&2 && exit 1
    exit $status ;;
  *) echo "usage: bash dev.sh book|test" >&2; exit 2 ;;
esac
