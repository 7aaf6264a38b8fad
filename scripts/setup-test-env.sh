#!/usr/bin/env bash
# Installs what the test suite needs beyond the JDK and Maven: bubblewrap contains every evaluation
# (the hostile-candidate suite needs it), python3 and node run the shipped examples' evaluators.
# Uses only the system's package manager, and only when something is missing.
set -euo pipefail
"$(dirname "$0")/setup-sandbox.sh"
missing=()
command -v python3 >/dev/null 2>&1 || missing+=(python3)
command -v node >/dev/null 2>&1 || missing+=(nodejs)
command -v setsid >/dev/null 2>&1 || missing+=(util-linux)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "setup: installing ${missing[*]}" >&2
    apt-get update -qq >/dev/null 2>&1 || true
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "setup: missing ${missing[*]}; tests that need them are skipped" >&2
  fi
fi
