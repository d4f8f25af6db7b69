#!/usr/bin/env bash
# Builds (once, cached) and runs the Java side of the conformance test: Apache
# Kafka's own generated message classes, from org.apache.kafka:kafka-clients
# at the version pinned in /KAFKA_VERSION.
#
#   tests/java/conformance/run.sh vectors <out-file> <seed> <samples-per-version>
#   tests/java/conformance/run.sh decode <in-file> <out-file>
#   tests/java/conformance/run.sh records-write <out-file> <seed>
#   tests/java/conformance/run.sh records-read <in-file> <out-file>
#   tests/java/conformance/run.sh partitioner-vectors <out-file> <seed> <count>
#   tests/java/conformance/run.sh assignors <in-file> <out-file>
#   tests/java/conformance/run.sh consumer-protocol <in-file> <out-file>
#   tests/java/conformance/run.sh list
#   tests/java/conformance/run.sh txn-produce <bootstrap> <topic> <rounds>
#   tests/java/conformance/run.sh txn-open <bootstrap> <topic> <partition> <n> <hold-ms>
#   tests/java/conformance/run.sh txn-session <bootstrap> <transactional-id> <transaction-timeout-ms>
#       (a transactional KafkaProducer driven by commands on stdin, one JSON answer per command)
#   tests/java/conformance/run.sh read-committed <bootstrap> <topic> <timeout-ms>
#   tests/java/conformance/run.sh offsets-for-times <bootstrap> <topic> <p1,p2,...> <timestamp>...
#   tests/java/conformance/run.sh group-member <bootstrap> <group> <assignor> <topic>[,<topic>...] [instance-id] [--held]
#       (a KafkaConsumer in the group, JSON lines on stdout, until stdin closes or says "stop")
#   tests/java/conformance/run.sh console-producer <ConsoleProducer arguments>...
#       (Kafka's own org.apache.kafka.tools.ConsoleProducer from kafka-tools at
#        the same version; reads stdin)
#   tests/java/conformance/run.sh console-consumer <ConsoleConsumer arguments>...
#       (org.apache.kafka.tools.consumer.ConsoleConsumer, the same way)
#   tests/java/conformance/run.sh build        (only build; prints the classpath)
#
# Build: Maven resolves the dependencies once (`dependency:build-classpath`),
# javac compiles src/; both land in target/conformance/java/<kafka-version>/ of
# the workspace, keyed by a hash of the pom, the sources and the version, so a
# rerun starts the JVM at once and a version bump rebuilds by itself.
#
# Env: KRAFKA_MVN_ARGS  extra Maven arguments (e.g. -o to stay offline)
#      JAVA_HOME        picks the JDK (else java/javac from PATH); Java 17+.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HERE/../../.." && pwd)
VERSION=$(tr -d '[:space:]' <"$REPO_ROOT/KAFKA_VERSION")
BUILD=${CARGO_TARGET_DIR:-$REPO_ROOT/target}/conformance/java/$VERSION

log() { printf '[conformance] %s\n' "$*" >&2; }
die() { printf '[conformance] ERROR: %s\n' "$*" >&2; exit 1; }
# Exit status 3 means "a tool is missing": the Rust test skips on it outside CI.
missing() { printf '[conformance] MISSING: %s\n' "$*" >&2; exit 3; }

[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+([.-][A-Za-z0-9.-]+)?$ ]] || die "unexpected Kafka version '$VERSION'"

if [[ -n ${JAVA_HOME:-} ]]; then
    JAVA=$JAVA_HOME/bin/java
    JAVAC=$JAVA_HOME/bin/javac
else
    JAVA=$(command -v java || true)
    JAVAC=$(command -v javac || true)
fi
[[ -n $JAVA && -x $JAVA ]] || missing "java is not installed (Java 17+ is needed)"
[[ -n $JAVAC && -x $JAVAC ]] || missing "javac is not installed (a JDK 17+ is needed, not only a JRE)"

# Whether every jar of a cached classpath file ($1) is still there (a
# cleaned Maven repository means resolving again).
classpath_present() {
    local jar jars
    [[ -f $1 ]] || return 1
    IFS=: read -r -a jars <"$1"
    for jar in "${jars[@]}"; do
        [[ -f $jar ]] || return 1
    done
}

build() {
    local stamp
    stamp=$( (echo "$VERSION ${KRAFKA_MVN_ARGS:-}"; cat "$HERE/pom.xml"; find "$HERE/src" -name '*.java' | LC_ALL=C sort | xargs cat) \
        | sha256sum | cut -d' ' -f1)
    if [[ -f $BUILD/stamp && $(cat "$BUILD/stamp") == "$stamp" ]] && classpath_present "$BUILD/classpath.txt"; then
        return
    fi
    command -v mvn >/dev/null || missing "mvn (Maven) is not installed; it resolves kafka-clients"
    local started=$SECONDS
    log "building against kafka-clients $VERSION ..."
    rm -rf "$BUILD"
    mkdir -p "$BUILD"
    # shellcheck disable=SC2206
    local extra=(${KRAFKA_MVN_ARGS:-})
    if ! mvn -B -q -f "$HERE/pom.xml" "${extra[@]}" \
        -Dkafka.version="$VERSION" \
        -Dmdep.outputFile="$BUILD/classpath.txt" -Dmdep.includeScope=runtime \
        dependency:build-classpath >"$BUILD/maven.log" 2>&1; then
        cat "$BUILD/maven.log" >&2
        die "Maven could not resolve org.apache.kafka:kafka-clients:$VERSION"
    fi
    find "$HERE/src" -name '*.java' >"$BUILD/sources.txt"
    "$JAVAC" --release 17 -encoding UTF-8 -Xlint:all,-options -Werror \
        -cp "$(cat "$BUILD/classpath.txt")" -d "$BUILD/classes" @"$BUILD/sources.txt" \
        || die "javac failed"
    echo "$stamp" >"$BUILD/stamp"
    log "built in $((SECONDS - started)) s"
}

# Kafka's command-line tools (pom profile "tools"), resolved only when a
# tools mode runs, into tools-classpath.txt; nothing to compile.
build_tools() {
    local stamp
    stamp=$( (echo "tools $VERSION ${KRAFKA_MVN_ARGS:-}"; cat "$HERE/pom.xml") | sha256sum | cut -d' ' -f1)
    if [[ -f $BUILD/tools-stamp && $(cat "$BUILD/tools-stamp") == "$stamp" ]] \
        && classpath_present "$BUILD/tools-classpath.txt"; then
        return
    fi
    command -v mvn >/dev/null || missing "mvn (Maven) is not installed; it resolves kafka-tools"
    local started=$SECONDS
    log "resolving kafka-tools $VERSION ..."
    # shellcheck disable=SC2206
    local extra=(${KRAFKA_MVN_ARGS:-})
    if ! mvn -B -q -f "$HERE/pom.xml" "${extra[@]}" -Ptools \
        -Dkafka.version="$VERSION" \
        -Dmdep.outputFile="$BUILD/tools-classpath.txt" -Dmdep.includeScope=runtime \
        dependency:build-classpath >"$BUILD/maven-tools.log" 2>&1; then
        cat "$BUILD/maven-tools.log" >&2
        die "Maven could not resolve org.apache.kafka:kafka-tools:$VERSION"
    fi
    echo "$stamp" >"$BUILD/tools-stamp"
    log "kafka-tools resolved in $((SECONDS - started)) s"
}

# One build at a time (parallel test runs share the build directory).
mkdir -p "$(dirname "$BUILD")"
if command -v flock >/dev/null; then
    exec 9>"$BUILD.lock"
    flock 9
fi
build
[[ ${1:-} == console-producer || ${1:-} == console-consumer ]] && build_tools
if command -v flock >/dev/null; then
    exec 9>&-
fi
if [[ ${1:-} == console-producer || ${1:-} == console-consumer ]]; then
    tool=org.apache.kafka.tools.ConsoleProducer
    [[ $1 == console-consumer ]] && tool=org.apache.kafka.tools.consumer.ConsoleConsumer
    shift
    exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 \
        -cp "$(cat "$BUILD/tools-classpath.txt")" "$tool" "$@"
fi
CLASSPATH=$BUILD/classes:$(cat "$BUILD/classpath.txt")
[[ ${1:-} == build ]] && { echo "$CLASSPATH"; exit 0; }
# A small heap and tiered compilation stopping early: the work is short and
# the machine may be shared.
exec "$JAVA" -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss8m -cp "$CLASSPATH" \
    dev.krafka.conformance.Conformance "$@"
