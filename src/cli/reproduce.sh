#!/usr/bin/env bash
# reproduce.sh — runs the book's experiments of chapters 1, 3, 5 and 6 with the native CLI, each
# with the book's hyper-parameters, and prints a Markdown table: per row the metric the book
# reports there, the book's figure, ours by the same metric, the time it took, and the command.
# The metrics: "best test", the best test accuracy over the epochs (chapter 1 and chapter 3's
# first runs report their peak on the test data); "best validation", the best validation
# accuracy (chapter 3's regularised runs and chapter 5 evaluate on the validation data); "test
# at best validation", the test accuracy of the epoch with the best validation accuracy (what
# network3.py reports, chapter 6). Logs and the networks (those of the best validation accuracy)
# go to build/reproduce/.
#   bash src/cli/reproduce.sh [FILTER]   (FILTER: a bash regular expression; only rows whose
#                                         name matches it, e.g. 'ch6' or 'ch1|ch3')
#   NNDL_CLI=path/to/nndl bash src/cli/reproduce.sh ...   (another build, e.g. -DNNDL_AVX512=ON)
# Chapters 1 to 5 take about six minutes on one core; chapter 6 about 2 1/2 hours as two runs at
# once on two cores ('ch6 (1|2|3|6)' and 'ch6 (4|5)'), most of it the expanded-data rows. The
# ensemble row votes with the networks the other chapter 6 rows saved. Not a test: it asserts
# nothing.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z "${NNDL_CLI:-}" ]]; then
  bash src/build.sh native >/dev/null
  NNDL_CLI=./build/native/nndl
fi
mkdir -p build/reproduce
filter=${1:-}
ch6="--hidden relu --eta 0.03 --lmbda 1.0 --epochs 60"
ch6_dropout="--net conv20x5x5-pool2-conv40x5x5-pool2-fc1000-fc1000-softmax10 --hidden relu --eta 0.03 --dropout 0.5 --epochs 40 --expand"

# name | the book's figure | the book's metric | CLI arguments
rows=(
  "ch1 [784,30,10] quadratic, eta 3.0|95.42%|best test|--sizes 784,30,10 --eta 3.0"
  "ch1 [784,100,10] quadratic, eta 3.0|96.59%|best test|--sizes 784,100,10 --eta 3.0"
  "ch3 [784,30,10] cross-entropy, eta 0.5|95.49%|best test|--sizes 784,30,10 --cost cross-entropy --eta 0.5"
  "ch3 [784,100,10] cross-entropy, eta 0.5|96.82%|best test|--sizes 784,100,10 --cost cross-entropy --eta 0.5"
  "ch3 [784,30,10] cross-entropy, L2 lambda 5.0|96.49%|best validation|--sizes 784,30,10 --cost cross-entropy --eta 0.5 --lmbda 5.0"
  "ch3 [784,100,10] cross-entropy, L2 lambda 5.0, N(0,1) weights|97.92%|best validation|--sizes 784,100,10 --cost cross-entropy --eta 0.5 --lmbda 5.0"
  "ch3 [784,100,10] L2, network2.py's default N(0,1/n) weights|–|best validation|--sizes 784,100,10 --cost cross-entropy --init scaled --eta 0.5 --lmbda 5.0"
  "ch3 [784,100,10] L2, eta 0.1, 60 epochs|98.04%|best validation|--sizes 784,100,10 --cost cross-entropy --eta 0.1 --lmbda 5.0 --epochs 60"
  "ch3 [784,100,10] L2, expanded data, halving schedule|–|best validation|--sizes 784,100,10 --cost cross-entropy --init scaled --eta 0.5 --lmbda 5.0 --expand --schedule halve --patience 5 --epochs 60"
  "ch5 [784,30,10] (depth 1)|96.48%|best validation|--sizes 784,30,10 --cost cross-entropy --init scaled --eta 0.1 --lmbda 5.0"
  "ch5 [784,30,30,10] (depth 2)|96.90%|best validation|--sizes 784,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lmbda 5.0"
  "ch5 [784,30,30,30,10] (depth 3)|96.57%|best validation|--sizes 784,30,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lmbda 5.0"
  "ch5 [784,30,30,30,30,10] (depth 4)|96.53%|best validation|--sizes 784,30,30,30,30,10 --cost cross-entropy --init scaled --eta 0.1 --lmbda 5.0"
  # Chapter 6 (network3.py): mini-batches of 10, log-likelihood cost, 60 epochs. network3.py's L2
  # term is lmbda/2 sum w^2 per mini-batch's share of the data (over n/m), ours network2.py's
  # (over n): its lmbda = 0.1 with m = 10 is our --lmbda 1.0.
  "ch6 0: the shallow baseline, fc100 sigmoid and softmax|97.80%|test at best validation|--net fc100-softmax10 --eta 0.1 --epochs 60"
  "ch6 1: conv20x5x5-pool2, fc100 sigmoid|98.78%|test at best validation|--net conv20x5x5-pool2-fc100-softmax10 --eta 0.1 --epochs 60"
  "ch6 2: two conv-pool layers, sigmoid|99.06%|test at best validation|--net conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10 --eta 0.1 --epochs 60"
  "ch6 3: two conv-pool layers, ReLU, eta 0.03, lambda 0.1|99.23%|test at best validation|--net conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10 $ch6 --seed 3"
  "ch6 4: ... and expanded data|99.37%|test at best validation|--net conv20x5x5-pool2-conv40x5x5-pool2-fc100-softmax10 $ch6 --expand --seed 4"
  "ch6 5: ... and an extra fc100 layer|99.43%|test at best validation|--net conv20x5x5-pool2-conv40x5x5-pool2-fc100-fc100-softmax10 $ch6 --expand --seed 5"
  "ch6 6: two fc1000 layers with dropout 0.5, 40 epochs|99.60%|test at best validation|$ch6_dropout --seed 6"
)

# The book's own last row votes with five networks of row 6; ours trains four more (seeds 7 to
# 10, about an hour each on one core) only when asked by name: 'book-vote' (one after another),
# or 'book-vote seed (7|8)' and 'book-vote seed (9|10)' on two cores, then 'book-vote:'.
vote_rows=()
for seed in 7 8 9 10; do
  vote_rows+=("book-vote seed $seed: row 6 again|–|test at best validation|$ch6_dropout --seed $seed")
done

slug() { local s=${1%%:*}; echo "${s//[^a-zA-Z0-9]/_}"; }
wanted() { [[ -z "$filter" || "$1" =~ $filter ]]; }

# Trains one row and prints its line of the table.
run_row() {
  local name book metric args base start seconds ours
  IFS='|' read -r name book metric args <<<"$1"
  base="build/reproduce/$(slug "$name")"
  start=$(date +%s)
  # shellcheck disable=SC2086
  "$NNDL_CLI" train --quiet $args --save "$base.nndl" >"$base.log"
  seconds=$(( $(date +%s) - start ))
  case "$metric" in
    "best test") ours=$(sed -n 's/^Best test accuracy: .*(\(.*%\)).*/\1/p' "$base.log") ;;
    "best validation") ours=$(sed -n 's/^Test accuracy at the best validation accuracy (\([0-9.]*%\),.*/\1/p' "$base.log") ;;
    *) ours=$(sed -n 's/^Test accuracy at the best validation.*(\(.*%\))$/\1/p' "$base.log") ;;
  esac
  echo "| $name | $metric | $book | $ours | ${seconds} s | \`nndl train $args\` |"
}

# Votes with the networks given if all of them exist (a tie goes to the digit of the largest
# summed probability) and prints the line of the table.
vote() {
  local name=$1 book=$2; shift 2
  local models=() f ours log
  log="build/reproduce/$(slug "$name").log"
  for f in "$@"; do
    if [[ ! -f "$f" ]]; then echo "$name: $f is missing (train its row first)" >&2; return; fi
    models+=(--model "$f")
  done
  "$NNDL_CLI" evaluate "${models[@]}" >"$log"
  ours=$(sed -n 's/^Ensemble.*(\(.*%\))$/\1/p' "$log")
  echo "| $name | test | $book | $ours | – | \`nndl evaluate ${models[*]}\` |"
}

echo "| run | the book's metric | book | ours | time | command |"
echo "|---|---|---:|---:|---:|---|"
for row in "${rows[@]}"; do
  if wanted "${row%%|*}"; then run_row "$row"; fi
done

# Our last row: five different networks voting, each as saved at its best validation accuracy
# and each from its own seed: rows 6, 5, 4 and 3 (seeds 6 to 3) and the page's pretrained
# network (row 3's with moved images, seed 2).
name="ch6 7: an ensemble of five voting, rows 6 to 3 and the pretrained network"
if wanted "$name"; then
  vote "$name" "99.67%" build/reproduce/ch6_6.nndl build/reproduce/ch6_5.nndl \
    build/reproduce/ch6_4.nndl build/reproduce/ch6_3.nndl data/pretrained.nndl
fi

if [[ -n "$filter" ]]; then
  for row in "${vote_rows[@]}"; do
    if [[ "${row%%|*}" =~ $filter ]]; then run_row "$row"; fi
  done
  name="book-vote: five of row 6 voting (seeds 6 to 10)"
  if [[ "$name" =~ $filter ]]; then
    vote "$name" "99.67%" build/reproduce/ch6_6.nndl build/reproduce/book_vote_seed_{7,8,9,10}.nndl
  fi
fi
