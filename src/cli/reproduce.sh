#!/usr/bin/env bash
# reproduce.sh — runs the book's experiments of chapters 1, 3 and 5 with the native CLI, each
# with the book's hyper-parameters, and prints a Markdown table: the book's figure, ours (the
# best test accuracy), the time it took, and the command. Logs go to build/reproduce/.
#   bash src/cli/reproduce.sh [FILTER]   (FILTER: only rows whose name contains it)
# Takes about six minutes on one core. Not a test: it asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
bash src/build.sh native >/dev/null
mkdir -p build/reproduce
filter=${1:-}

# name | the book's figure | CLI arguments
rows=(
  "ch1 [784,30,10] quadratic, eta 3.0|95.42%|--sizes 784,30,10 --eta 3.0"
  "ch1 [784,100,10] quadratic, eta 3.0|96.59%|--sizes 784,100,10 --eta 3.0"
  "ch3 [784,30,10] cross-entropy, eta 0.5|95.49%|--sizes 784,30,10 --cost cross-entropy --eta 0.5"
  "ch3 [784,100,10] cross-entropy, eta 0.5|96.82%|--sizes 784,100,10 --cost cross-entropy --eta 0.5"
  "ch3 [784,30,10] cross-entropy, L2 lambda 5.0|96.49%|--sizes 784,30,10 --cost cross-entropy --eta 0.5 --lambda 5.0"
  "ch3 [784,100,10] cross-entropy, L2 lambda 5.0|97.92%|--sizes 784,100,10 --cost cross-entropy --eta 0.5 --lambda 5.0"
  "ch3 [784,100,10] L2, network2.py's default N(0,1/n) weights|97.92%|--sizes 784,100,10 --cost cross-entropy --init scaled --eta 0.5 --lambda 5.0"
  "ch3 [784,100,10] L2, eta 0.1, 60 epochs|98.04%|--sizes 784,100,10 --cost cross-entropy --eta 0.1 --lambda 5.0 --epochs 60"
  "ch3 [784,100,10] L2, expanded data, halving schedule|–|--sizes 784,100,10 --cost cross-entropy --init scaled --eta 0.5 --lambda 5.0 --expand --schedule halve --patience 5 --epochs 60"
  "ch5 [784,30,10] (depth 1)|96.48%|--sizes 784,30,10 --cost cross-entropy --init scaled --eta 0.1 --lambda 5.0"
  "ch5 [784,30,30,10] (depth 2)|96.90%|--sizes 784,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lambda 5.0"
  "ch5 [784,30,30,30,10] (depth 3)|96.57%|--sizes 784,30,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lambda 5.0"
  "ch5 [784,30,30,30,30,10] (depth 4)|96.53%|--sizes 784,30,30,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lambda 5.0"
)

echo "| run | book | ours (best test) | time | command |"
echo "|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do
  IFS='|' read -r name book args <<<"$row"
  [[ -z "$filter" || "$name" == *"$filter"* ]] || continue
  log="build/reproduce/$(echo "$name" | tr -c 'a-zA-Z0-9' '_').log"
  start=$(date +%s)
  # shellcheck disable=SC2086
  ./build/native/nndl train --quiet $args >"$log"
  seconds=$(( $(date +%s) - start ))
  ours=$(sed -n 's/^Best test accuracy: .*(\(.*%\)).*/\1/p' "$log")
  echo "| $name | $book | $ours | ${seconds} s | \`nndl train $args\` |"
done
