#!/usr/bin/env bash
# Fetch Apache Kafka's message schemas (the `common/message/*.json` files
# inside the org.apache.kafka:kafka-clients jar) for the pinned version and
# print the directory that holds them. Idempotent: a second run only prints.
#
#   scripts/kafka-schemas.sh [VERSION]      (default: the content of KAFKA_VERSION)
#
# Layout: .cache/kafka-clients/<version>/kafka-clients-<version>.jar
#         .cache/kafka-clients/<version>/message/*.json
#
# Typical use, regenerating krafka-core/src/messages/:
#   cargo run -p xtask -- gen-messages "$(scripts/kafka-schemas.sh)"
#
# Env: KRAFKA_MVN_ARGS (extra Maven arguments, e.g. -o for offline).
set -euo pipefail

REPO_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VERSION=${1:-$(tr -d '[:space:]' <"$REPO_ROOT/KAFKA_VERSION")}
BASE=$REPO_ROOT/.cache/kafka-clients/$VERSION
JAR=$BASE/kafka-clients-$VERSION.jar
OUT=$BASE/message

log() { printf '[kafka-schemas] %s\n' "$*" >&2; }
die() { printf '[kafka-schemas] ERROR: %s\n' "$*" >&2; exit 1; }

[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]] || die "unexpected Kafka version '$VERSION'"

if [[ -f $OUT/.complete ]]; then
    echo "$OUT"
    exit 0
fi

mkdir -p "$BASE"
if [[ ! -f $JAR ]]; then
    command -v mvn >/dev/null || die "mvn (Maven) is not installed; it is needed to fetch kafka-clients"
    log "resolving org.apache.kafka:kafka-clients:$VERSION from Maven ..."
    # shellcheck disable=SC2206
    extra=(${KRAFKA_MVN_ARGS:-})
    if ! mvn -B -q dependency:copy \
        -Dartifact="org.apache.kafka:kafka-clients:$VERSION" \
        -DoutputDirectory="$BASE" "${extra[@]}" >"$BASE/fetch.log" 2>&1; then
        cat "$BASE/fetch.log" >&2
        die "Maven could not resolve org.apache.kafka:kafka-clients:$VERSION"
    fi
    [[ -f $JAR ]] || die "$JAR missing after resolution"
    rm -f "$BASE/fetch.log"
fi

command -v unzip >/dev/null || die "unzip is not installed; it is needed to extract the schemas"
tmp=$BASE/message.tmp.$$
rm -rf "$tmp"
mkdir -p "$tmp"
trap 'rm -rf "$tmp"' EXIT
unzip -q -j "$JAR" 'common/message/*.json' -d "$tmp"
count=$(find "$tmp" -maxdepth 1 -name '*.json' | wc -l)
[[ $count -gt 0 ]] || die "no common/message/*.json in $JAR"
echo "$VERSION" >"$tmp/.complete"
rm -rf "$OUT"
mv "$tmp" "$OUT"
log "$count schema files in $OUT"
echo "$OUT"
