#!/usr/bin/env bash
# The whole test suite, exactly as CI runs it: installs the test tools it needs (moto server in a
# local virtualenv), checks formatting and lints, then runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing here reads a terminal; an inherited stdin must not reach the tools (cargo's rustc probe
# reads its standard input).
exec </dev/null

# moto (server mode) for the live-collector tests and pre-commit for the hook tests, in .venv/
# beside the sources.
if [ ! -x .venv/bin/moto_server ] || [ ! -x .venv/bin/pre-commit ] || ! .venv/bin/python -c 'import boto3, moto' 2>/dev/null; then
  python3 -m venv .venv
  .venv/bin/pip install --quiet --disable-pip-version-check -r tests/requirements.txt
fi

# Microsoft's SARIF validator for the SARIF output tests, in .tools/ beside the sources.
if [ ! -x .tools/node_modules/.bin/sarif-multitool ]; then
  npm install --prefix .tools --silent --no-audit --no-fund --no-save @microsoft/sarif-multitool@5.7.0
fi

# Graphviz `dot` renders the --graph pictures in tests/picture.rs.
command -v dot >/dev/null || (apt-get update && apt-get install -y graphviz)

# Mermaid's own parser (run under jsdom) checks the Mermaid flowcharts in tests/picture.rs.
if [ ! -d .tools/node_modules/mermaid ] || [ ! -d .tools/node_modules/jsdom ]; then
  npm install --prefix .tools --silent --no-audit --no-fund --no-save \
    @microsoft/sarif-multitool@5.7.0 mermaid@12.3.0 jsdom@29.1.1
fi

cargo fmt --check
cargo clippy --all-targets --locked -- -D warnings
cargo test --all-targets --locked
# The MCP server (feature `mcp`, not in the default build), without the AWS SDK.
cargo clippy --no-default-features --features mcp --all-targets --locked -- -D warnings
cargo test --no-default-features --features mcp --locked --lib --test mcp
