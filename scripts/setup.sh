#!/usr/bin/env bash
# Brings this checkout to a state where `loupe serve` (and, with --test, the test suite) runs:
#   1. system packages, installed with apt-get only when missing
#      (always: fswebcam, plus a compiler for better-sqlite3; with --test: chromium,
#      mosquitto, xvfb, imagemagick);
#   2. node modules: `npm ci` (or `npm install` without a lock file) only when node_modules is
#      missing or older than package-lock.json. onnxruntime-node's CUDA download and Electron's
#      binary download are skipped: the appliance uses the CPU provider unless the box has its own
#      TensorRT/CUDA, and the kiosk falls back to chromium --kiosk.
# Safe to run again: it does nothing when everything is in place.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

want_test=0
for arg in "$@"; do
  case "$arg" in
    --test) want_test=1 ;;
    -h | --help)
      echo "usage: bash scripts/setup.sh [--test]"
      exit 0
      ;;
    *)
      echo "setup.sh: unknown option $arg (expected --test)" >&2
      exit 2
      ;;
  esac
done

log() { echo "setup: $*"; }

# --- node -------------------------------------------------------------------------------------
if ! command -v node >/dev/null 2>&1; then
  echo "setup: node is not installed; install Node.js 20.9 or newer (e.g. from NodeSource) and run again" >&2
  exit 1
fi
node_major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$node_major" -lt 20 ]; then
  echo "setup: node $(node --version) is too old; Loupe needs Node.js 20.9 or newer" >&2
  exit 1
fi

# --- system packages --------------------------------------------------------------------------
packages=(fswebcam)
command -v g++ >/dev/null 2>&1 && command -v make >/dev/null 2>&1 || packages+=(build-essential)
command -v python3 >/dev/null 2>&1 || packages+=(python3)
if [ "$want_test" -eq 1 ]; then
  packages+=(chromium mosquitto xvfb imagemagick)
fi

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done

if [ "${#missing[@]}" -gt 0 ]; then
  if ! command -v apt-get >/dev/null 2>&1; then
    echo "setup: missing system packages (${missing[*]}) and no apt-get to install them; install them by hand" >&2
    exit 1
  fi
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo=(sudo); else
      echo "setup: missing system packages (${missing[*]}); run as root or install sudo" >&2
      exit 1
    fi
  fi
  log "installing ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  log "system packages present (${packages[*]})"
fi

# --- node modules -----------------------------------------------------------------------------
export ONNXRUNTIME_NODE_INSTALL=skip ELECTRON_SKIP_BINARY_DOWNLOAD=1
stamp=node_modules/.package-lock.json
if [ ! -d node_modules ] || [ ! -f "$stamp" ] || { [ -f package-lock.json ] && [ package-lock.json -nt "$stamp" ]; }; then
  if [ -f package-lock.json ]; then
    log "npm ci (node_modules missing or older than package-lock.json)"
    npm ci --no-audit --no-fund
  else
    log "npm install (no package-lock.json)"
    npm install --no-audit --no-fund
  fi
else
  log "node_modules up to date"
fi
