#!/usr/bin/env bash
# The whole test suite, as CI runs it (`.ci/run` calls this script).
# Installs what it needs through the project's own files, then runs the
# lint gates and every test of the workspace.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

# --- MIT Kerberos KDC for the GSSAPI tests --------------------------------------
# Before clippy: it installs the packages the `gssapi` feature builds against
# (libkrb5-dev, libclang-dev) when missing; before the secure broker, which logs
# in to it at startup. Its env (KRB5_CONFIG, KRB5CCNAME, KRAFKA_KERBEROS_DIR)
# is what the GSSAPI tests and the GSSAPI library read. Stopped on exit (with the
# brokers once they start; KRAFKA_KEEP_BROKERS=1 keeps it too).
step "Kerberos KDC (scripts/kerberos/kdc.sh)"
kdc_started=$(date +%s.%N)
[[ "${KRAFKA_KEEP_BROKERS:-0}" == 1 ]] || trap 'scripts/kerberos/kdc.sh stop || true' EXIT
eval "$(scripts/kerberos/kdc.sh start)"
echo "KDC ready in $(awk -v a="$kdc_started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }') s"

step "cargo clippy --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "cargo package: the published crates as crates.io would get them (offline, verified)"
# Each crate is packed and built from its .crate file; crates that depend on
# each other resolve through a temporary local registry, and the registry
# crates come from the local cargo cache. --allow-dirty: a dry run of local
# changes is the point.
# Cargo unpacks the temporary registry's crates under registry/src/-<hash of
# its path>/ and never unpacks a name-version there again: a later run from
# the same checkout path would build against the previous run's sources.
rm -rf "${CARGO_HOME:-$HOME/.cargo}"/registry/src/-*/krafka{,-derive,-core,-client,-cli}-[0-9]*
cargo package --offline --locked --allow-dirty \
    -p krafka-derive -p krafka-core -p krafka-client -p krafka -p krafka-cli

step "codecs compiled out: krafka-core and krafka-client tests with --no-default-features"
cargo test --locked -p krafka-core --no-default-features
cargo test --locked -p krafka-client --lib --no-default-features

# --- Real Kafka brokers for the broker_* integration tests -------------------
# single (4.4.0, :9092), cluster (3 x 4.4.0, :9192-9194), old (3.9.2, :9392),
# secure (4.4.0 with TLS, SASL and ACLs, :9492-9498, GSSAPI on :9501);
# stopped again on exit, also when a test fails or the run is interrupted
# (KRAFKA_KEEP_BROKERS=1 leaves them running for the next run).
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }'; }
stop_brokers() {
    local status=$?
    if [[ "${KRAFKA_KEEP_BROKERS:-0}" != 1 ]]; then
        step "stopping Kafka brokers"
        local t; t=$(date +%s.%N)
        scripts/kafka/kafka.sh stop all || true
        scripts/kerberos/kdc.sh stop || true
        echo "brokers stopped in $(elapsed "$t") s"
    fi
    echo "whole suite (script start to end): ${SECONDS} s"
    exit "$status"
}
trap stop_brokers EXIT
trap 'exit 130' INT TERM

step "Kafka brokers: fetch, start single, cluster, old, secure"
brokers_started=$(date +%s.%N)
scripts/kafka/kafka.sh fetch --all
for target in single cluster old secure; do
    t=$(date +%s.%N)
    scripts/kafka/kafka.sh start "$target"
    echo "$target started in $(elapsed "$t") s"
done
echo "brokers ready in $(elapsed "$brokers_started") s (fetch included)"
export KRAFKA_BOOTSTRAP="${KRAFKA_BOOTSTRAP:-127.0.0.1:9092}"
export KRAFKA_CLUSTER_BOOTSTRAP="${KRAFKA_CLUSTER_BOOTSTRAP:-127.0.0.1:9192}"
export KRAFKA_OLD_BOOTSTRAP="${KRAFKA_OLD_BOOTSTRAP:-127.0.0.1:9392}"
export KRAFKA_SECURE_BOOTSTRAP="${KRAFKA_SECURE_BOOTSTRAP:-$(scripts/kafka/kafka.sh bootstrap secure)}"
export KRAFKA_SECURE_CERTS="${KRAFKA_SECURE_CERTS:-$(scripts/kafka/kafka.sh certs)}"
# -----------------------------------------------------------------------------

step "cargo test (unit, property, trybuild ui, doc tests, real-broker tests)"
cargo test --workspace --locked

step "a user's crate outside the workspace (tests/user-crate): derives with krafka alone"
# Its own workspace and lockfile (the workspace's versions, so it builds from
# the same cargo cache); sharing target/ reuses the registry crates built above.
cargo test --manifest-path tests/user-crate/Cargo.toml --locked --target-dir target

step "examples: every one of krafka/examples (against the single broker; secure against the secure node)"
run_example() { cargo run --quiet --locked -p krafka --example "$@" >/dev/null; }
run_example roundtrip
run_example quickstart
# producer writes a topic that consumer then reads to its end.
KRAFKA_TOPIC="examples-$$" run_example producer
KRAFKA_TOPIC="examples-$$" run_example consumer
run_example group_consumer
run_example transactional_pipeline
run_example admin
run_example derived_message
# The secure node's SASL_SSL listener is the one after its SSL one.
KRAFKA_SASL_SSL_BOOTSTRAP="${KRAFKA_SECURE_BOOTSTRAP%:*}:$((${KRAFKA_SECURE_BOOTSTRAP##*:} + 1))" \
    KRAFKA_SSL_CA_LOCATION="$KRAFKA_SECURE_CERTS/ca.pem" run_example secure
echo "ok"

step "main job (README's first command), 200,000 records"
RECORDS=200000 scripts/main-job.sh
