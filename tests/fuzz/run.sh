#!/usr/bin/env bash
# run.sh — `npm run fuzz [-- SECONDS [NAME ...]]`: builds the libFuzzer harnesses of tests/fuzz
# with clang (-fsanitize=fuzzer,address,undefined; `bash src/setup.sh --fuzz` installs clang and
# libFuzzer) and runs each one (model, idx, png, spec, arrays; default all) for SECONDS (default 60),
# as many at once as there are cores (FUZZ_JOBS to choose), at a 2 GB RSS and malloc limit,
# leaks reported. The corpus grows in build/fuzz/corpus/NAME from the committed seeds; a crash,
# leak, timeout or out-of-memory input lands in build/fuzz/crashes/ and fails the run. Prints
# executions, coverage and corpus per harness. Not part of `npm test`, which replays the
# committed corpora instead.
set -euo pipefail
cd "$(dirname "$0")/../.."

seconds=${1:-60}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "usage: npm run fuzz -- [SECONDS [model|idx|png|spec|arrays ...]]" >&2; exit 2; }
shift || true
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(model idx png spec arrays)
declare -A max_len=([model]=8192 [idx]=8192 [png]=16384 [spec]=600 [arrays]=2048)

if ! command -v clang >/dev/null || ! clang -fsanitize=fuzzer -x c - -o /dev/null <<<'int LLVMFuzzerTestOneInput(const char *d, long n) { return 0; }' 2>/dev/null; then
  echo "run.sh: clang with libFuzzer is missing; run 'bash src/setup.sh --fuzz' (it installs clang and libclang-rt-dev)" >&2
  exit 1
fi

CC=clang cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNDL_FUZZ=ON >/dev/null
cmake --build build/fuzz -j "$(nproc)" --target "${names[@]/#/fuzz_}" >/dev/null
mkdir -p build/fuzz/crashes

fuzz() {
  local name=$1 corpus=build/fuzz/corpus/$1
  mkdir -p "$corpus"
  local inputs=("$corpus" "tests/fuzz/corpus/$name")
  [ -d "tests/fuzz/regressions/$name" ] && inputs+=("tests/fuzz/regressions/$name")
  build/fuzz/fuzz_"$name" -max_total_time="$seconds" -rss_limit_mb=2048 -malloc_limit_mb=2048 -timeout=10 \
    -max_len="${max_len[$name]}" -print_final_stats=1 -artifact_prefix="build/fuzz/crashes/$name-" "${inputs[@]}" \
    >"build/fuzz/$name.log" 2>&1
}

status=0
jobs=${FUZZ_JOBS:-$(nproc)}
pids=()
for name in "${names[@]}"; do
  fuzz "$name" & pids+=($!)
  if [ ${#pids[@]} -ge "$jobs" ]; then wait "${pids[0]}" || status=1; pids=("${pids[@]:1}"); fi
done
for pid in "${pids[@]}"; do wait "$pid" || status=1; done

printf '%-6s %12s %9s %7s %7s %9s %8s\n' harness executions exec/s cov ft corpus "peak MB"
for name in "${names[@]}"; do
  log=build/fuzz/$name.log
  stat() { sed -n "s/^stat::$1: *//p" "$log" | tail -1; }
  last=$(grep -E '^#[0-9]+' "$log" | tail -1)
  cov=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
  ft=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
  printf '%-6s %12s %9s %7s %7s %9s %8s\n' "$name" "$(stat number_of_executed_units)" "$(stat average_exec_per_sec)" \
    "${cov:-?}" "${ft:-?}" "$(find "build/fuzz/corpus/$name" "tests/fuzz/corpus/$name" -type f | wc -l)" "$(stat peak_rss_mb)"
done
found=$(find build/fuzz/crashes -type f -newer "build/fuzz/fuzz_${names[0]}" 2>/dev/null || true)
if [ "$status" -ne 0 ] || [ -n "$found" ]; then
  echo "run.sh: the fuzzers found inputs that fail (logs: build/fuzz/NAME.log):" >&2
  echo "$found" >&2
  echo "Fix the bug, then keep each input as tests/fuzz/regressions/NAME/WHAT so that ctest replays it." >&2
  exit 1
fi
echo "run.sh: no crash, leak, timeout or out-of-memory in ${#names[@]} harnesses x ${seconds} s"
