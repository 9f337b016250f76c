#!/usr/bin/env bash
# Installs what the project needs beyond npm packages, where missing:
# - Node.js 22 from the npm registry's `node` package into .tools/ (the machines ship Node 20,
#   OpenTelemetry JS needs >= 22.15); put .tools/node_modules/.bin first on PATH to use it;
# - Prometheus, promtool, Alertmanager, amtool and the node, postgres and redis exporters from
#   Debian's packages (tests run promtool and a real Prometheus).
set -euo pipefail
cd "$(dirname "$0")/.."

NODE_MAJOR=22
if ! [ -x .tools/node_modules/.bin/node ] || [[ "$(.tools/node_modules/.bin/node --version)" != v${NODE_MAJOR}.* ]]; then
  mkdir -p .tools
  [ -f .tools/package.json ] || echo '{"name":"agent-telemetry-tools","private":true}' > .tools/package.json
  (cd .tools && npm install --no-audit --no-fund --no-save "node@${NODE_MAJOR}")
fi

need=()
command -v promtool >/dev/null || need+=(prometheus)
command -v amtool >/dev/null || need+=(prometheus-alertmanager)
[ -x /usr/bin/prometheus-node-exporter ] || need+=(prometheus-node-exporter)
[ -x /usr/bin/prometheus-postgres-exporter ] || need+=(prometheus-postgres-exporter)
[ -x /usr/bin/prometheus-redis-exporter ] || need+=(prometheus-redis-exporter)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "install-tools: missing ${need[*]}; run as root or install them with apt-get" >&2
    exit 1
  fi
  apt-get update -qq
  # The packages' own services are not wanted here: tests start what they need on their own ports.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  for svc in prometheus prometheus-alertmanager prometheus-node-exporter prometheus-postgres-exporter prometheus-redis-exporter; do
    (service "$svc" stop || true) >/dev/null 2>&1
  done
fi
