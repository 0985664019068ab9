#!/usr/bin/env bash
# Starts the Loupe kiosk on this box's screen once the daemon answers /api/health.
# Uses the Electron shell (ui/shell/) when Electron's binary is installed, else falls back to
# `chromium --kiosk --app=URL`. Arguments after `--` go to the browser unchanged.
#
#   ui/shell/launch-kiosk.sh [--url URL] [--wait-s SECONDS] [--dev] [-- BROWSER-ARGS...]
#
# Environment: LOUPE_KIOSK_URL, LOUPE_KIOSK_WAIT_S, LOUPE_CHROMIUM (path),
# LOUPE_KIOSK_PROFILE (chromium profile dir), LOUPE_KIOSK_FORCE_CHROMIUM=1,
# LOUPE_KIOSK_SCREEN=WxH (else read from the X server with xdpyinfo or xrandr).
set -euo pipefail

url="${LOUPE_KIOSK_URL:-http://127.0.0.1:8080/}"
wait_s="${LOUPE_KIOSK_WAIT_S:-120}"
dev=0
browser_args=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --url) url="$2"; shift 2 ;;
    --url=*) url="${1#--url=}"; shift ;;
    --wait-s) wait_s="$2"; shift 2 ;;
    --dev) dev=1; shift ;;
    --) shift; browser_args=("$@"); break ;;
    *) echo "launch-kiosk: unknown option $1" >&2; exit 2 ;;
  esac
done
url="${url%/}/"
repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

wait_for_daemon() {
  local deadline=$((SECONDS + wait_s))
  echo "launch-kiosk: waiting for the daemon at ${url}api/health (up to ${wait_s} s)"
  until curl -fs --max-time 2 -o /dev/null "${url}api/health"; do
    if (( SECONDS >= deadline )); then
      echo "launch-kiosk: the daemon did not answer ${url}api/health within ${wait_s} s" >&2
      exit 3
    fi
    sleep 1
  done
}

# Prints the Electron binary's path if the npm package installed one (it can't be downloaded
# everywhere; ELECTRON_SKIP_BINARY_DOWNLOAD=1 leaves the package without it).
electron_binary() {
  [[ "${LOUPE_KIOSK_FORCE_CHROMIUM:-0}" == 1 ]] && return 1
  local path
  path="$(cd "$repo_root" && node -e "process.stdout.write(require('electron'))" 2>/dev/null)" || return 1
  [[ -x "$path" ]] && printf '%s' "$path"
}

find_chromium() {
  if [[ -n "${LOUPE_CHROMIUM:-}" ]]; then printf '%s' "$LOUPE_CHROMIUM"; return; fi
  local name
  for name in chromium chromium-browser google-chrome; do
    if command -v "$name" >/dev/null; then command -v "$name"; return; fi
  done
  return 1
}

# On a bare X server (no window manager) nobody honours Chromium's fullscreen request, and
# Chromium shrinks a window of exactly the screen's size by 1 px (so WMs don't maximise it).
# A window one pixel larger than the screen, at 0,0, covers it; under a WM, --kiosk wins anyway.
screen_geometry_args() {
  local size="${LOUPE_KIOSK_SCREEN:-}"
  if [[ -z "$size" && -n "${DISPLAY:-}" ]]; then
    if command -v xdpyinfo >/dev/null; then
      size="$(xdpyinfo 2>/dev/null | awk '/dimensions:/ && !found {print $2; found = 1}')" || size=''
    elif command -v xrandr >/dev/null; then
      size="$(xrandr --current 2>/dev/null | sed -n 's/.* current \([0-9]*\) x \([0-9]*\),.*/\1x\2/p')" || size=''
      size="${size%%$'\n'*}"
    fi
  fi
  [[ "$size" =~ ^([0-9]+)x([0-9]+)$ ]] || return 0
  printf '%s\n' "--window-position=0,0" "--window-size=$((BASH_REMATCH[1] + 1)),$((BASH_REMATCH[2] + 1))"
}

wait_for_daemon

if electron="$(electron_binary)"; then
  echo "launch-kiosk: starting the Electron shell ($electron)"
  (cd "$repo_root" && node --import tsx ui/shell/build.ts >/dev/null)
  shell_args=("--url=$url")
  (( dev )) && shell_args+=(--dev)
  exec "$electron" "$repo_root/ui/shell/dist/main.cjs" "${shell_args[@]}" "${browser_args[@]}"
fi

chromium="$(find_chromium)" || { echo "launch-kiosk: neither Electron nor chromium is installed" >&2; exit 4; }
profile="${LOUPE_KIOSK_PROFILE:-${XDG_CACHE_HOME:-$HOME/.cache}/loupe-kiosk}"
mkdir -p "$profile"
mapfile -t geometry < <(screen_geometry_args)
echo "launch-kiosk: Electron binary not found; starting $chromium --kiosk --app=$url"
exec "$chromium" --kiosk "--app=$url" "--user-data-dir=$profile" \
  --no-first-run --noerrdialogs --disable-session-crashed-bubble --disable-infobars \
  --disable-translate --disable-sync --disable-background-networking --disable-component-update \
  --disable-pinch --overscroll-history-navigation=0 --check-for-update-interval=31536000 \
  "${geometry[@]}" "${browser_args[@]}"
