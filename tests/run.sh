#!/usr/bin/env bash
# run.sh — `npm test`: builds everything, then runs the whole suite:
#   1. the C tests under ctest, built with AddressSanitizer + UBSan (build/asan);
#   2. the same C tests in the optimised build that ships (build/native);
#   3. the Node tests (node --test): the WebAssembly core in Node, the CLI, and Chromium; then the
#      page and load tests one file at a time, since they time pages.
set -euo pipefail
cd "$(dirname "$0")/.."

bash src/build.sh asan
bash src/build.sh all

echo "== C tests, AddressSanitizer + UBSan"
ctest --test-dir build/asan --output-on-failure
echo "== C tests, optimised build"
ctest --test-dir build/native --output-on-failure
echo "== Node tests"
# the page and load tests time the main thread and loads in Chromium: they run one file at a
# time after the others, not beside them (a busy machine would time itself)
timed='/(page|load)\.test\.mjs$'
node --test $(ls tests/js/*.test.mjs | grep -Ev "$timed")
echo "== Timed browser tests, one file at a time"
node --test --test-concurrency=1 $(ls tests/js/*.test.mjs | grep -E "$timed")
