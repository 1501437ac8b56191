#!/usr/bin/env bash
# End-to-end benchmark of `efs-preflight check --snapshot` on three generated estate shapes
# (standard, wide, iam) at 5,000 services, in all five report formats, against the parse floor,
# plus the first shape at 20,000 services for linearity; see docs/performance.md. Extra
# arguments go to benches/run.py (--shapes, --size, --scale-size, --runs, --formats,
# --write-baseline ...).
set -euo pipefail
cd "$(dirname "$0")/.."

target_dir="${CARGO_TARGET_DIR:-target}"
# Without the AWS SDK: it plays no part in `check --snapshot`.
cargo build --release --locked --no-default-features --features bench-tools \
  --bin efs-preflight --bin efs-preflight-bench
python3 benches/run.py --bin-dir "$target_dir/release" --work-dir "$target_dir/bench" "$@"
