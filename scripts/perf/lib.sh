# Shared by produce-compare.sh and consume-compare.sh (sourced, not run):
# paths, building the three clients, the broker check, Kafka's Java perf
# tools under /usr/bin/time, and the comparison table.
#
# The caller sets TOOLS (and its other knobs) before sourcing. Environment:
#   BOOTSTRAP=127.0.0.1:9092
#   KAFKA_TOOLS_VERSION=<KAFKA_VERSION>   org.apache.kafka:kafka-tools from
#                                         Maven Central (pom.xml here)
#   START_BROKER=1   start `scripts/kafka/kafka.sh start single` when nothing
#                    answers on BOOTSTRAP, and stop it at the end
#   KEEP_TOPICS=0    1: keep the topics the run made (deleted at exit)
#   KRAFKA_BASE=     a krafka binary built from another commit: the tool
#                    `krafka-base` in TOOLS runs it with krafka's workload,
#                    so one run compares a change with what came before
#   TLS rows (tools krafka-tls, rdkafka-tls): the same workload over SASL_SSL
#   with SCRAM-SHA-512 as alice, against the secure node
#   (`scripts/kafka/kafka.sh start secure`; KRAFKA_KAFKA_SECURE_PORT picks it):
#   TLS_BOOTSTRAP=<its SASL_SSL listener>  TLS_CA=<its certs>/ca.pem
#   CLUSTER=0        1: run against the 3-node cluster (BOOTSTRAP defaults to
#                    `scripts/kafka/kafka.sh bootstrap cluster`, else
#                    127.0.0.1:9192) with topics of replication factor 3;
#                    min.insync.replicas stays the cluster's default
#   REPLICATION_FACTOR=1 (3 with CLUSTER=1)   of the topics the run creates
#   BUSY_CORE=0      1: one CPU-burning process runs for the duration of each
#                    measured client run (started before, killed after; see
#                    busy_start)
#   BUSY_TIMEOUT=900 upper bound in seconds on one burner's life (timeout)
#   PERF_RUN_ID=     names this run's topics and files (default: the time)
# shellcheck shell=bash

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLUSTER="${CLUSTER:-0}"
if [[ "$CLUSTER" == 1 ]]; then
    BOOTSTRAP="${BOOTSTRAP:-$("$ROOT/scripts/kafka/kafka.sh" bootstrap cluster 2> /dev/null || echo 127.0.0.1:9192)}"
    REPLICATION_FACTOR="${REPLICATION_FACTOR:-3}"
fi
BOOTSTRAP="${BOOTSTRAP:-127.0.0.1:9092}"
REPLICATION_FACTOR="${REPLICATION_FACTOR:-1}"
BUSY_CORE="${BUSY_CORE:-0}"
BUSY_TIMEOUT="${BUSY_TIMEOUT:-900}"
KAFKA_TOOLS_VERSION="${KAFKA_TOOLS_VERSION:-$(tr -d '[:space:]' < "$ROOT/KAFKA_VERSION")}"
START_BROKER="${START_BROKER:-1}"

OUT="$ROOT/.cache/perf"
RUN_ID="${PERF_RUN_ID:-$(date +%s)}"
RESULTS="$OUT/results-$RUN_ID.txt"
mkdir -p "$OUT"
: > "$RESULTS"

log() { echo "[perf] $*" >&2; }
# shellcheck source=scripts/perf/turns.sh
source "$(dirname "${BASH_SOURCE[0]}")/turns.sh"

# The TLS rows' listener and settings (alice may use topics named secure-*).
if [[ " ${TOOLS:-} " == *-tls\ * ]]; then
    secure_base="$("$ROOT/scripts/kafka/kafka.sh" bootstrap secure)"
    TLS_BOOTSTRAP="${TLS_BOOTSTRAP:-${secure_base%:*}:$((${secure_base##*:} + 1))}"
    TLS_CA="${TLS_CA:-$("$ROOT/scripts/kafka/kafka.sh" certs)/ca.pem}"
fi
# tls_props: the TLS rows' client properties, one per line; tls_flags: the
# same as -X flags (for mapfile).
tls_props() {
    printf '%s\n' security.protocol=SASL_SSL sasl.mechanism=SCRAM-SHA-512 \
        sasl.username=alice sasl.password=alice-secret "ssl.ca.location=$TLS_CA"
}
tls_flags() {
    local prop
    tls_props | while read -r prop; do printf '%s\n' -X "$prop"; done
}

KRAFKA="$ROOT/target/release/krafka"
# Used by the scripts that source this file.
# shellcheck disable=SC2034
RDKAFKA="$ROOT/bench/rdkafka-perf/target/release/rdkafka-perf"
# shellcheck disable=SC2034
KRAFKA028="$ROOT/bench/krafka028-perf/target/release/krafka028-perf"
KRAFKA_BASE="${KRAFKA_BASE:-}"
JAVA_LIBS="$OUT/java-$KAFKA_TOOLS_VERSION"

# Builds krafka (always: it also creates the topics) and every tool in TOOLS
# (SKIP_BUILD=1: not; matrix.sh builds once for all its rows).
build() {
    local tool
    [[ "${SKIP_BUILD:-0}" == 1 ]] && return 0
    log "building krafka (release)"
    (cd "$ROOT" && cargo build --release -q -p krafka-cli)
    for tool in $TOOLS; do
        case "$tool" in
            krafka|krafka-group|krafka-tls) ;;
            krafka-base)
                [[ -x "$KRAFKA_BASE" ]] || { log "krafka-base needs KRAFKA_BASE=<binary>"; exit 2; } ;;
            rdkafka|rdkafka-tuned|rdkafka-group|rdkafka-group-tuned|rdkafka-tls)
                log "building bench/rdkafka-perf (release; librdkafka from source, a few minutes the first time)"
                (cd "$ROOT/bench/rdkafka-perf" && cargo build --release -q) ;;
            krafka028)
                log "building bench/krafka028-perf (release; crates.io krafka 0.28)"
                (cd "$ROOT/bench/krafka028-perf" && cargo build --release -q) ;;
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
    if [[ -n "${TLS_BOOTSTRAP:-}" ]]; then
        local tls="$TLS_BOOTSTRAP"
        (exec 3<>"/dev/tcp/${tls%:*}/${tls##*:}") 2>/dev/null \
            || { log "nothing answers on $TLS_BOOTSTRAP (the TLS rows): scripts/kafka/kafka.sh start secure"; exit 1; }
    fi
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
# Topics this run made: deleted at exit (each comparison writes hundreds of
# MB; kept with KEEP_TOPICS=1).
CREATED_TOPICS=()
CREATED_TLS_TOPICS=()
# Writes some 600 records to every partition of topic $1 (unmeasured)
# before a client is timed. On the 2-core host the broker's first index
# entry in each partition of a fresh topic (after the first 4 KiB of the log)
# costs it ~3-7 ms: with 1,000 partitions a million records took 7 s on a
# fresh topic and 0.7-0.9 s on the same topic a moment later, whatever
# the client, which timed the broker's set-up and favoured a client that
# touches fewer partitions in a short run (librdkafka's sticky linger).
# Batches of 8 KiB each get an index entry; 600 records of 100 B per
# partition fill about 10 of them, so nearly every partition gets two or
# more. Larger records: the same ~60 KB per partition (at least 10 records).
# `max.request.size` keeps the batches at 8 KiB: krafka's batches grow past
# `batch.size` while a partition is backed up, and priming written in a few
# 1 MiB batches reached only some of the partitions (the 1,000-partition row
# then timed the broker's set-up again, for the client touching more of them).
prime() {
    local per_partition=$((RECORD_SIZE > 100 ? 60000 / RECORD_SIZE : 600))
    (( per_partition >= 10 )) || per_partition=10
    local max_request=$((RECORD_SIZE + 1024 > 8400 ? RECORD_SIZE + 1024 : 8400))
    "$KRAFKA" perf produce -q --bootstrap "$BOOTSTRAP" --topic "$1" \
        --num-records $((PARTITIONS * per_partition)) --record-size "$RECORD_SIZE" \
        --partitions "$PARTITIONS" --batch-size 8192 -X max.request.size="$max_request" > /dev/null
}

created_topic() { CREATED_TOPICS+=("$1"); }
created_tls_topic() { CREATED_TLS_TOPICS+=("$1"); }
cleanup() {
    busy_stop
    if (( ${#CREATED_TLS_TOPICS[@]} > 0 )) && [[ "${KEEP_TOPICS:-0}" != 1 ]]; then
        mapfile -t tls < <(tls_flags)
        "$KRAFKA" topic delete --bootstrap "$TLS_BOOTSTRAP" "${tls[@]}" "${CREATED_TLS_TOPICS[@]}" > /dev/null \
            || log "could not delete the topics ${CREATED_TLS_TOPICS[*]}"
    fi
    if (( ${#CREATED_TOPICS[@]} > 0 )) && [[ "${KEEP_TOPICS:-0}" != 1 ]] && broker_up; then
        "$KRAFKA" topic delete --bootstrap "$BOOTSTRAP" "${CREATED_TOPICS[@]}" > /dev/null \
            || log "could not delete the topics ${CREATED_TOPICS[*]}"
    fi
    if [[ "$STARTED_BROKER" == 1 ]]; then
        "$ROOT/scripts/kafka/kafka.sh" stop single || true
    fi
}
trap cleanup EXIT
# A signal ends the script through exit, so the EXIT trap above runs (and
# stops the burner) whichever way the run ends.
trap 'exit 130' INT
trap 'exit 143' TERM

# The busy-core rows: while a client is measured, one process spins on a
# core (pure user-space CPU, no system calls, at the client's priority), so
# that the client shares the machine as it would beside a busy application.
# `timeout` bounds its life even if this script is killed with SIGKILL;
# busy_stop (also run at exit) ends it. No-ops unless BUSY_CORE=1.
BUSY_PID=""
busy_start() {
    [[ "$BUSY_CORE" == 1 ]] || return 0
    busy_stop
    timeout "$BUSY_TIMEOUT" bash -c 'while :; do :; done' > /dev/null 2>&1 &
    BUSY_PID=$!
    # Let it reach the CPU before the client starts.
    sleep 0.2
}
busy_stop() {
    [[ -n "$BUSY_PID" ]] || return 0
    kill "$BUSY_PID" 2> /dev/null || true
    wait "$BUSY_PID" 2> /dev/null || true
    BUSY_PID=""
}

# run_java_tool OUT TIMING CLASS ARGS...: one of Kafka's Java tools from
# kafka-tools, under GNU time (-v: CPU and peak RSS of the JVM, start-up and
# JIT included), its output in OUT. Exits with the output on failure.
run_java_tool() {
    local out="$1" timing="$2" class="$3"
    shift 3
    busy_start
    /usr/bin/time -v -o "$timing" java -Xms256m -Xmx1g -cp "$JAVA_LIBS/*" \
        "$class" "$@" > "$out" 2>&1 || { cat "$out" >&2; exit 1; }
    busy_stop
}

# java_result N SIZE ELAPSED_S RPS MBPS TIMING: prints (and records) the
# RESULT line of a Java run, CPU and peak RSS read from GNU time's report.
java_result() {
    local n="$1" size="$2" elapsed="$3" rps="$4" mbps="$5" timing="$6"
    local user sys rss_kb
    user="$(awk -F': ' '/User time \(seconds\)/ {print $2}' "$timing")"
    sys="$(awk -F': ' '/System time \(seconds\)/ {print $2}' "$timing")"
    rss_kb="$(awk -F': ' '/Maximum resident set size/ {print $2}' "$timing")"
    awk -v n="$n" -v s="$size" -v el="$elapsed" -v rps="$rps" -v mbps="$mbps" \
        -v u="$user" -v sy="$sys" -v rss="$rss_kb" 'BEGIN {
        cpu = u + sy
        printf "RESULT java records=%d record_size=%d elapsed_s=%.3f records_per_sec=%.1f mb_per_sec=%.3f cpu_s=%.2f cpu_us_per_record=%.3f peak_rss_mb=%.1f errors=0\n",
            n, s, el, rps, mbps, cpu, cpu * 1e6 / n, rss / 1024 }' | tee -a "$RESULTS"
}

# table WORKLOAD CPU_TARGET [RSS_TARGET]: the RESULT lines of this run as a
# table, with krafka's ratios to each other client (CPU_TARGET, RSS_TARGET:
# the targets printed for krafka's CPU per record and peak RSS relative to
# rdkafka's, e.g. "<= 0.7x"; issue 18: records/s >= 1.25x).
table() {
    local workload="$1" cpu_target="$2" rss_target="${3:-}"
    echo
    echo "workload: $workload"
    awk -v cpu_target="$cpu_target" -v rss_target="$rss_target" '
    function field(name,   i, kv) {
        for (i = 3; i <= NF; i++) { split($i, kv, "="); if (kv[1] == name) return kv[2] }
        return ""
    }
    /^RESULT / {
        # A tool run again in the same comparison is listed as tool#2, …
        tool = $2
        if (++runs[tool] > 1) tool = tool "#" runs[tool]
        order[++n] = tool
        rps[tool] = field("records_per_sec"); mbps[tool] = field("mb_per_sec")
        cpu[tool] = field("cpu_s"); us[tool] = field("cpu_us_per_record"); rss[tool] = field("peak_rss_mb")
    }
    END {
        printf "| %-13s | %12s | %8s | %7s | %14s | %13s |\n", "client", "records/s", "MB/s", "CPU s", "CPU µs/record", "peak RSS MB"
        printf "|---------------|--------------|----------|---------|----------------|---------------|\n"
        for (i = 1; i <= n; i++) { t = order[i]
            printf "| %-13s | %12.0f | %8.2f | %7.2f | %14.3f | %13.1f |\n", t, rps[t], mbps[t], cpu[t], us[t], rss[t] }
        first = 1
        for (i = 1; i <= n && ("krafka" in rps); i++) { t = order[i]
            if (t == "krafka" || t ~ /-tls$/ || rps[t] <= 0 || us[t] <= 0) continue
            printf "%s%-15s records/s %.2fx", (first ? "\n" : ""), "krafka/" t ":", rps["krafka"] / rps[t]
            first = 0
            if (t ~ /^rdkafka/) {
                printf " (target >= 1.25x), CPU per record %.2fx (target %s), peak RSS %.2fx%s\n",
                    us["krafka"] / us[t], cpu_target, rss["krafka"] / rss[t],
                    (rss_target == "" ? "" : " (target " rss_target ")")
            } else {
                printf ", CPU per record %.2fx, peak RSS %.2fx\n", us["krafka"] / us[t], rss["krafka"] / rss[t]
            }
        }
        if (("krafka-tls" in rps) && ("rdkafka-tls" in rps) && rps["rdkafka-tls"] > 0 && us["rdkafka-tls"] > 0)
            printf "krafka-tls/rdkafka-tls (SASL_SSL, SCRAM-SHA-512): records/s %.2fx (target >= 1.0x), CPU per record %.2fx (target <= 0.8x), peak RSS %.2fx\n",
                rps["krafka-tls"] / rps["rdkafka-tls"], us["krafka-tls"] / us["rdkafka-tls"],
                rss["krafka-tls"] / rss["rdkafka-tls"]
        # Group mode against group mode (consumer groups: target >= 1.25x).
        for (g = 1; g <= 2; g++) {
            peer = (g == 1) ? "rdkafka-group" : "rdkafka-group-tuned"
            if (("krafka-group" in rps) && (peer in rps) && rps[peer] > 0 && us[peer] > 0)
                printf "krafka-group/%s: records/s %.2fx (target >= 1.25x), CPU per record %.2fx, peak RSS %.2fx\n",
                    peer, rps["krafka-group"] / rps[peer], us["krafka-group"] / us[peer],
                    rss["krafka-group"] / rss[peer]
        }
    }' "$RESULTS"
    echo "(RESULT lines in $RESULTS)"
}
