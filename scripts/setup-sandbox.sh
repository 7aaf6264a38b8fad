#!/usr/bin/env bash
# Installs bubblewrap, which contains every evaluation, when it is missing and this machine lets us
# (root with apt-get). Otherwise says what to do; Kaizen itself then refuses to evaluate and
# names the fix. Quiet when bubblewrap is already there.
set -euo pipefail
if command -v bwrap >/dev/null 2>&1; then
  exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  echo "setup: installing bubblewrap (the sandbox every evaluation runs in)" >&2
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  echo "setup: installing bubblewrap with sudo (the sandbox every evaluation runs in)" >&2
  sudo -n apt-get update -qq >/dev/null 2>&1 || true
  sudo -n env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq bubblewrap >/dev/null
else
  echo "setup: bubblewrap is missing and cannot be installed from here; install the 'bubblewrap' package" >&2
  echo "       (Kaizen refuses to evaluate without a sandbox unless given --unsafe-no-sandbox)" >&2
fi
