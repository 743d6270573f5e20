#!/usr/bin/env bash
# Installs what the tests and the demo need: InspIRCd, ngIRCd (a network
# without KNOCK), Anope (IRC services), PostgreSQL and openssl from Debian, Synapse from
# PyPI into a cached virtualenv. Idempotent, and a fast no-op when everything is present.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

# Debian package -> a file it installs that we need.
declare -A NEEDS=(
  [inspircd]=/usr/sbin/inspircd
  [anope]=/usr/sbin/anope
  [ngircd]=/usr/sbin/ngircd
  [postgresql]="$(ls -d /usr/lib/postgresql/*/bin/initdb 2>/dev/null | head -n1)"
  [curl]=/usr/bin/curl
  # The TLS tests make their certificates with it.
  [openssl]=/usr/bin/openssl
)
missing=()
for pkg in "${!NEEDS[@]}"; do
  f="${NEEDS[$pkg]}"
  if [ -z "$f" ] || [ ! -x "$f" ]; then missing+=("$pkg"); fi
done
command -v java >/dev/null || missing+=(openjdk-17-jdk-headless)

# python3 with a working venv module (Debian splits ensurepip into python3-venv).
PYTHON="${PYTHON:-python3}"
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
  PYTHON=/usr/bin/python3
  if ! [ -x "$PYTHON" ] || ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then missing+=(python3 python3-venv); fi
fi

if [ "${#missing[@]}" -gt 0 ]; then
  log "installing Debian packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  # Refresh the package lists only when apt does not know a package (fresh images have none).
  for pkg in "${missing[@]}"; do
    if ! apt-cache policy "$pkg" 2>/dev/null | grep -q 'Candidate: [0-9]'; then
      $SUDO apt-get update -qq; break
    fi
  done
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Synapse: a virtualenv per pinned version; the marker file is written only after a full install.
marker="$SYNAPSE_VENV/.installed"
if [ ! -f "$marker" ] || [ "$(cat "$marker")" != "$SYNAPSE_VERSION" ]; then
  log "installing matrix-synapse==$SYNAPSE_VERSION into $SYNAPSE_VENV"
  rm -rf "$SYNAPSE_VENV"
  mkdir -p "$IRC_BRIDGE_CACHE"
  "$PYTHON" -m venv "$SYNAPSE_VENV"
  "$SYNAPSE_VENV/bin/pip" install -q --disable-pip-version-check "matrix-synapse==$SYNAPSE_VERSION"
  "$SYNAPSE_VENV/bin/python" -c 'import synapse, sys; assert synapse.__version__ == sys.argv[1], synapse.__version__' "$SYNAPSE_VERSION"
  echo "$SYNAPSE_VERSION" >"$marker"
fi
