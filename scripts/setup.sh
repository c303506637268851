#!/usr/bin/env bash
# Sets up whatever a fresh clone is missing, then returns quickly on every later run.
#   scripts/setup.sh          npm packages and the nimbus bundle (enough for `npm start`)
#   scripts/setup.sh --test   also the test services (PostgreSQL, MariaDB, RabbitMQ) and the
#                             reference clients + Tempest from Debian's packages
#   scripts/setup.sh --bench  also the load generator the benchmarks use (wrk)
set -euo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir=${npm_config_nodedir:-/usr}

need_node_major=20; need_node_minor=19
ver=$(node -p 'process.versions.node' 2>/dev/null || echo 0.0.0)
major=${ver%%.*}; rest=${ver#*.}; minor=${rest%%.*}
if [ "$major" -lt $need_node_major ] || { [ "$major" -eq $need_node_major ] && [ "$minor" -lt $need_node_minor ]; }; then
  echo "setup: Node.js >= ${need_node_major}.${need_node_minor} is required (found ${ver})." >&2
  exit 1
fi

# npm packages: install when node_modules is missing or older than the lock file.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm packages (native addons compile from source: a few minutes the first time)"
  npm ci --no-audit --no-fund --loglevel=error
fi

# Debian packages the cloud's real drivers use.
apt_missing() { for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || printf '%s ' "$p"; done; }
apt_install() {
  local missing; missing=$(apt_missing "$@")
  [ -z "$missing" ] && return 0
  echo "setup: installing Debian packages: $missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # shellcheck disable=SC2086
  apt-get install -y -qq --no-install-recommends $missing >/dev/null
}
# qemu-img for image conversion and file volumes; qemu-storage-daemon (qemu-system-common) exports volumes over NBD.
apt_install qemu-utils qemu-system-common

if [ "${1:-}" = "--test" ]; then
  bash test/conformance/install-clients.sh
  bash scripts/ensure-databases.sh
  bash scripts/ensure-rabbitmq.sh
fi
if [ "${1:-}" = "--bench" ]; then
  apt_install wrk
fi

node scripts/build.mjs >/dev/null
