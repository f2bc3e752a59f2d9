#!/usr/bin/env bash
# run.sh — `npm test`: builds everything, then runs the whole suite:
#   1. the C tests under ctest, built with AddressSanitizer + UBSan (build/asan);
#   2. the same C tests in the optimised build that ships (build/native), and the tests of
#      threads under ThreadSanitizer (build/tsan);
#   3. the JavaScript's types: tsc --noEmit over the files of web/ that say // @ts-check (the
#      library, the URL-state engine, every Worker and its messages; tests/tsconfig.json);
#   4. the Node tests (node --test): the WebAssembly core in Node, the CLI, the page and the figures
#      in Chromium, the house's rules (structure.test.mjs). They assert behaviour, bytes and
#      answers, never a time, so they pass on a slow machine and beside a busy core; times are
#      npm run bench's (tests/bench/run.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."

bash src/build.sh asan
bash src/build.sh tsan
bash src/build.sh all

echo "== C tests, AddressSanitizer + UBSan"
ctest --test-dir build/asan --output-on-failure
echo "== C tests, optimised build"
ctest --test-dir build/native --output-on-failure
echo "== C tests of threads, ThreadSanitizer"
ctest --test-dir build/tsan --output-on-failure -R '^test_(team|threads)$'
echo "== Types (tsc --noEmit)"
node node_modules/typescript/bin/tsc --noEmit -p tests
echo "== Node tests"
node --test tests/js/*.test.mjs
