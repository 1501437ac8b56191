#!/usr/bin/env bash
# Measures a live run over an AWS Organization against moto: calls and wall time of
# `snapshot --accounts org --regions us-east-1,us-west-2`, with every answer on time and with a
# fixed latency added by a local proxy (tests/moto/deny_proxy.py --delay).
#
# Usage: bash scripts/bench-org.sh [EMPTY_ACCOUNTS] [DELAY_SECONDS] [CONCURRENCY]
#   EMPTY_ACCOUNTS  accounts with nothing in them, besides the management account and the three
#                   members of tests/moto/organization.py (default 16: 20 ACTIVE accounts)
#   DELAY_SECONDS   latency per call of the second run (default 0.05)
#   CONCURRENCY     --concurrency (default 8)
# Needs .venv (bash scripts/test.sh creates it) and a debug build (cargo build).
set -euo pipefail
cd "$(dirname "$0")/.."
empty=${1:-16}
delay=${2:-0.05}
concurrency=${3:-8}
bin=target/debug/efs-preflight
[ -x "$bin" ] || cargo build --quiet
work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  rm -rf "$work"
}
trap cleanup EXIT

port=$(.venv/bin/python -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
.venv/bin/moto_server -H 127.0.0.1 -p "$port" >"$work/moto.log" 2>&1 &
pids+=($!)
until curl -s -o /dev/null "http://127.0.0.1:$port/moto-api/"; do sleep 0.05; done
ids=$(.venv/bin/python tests/moto/organization.py --endpoint "http://127.0.0.1:$port" --empty "$empty")
locked=$(.venv/bin/python -c 'import json,sys; print(json.load(sys.stdin)["locked"])' <<<"$ids")

run() { # DELAY
  rm -f "$work/port"
  .venv/bin/python tests/moto/deny_proxy.py --upstream "http://127.0.0.1:$port" \
    --port-file "$work/port" --deny-account "$locked" --delay "$1" &
  local proxy=$!
  until [ -s "$work/port" ]; do sleep 0.05; done
  local start end
  start=$(date +%s.%N)
  AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing AWS_EC2_METADATA_DISABLED=true \
    "$bin" snapshot -o "$work/org.json" --accounts org --regions us-east-1,us-west-2 \
    --role-name efs-preflight-audit --concurrency "$concurrency" \
    --endpoint-url "http://127.0.0.1:$(cat "$work/port")" --region us-east-1 2>"$work/err"
  end=$(date +%s.%N)
  kill "$proxy"
  local total
  total=$(grep -o 'estates read in .*' "$work/err" | tail -1)
  printf '| %s s | %s | %.1f s |\n' "$1" "$total" "$(echo "$end - $start" | bc)"
}

echo "| latency per call | run (from stderr) | wall time |"
echo "| --- | --- | --- |"
run 0
run "$delay"
