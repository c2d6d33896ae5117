#!/usr/bin/env bash
# One entry point for a fresh machine:
#   ./dev.sh demo   set up .venv, then batch-screen examples/customers.csv on the shipped list
#   ./dev.sh test   set up .venv, then ruff + mypy --strict src + the whole pytest suite, then
#                   build the sdist and a wheel from it, install the wheel into a fresh
#                   virtualenv outside the checkout and screen with it there (smoke_wheel)
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

# The package as a user gets it: sdist -> wheel (python -m build builds the wheel from the sdist),
# installed without the checkout, run from another directory.
smoke_wheel() {
    local work
    work=$(mktemp -d)
    trap 'rm -rf "$work"' RETURN
    PIP_CONSTRAINT="$PWD/constraints.txt" .venv/bin/python -m build --outdir "$work/dist" . >"$work/build.log" 2>&1 \
        || { tail -n 40 "$work/build.log"; echo "smoke_wheel: building the sdist and wheel failed" >&2; return 1; }
    python3 -m venv "$work/venv"
    PIP_CONSTRAINT="$PWD/constraints.txt" "$work/venv/bin/python" -m pip install --quiet "$work"/dist/*.whl
    local repo=$PWD status=0
    (
        cd "$work"
        # reads nothing of the checkout: the release is package data, caches keyed by the build
        export SCREEN_CACHE_DIR="$work/cache"
        venv/bin/screen name "Zhipu AI" >name.txt || status=$?
        [ "$status" -eq 1 ] || { cat name.txt; echo "smoke_wheel: screen name gave $status, not 1 (hit)" >&2; exit 1; }
        grep -q "Zhipu" name.txt
        status=0
        venv/bin/screen batch "$repo/examples/customers.csv" -o out.csv || status=$?
        [ "$status" -eq 1 ] || { echo "smoke_wheel: screen batch gave $status" >&2; exit 1; }
        cmp out.csv "$repo/examples/expected/customers.screened.csv"
        status=0
        venv/bin/screen batch "$repo/examples/customers.csv" -o out.jsonl >/dev/null 2>&1 || status=$?
        [ "$status" -eq 1 ] || { echo "smoke_wheel: screen batch to JSON lines gave $status" >&2; exit 1; }
        venv/bin/screen verify out.jsonl >/dev/null
        venv/bin/screen lists info >/dev/null
        # an installed package is never rebuilt in place: without -o, build refuses (exit 2)
        status=0
        venv/bin/screen lists build "$repo/tests/fixtures/sources" 2>build.txt || status=$?
        [ "$status" -eq 2 ] && grep -q "give -o DIR" build.txt \
            || { cat build.txt; echo "smoke_wheel: lists build without -o gave $status" >&2; exit 1; }
        venv/bin/screen chip --help >/dev/null
        venv/bin/python -c 'import screen.implementation as i; print("smoke_wheel: installed wheel OK,", i.active_implementation())'
    )
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
        smoke_wheel
        ;;
    *)
        echo "usage: ./dev.sh demo | ./dev.sh test" >&2
        exit 2
        ;;
esac
