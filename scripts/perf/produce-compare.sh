#!/usr/bin/env bash
# Produce throughput: krafka vs rust-rdkafka (librdkafka) vs Kafka's Java
# producer perf tool, one after another against the same broker, same
# workload; prints each tool's RESULT line and a comparison table.
#
#   scripts/perf/produce-compare.sh            # the issue's workload (2,000,000 records)
#   NUM_RECORDS=200000 scripts/perf/produce-compare.sh   # a quick run
#
# Environment (defaults = the issue's workload):
#   BOOTSTRAP=127.0.0.1:9092  NUM_RECORDS=2000000  RECORD_SIZE=100  ACKS=all
#   LINGER_MS=5  PARTITIONS=6  COMPRESSION=none
#   BATCH_SIZE=            unset: each client's default (krafka and Java 16384,
#                          librdkafka 1000000); set to pin all three
#   TOOLS="krafka rdkafka java"   which to run, in this order (krafka-base:
#                          the binary in KRAFKA_BASE, for before/after runs;
#                          krafka028: crates.io krafka 0.28, bench/krafka028-perf;
#                          krafka-tls and rdkafka-tls: over SASL_SSL/SCRAM
#                          against the secure node, see lib.sh)
#   WARMUP_RECORDS=        each tool first sends this many records to a
#                          scratch topic, unmeasured (0: no warm-up), so that
#                          the first client does not meet a cold broker JVM;
#                          default 2,000,000 at 100 B, about 200 MB of values
#                          at larger RECORD_SIZE
#   CLUSTER=0              1: the 3-node cluster, topics with replication
#                          factor 3 (REPLICATION_FACTOR; see lib.sh)
#   BUSY_CORE=0            1: one core kept busy by a bounded CPU-burning
#                          process while each client is measured (lib.sh)
#   PRIME=1                write every partition of each measured topic once
#                          (unmeasured) before its client starts (0: don't)
#   KAFKA_TOOLS_VERSION=<KAFKA_VERSION>   org.apache.kafka:kafka-tools from
#                          Maven Central (the pinned broker version)
#   START_BROKER=1         start `scripts/kafka/kafka.sh start single` when
#                          nothing answers on BOOTSTRAP, and stop it at the end
#   KEEP_TOPICS=0          1: keep the topics the run made (deleted at exit)
# (the common parts live in lib.sh, shared with consume-compare.sh)
#
# CPU is the whole client process's user+system time and peak RSS its VmHWM:
# krafka and rdkafka-perf read /proc/self/stat and /proc/self/status at the
# end; the JVM is measured by /usr/bin/time -v (same kernel counters,
# getrusage of the child), JVM start-up and JIT included.
# Needs: cargo, a C compiler and make (librdkafka is built from source by
# rdkafka-sys; on Debian/Ubuntu: build-essential, and zlib comes vendored),
# Java 17+, Maven, GNU time (/usr/bin/time).
set -euo pipefail

NUM_RECORDS="${NUM_RECORDS:-2000000}"
RECORD_SIZE="${RECORD_SIZE:-100}"
ACKS="${ACKS:-all}"
LINGER_MS="${LINGER_MS:-5}"
PARTITIONS="${PARTITIONS:-6}"
COMPRESSION="${COMPRESSION:-none}"
BATCH_SIZE="${BATCH_SIZE:-}"
TOOLS="${TOOLS:-krafka rdkafka java}"
WARMUP_RECORDS="${WARMUP_RECORDS:-$((RECORD_SIZE > 100 ? 200000000 / RECORD_SIZE : 2000000))}"
PRIME="${PRIME:-1}"
# shellcheck source=scripts/perf/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Common producer flags for krafka and rdkafka-perf (with TLS=1: the TLS
# rows' listener and settings).
common_flags() {
    local bootstrap="$BOOTSTRAP"
    [[ "${TLS:-0}" == 1 ]] && bootstrap="$TLS_BOOTSTRAP"
    local flags=(--bootstrap "$bootstrap" --num-records "$NUM_RECORDS"
        --record-size "$RECORD_SIZE" --acks "$ACKS" --linger-ms "$LINGER_MS"
        --compression "$COMPRESSION" -X enable.idempotence=true)
    [[ -n "$BATCH_SIZE" ]] && flags+=(--batch-size "$BATCH_SIZE")
    printf '%s\n' "${flags[@]}"
    [[ "${TLS:-0}" == 1 ]] && tls_flags
    return 0
}

# A fresh topic per tool, created (PARTITIONS partitions, REPLICATION_FACTOR)
# by krafka.
# Its name in TOPIC_NAME.
make_topic() {
    TOPIC_SEQ=$((${TOPIC_SEQ:-0} + 1))
    if [[ "${TLS:-0}" == 1 ]]; then
        TOPIC_NAME="secure-perf-$1${TOPIC_TAG:-}-$RUN_ID-$TOPIC_SEQ"
        created_tls_topic "$TOPIC_NAME"
        mapfile -t tls < <(tls_flags)
        "$KRAFKA" perf produce -q --bootstrap "$TLS_BOOTSTRAP" "${tls[@]}" --topic "$TOPIC_NAME" \
            --num-records 0 --partitions "$PARTITIONS" > /dev/null
        return
    fi
    TOPIC_NAME="perf-$1${TOPIC_TAG:-}-$RUN_ID-$TOPIC_SEQ"
    created_topic "$TOPIC_NAME"
    "$KRAFKA" perf produce -q --bootstrap "$BOOTSTRAP" --topic "$TOPIC_NAME" \
        --num-records 0 --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" > /dev/null
    wait_writable "$TOPIC_NAME"
    [[ "$PRIME" == 1 ]] && prime "$TOPIC_NAME"
    return 0
}

# Waits until every partition of topic $1 answers ListOffsets. CreateTopics
# returns before the broker has made the partitions' logs (a loaded single
# node makes ~70 a second): until then it answers Produce with
# NOT_LEADER_OR_FOLLOWER, and a client that spreads records over 1,000
# partitions would be timed waiting for the topic's creation.
wait_writable() {
    local topic="$1" partition args=() try
    for ((partition = 0; partition < PARTITIONS; partition++)); do
        args+=(-t "$topic:$partition:-1")
    done
    for ((try = 0; try < 30; try++)); do
        if [[ "$("$KRAFKA" query -b "$BOOTSTRAP" "${args[@]}" 2> /dev/null | grep -c ' offset ')" \
            == "$PARTITIONS" ]]; then
            return
        fi
        sleep 1
    done
    log "$topic: not every partition answers ListOffsets yet; measuring anyway"
}

# krafka_produce LABEL BINARY: krafka's workload with BINARY, its RESULT
# line labelled LABEL.
krafka_produce() {
    local label="$1" binary="$2"
    make_topic "$label"; local topic="$TOPIC_NAME"
    mapfile -t flags < <(common_flags)
    log "$label: $binary perf produce --topic $topic ${flags[*]}"
    busy_start
    "$binary" perf produce --topic "$topic" "${flags[@]}" \
        | sed "s/^RESULT krafka /RESULT $label /" | tee -a "$RESULTS"
    busy_stop
}

run_krafka() { krafka_produce krafka "$KRAFKA"; }
run_krafka-base() { krafka_produce krafka-base "$KRAFKA_BASE"; }

run_rdkafka() {
    local label="${1:-rdkafka}"
    make_topic "$label"; local topic="$TOPIC_NAME"
    mapfile -t flags < <(common_flags)
    log "$label: $RDKAFKA --topic $topic ${flags[*]}"
    busy_start
    "$RDKAFKA" --topic "$topic" --label "$label" "${flags[@]}" | tee -a "$RESULTS"
    busy_stop
}

# Upstream Krafka 0.28 (crates.io), same flags as rdkafka-perf.
run_krafka028() {
    make_topic krafka028; local topic="$TOPIC_NAME"
    mapfile -t flags < <(common_flags)
    log "krafka028: $KRAFKA028 --topic $topic ${flags[*]}"
    busy_start
    "$KRAFKA028" --topic "$topic" --label krafka028 "${flags[@]}" | tee -a "$RESULTS"
    busy_stop
}

run_krafka-tls() { TLS=1 krafka_produce krafka-tls "$KRAFKA"; }
run_rdkafka-tls() { TLS=1 run_rdkafka rdkafka-tls; }

run_java() {
    make_topic java; local topic="$TOPIC_NAME"
    local props=(bootstrap.servers="$BOOTSTRAP" acks="$ACKS" linger.ms="$LINGER_MS"
        compression.type="$COMPRESSION" enable.idempotence=true)
    [[ -n "$BATCH_SIZE" ]] && props+=(batch.size="$BATCH_SIZE")
    local out="$OUT/java-$RUN_ID.out" timing="$OUT/java-$RUN_ID.time"
    log "java: ProducerPerformance (kafka-tools $KAFKA_TOOLS_VERSION) --topic $topic ${props[*]}"
    run_java_tool "$out" "$timing" org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
        --num-records "$NUM_RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
        --producer-props "${props[@]}"
    # Final line: "N records sent, R records/sec (M MB/sec), ... ms avg latency, ..."
    local total; total="$(grep ' records sent, ' "$out" | tail -n 1)"
    echo "$total"
    local rps mbps
    rps="$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<< "$total")"
    mbps="$(sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' <<< "$total")"
    java_result "$NUM_RECORDS" "$RECORD_SIZE" "$(awk -v n="$NUM_RECORDS" -v r="$rps" 'BEGIN { printf "%.3f", n / r }')" \
        "$rps" "$mbps" "$timing"
}

build
ensure_broker
if (( WARMUP_RECORDS > 0 )); then
    log "warm-up: $WARMUP_RECORDS records per tool, not measured"
    warmed=" "
    for tool in $TOOLS; do
        # A tool named twice (turns) is warmed up once.
        [[ "$warmed" == *" $tool "* ]] && continue
        warmed+="$tool "
        BUSY_CORE=0 NUM_RECORDS="$WARMUP_RECORDS" RESULTS=/dev/null TOPIC_TAG=-warmup "run_$tool" > /dev/null
    done
fi
for tool in $TOOLS; do
    "run_$tool"
done
load_text="$(uptime | sed 's/.*load average/load average/')"
shape="$PARTITIONS partitions"
[[ "$REPLICATION_FACTOR" == 1 ]] || shape+=" (replication factor $REPLICATION_FACTOR on $BOOTSTRAP)"
[[ "$BUSY_CORE" == 1 ]] && shape+=", one core kept busy"
table "$NUM_RECORDS records x $RECORD_SIZE B, acks=$ACKS, idempotent, linger.ms=$LINGER_MS, $shape, compression=$COMPRESSION, batch.size=${BATCH_SIZE:-client default}; at the end $load_text" "<= 0.7x"
