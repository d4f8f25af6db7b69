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
#   TOOLS="krafka rdkafka java"   which to run, in this order
#   KAFKA_TOOLS_VERSION=4.3.1     org.apache.kafka:kafka-tools from Maven Central
#                                 (4.4.0 is not published there)
#   START_BROKER=1         start `scripts/kafka/kafka.sh start single` when
#                          nothing answers on BOOTSTRAP, and stop it at the end
#
# CPU is the whole client process's user+system time and peak RSS its VmHWM:
# krafka and rdkafka-perf read /proc/self/stat and /proc/self/status at the
# end; the JVM is measured by /usr/bin/time -v (same kernel counters,
# getrusage of the child), JVM start-up and JIT included.
# Needs: cargo, a C compiler and make (librdkafka is built from source by
# rdkafka-sys; on Debian/Ubuntu: build-essential, and zlib comes vendored),
# Java 17+, Maven, GNU time (/usr/bin/time).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
BOOTSTRAP="${BOOTSTRAP:-127.0.0.1:9092}"
NUM_RECORDS="${NUM_RECORDS:-2000000}"
RECORD_SIZE="${RECORD_SIZE:-100}"
ACKS="${ACKS:-all}"
LINGER_MS="${LINGER_MS:-5}"
PARTITIONS="${PARTITIONS:-6}"
COMPRESSION="${COMPRESSION:-none}"
BATCH_SIZE="${BATCH_SIZE:-}"
TOOLS="${TOOLS:-krafka rdkafka java}"
KAFKA_TOOLS_VERSION="${KAFKA_TOOLS_VERSION:-4.3.1}"
START_BROKER="${START_BROKER:-1}"

OUT="$ROOT/.cache/perf"
RUN_ID="$(date +%s)"
RESULTS="$OUT/results-$RUN_ID.txt"
mkdir -p "$OUT"
: > "$RESULTS"

log() { echo "[perf] $*" >&2; }

KRAFKA="$ROOT/target/release/krafka"
RDKAFKA="$ROOT/bench/rdkafka-perf/target/release/rdkafka-perf"
JAVA_LIBS="$OUT/java-$KAFKA_TOOLS_VERSION"

build() {
    local tool
    # krafka also creates every tool's topic.
    log "building krafka (release)"
    (cd "$ROOT" && cargo build --release -q -p krafka-cli)
    for tool in $TOOLS; do
        case "$tool" in
            krafka) ;;
            rdkafka)
                log "building bench/rdkafka-perf (release; librdkafka from source, a few minutes the first time)"
                (cd "$ROOT/bench/rdkafka-perf" && cargo build --release -q) ;;
            java)
                if [[ ! -f "$JAVA_LIBS/kafka-tools-$KAFKA_TOOLS_VERSION.jar" ]]; then
                    log "resolving kafka-tools $KAFKA_TOOLS_VERSION with Maven"
                    (cd "$ROOT/scripts/perf" && mvn -q -B dependency:copy-dependencies \
                        -Dkafka.tools.version="$KAFKA_TOOLS_VERSION" \
                        -DincludeScope=runtime -DoutputDirectory="$JAVA_LIBS")
                fi ;;
            *) log "unknown tool $tool"; exit 2 ;;
        esac
    done
}

STARTED_BROKER=0
broker_up() {
    local host="${BOOTSTRAP%%,*}"
    (exec 3<>"/dev/tcp/${host%:*}/${host##*:}") 2>/dev/null
}
ensure_broker() {
    if broker_up; then
        log "broker answers on $BOOTSTRAP"
    elif [[ "$START_BROKER" == 1 && "$BOOTSTRAP" == 127.0.0.1:9092 ]]; then
        log "starting the single-node broker"
        "$ROOT/scripts/kafka/kafka.sh" start single
        STARTED_BROKER=1
    else
        log "nothing answers on $BOOTSTRAP"; exit 1
    fi
}
cleanup() {
    if [[ "$STARTED_BROKER" == 1 ]]; then
        "$ROOT/scripts/kafka/kafka.sh" stop single || true
    fi
}
trap cleanup EXIT

# Common producer flags for krafka and rdkafka-perf.
common_flags() {
    local flags=(--bootstrap "$BOOTSTRAP" --num-records "$NUM_RECORDS"
        --record-size "$RECORD_SIZE" --acks "$ACKS" --linger-ms "$LINGER_MS"
        --compression "$COMPRESSION" -X enable.idempotence=true)
    [[ -n "$BATCH_SIZE" ]] && flags+=(--batch-size "$BATCH_SIZE")
    printf '%s\n' "${flags[@]}"
}

# A fresh topic per tool, created (PARTITIONS partitions, RF 1) by krafka.
make_topic() {
    local topic="perf-$1-$RUN_ID"
    "$KRAFKA" perf produce -q --bootstrap "$BOOTSTRAP" --topic "$topic" \
        --num-records 0 --partitions "$PARTITIONS" > /dev/null
    echo "$topic"
}

run_krafka() {
    local topic; topic="$(make_topic krafka)"
    mapfile -t flags < <(common_flags)
    log "krafka: $KRAFKA perf produce --topic $topic ${flags[*]}"
    "$KRAFKA" perf produce --topic "$topic" "${flags[@]}" | tee -a "$RESULTS"
}

run_rdkafka() {
    local topic; topic="$(make_topic rdkafka)"
    mapfile -t flags < <(common_flags)
    log "rdkafka: $RDKAFKA --topic $topic ${flags[*]}"
    "$RDKAFKA" --topic "$topic" "${flags[@]}" | tee -a "$RESULTS"
}

run_java() {
    local topic; topic="$(make_topic java)"
    local props=(bootstrap.servers="$BOOTSTRAP" acks="$ACKS" linger.ms="$LINGER_MS"
        compression.type="$COMPRESSION" enable.idempotence=true)
    [[ -n "$BATCH_SIZE" ]] && props+=(batch.size="$BATCH_SIZE")
    local out="$OUT/java-$RUN_ID.out" timing="$OUT/java-$RUN_ID.time"
    log "java: ProducerPerformance (kafka-tools $KAFKA_TOOLS_VERSION) --topic $topic ${props[*]}"
    /usr/bin/time -v -o "$timing" java -Xms256m -Xmx1g -cp "$JAVA_LIBS/*" \
        org.apache.kafka.tools.ProducerPerformance --topic "$topic" \
        --num-records "$NUM_RECORDS" --record-size "$RECORD_SIZE" --throughput -1 \
        --producer-props "${props[@]}" > "$out" 2>&1 || { cat "$out" >&2; exit 1; }
    # Final line: "N records sent, R records/sec (M MB/sec), ... ms avg latency, ..."
    local total; total="$(grep ' records sent, ' "$out" | tail -n 1)"
    echo "$total"
    local rps mbps user sys rss_kb
    rps="$(sed -E 's/.* records sent, ([0-9.]+) records\/sec.*/\1/' <<< "$total")"
    mbps="$(sed -E 's/.*\(([0-9.]+) MB\/sec\).*/\1/' <<< "$total")"
    user="$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$timing")"
    sys="$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$timing")"
    rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")"
    awk -v n="$NUM_RECORDS" -v s="$RECORD_SIZE" -v rps="$rps" -v mbps="$mbps" \
        -v u="$user" -v sy="$sys" -v rss="$rss_kb" 'BEGIN {
        cpu = u + sy
        printf "RESULT java records=%d record_size=%d elapsed_s=%.3f records_per_sec=%.1f mb_per_sec=%.3f cpu_s=%.2f cpu_us_per_record=%.3f peak_rss_mb=%.1f errors=0\n",
            n, s, n / rps, rps, mbps, cpu, cpu * 1e6 / n, rss / 1024 }' | tee -a "$RESULTS"
}

table() {
    echo
    echo "workload: $NUM_RECORDS records x $RECORD_SIZE B, acks=$ACKS, idempotent, linger.ms=$LINGER_MS, $PARTITIONS partitions, compression=$COMPRESSION, batch.size=${BATCH_SIZE:-client default}"
    awk '
    function field(name,   i, kv) {
        for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
        return ""
    }
    /^RESULT / {
        tool = $2; order[++n] = tool
        rps[tool] = field("records_per_sec"); mbps[tool] = field("mb_per_sec")
        cpu[tool] = field("cpu_s"); us[tool] = field("cpu_us_per_record"); rss[tool] = field("peak_rss_mb")
    }
    END {
        printf "| %-8s | %12s | %8s | %7s | %14s | %13s |\n", "client", "records/s", "MB/s", "CPU s", "CPU µs/record", "peak RSS MB"
        printf "|----------|--------------|----------|---------|----------------|---------------|\n"
        for (i = 1; i <= n; i++) { t = order[i]
            printf "| %-8s | %12.0f | %8.2f | %7.2f | %14.3f | %13.1f |\n", t, rps[t], mbps[t], cpu[t], us[t], rss[t] }
        if (("krafka" in rps) && ("rdkafka" in rps) && rps["rdkafka"] > 0 && us["rdkafka"] > 0) {
            printf "\nkrafka/rdkafka: records/s %.2fx (target >= 1.0x), CPU per record %.2fx (target <= 0.7x), peak RSS %.2fx\n",
                rps["krafka"] / rps["rdkafka"], us["krafka"] / us["rdkafka"], rss["krafka"] / rss["rdkafka"]
        }
        if (("krafka" in rps) && ("java" in rps) && rps["java"] > 0 && us["java"] > 0) {
            printf "krafka/java:    records/s %.2fx, CPU per record %.2fx, peak RSS %.2fx\n",
                rps["krafka"] / rps["java"], us["krafka"] / us["java"], rss["krafka"] / rss["java"]
        }
    }' "$RESULTS"
    echo "(RESULT lines in $RESULTS)"
}

build
ensure_broker
for tool in $TOOLS; do
    "run_$tool"
done
table
