#!/usr/bin/env bash
# Latency at fixed rates: krafka vs rust-rdkafka (librdkafka), one after
# another against the same broker. For each rate in RATES and each mode:
#   produce: `perf produce --throughput R`, each record's latency from its
#            due time on the fixed schedule to its acknowledgement;
#   e2e:     `perf e2e --throughput R`, the same records read back by a
#            consumer in the same process, each one's latency from its due
#            time to its receipt by poll;
# then a table of p50/p95/p99/p99.9/max per run, with the achieved rate, and
# krafka's p99 relative to rdkafka's per mode and rate (target <= 1.0x),
# each client's p99 the median of its ROUNDS runs. The clients take turns
# within each round: one run's p99 moved 2-7x from run to run on the shared
# 2-core host (rdkafka at 500,000/s: 10, 40 and 75 ms in three runs), too
# much for one run per client to decide anything. Every other round the
# turns go in reverse order (turn_order in lib.sh), so that no client always
# runs first after the previous rate's or row's load.
#
#   scripts/perf/latency-compare.sh                  # 10k, 100k, 500k records/s, 3 x 5 s each
#   RATES=10000 DURATION=3 ROUNDS=1 scripts/perf/latency-compare.sh   # quick
#   KRAFKA_BASE=/tmp/krafka-old scripts/perf/latency-compare.sh   # + krafka-base
#
# Environment:
#   BOOTSTRAP=127.0.0.1:9092  RATES="10000 100000 500000"  DURATION=5 (s per
#   rate and run: NUM_RECORDS = rate x DURATION)  ROUNDS=3  MODES="produce e2e"
#   RECORD_SIZE=100  ACKS=all  LINGER_MS=5  PARTITIONS=6  COMPRESSION=none
#   TOOLS="krafka rdkafka" (+ krafka-base first when KRAFKA_BASE is set; its
#                          binary must know --throughput and perf e2e)
#   WARMUP_RECORDS=200000  sent once at full speed to a scratch topic before
#                          the first run, unmeasured (0: none)
#   START_BROKER, KEEP_TOPICS, KRAFKA_BASE: see lib.sh
# Latencies are the clients' own (see scripts/perf/README.md, "Latency").
set -euo pipefail

RATES="${RATES:-10000 100000 500000}"
DURATION="${DURATION:-5}"
ROUNDS="${ROUNDS:-3}"
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

# latency_table: the tagged RESULT lines as one table (a row per run), and
# krafka's p99 relative to rdkafka's per mode and rate, from each client's
# median p99 over its runs.
latency_table() {
    echo
    echo "latency: $*"
    awk '
    function field(name,   i, kv) {
        for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
        return ""
    }
    function median(key,   m, i, j, t, a) {
        m = runs[key]
        for (i = 1; i <= m; i++) a[i] = p99s[key, i] + 0
        for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j - 1] > a[j]; j--) { t = a[j]; a[j] = a[j - 1]; a[j - 1] = t }
        return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    /^RESULT / {
        n++
        mode[n] = field("mode"); rate[n] = field("rate"); tool[n] = $2
        rps[n] = field("records_per_sec")
        p50[n] = field("p50_ms"); p95[n] = field("p95_ms"); p99[n] = field("p99_ms")
        p999[n] = field("p99_9_ms"); max[n] = field("max_ms")
        key = mode[n] SUBSEP rate[n] SUBSEP tool[n]
        if (!(key in runs)) keys[++nk] = key
        p99s[key, ++runs[key]] = p99[n]
    }
    END {
        printf "| %-7s | %7s | %-11s | %10s | %8s | %8s | %8s | %8s | %9s |\n", "mode", "rate/s", "client", "achieved/s", "p50 ms", "p95 ms", "p99 ms", "p99.9 ms", "max ms"
        printf "|---------|---------|-------------|------------|----------|----------|----------|----------|-----------|\n"
        for (i = 1; i <= n; i++)
            printf "| %-7s | %7s | %-11s | %10.0f | %8.2f | %8.2f | %8.2f | %8.2f | %9.2f |\n", mode[i], rate[i], tool[i], rps[i], p50[i], p95[i], p99[i], p999[i], max[i]
        printf "\n"
        for (i = 1; i <= nk; i++) { k = keys[i]
            split(k, part, SUBSEP)
            if (part[3] != "krafka") continue
            peer = part[1] SUBSEP part[2] SUBSEP "rdkafka"
            if (!(peer in runs) || median(peer) <= 0) continue
            printf "%-7s at %7s/s: p99 krafka/rdkafka %.2fx (target <= 1.0x; median p99 of %d and %d runs: %.2f ms, %.2f ms)\n", part[1], part[2], median(k) / median(peer), runs[k], runs[peer], median(k), median(peer)
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
        for ((round = 1; round <= ROUNDS; round++)); do
            for tool in $(turn_order "$round" $TOOLS); do
                latency_run "$tool" "$mode" "$rate"
            done
        done
    done
done
load_after="$(uptime | sed 's/.*load average/load average/')"
latency_table "$RECORD_SIZE B records, ${DURATION} s per run, $ROUNDS runs per client, acks=$ACKS, idempotent, linger.ms=$LINGER_MS, $PARTITIONS partitions, compression=$COMPRESSION; before: $load_before; after: $load_after"
