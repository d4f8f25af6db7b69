#!/usr/bin/env bash
# Issue 18's whole comparison: runs produce-compare.sh, consume-compare.sh
# and latency-compare.sh (when present) once per row of the issue's table,
# one after another, and collects every table into one summary file with,
# per row, krafka's ratios to rust-rdkafka and PASS/FAIL against the
# targets, ending with "targets held: X of Y".
#
#   scripts/perf/matrix.sh                       # every row (about 20 min on 2 cores, estimated)
#   QUICK=1 scripts/perf/matrix.sh               # smoke run, small NUM_RECORDS (~5 min of rows)
#   ROWS="produce-zstd* consume-10m" scripts/perf/matrix.sh   # some rows
#   TOOLS="krafka rdkafka" scripts/perf/matrix.sh             # without krafka028
#   ROWS=list scripts/perf/matrix.sh             # print the rows and exit
#
# Rows (name: what differs from the issue's workload of 100-byte keyless
# records, acks=all, idempotent, linger.ms=5, 6 partitions, one 4.4.0 node,
# each client's default batch.size):
#   produce-{none,gzip,snappy,lz4,zstd}        each codec
#   produce-{none,gzip,snappy,lz4,zstd}-busy   the same with one core kept
#                                              busy (BUSY_CORE=1)
#   produce-1000p        1,000 partitions
#   produce-cluster      3-node cluster, replication factor 3
#   produce-1k           1 KiB records
#   produce-10k          10 KiB records
#   consume-10m          10,000,000 x 100 B from the beginning (peak RSS)
#   consume-cluster      3-node cluster, replication factor 3
#   consume-1k           1 KiB records
#   latency              latency-compare.sh: p99 at fixed rates, produce
#                        and end to end (when the script exists)
#
# Environment:
#   TOOLS="krafka rdkafka krafka028"   clients of the produce and consume rows
#                        (rdkafka must be among them for a row to be judged)
#   LATENCY_TOOLS="krafka rdkafka"     clients of the latency row
#   ROUNDS=3             produce and consume rows: the clients take turns this
#                        many times (krafka028 in the first round only) and
#                        each client's records/s, CPU per record and peak RSS
#                        are the medians of its runs; one run of the same
#                        binaries moved a row between 1.25x and 2.07x (consume
#                        1 KiB) or 1.21x and 1.73x (10 KiB) from run to run.
#                        QUICK: 1. The latency row takes LATENCY_ROUNDS
#                        (latency-compare.sh's ROUNDS, default 3).
#   ROWS=                patterns (shell globs) of the rows to run; unset: all
#   QUICK=0              1: a smoke run, every row with a small NUM_RECORDS
#                        (and short latency runs); its verdicts mean little
#   SCALE=1              multiplies every row's NUM_RECORDS (e.g. 0.5)
#   WARMUP_RECORDS=      per tool and row (default: 500,000 at 100 B, about
#                        50 MB of values at larger sizes; QUICK: a tenth)
#   BOOTSTRAP=127.0.0.1:9092  CLUSTER_BOOTSTRAP=<kafka.sh bootstrap cluster>
#   START_BROKER=0       brokers are not started here: start the single node
#                        (and the cluster for the cluster rows) first; a
#                        cluster row is SKIPPED when the cluster is down
#   KEEP_TOPICS=0        passed on
#   MIN_FREE_GB=10       refuse to start with less disk free under .cache
# The clients are built once at the start (the rows run with SKIP_BUILD=1).
# Per row the scripts' other settings (LINGER_MS, BATCH_SIZE, ACKS, PROPS, ...)
# are taken from the environment as usual.
#
# Targets (issue 18), judged against rust-rdkafka (`rdkafka`, librdkafka's
# defaults) in every row: krafka >= 1.25x its records/s at <= 0.7x its CPU
# per record; consume rows also peak RSS <= 0.5x; latency rows p99 at a
# fixed rate <= 1.0x. Output: .cache/perf/matrix-<id>.txt (the summary and
# every row's table) and .cache/perf/matrix-<id>/<row>.log (each row's full
# output).
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/../.." && pwd)"
# shellcheck source=scripts/perf/turns.sh
source "$HERE/turns.sh"
TOOLS="${TOOLS:-krafka rdkafka krafka028}"
LATENCY_TOOLS="${LATENCY_TOOLS:-krafka rdkafka}"
ROWS="${ROWS:-}"
MATRIX_ROUNDS="${ROUNDS:-3}"
unset ROUNDS
QUICK="${QUICK:-0}"
[[ "$QUICK" == 1 ]] && MATRIX_ROUNDS=1
SCALE="${SCALE:-1}"
BOOTSTRAP="${BOOTSTRAP:-127.0.0.1:9092}"
MIN_FREE_GB="${MIN_FREE_GB:-10}"
export START_BROKER="${START_BROKER:-0}"

MATRIX_ID="$(date +%s)"
OUT="$ROOT/.cache/perf"
LOGS="$OUT/matrix-$MATRIX_ID"
SUMMARY="$OUT/matrix-$MATRIX_ID.txt"

log() { echo "[matrix] $*" >&2; }

# name | script | NUM_RECORDS | QUICK NUM_RECORDS | settings (VAR=value ...)
ROW_TABLE=(
    "produce-none|produce|2000000|100000|COMPRESSION=none"
    "produce-gzip|produce|1000000|100000|COMPRESSION=gzip"
    "produce-snappy|produce|2000000|100000|COMPRESSION=snappy"
    "produce-lz4|produce|2000000|100000|COMPRESSION=lz4"
    "produce-zstd|produce|2000000|100000|COMPRESSION=zstd"
    "produce-none-busy|produce|2000000|100000|COMPRESSION=none BUSY_CORE=1"
    "produce-gzip-busy|produce|1000000|100000|COMPRESSION=gzip BUSY_CORE=1"
    "produce-snappy-busy|produce|2000000|100000|COMPRESSION=snappy BUSY_CORE=1"
    "produce-lz4-busy|produce|2000000|100000|COMPRESSION=lz4 BUSY_CORE=1"
    "produce-zstd-busy|produce|2000000|100000|COMPRESSION=zstd BUSY_CORE=1"
    "produce-1000p|produce|1000000|100000|PARTITIONS=1000"
    "produce-cluster|produce|1000000|100000|CLUSTER=1"
    "produce-1k|produce|500000|50000|RECORD_SIZE=1024"
    "produce-10k|produce|60000|10000|RECORD_SIZE=10240"
    "consume-10m|consume|10000000|500000|"
    "consume-cluster|consume|2000000|200000|CLUSTER=1"
    "consume-1k|consume|1000000|100000|RECORD_SIZE=1024"
    "latency|latency|0|0|"
)

selected() {
    local name="$1" pattern
    [[ -z "$ROWS" ]] && return 0
    for pattern in $ROWS; do
        # shellcheck disable=SC2053
        [[ "$name" == $pattern ]] && return 0
    done
    return 1
}

if [[ "$ROWS" == list ]]; then
    printf '%s\n' "${ROW_TABLE[@]}" | awk -F'|' '{ printf "%-20s %-8s %10s records (QUICK %s)  %s\n", $1, $2, $3, $4, $5 }'
    exit 0
fi

port_open() {
    local host="${1%%,*}"
    (exec 3<>"/dev/tcp/${host%:*}/${host##*:}") 2> /dev/null
}
port_open "$BOOTSTRAP" || { log "nothing answers on $BOOTSTRAP: scripts/kafka/kafka.sh start single"; exit 1; }
# A broker whose disk fills up takes its log directory offline and exits
# mid-row (it happened: topics made by hand had piled up in the single
# node's data directory); a row writes up to a few GB before its topics go.
mkdir -p "$ROOT/.cache"
free_gb=$(df -Pk "$ROOT/.cache" | awk 'NR == 2 { printf "%d", $4 / 1048576 }')
if (( free_gb < MIN_FREE_GB )); then
    log "only $free_gb GB free under $ROOT/.cache (MIN_FREE_GB=$MIN_FREE_GB): delete old topics (or scripts/kafka/kafka.sh stop single and rm -rf .cache/kafka/run/single/data) first"
    exit 1
fi
CLUSTER_BOOTSTRAP="${CLUSTER_BOOTSTRAP:-$("$ROOT/scripts/kafka/kafka.sh" bootstrap cluster 2> /dev/null || echo 127.0.0.1:9192)}"

# Everything once, up front; the rows then skip their scripts' build step.
log "building the clients (release)"
(cd "$ROOT" && cargo build --release -q -p krafka-cli)
if [[ "$TOOLS $LATENCY_TOOLS" == *rdkafka* ]]; then
    (cd "$ROOT/bench/rdkafka-perf" && cargo build --release -q)
fi
if [[ " $TOOLS " == *" krafka028 "* ]]; then
    (cd "$ROOT/bench/krafka028-perf" && cargo build --release -q)
fi
export SKIP_BUILD=1

mkdir -p "$LOGS"
: > "$LOGS/verdicts"
started_at=$(date +%s)
{
    echo "# krafka perf matrix (issue 18), $(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2> /dev/null || echo '?')$(git -C "$ROOT" diff --quiet HEAD 2> /dev/null || echo ' (modified)'), $(nproc) cores, QUICK=$QUICK SCALE=$SCALE ROUNDS=$MATRIX_ROUNDS, TOOLS=\"$TOOLS\""
    echo "load at the start: $(uptime | sed 's/.*load average/load average/')"
} > "$SUMMARY"

# round_tools: the clients of a produce or consume row, MATRIX_ROUNDS turns
# of TOOLS, krafka028 (slow, and for information only) in the first only.
# Every other round runs them in reverse order (see turn_order in lib.sh).
round_tools() {
    local round tool tools=""
    for ((round = 1; round <= MATRIX_ROUNDS; round++)); do
        for tool in $(turn_order "$round" $TOOLS); do
            [[ "$tool" == krafka028 && "$round" != 1 ]] || tools+=" $tool"
        done
    done
    echo "${tools# }"
}

# verdict ROW LOG KIND: appends the row's line to $LOGS/verdicts from the
# RESULT lines in LOG (krafka against rdkafka; krafka028 for information),
# each client's figures the medians of its runs.
verdict() {
    local row="$1" logfile="$2" kind="$3"
    grep '^RESULT ' "$logfile" | awk -v row="$row" -v kind="$kind" '
    function field(name,   i, kv) {
        for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
        return ""
    }
    # The median of the n values in a[1..n] (the mean of the middle two
    # for an even n).
    function median(a, n,   i, j, v) {
        for (i = 2; i <= n; i++) {
            v = a[i]
            for (j = i - 1; j >= 1 && a[j] > v; j--) a[j + 1] = a[j]
            a[j + 1] = v
        }
        return (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    {
        t = $2; n = ++runs[t]
        all_rps[t, n] = field("records_per_sec"); all_us[t, n] = field("cpu_us_per_record")
        all_rss[t, n] = field("peak_rss_mb")
    }
    END {
        for (t in runs) {
            delete a; for (i = 1; i <= runs[t]; i++) a[i] = all_rps[t, i] + 0; rps[t] = median(a, runs[t])
            delete a; for (i = 1; i <= runs[t]; i++) a[i] = all_us[t, i] + 0; us[t] = median(a, runs[t])
            delete a; for (i = 1; i <= runs[t]; i++) a[i] = all_rss[t, i] + 0; rss[t] = median(a, runs[t])
        }
        k = ("krafka" in rps) ? sprintf("%.0f", rps["krafka"]) : "-"
        r = ("rdkafka" in rps) ? sprintf("%.0f", rps["rdkafka"]) : "-"
        u = ("krafka028" in rps) ? sprintf("%.0f", rps["krafka028"]) : "-"
        up = ("krafka" in rps) && ("krafka028" in rps) && rps["krafka028"] > 0 ? sprintf("%.2fx", rps["krafka"] / rps["krafka028"]) : "-"
        if (!("krafka" in rps) || !("rdkafka" in rps) || rps["rdkafka"] <= 0 || us["rdkafka"] <= 0) {
            printf "%s|%s|%s|%s|-|-|-|%s|n/a\n", row, k, r, u, up; exit
        }
        rr = rps["krafka"] / rps["rdkafka"]; cr = us["krafka"] / us["rdkafka"]
        miss = ""
        if (rr < 1.25) miss = miss " rec/s"
        if (cr > 0.7) miss = miss " CPU"
        mr = "-"
        if (kind == "consume") {
            if (rss["rdkafka"] > 0) { m = rss["krafka"] / rss["rdkafka"]; mr = sprintf("%.2fx", m); if (m > 0.5) miss = miss " RSS" }
            else miss = miss " RSS?"
        }
        printf "%s|%s|%s|%s|%.2fx|%.2fx|%s|%s|%s\n", row, k, r, u, rr, cr, mr, up, (miss == "" ? "PASS" : "FAIL:" miss)
    }' >> "$LOGS/verdicts"
}

# latency_verdicts LOG: one line per "<mode> at <rate>/s: p99 krafka/rdkafka Rx"
# line of latency-compare.sh's table.
latency_verdicts() {
    sed -nE 's/^ *([a-z0-9-]+) +at +([0-9]+)\/s: p99 krafka\/rdkafka ([0-9.]+)x.*/\1 \2 \3/p' "$1" \
        | while read -r mode rate ratio; do
            awk -v row="latency-$mode-$rate" -v r="$ratio" 'BEGIN {
                printf "%s|-|-|-|p99 %.2fx|-|-|-|%s\n", row, r, (r <= 1.0 ? "PASS" : "FAIL: p99") }'
        done >> "$LOGS/verdicts"
}

run_row() {
    local name="$1" kind="$2" full="$3" quick="$4" settings="$5"
    local n="$full" env_args=() logfile="$LOGS/$name.log" setting size=100 warmup rc=0
    [[ "$QUICK" == 1 ]] && n="$quick"
    n=$(awk -v n="$n" -v s="$SCALE" 'BEGIN { printf "%d", n * s }')
    # Settings first, so that NUM_RECORDS etc. derive from them below.
    for setting in $settings; do
        env_args+=("$setting")
        [[ "$setting" == RECORD_SIZE=* ]] && size="${setting#RECORD_SIZE=}"
        if [[ "$setting" == CLUSTER=1 ]]; then
            if ! port_open "$CLUSTER_BOOTSTRAP"; then
                log "$name: nothing answers on $CLUSTER_BOOTSTRAP (scripts/kafka/kafka.sh start cluster): skipped"
                echo "$name|-|-|-|-|-|-|-|SKIPPED (no cluster)" >> "$LOGS/verdicts"
                return 0
            fi
            env_args+=("BOOTSTRAP=$CLUSTER_BOOTSTRAP")
        fi
    done
    if [[ -n "${WARMUP_RECORDS:-}" ]]; then
        warmup="$WARMUP_RECORDS"
    else
        warmup=$((size > 100 ? 50000000 / size : 500000))
        [[ "$QUICK" == 1 ]] && warmup=$((warmup / 10))
    fi
    env_args+=("PERF_RUN_ID=$MATRIX_ID-$name")
    local script
    case "$kind" in
        produce)
            script="$HERE/produce-compare.sh"
            env_args+=("NUM_RECORDS=$n" "WARMUP_RECORDS=$warmup" "TOOLS=$(round_tools)") ;;
        consume)
            script="$HERE/consume-compare.sh"
            env_args+=("NUM_RECORDS=$n" "TOOLS=$(round_tools)") ;;
        latency)
            script="$HERE/latency-compare.sh"
            if [[ ! -x "$script" ]]; then
                log "$name: scripts/perf/latency-compare.sh is not there: skipped"
                echo "$name|-|-|-|-|-|-|-|SKIPPED (no latency-compare.sh)" >> "$LOGS/verdicts"
                return 0
            fi
            env_args+=("TOOLS=$LATENCY_TOOLS")
            if [[ "$QUICK" == 1 ]]; then
                env_args+=("RATES=${RATES:-10000 100000}" "DURATION=${DURATION:-3}" "ROUNDS=1" "WARMUP_RECORDS=$warmup")
            elif [[ -n "${LATENCY_ROUNDS:-}" ]]; then
                env_args+=("ROUNDS=$LATENCY_ROUNDS")
            fi ;;
    esac
    log "$name: ${env_args[*]} $(basename "$script") (log: $logfile)"
    local t0=$SECONDS
    env "${env_args[@]}" "$script" > "$logfile" 2>&1 || rc=$?
    local took=$((SECONDS - t0))
    {
        echo
        local what="$settings"
        [[ -n "$what" ]] || what="the issue's workload"
        echo "## $name ($kind, ${took} s): $what, NUM_RECORDS=$n"
        if [[ "$kind" == latency ]]; then
            sed -n '/^latency: /,$p' "$logfile"
        else
            sed -n '/^workload: /,/^(RESULT lines in /p' "$logfile"
        fi
    } >> "$SUMMARY"
    if (( rc != 0 )); then
        log "$name: failed (exit $rc), see $logfile"
        {
            echo "FAILED (exit $rc); the log's last lines:"
            tail -n 15 "$logfile" | sed 's/^/    /'
        } >> "$SUMMARY"
        echo "$name|-|-|-|-|-|-|-|ERROR (exit $rc)" >> "$LOGS/verdicts"
        # A row that failed part-way may still have measured some clients.
        return 0
    fi
    if [[ "$kind" == latency ]]; then
        latency_verdicts "$logfile"
    else
        verdict "$name" "$logfile" "$kind"
    fi
    tail -n 1 "$LOGS/verdicts" | sed 's/^/[matrix]   /' >&2
}

for entry in "${ROW_TABLE[@]}"; do
    IFS='|' read -r name kind full quick settings <<< "$entry"
    selected "$name" || continue
    run_row "$name" "$kind" "$full" "$quick" "$settings"
done

took=$(($(date +%s) - started_at))
{
    echo
    echo "## summary: krafka vs rust-rdkafka (targets: records/s >= 1.25x at CPU per record <= 0.7x; consume peak RSS <= 0.5x; latency p99 <= 1.0x)"
    echo "took ${took} s; load at the end: $(uptime | sed 's/.*load average/load average/')"
    echo "produce and consume rows: each client's median of $MATRIX_ROUNDS runs (krafka028: one)"
    echo
    awk -F'|' '
    BEGIN {
        printf "| %-22s | %10s | %10s | %10s | %12s | %11s | %9s | %10s | %-16s |\n", "row", "krafka/s", "rdkafka/s", "krafka028/s", "rec/s k/rd", "CPU/rec k/rd", "RSS k/rd", "rec/s k/028", "result"
        printf "|------------------------|------------|------------|-------------|--------------|--------------|-----------|-------------|------------------|\n"
    }
    {
        printf "| %-22s | %10s | %10s | %11s | %12s | %12s | %9s | %11s | %-16s |\n", $1, $2, $3, $4, $5, $6, $7, $8, $9
        if ($9 == "PASS") { held++; judged++ } else if ($9 ~ /^(FAIL|ERROR)/) judged++
    }
    END {
        printf "\ntargets held: %d of %d\n", held, judged
    }' "$LOGS/verdicts"
} >> "$SUMMARY"
sed -n '/^## summary/,$p' "$SUMMARY"
echo "(summary and every row's table: $SUMMARY; logs: $LOGS/)"
