#!/usr/bin/env bash
# Consume throughput: krafka vs rust-rdkafka (librdkafka) vs Kafka's Java
# consumer perf tool. Produces one topic once (krafka perf produce), then
# each client reads all of it from the beginning, one after another; prints
# each tool's RESULT line and a comparison table.
#
#   scripts/perf/consume-compare.sh            # the issue's workload (2,000,000 records)
#   NUM_RECORDS=200000 scripts/perf/consume-compare.sh   # a quick run
#   TOPIC=perf-consume-123 scripts/perf/consume-compare.sh   # reuse a topic
#
# Environment (defaults = the issue's workload):
#   BOOTSTRAP=127.0.0.1:9092  NUM_RECORDS=2000000  RECORD_SIZE=100  PARTITIONS=6
#   TOPIC=                 unset: produce a fresh topic (PARTITIONS partitions,
#                          RF 1, NUM_RECORDS keyless records of RECORD_SIZE
#                          bytes, acks=all, idempotent); set: read that topic,
#                          which must hold at least NUM_RECORDS records
#   PROPS=                 consumer properties "k=v k=v" for all three
#                          (krafka and rdkafka-perf -X, Java --consumer.config);
#                          unset: each client's defaults
#   RDKAFKA_TUNED_PROPS="fetch.queue.backoff.ms=10"   added to PROPS for the
#                          rdkafka-tuned run: librdkafka's default of 1000 ms
#                          pauses a partition's fetches for a second whenever
#                          its queue holds queued.min.messages (100000), which
#                          idles it for most of a 2,000,000-record run
#   TOOLS="krafka rdkafka rdkafka-tuned krafka-group rdkafka-group rdkafka-group-tuned java"
#                          which to run, in this order; the -group ones join
#                          a consumer group of their own (subscribe) as Java
#                          does
#                          (krafka-tls and rdkafka-tls: no group, over
#                          SASL_SSL/SCRAM from a topic of the secure node,
#                          see lib.sh; krafka028: crates.io krafka 0.28 with
#                          no group, bench/krafka028-perf, which takes only
#                          the fetch properties it maps; not in the default
#                          TOOLS)
#   CLUSTER=0              1: the 3-node cluster, the topic with replication
#                          factor 3 (REPLICATION_FACTOR; see lib.sh)
#   BUSY_CORE=0            1: one core kept busy by a bounded CPU-burning
#                          process while each client is measured (lib.sh)
#   KAFKA_TOOLS_VERSION=<KAFKA_VERSION>  START_BROKER=1   see lib.sh
#
# Clocks: krafka and rdkafka-perf from the first poll after assigning every
# partition at its beginning (no group) to the Nth record, their -group runs
# from the first record (the join excluded) to the Nth; Java's
# ConsumerPerformance joins a group (subscribe), and its fetch.* columns
# (rebalance time excluded) are used. CPU is the whole client process's
# user+system time and peak RSS its VmHWM: /proc/self for krafka and
# rdkafka-perf, GNU time for the JVM (start-up, JIT and group join included).
# Needs what produce-compare.sh needs.
set -euo pipefail

NUM_RECORDS="${NUM_RECORDS:-2000000}"
RECORD_SIZE="${RECORD_SIZE:-100}"
PARTITIONS="${PARTITIONS:-6}"
TOPIC="${TOPIC:-}"
PROPS="${PROPS:-}"
RDKAFKA_TUNED_PROPS="${RDKAFKA_TUNED_PROPS-fetch.queue.backoff.ms=10}"
TOOLS="${TOOLS:-krafka rdkafka rdkafka-tuned krafka-group rdkafka-group rdkafka-group-tuned java}"
# shellcheck source=scripts/perf/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# -X key=value for each of PROPS and the arguments (one per line, for mapfile).
x_flags() {
    local prop
    for prop in $PROPS "$@"; do
        printf '%s\n' -X "$prop"
    done
}

produce_topic() {
    if ! tr ' ' '\n' <<< "$TOOLS" | grep -qv -- '-tls$\|^$'; then
        return 0 # only TLS rows: they have their own topic
    fi
    if [[ -n "$TOPIC" ]]; then
        log "reading the existing topic $TOPIC"
        return
    fi
    TOPIC="perf-consume-$RUN_ID"
    created_topic "$TOPIC"
    log "producing $NUM_RECORDS records of $RECORD_SIZE B to $TOPIC ($PARTITIONS partitions, replication factor $REPLICATION_FACTOR) with krafka"
    "$KRAFKA" perf produce -q --bootstrap "$BOOTSTRAP" --topic "$TOPIC" \
        --num-records "$NUM_RECORDS" --record-size "$RECORD_SIZE" \
        --partitions "$PARTITIONS" --replication-factor "$REPLICATION_FACTOR" \
        --acks all --label topic-writer > "$OUT/produce-$RUN_ID.out"
    cat "$OUT/produce-$RUN_ID.out" >&2
}

# (The writer's RESULT line is labelled topic-writer: it is no client's
# consume run.)
# The TLS rows read a topic of their own on the secure node, written the
# same way over SASL_SSL.
TLS_TOPIC=""
produce_tls_topic() {
    [[ " $TOOLS " == *-tls\ * ]] || return 0
    TLS_TOPIC="secure-perf-consume-$RUN_ID"
    created_tls_topic "$TLS_TOPIC"
    mapfile -t tls < <(tls_flags)
    log "producing $NUM_RECORDS records of $RECORD_SIZE B to $TLS_TOPIC on $TLS_BOOTSTRAP (SASL_SSL) with krafka"
    "$KRAFKA" perf produce -q --bootstrap "$TLS_BOOTSTRAP" "${tls[@]}" --topic "$TLS_TOPIC" \
        --num-records "$NUM_RECORDS" --record-size "$RECORD_SIZE" \
        --partitions "$PARTITIONS" --acks all --label topic-writer > "$OUT/produce-tls-$RUN_ID.out"
    cat "$OUT/produce-tls-$RUN_ID.out" >&2
}

# krafka_consume LABEL BINARY [FLAGS...]: krafka's run with BINARY and
# extra perf flags, its RESULT line labelled LABEL.
krafka_consume() {
    local label="$1" binary="$2"
    shift 2
    mapfile -t flags < <(x_flags)
    log "$label: $binary perf consume --topic $TOPIC --num-records $NUM_RECORDS $* ${flags[*]}"
    busy_start
    "$binary" perf consume --bootstrap "$BOOTSTRAP" --topic "$TOPIC" \
        --num-records "$NUM_RECORDS" "$@" "${flags[@]}" \
        | sed "s/^RESULT krafka /RESULT $label /" | tee -a "$RESULTS"
    busy_stop
}

run_krafka() { krafka_consume krafka "$KRAFKA"; }
run_krafka-base() { krafka_consume krafka-base "$KRAFKA_BASE"; }
run_krafka-group() { krafka_consume krafka-group "$KRAFKA" --group "perf-krafka-$RUN_ID"; }

# rdkafka_consume LABEL [EXTRA_PROPS...]: rdkafka-perf consume with PROPS
# and the extra properties, its RESULT line labelled LABEL.
rdkafka_consume() {
    local label="$1"
    shift
    mapfile -t flags < <(x_flags "$@")
    log "$label: $RDKAFKA consume --topic $TOPIC --num-records $NUM_RECORDS ${flags[*]}"
    local group_flags=()
    [[ -z "${GROUP:-}" ]] || group_flags=(--group "$GROUP")
    busy_start
    "$RDKAFKA" consume --bootstrap "$BOOTSTRAP" --topic "$TOPIC" --label "$label" \
        --num-records "$NUM_RECORDS" "${group_flags[@]}" "${flags[@]}" | tee -a "$RESULTS"
    busy_stop
}

# Upstream Krafka 0.28 (crates.io), no group, with PROPS.
run_krafka028() {
    mapfile -t flags < <(x_flags)
    log "krafka028: $KRAFKA028 consume --topic $TOPIC --num-records $NUM_RECORDS ${flags[*]}"
    busy_start
    "$KRAFKA028" consume --bootstrap "$BOOTSTRAP" --topic "$TOPIC" --label krafka028 \
        --num-records "$NUM_RECORDS" "${flags[@]}" | tee -a "$RESULTS"
    busy_stop
}

run_rdkafka() { rdkafka_consume rdkafka; }
run_rdkafka-group() { GROUP="perf-rdkafka-$RUN_ID" rdkafka_consume rdkafka-group; }

# shellcheck disable=SC2086
run_rdkafka-group-tuned() {
    GROUP="perf-rdkafka-tuned-$RUN_ID" rdkafka_consume rdkafka-group-tuned $RDKAFKA_TUNED_PROPS
}

# shellcheck disable=SC2086
run_rdkafka-tuned() { rdkafka_consume rdkafka-tuned $RDKAFKA_TUNED_PROPS; }

run_krafka-tls() {
    mapfile -t tls < <(tls_flags)
    BOOTSTRAP="$TLS_BOOTSTRAP" TOPIC="$TLS_TOPIC" krafka_consume krafka-tls "$KRAFKA" "${tls[@]}"
}
# librdkafka still looks up its (unjoined) group's coordinator, which the ACLs
# allow only for groups named secure-*.
run_rdkafka-tls() {
    mapfile -t props < <(tls_props)
    BOOTSTRAP="$TLS_BOOTSTRAP" TOPIC="$TLS_TOPIC" rdkafka_consume rdkafka-tls "${props[@]}" \
        "group.id=secure-perf-rdkafka-$RUN_ID"
}

run_java() {
    local out="$OUT/java-consume-$RUN_ID.out" timing="$OUT/java-consume-$RUN_ID.time"
    local config="$OUT/java-consume-$RUN_ID.properties" prop
    : > "$config"
    for prop in $PROPS; do
        echo "$prop" >> "$config"
    done
    # --messages became --num-records (the old name warns from 4.x on).
    local count_flag=--messages help
    help="$(java -cp "$JAVA_LIBS/*" org.apache.kafka.tools.ConsumerPerformance --help 2>&1 || true)"
    if grep -q -- '--num-records' <<< "$help"; then
        count_flag=--num-records
    fi
    log "java: ConsumerPerformance (kafka-tools $KAFKA_TOOLS_VERSION) --topic $TOPIC $count_flag $NUM_RECORDS ${PROPS}"
    run_java_tool "$out" "$timing" org.apache.kafka.tools.ConsumerPerformance \
        --bootstrap-server "$BOOTSTRAP" --topic "$TOPIC" "$count_flag" "$NUM_RECORDS" \
        --timeout 60000 --consumer.config "$config"
    # Header "start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg,
    # nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec", then the values.
    local values; values="$(grep -A1 '^start.time, end.time' "$out" | tail -n 1)"
    echo "$values"
    local n fetch_ms mbps rps
    IFS=, read -r _ _ _ _ n _ _ fetch_ms mbps rps <<< "$values"
    java_result "$n" "$RECORD_SIZE" "$(awk -v ms="$fetch_ms" 'BEGIN { printf "%.3f", ms / 1000 }')" \
        "$rps" "$mbps" "$timing"
}

build
ensure_broker
log "load before the runs: $(uptime)"
produce_topic
produce_tls_topic
for tool in $TOOLS; do
    "run_$tool"
done
props_text="$PROPS"
[[ -n "$props_text" ]] || props_text="each client's defaults"
load_text="$(uptime | sed 's/.*load average/load average/')"
shape="$PARTITIONS partitions"
[[ "$REPLICATION_FACTOR" == 1 ]] || shape+=", replication factor $REPLICATION_FACTOR on $BOOTSTRAP"
[[ "$BUSY_CORE" == 1 ]] && shape+=", one core kept busy"
table "$NUM_RECORDS records x $RECORD_SIZE B from the beginning of ${TOPIC:-}${TLS_TOPIC:+ (TLS rows: $TLS_TOPIC over SASL_SSL)} ($shape), no compression, consumer properties: $props_text, rdkafka-tuned adds $RDKAFKA_TUNED_PROPS; at the end $load_text" "<= 0.7x" "<= 0.5x"
