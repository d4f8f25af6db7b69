#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls this script).
# Installs what it needs through the project's own files, then runs the
# lint gates and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo test (unit, property, trybuild ui, doc tests)"
cargo test --workspace --locked

step "example: roundtrip"
cargo run --quiet --locked -p krafka --example roundtrip >/dev/null
echo "ok"
