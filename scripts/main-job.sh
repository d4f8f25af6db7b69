#!/usr/bin/env bash
# Krafka's main job: a produce/consume round trip of 1,000,000 records with
# the `krafka` command-line tool, printing both throughputs.
#
#   ./scripts/main-job.sh
#
# - Kafka: KRAFKA_BOOTSTRAP (default 127.0.0.1:9092). When nothing answers
#   there, a single local broker (Apache Kafka from Maven Central, see
#   scripts/kafka/README.md) is started on that port, in its own directory
#   (.cache/main-job/kafka; the jars are shared with scripts/kafka), and
#   stopped and wiped at exit. A broker that was already running is left
#   alone.
# - Builds the CLI (release), creates a fresh topic (PARTITIONS, default 6),
#   runs `krafka perf produce` (RECORDS, default 1,000,000, of RECORD_SIZE,
#   default 100, bytes) and `krafka perf consume` (from the beginning of
#   every partition, until all of them are back), deletes the topic, and
#   prints a summary.
#
# Needs: a Rust toolchain; Java 17+ and Maven only when it starts Kafka.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT=$PWD

BOOTSTRAP=${KRAFKA_BOOTSTRAP:-127.0.0.1:9092}
RECORDS=${RECORDS:-1000000}
RECORD_SIZE=${RECORD_SIZE:-100}
PARTITIONS=${PARTITIONS:-6}
KRAFKA=$ROOT/target/release/krafka
OWN_KAFKA_HOME=$ROOT/.cache/main-job/kafka

log() { printf '[main-job] %s\n' "$*" >&2; }
die() { printf '[main-job] ERROR: %s\n' "$*" >&2; exit 1; }
# answers HOST PORT: something accepts TCP connections there (within 5 s,
# so that an address that drops packets does not hang the job).
answers() {
    local probe=(bash -c 'exec 3<>"/dev/tcp/$1/$2"' _ "$1" "$2")
    if command -v timeout >/dev/null; then probe=(timeout 5 "${probe[@]}"); fi
    "${probe[@]}" 2>/dev/null
}

first=${BOOTSTRAP%%,*}
host=${first%:*}
port=${first##*:}
[[ $port =~ ^[0-9]+$ && -n $host && $host != "$first" ]] || die "KRAFKA_BOOTSTRAP=$BOOTSTRAP is not host:port"

started_kafka=0
topic=""
work=$(mktemp -d)

cleanup() {
    local status=$?
    if [[ -n $topic ]]; then
        "$KRAFKA" topic delete -b "$BOOTSTRAP" "$topic" >/dev/null 2>&1 || true
    fi
    if ((started_kafka)); then
        log "stopping the Kafka this job started (127.0.0.1:$port) and removing its data"
        KRAFKA_KAFKA_HOME=$OWN_KAFKA_HOME KRAFKA_KAFKA_PORT=$port \
            scripts/kafka/kafka.sh reset single >/dev/null 2>&1 || true
    fi
    rm -rf "$work"
    exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- Kafka
if answers "$host" "$port"; then
    log "using the Kafka that answers at $BOOTSTRAP"
else
    case $host in
        127.0.0.1 | localhost) ;;
        *) die "nothing answers at $BOOTSTRAP, and a local broker can only be started on 127.0.0.1" ;;
    esac
    if [[ -n ${KRAFKA_KAFKA_PORT:-} && $KRAFKA_KAFKA_PORT != "$port" ]]; then
        die "KRAFKA_KAFKA_PORT=$KRAFKA_KAFKA_PORT but KRAFKA_BOOTSTRAP=$BOOTSTRAP: they must agree"
    fi
    log "nothing answers at $BOOTSTRAP: starting a local Kafka on 127.0.0.1:$port"
    # The jars live in the shared cache (KRAFKA_KAFKA_HOME or .cache/kafka);
    # the broker runs in a directory of its own, so it never meets (or
    # stops) the brokers scripts/kafka/kafka.sh runs for the tests.
    jars_home=$(realpath -m "${KRAFKA_KAFKA_HOME:-$ROOT/.cache/kafka}")
    version=${KRAFKA_KAFKA_VERSION:-$(tr -d ' \t\r\n' <KAFKA_VERSION)}
    KRAFKA_KAFKA_HOME=$jars_home scripts/kafka/kafka.sh fetch
    mkdir -p "$OWN_KAFKA_HOME"
    ln -sfn "$jars_home/$version" "$OWN_KAFKA_HOME/$version"
    started_kafka=1
    KRAFKA_KAFKA_HOME=$OWN_KAFKA_HOME KRAFKA_KAFKA_PORT=$port scripts/kafka/kafka.sh start single
    BOOTSTRAP=127.0.0.1:$port
fi

# ---------------------------------------------------------------- the CLI
log "building the krafka CLI (release)"
cargo build --release --locked --quiet -p krafka-cli

topic=main-job-$(date +%s)-$$
"$KRAFKA" topic create -b "$BOOTSTRAP" "$topic" -p "$PARTITIONS" -r 1 >/dev/null
log "topic $topic: $PARTITIONS partitions"

log "krafka perf produce: $RECORDS records of $RECORD_SIZE bytes"
"$KRAFKA" perf produce -b "$BOOTSTRAP" -t "$topic" --num-records "$RECORDS" \
    --record-size "$RECORD_SIZE" --label produce | tee "$work/produce.txt"

log "krafka perf consume: all $RECORDS records back"
"$KRAFKA" perf consume -b "$BOOTSTRAP" -t "$topic" --num-records "$RECORDS" \
    --label consume | tee "$work/consume.txt"

# field NAME FILE: the value of NAME=... on the RESULT line of FILE.
field() {
    awk -v key="$1" '/^RESULT / { for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == key) print kv[2] } }' "$2"
}
consumed=$(field records "$work/consume.txt")
[[ $consumed == "$RECORDS" ]] || die "consumed $consumed records, expected $RECORDS"
[[ $(field errors "$work/produce.txt") == 0 ]] || die "the producer reported errors"

cpus=$(nproc 2>/dev/null || echo '?')
printf '\n== Krafka main job: %s records of %s bytes, topic with %s partitions, Kafka at %s (%s cores)\n' \
    "$RECORDS" "$RECORD_SIZE" "$PARTITIONS" "$BOOTSTRAP" "$cpus"
printf '   produce: %12s records/s  %8s MB/s\n' "$(field records_per_sec "$work/produce.txt")" "$(field mb_per_sec "$work/produce.txt")"
printf '   consume: %12s records/s  %8s MB/s  (all %s records back)\n' \
    "$(field records_per_sec "$work/consume.txt")" "$(field mb_per_sec "$work/consume.txt")" "$consumed"
