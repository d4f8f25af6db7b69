#!/usr/bin/env bash
# Latency at fixed rates: krafka vs rust-rdkafka (librdkafka), one after
# another against the same broker. For each rate in RATES and each mode:
#   produce: `perf produce --throughput R`, each record's latency from its
#            due time on the fixed schedule to its acknowledgement;
#   e2e:     `perf e2e --throughput R`, the same records read back by a
#            consumer in the same process, each one's latency from its due
#            time to its receipt by poll;
# then a table of p50/p95/p99/p99.9/max per mode, rate and client, with the
# achieved rate and krafka's p99 relative to rdkafka's (target <= 1.0x).
#
#   scripts/perf/latency-compare.sh                  # 10k, 100k, 500k records/s, ~10 s each
#   RATES=10000 DURATION=3 scripts/perf/latency-compare.sh   # quick
#   KRAFKA_BASE=/tmp/krafka-old scripts/perf/latency-compare.sh   # + krafka-base
#
# Environment:
#   BOOTSTRAP=127.0.0.1:9092  RATES="10000 100000 500000"  DURATION=10 (s per
#   rate and run: NUM_RECORDS = rate x DURATION)  MODES="produce e2e"
#   RECORD_SIZE=100  ACKS=all  LINGER_MS=5  PARTITIONS=6  COMPRESSION=none
#   TOOLS="krafka rdkafka" (+ krafka-base first when KRAFKA_BASE is set; its
#                          binary must know --throughput and perf e2e)
#   WARMUP_RECORDS=200000  sent once at full speed to a scratch topic before
#                          the first run, unmeasured (0: none)
#   START_BROKER, KEEP_TOPICS, KRAFKA_BASE: see lib.sh
# Latencies are the clients' own (see scripts/perf/README.md, "Latency").
set -euo pipefail

RATES="${RATES:-10000 100000 500000}"
DURATION="${DURATION:-10}"
MODES="${MODES:-produce e2e}"
RECORD_SIZE="${RECORD_SIZE:-100}"
ACKS="${ACKS:-all}"
LINGER_MS="${LINGER_MS:-5}"
PARTITIONS="${PARTITIONS:-6}"
COMPRESSION="${COMPRESSION:-none}"
WARMUP_RECORDS="${WARMUP_RECORDS:-200000}"
if [[ -z "${TOOLS:-}" ]]; then
    TOOLS="krafka rdkafka"
    [[ -n "${KRAFKA_BASE:-}" ]] && TOOLS="krafka-base $TOOLS"
fi
# shellcheck source=scripts/perf/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# A fresh topic (PARTITIONS partitions) with some 600 records in every
# partition, so that no client meets the broker's set-up of a new log
# (see prime() in lib.sh); its name in TOPIC_NAME.
make_latency_topic() {
    TOPIC_SEQ=$((${TOPIC_SEQ:-0} + 1))
    TOPIC_NAME="perf-lat-$1-$RUN_ID-$TOPIC_SEQ"
    created_topic "$TOPIC_NAME"
    prime "$TOPIC_NAME"
}

# latency_run TOOL MODE RATE: one run; its RESULT line, tagged with the mode
# and the rate, goes to RESULTS. A failed run is logged and left out.
latency_run() {
    local tool="$1" mode="$2" rate="$3" n out
    n=$((rate * DURATION))
    make_latency_topic "$tool-$mode"
    local flags=(--topic "$TOPIC_NAME" --bootstrap "$BOOTSTRAP" --num-records "$n"
        --record-size "$RECORD_SIZE" --acks "$ACKS" --linger-ms "$LINGER_MS"
        --compression "$COMPRESSION" -X enable.idempotence=true --throughput "$rate"
        --label "$tool")
    local cmd
    case "$tool" in
        krafka) cmd=("$KRAFKA" perf "$mode" -q) ;;
        krafka-base) cmd=("$KRAFKA_BASE" perf "$mode" -q) ;;
        rdkafka) cmd=("$RDKAFKA" "$mode") ;;
        *) log "latency-compare knows krafka, krafka-base and rdkafka, not $tool"; exit 2 ;;
    esac
    log "$tool $mode at $rate/s: ${cmd[*]} ${flags[*]}"
    if out="$("${cmd[@]}" "${flags[@]}")"; then
        grep -v '^RESULT ' <<< "$out" || true
        grep '^RESULT ' <<< "$out" | sed "s/^RESULT [^ ]* /RESULT $tool mode=$mode rate=$rate /" \
            | tee -a "$RESULTS"
    else
        log "$tool $mode at $rate/s failed; left out of the table"
    fi
}

# latency_table: the tagged RESULT lines as one table per mode, and krafka's
# p99 relative to rdkafka's per mode and rate.
latency_table() {
    echo
    echo "latency: $*"
    awk '
    function field(name,   i, kv) {
        for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
        return ""
    }
    /^RESULT / {
        key = field("mode") SUBSEP field("rate") SUBSEP $2
        rows[++n] = key
        mode[key] = field("mode"); rate[key] = field("rate"); tool[key] = $2
        rps[key] = field("records_per_sec")
        p50[key] = field("p50_ms"); p95[key] = field("p95_ms"); p99[key] = field("p99_ms")
        p999[key] = field("p99_9_ms"); max[key] = field("max_ms")
    }
    END {
        printf "| %-7s | %7s | %-11s | %10s | %8s | %8s | %8s | %8s | %9s |\n", "mode", "rate/s", "client", "achieved/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms"
        printf "|---------|---------|-------------|------------|----------|----------|----------|----------|-----------|\n"
        for (i = 1; i <= n; i++) { k = rows[i]
            printf "| %-7s | %7s | %-11s | %10.0f | %8.2f | %8.2f | %8.2f | %8.2f | %9.2f |\n", mode[k], rate[k], tool[k], rps[k], p50[k], p95[k], p99[k], p999[k], max[k] }
        printf "\n"
        for (i = 1; i <= n; i++) { k = rows[i]
            if (tool[k] != "krafka") continue
            peer = mode[k] SUBSEP rate[k] SUBSEP "rdkafka"
            if (!(peer in p99) || p99[peer] <= 0) continue
            printf "%-7s at %7s/s: p99 krafka/rdkafka %.2fx (target <= 1.0x)\n", mode[k], rate[k], p99[k] / p99[peer]
        }
    }' "$RESULTS"
    echo "(RESULT lines in $RESULTS)"
}

build
ensure_broker
if (( WARMUP_RECORDS > 0 )); then
    log "warm-up: $WARMUP_RECORDS records, not measured"
    make_latency_topic warmup
    "$KRAFKA" perf produce -q --bootstrap "$BOOTSTRAP" --topic "$TOPIC_NAME" \
        --num-records "$WARMUP_RECORDS" --record-size "$RECORD_SIZE" > /dev/null
fi
load_before="$(uptime | sed 's/.*load average/load average/')"
for rate in $RATES; do
    for mode in $MODES; do
        for tool in $TOOLS; do
            latency_run "$tool" "$mode" "$rate"
        done
    done
done
load_after="$(uptime | sed 's/.*load average/load average/')"
latency_table "$RECORD_SIZE B records, ${DURATION} s per run, acks=$ACKS, idempotent, linger.ms=$LINGER_MS, $PARTITIONS partitions, compression=$COMPRESSION; before: $load_before; after: $load_after"
