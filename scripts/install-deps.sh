#!/usr/bin/env bash
# Installs the Debian packages doppel builds and tests with, only those missing.
# Usage: scripts/install-deps.sh [extra-package...]
# Needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  g++ cmake make pkg-config
  libxxhash-dev        # shingle hashing (xxh3)
  libsimdjson-dev      # JSONL reading
  libutf8proc-dev      # NFKC + casefold, Unicode categories
  libzstd-dev zlib1g-dev  # .jsonl.zst / .jsonl.gz input and output
  libcli11-dev         # command line
  libfmt-dev           # formatting
  libgtest-dev         # tests
  "$@"
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "doppel: installing missing Debian packages: ${missing[*]}" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends "${missing[@]}"
