#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./dev.sh demo   set up .venv, then batch-screen examples/customers.csv on the shipped list
#   ./dev.sh test   set up .venv, then ruff + mypy --strict src + the whole pytest suite
set -euo pipefail
cd "$(dirname "$0")"

setup() {
    local stamp=.venv/.installed
    local want
    # the matching core is compiled at install, and the build records the digest of the sources
    # that cached data depends on (setup.py, screen.implementation.source_digest): a change to
    # them means a new build
    want=$( (cat pyproject.toml constraints.txt setup.py
             python3 -c 'import runpy, sys; print(runpy.run_path(sys.argv[1])["source_digest"](sys.argv[2]))' \
                 src/screen/implementation.py src/screen) | sha256sum | cut -d' ' -f1)
    if [ ! -x .venv/bin/python ]; then
        python3 -m venv .venv
    fi
    if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
        .venv/bin/python -m pip install --quiet --upgrade pip
        # PIP_CONSTRAINT also pins the build's own environment (mypy, which compiles the core)
        PIP_CONSTRAINT="$PWD/constraints.txt" .venv/bin/python -m pip install --quiet -e '.[dev]'
        echo "$want" > "$stamp"
    fi
}

case "${1:-}" in
    demo)
        setup
        # exit code 1 means "hits found": the example file holds listed parties on purpose
        status=0
        .venv/bin/screen batch examples/customers.csv -o examples/customers.screened.csv || status=$?
        if [ "$status" -ne 0 ] && [ "$status" -ne 1 ]; then
            exit "$status"
        fi
        echo "demo output: examples/customers.screened.csv (expected: examples/expected/)"
        ;;
    test)
        setup
        .venv/bin/ruff check src tests benchmarks
        .venv/bin/mypy --strict src
        .venv/bin/python -m pytest -q -n 2
        ;;
    *)
        echo "usage: ./dev.sh demo | ./dev.sh test" >&2
        exit 2
        ;;
esac
