#!/usr/bin/env bash
# End-to-end benchmark of `efs-preflight check --snapshot` at 500 and 5,000 services against
# the parse floor; see docs/performance.md. Extra arguments go to benches/run.py
# (--sizes 500,5000 --runs 5 --write-baseline ...).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
# Without the AWS SDK: it plays no part in `check --snapshot`.
cargo build --release --locked --no-default-features --features bench-tools \
  --bin efs-preflight --bin efs-preflight-bench
python3 benches/run.py --bin-dir "$target_dir/release" --work-dir "$target_dir/bench" "$@"
