#!/usr/bin/env bash
# Run real Apache Kafka (KRaft mode) locally, without Docker.
#
# The broker jars come from Maven Central (scripts/kafka/pom.xml) and are
# started with `java -cp 'libs/*' kafka.Kafka server.properties`.
# See scripts/kafka/README.md for details. `kafka.sh help` lists the commands.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$SCRIPT_DIR/../.." && pwd)
KAFKA_BASE=$(realpath -m "${KRAFKA_KAFKA_HOME:-$REPO_ROOT/.cache/kafka}")
RUN_BASE=$KAFKA_BASE/run
START_TIMEOUT=${KRAFKA_KAFKA_START_TIMEOUT:-120}
STOP_TIMEOUT=${KRAFKA_KAFKA_STOP_TIMEOUT:-30}
CLUSTER_SIZE=3
READY_LINE='Kafka Server started'

# wall-clock timing with 0.1 s resolution (EPOCHREALTIME: bash >= 5)
now_us() {
    if [[ -n ${EPOCHREALTIME:-} ]]; then echo "${EPOCHREALTIME//[.,]/}"; else echo $((SECONDS * 1000000)); fi
}
since() {
    local us=$(($(now_us) - $1))
    printf '%d.%d s' $((us / 1000000)) $((us / 100000 % 10))
}

log() { printf '[kafka.sh] %s\n' "$*" >&2; }
die() { printf '[kafka.sh] ERROR: %s\n' "$*" >&2; exit 1; }

usage() {
    cat <<'EOF'
usage: scripts/kafka/kafka.sh <command> [args]

  fetch [--old|--all]         resolve the broker jars from Maven Central (idempotent)
  start <single|cluster|old|secure>
                              start a target and wait until it serves (no-op if running)
  stop <single|cluster|old|secure|all>
                              SIGTERM, wait up to 30 s, then SIGKILL (safe if nothing runs)
  restart <single|cluster|old|secure>
  status                      what runs, where, and where the logs are
  start-broker cluster N      start node N (1-3) of the cluster
  stop-broker cluster N [--kill]
                              stop node N (1-3) of the cluster (--kill: SIGKILL, a crash)
  reset <single|cluster|old|secure|all>
                              stop and delete the data (next start formats a fresh cluster)
  bootstrap <single|cluster|old|secure>
                              print the bootstrap servers, e.g. 127.0.0.1:9092
  certs                       print the directory of the secure node's certificates
  logs <single|cluster|old|secure> [N]
                              print the log file path(s)

targets (all on 127.0.0.1; env overrides in brackets):
  single   KAFKA_VERSION, 1 broker+controller node, port 9092 [KRAFKA_KAFKA_PORT],
           controller port = port+1 [KRAFKA_KAFKA_CONTROLLER_PORT]
  cluster  KAFKA_VERSION, 3 broker+controller nodes, ports 9192-9194 [KRAFKA_KAFKA_CLUSTER_PORT],
           controller ports 9292-9294 [KRAFKA_KAFKA_CLUSTER_CONTROLLER_PORT]
  old      scripts/kafka/OLD_KAFKA_VERSION [KRAFKA_KAFKA_OLD_VERSION], 1 node, port 9392
           [KRAFKA_KAFKA_OLD_PORT], controller port = port+1 [KRAFKA_KAFKA_OLD_CONTROLLER_PORT]
  secure   KAFKA_VERSION, 1 node with TLS, SASL and ACLs [KRAFKA_KAFKA_SECURE_PORT = P, 9492]:
           P SSL, P+1 SASL_SSL (PLAIN, SCRAM-SHA-256/512), P+2 SSL with client certificates
           required, P+3 SASL_PLAINTEXT, P+4 SSL with a certificate for another host name,
           P+5 inter-broker (SASL_PLAINTEXT, admin), P+6 controller, P+7 SASL_PLAINTEXT with
           OAUTHBEARER (unsecured JWS), P+8 SASL_PLAINTEXT (SCRAM, OAUTHBEARER) with 3 s
           sessions (KIP-368 re-authentication), P+9 SASL_PLAINTEXT with GSSAPI (advertised
           as localhost; needs the KDC of scripts/kerberos/kdc.sh); users and certificates
           in scripts/kafka/README.md

other env: KRAFKA_KAFKA_HOME (default <repo>/.cache/kafka), KRAFKA_KAFKA_VERSION,
  KRAFKA_KAFKA_START_TIMEOUT (120), KRAFKA_KAFKA_STOP_TIMEOUT (30),
  KRAFKA_KAFKA_HEAP_OPTS, KRAFKA_KAFKA_JVM_OPTS, KRAFKA_MVN_ARGS, JAVA (default java)
EOF
}

JAVA=${JAVA:-java}

# ---------------------------------------------------------------- versions

main_version() {
    if [[ -n ${KRAFKA_KAFKA_VERSION:-} ]]; then
        echo "$KRAFKA_KAFKA_VERSION"
        return
    fi
    [[ -f $REPO_ROOT/KAFKA_VERSION ]] || die "missing $REPO_ROOT/KAFKA_VERSION"
    tr -d ' \t\r\n' <"$REPO_ROOT/KAFKA_VERSION"
}

old_version() {
    if [[ -n ${KRAFKA_KAFKA_OLD_VERSION:-} ]]; then
        echo "$KRAFKA_KAFKA_OLD_VERSION"
        return
    fi
    [[ -f $SCRIPT_DIR/OLD_KAFKA_VERSION ]] || die "missing $SCRIPT_DIR/OLD_KAFKA_VERSION"
    tr -d ' \t\r\n' <"$SCRIPT_DIR/OLD_KAFKA_VERSION"
}

target_version() {
    case $1 in
        single | cluster | secure) main_version ;;
        old) old_version ;;
        *) die "unknown target '$1' (expected single, cluster, old or secure)" ;;
    esac
}

libs_dir() { echo "$KAFKA_BASE/$1/libs"; }

# ---------------------------------------------------------------- fetch

# fetch_version VERSION: resolve kafka_2.13:VERSION plus a logging binding into
# $KAFKA_BASE/VERSION/libs. Skipped when the .complete marker is there.
fetch_version() {
    local version=$1 libs tmp log4j_jar profile t0
    libs=$(libs_dir "$version")
    if [[ -f $libs/.complete ]]; then
        log "Kafka $version: jars already in $libs"
        return 0
    fi
    command -v mvn >/dev/null || die "mvn (Maven) is not installed; it is needed to fetch the Kafka jars"
    t0=$(now_us)
    log "Kafka $version: resolving jars from Maven Central into $libs ..."
    mkdir -p "$KAFKA_BASE/$version"
    tmp=$KAFKA_BASE/$version/libs.tmp.$$
    rm -rf "$tmp"
    local -a mvn_cmd=(mvn -B -q -f "$SCRIPT_DIR/pom.xml" dependency:copy-dependencies
        -Dkafka.version="$version" -DincludeScope=runtime -DoutputDirectory="$tmp")
    # shellcheck disable=SC2206
    local -a extra=(${KRAFKA_MVN_ARGS:-})
    # 1st pass: Kafka alone, to learn which logging backend this Kafka line uses.
    if ! "${mvn_cmd[@]}" "${extra[@]}" >"$KAFKA_BASE/$version/fetch.log" 2>&1; then
        cat "$KAFKA_BASE/$version/fetch.log" >&2
        rm -rf "$tmp"
        die "Maven could not resolve org.apache.kafka:kafka_2.13:$version (is Maven Central reachable, does the version exist?)"
    fi
    # 2nd pass: add the slf4j binding Kafka's own distribution ships.
    log4j_jar=$(find "$tmp" -maxdepth 1 -name 'log4j-core-*.jar' -printf '%f\n' | head -n1)
    if [[ -n $log4j_jar ]]; then
        local log4j_version=${log4j_jar#log4j-core-}
        log4j_version=${log4j_version%.jar}
        profile=(-Plog4j2 -Dlog4j.version="$log4j_version")
    else
        profile=(-Preload4j)
    fi
    if ! "${mvn_cmd[@]}" "${profile[@]}" "${extra[@]}" >"$KAFKA_BASE/$version/fetch.log" 2>&1; then
        cat "$KAFKA_BASE/$version/fetch.log" >&2
        rm -rf "$tmp"
        die "Maven could not resolve the logging binding for Kafka $version (${profile[*]})"
    fi
    [[ -f $tmp/kafka_2.13-$version.jar ]] || die "kafka_2.13-$version.jar missing after resolution"
    if [[ -n $log4j_jar ]]; then echo "logging=log4j2" >"$tmp/.complete"; else echo "logging=reload4j" >"$tmp/.complete"; fi
    rm -rf "$libs"
    mv "$tmp" "$libs"
    log "Kafka $version: $(find "$libs" -name '*.jar' | wc -l) jars in $libs ($(since "$t0"))"
}

ensure_fetched() {
    local version=$1
    [[ -f $(libs_dir "$version")/.complete ]] || fetch_version "$version"
}

cmd_fetch() {
    case ${1:-} in
        "") fetch_version "$(main_version)" ;;
        --old) fetch_version "$(old_version)" ;;
        --all) fetch_version "$(main_version)"; fetch_version "$(old_version)" ;;
        *) die "usage: kafka.sh fetch [--old|--all]" ;;
    esac
}

# ---------------------------------------------------------------- layout

node_count() { if [[ $1 == cluster ]]; then echo "$CLUSTER_SIZE"; else echo 1; fi; }

target_dir() { echo "$RUN_BASE/$1"; }

# node_dir TARGET N: single and old keep everything directly in run/<target>/,
# the cluster has run/cluster/node<N>/.
node_dir() {
    if [[ $1 == cluster ]]; then echo "$RUN_BASE/cluster/node$2"; else echo "$RUN_BASE/$1"; fi
}

client_port() {
    case $1 in
        single) echo "${KRAFKA_KAFKA_PORT:-9092}" ;;
        cluster) echo $((${KRAFKA_KAFKA_CLUSTER_PORT:-9192} + $2 - 1)) ;;
        old) echo "${KRAFKA_KAFKA_OLD_PORT:-9392}" ;;
        secure) echo "${KRAFKA_KAFKA_SECURE_PORT:-9492}" ;;
    esac
}

controller_port() {
    case $1 in
        single) echo "${KRAFKA_KAFKA_CONTROLLER_PORT:-$(($(client_port single 1) + 1))}" ;;
        cluster) echo $((${KRAFKA_KAFKA_CLUSTER_CONTROLLER_PORT:-9292} + $2 - 1)) ;;
        old) echo "${KRAFKA_KAFKA_OLD_CONTROLLER_PORT:-$(($(client_port old 1) + 1))}" ;;
        secure) echo $(($(client_port secure 1) + 6)) ;;
    esac
}

bootstrap_servers() {
    local target=$1 n out=""
    for ((n = 1; n <= $(node_count "$target"); n++)); do
        out+="${out:+,}127.0.0.1:$(client_port "$target" "$n")"
    done
    echo "$out"
}

# configured_port TARGET N: the client port in the node's server.properties (what a
# running node really uses, whatever the environment says now).
configured_port() {
    sed -n 's|^advertised.listeners=[A-Z_]*://127.0.0.1:\([0-9]*\).*|\1|p' "$(node_dir "$1" "$2")/server.properties" 2>/dev/null
}

# check_running_matches TARGET N: a running node must be the wanted version on the wanted port.
check_running_matches() {
    local target=$1 n=$2 have_version want_version have_port want_port
    have_version=$(cat "$(target_dir "$target")/VERSION" 2>/dev/null || echo '?')
    want_version=$(target_version "$target")
    have_port=$(configured_port "$target" "$n")
    want_port=$(client_port "$target" "$n")
    if [[ $have_version != "$want_version" || $have_port != "$want_port" ]]; then
        die "$target node $n already runs Kafka $have_version on port $have_port, but Kafka $want_version on port $want_port is wanted: stop it first (kafka.sh stop $target)"
    fi
}

check_node_arg() {
    local target=$1 n=${2:-}
    [[ $target == cluster ]] || die "start-broker/stop-broker only work on 'cluster'"
    if ! [[ $n =~ ^[1-9][0-9]*$ ]] || ((n > CLUSTER_SIZE)); then
        die "node number must be 1..$CLUSTER_SIZE (got '${n}')"
    fi
}

# ---------------------------------------------------------------- processes

# pid_alive PID: running and not a zombie (a killed broker whose parent is init
# stays a zombie until init reaps it, and kill -0 still succeeds on zombies).
pid_alive() {
    local state
    kill -0 "$1" 2>/dev/null || return 1
    state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
    [[ -n $state && $state != Z && $state != X ]]
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# node_pid TARGET N: print the pid if that node's broker runs; removes a stale pid file.
node_pid() {
    local dir pidfile pid
    dir=$(node_dir "$1" "$2")
    pidfile=$dir/kafka.pid
    [[ -f $pidfile ]] || return 1
    pid=$(<"$pidfile")
    if [[ $pid =~ ^[0-9]+$ ]] && pid_alive "$pid" &&
        tr '\0' ' ' <"/proc/$pid/cmdline" 2>/dev/null | grep -qF "$dir/server.properties"; then
        echo "$pid"
        return 0
    fi
    log "$1 node $2: removing stale pid file ($pid is not running)"
    rm -f "$pidfile"
    return 1
}

write_server_properties() {
    local target=$1 n=$2 version=$3 dir=$4 voters=$5 rf=$6 min_isr=$7
    local port cport major
    port=$(client_port "$target" "$n")
    cport=$(controller_port "$target" "$n")
    major=${version%%.*}
    if [[ $target == secure ]]; then
        write_secure_properties "$version" "$dir" "$port" "$cport"
        return
    fi
    cat >"$dir/server.properties" <<EOF
# Generated by scripts/kafka/kafka.sh for Kafka $version ($target node $n); rewritten on every start.
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
log.dirs=$dir/data

# sized for a 2-core machine
num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4

# good for tests
auto.create.topics.enable=true
delete.topic.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
# look for timed-out transactions every second (default 10 s), so that the
# transaction-timeout tests wait seconds, not tens of them
transaction.abort.timed.out.transaction.cleanup.interval.ms=1000
group.initial.rebalance.delay.ms=0
EOF
    if ((major >= 4)); then
        cat >>"$dir/server.properties" <<EOF
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
EOF
    fi
    if [[ $target == cluster ]]; then
        # one rack per node, and follower fetching (KIP-392) for clients that set client.rack
        cat >>"$dir/server.properties" <<EOF
broker.rack=rack-$n
replica.selector.class=org.apache.kafka.common.replica.RackAwareReplicaSelector
EOF
    fi
}

# ---------------------------------------------------------------- the secure node

# Test users of the secure node (name password): alice is allowed on topics and
# groups whose names start with `secure-`, bob on nothing, admin is the super user
# the node talks to itself as. PLAIN knows all three; SCRAM-SHA-256/512 alice and bob.
SECURE_USERS=(alice alice-secret bob bob-secret)
SECURE_ADMIN=(admin admin-secret)

certs_dir() { echo "$(target_dir secure)/certs"; }
# The highest port of the secure node (its listeners run from the base port to here).
secure_last_port() { echo $(($(client_port secure 1) + 9)); }

# The KDC of scripts/kerberos/kdc.sh (same KRAFKA_KDC_HOME), which the GSSAPI
# listener's keytab login reaches at startup.
kerberos_dir() { realpath -m "${KRAFKA_KDC_HOME:-$REPO_ROOT/.cache/kerberos}"; }
check_kdc() {
    KRAFKA_KDC_HOME=$(kerberos_dir) "$REPO_ROOT/scripts/kerberos/kdc.sh" status 9>&- ||
        die "secure: the Kerberos KDC for the GSSAPI listener is not running; start it first: scripts/kerberos/kdc.sh start"
}

# make_certs DIR: a test PKI made with openssl (once; `reset secure` makes a new one):
#   ca.pem                      the CA every node certificate comes from
#   server.pem/.key             127.0.0.1 and localhost (IP and DNS SANs)
#   wronghost.pem/.key          only wrong.invalid (the P+4 listener)
#   client.pem/.key             CN=krafka-client (the mTLS principal `krafka-client`),
#                               RSA; the key also as client-pkcs1.key (PKCS#1) and
#                               client-encrypted.key (PKCS#8, AES, password client-key-secret)
#   expired.pem/.key            a client certificate that expired in 2021 (SEC1 EC key)
#   other-ca.pem                another CA; other-client.pem/.key comes from it
#   server-keystore.pem, wronghost-keystore.pem   key + chain for the broker (Java PEM keystores)
make_certs() {
    local dir=$1 tmp
    [[ -f $dir/.complete ]] && return 0
    command -v openssl >/dev/null || die "openssl is needed to make the secure node's certificates"
    tmp=$dir.tmp.$$
    rm -rf "$tmp"
    mkdir -p "$tmp"
    (
        set -e
        cd "$tmp"
        ca() { # ca NAME CN
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout "$1.key" \
                -out "$1.pem" -days 3650 -subj "/O=Krafka test/CN=$2" \
                -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
            mkdir -p "$1.db"
            : >"$1.db/index.txt"
            echo 1000 >"$1.db/serial"
            cat >"$1.db/ca.cnf" <<EOF
[ca]
default_ca = this
[this]
database = $1.db/index.txt
new_certs_dir = $1.db
serial = $1.db/serial
default_md = sha256
policy = any
unique_subject = no
[any]
organizationName = optional
commonName = supplied
EOF
        }
        # leaf CA NAME KEYALG SUBJECT EXTENSIONS [START END]: key NAME.key (PKCS#8), cert NAME.pem
        leaf() {
            local ca=$1 name=$2 alg=$3 subject=$4 ext=$5 start=${6:-} end=${7:-}
            case $alg in
                ec) openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$name.key" ;;
                rsa) openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out "$name.key" ;;
            esac
            openssl req -new -key "$name.key" -subj "$subject" -out "$name.csr"
            printf '%s\n' "$ext" >"$name.ext"
            local -a dates=(-days 3650)
            [[ -n $start ]] && dates=(-startdate "$start" -enddate "$end")
            openssl ca -batch -notext -config "$ca.db/ca.cnf" -cert "$ca.pem" -keyfile "$ca.key" \
                -in "$name.csr" -out "$name.pem" -extfile "$name.ext" "${dates[@]}"
            rm -f "$name.csr" "$name.ext"
        }
        ca ca "Krafka test CA"
        ca other-ca "Krafka other CA"
        local server_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth'
        local client_ext='basicConstraints=CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth'
        leaf ca server ec "/O=Krafka test/CN=localhost" "$server_ext
subjectAltName=IP:127.0.0.1,DNS:localhost"
        leaf ca wronghost ec "/O=Krafka test/CN=wrong.invalid" "$server_ext
subjectAltName=DNS:wrong.invalid"
        leaf ca client rsa "/O=Krafka test/CN=krafka-client" "$client_ext"
        leaf ca expired ec "/O=Krafka test/CN=krafka-expired" "$client_ext" 20200101000000Z 20210101000000Z
        leaf other-ca other-client ec "/O=Krafka test/CN=krafka-client" "$client_ext"
        openssl pkey -in client.key -traditional -out client-pkcs1.key
        openssl pkcs8 -topk8 -v2 aes-256-cbc -in client.key -passout pass:client-key-secret \
            -out client-encrypted.key
        openssl pkey -in expired.key -traditional -out expired-sec1.key
        mv expired-sec1.key expired.key
        cat server.key server.pem ca.pem >server-keystore.pem
        cat wronghost.key wronghost.pem ca.pem >wronghost-keystore.pem
        rm -rf ca.db other-ca.db ca.key other-ca.key
    ) >"$tmp.log" 2>&1 || { cat "$tmp.log" >&2; rm -rf "$tmp" "$tmp.log"; die "making the test certificates failed"; }
    rm -f "$tmp.log"
    touch "$tmp/.complete"
    rm -rf "$dir"
    mv "$tmp" "$dir"
    log "secure: test certificates made in $dir"
}

# scram_users: the StorageTool arguments that create the SCRAM users at format time.
scram_users() {
    local i mechanism
    for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
        for ((i = 0; i < ${#SECURE_USERS[@]}; i += 2)); do
            echo "--add-scram $mechanism=[name=${SECURE_USERS[i]},password=${SECURE_USERS[i + 1]}]"
        done
    done
}

# plain_jaas [CLIENT]: the PLAIN login module of a listener: every user and
# password it accepts, and with CLIENT the admin login the node uses itself.
plain_jaas() {
    local i out="org.apache.kafka.common.security.plain.PlainLoginModule required"
    [[ -n ${1:-} ]] && out+=" username=\"${SECURE_ADMIN[0]}\" password=\"${SECURE_ADMIN[1]}\""
    out+=" user_${SECURE_ADMIN[0]}=\"${SECURE_ADMIN[1]}\""
    for ((i = 0; i < ${#SECURE_USERS[@]}; i += 2)); do
        out+=" user_${SECURE_USERS[i]}=\"${SECURE_USERS[i + 1]}\""
    done
    echo "$out;"
}

write_secure_properties() {
    local version=$1 dir=$2 p=$3 cport=$4 certs scram krb
    certs=$(certs_dir)
    krb=$(kerberos_dir)
    scram='org.apache.kafka.common.security.scram.ScramLoginModule required;'
    local oauth='org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub="admin" unsecuredValidatorAllowableClockSkewMs="5000";'
    local oauth_validator=org.apache.kafka.common.security.oauthbearer.internals.unsecured.OAuthBearerUnsecuredValidatorCallbackHandler
    cat >"$dir/server.properties" <<EOF
# Generated by scripts/kafka/kafka.sh for Kafka $version (secure node); rewritten on every start.
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=SSL://127.0.0.1:$p,SASL_SSL://127.0.0.1:$((p + 1)),MTLS://127.0.0.1:$((p + 2)),SASL_PLAINTEXT://127.0.0.1:$((p + 3)),WRONGHOST://127.0.0.1:$((p + 4)),INTERNAL://127.0.0.1:$((p + 5)),CONTROLLER://127.0.0.1:$cport,OAUTH://127.0.0.1:$((p + 7)),REAUTH://127.0.0.1:$((p + 8)),GSSAPI://127.0.0.1:$((p + 9))
advertised.listeners=SSL://127.0.0.1:$p,SASL_SSL://127.0.0.1:$((p + 1)),MTLS://127.0.0.1:$((p + 2)),SASL_PLAINTEXT://127.0.0.1:$((p + 3)),WRONGHOST://127.0.0.1:$((p + 4)),INTERNAL://127.0.0.1:$((p + 5)),OAUTH://127.0.0.1:$((p + 7)),REAUTH://127.0.0.1:$((p + 8)),GSSAPI://localhost:$((p + 9))
listener.security.protocol.map=SSL:SSL,SASL_SSL:SASL_SSL,MTLS:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,WRONGHOST:SSL,INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT,OAUTH:SASL_PLAINTEXT,REAUTH:SASL_PLAINTEXT,GSSAPI:SASL_PLAINTEXT
inter.broker.listener.name=INTERNAL
controller.listener.names=CONTROLLER
log.dirs=$dir/data

# the node reaches itself (broker -> controller, inter-broker) as the super user admin
sasl.mechanism.controller.protocol=PLAIN
sasl.mechanism.inter.broker.protocol=PLAIN
listener.name.controller.sasl.enabled.mechanisms=PLAIN
listener.name.controller.plain.sasl.jaas.config=$(plain_jaas client)
listener.name.internal.sasl.enabled.mechanisms=PLAIN
listener.name.internal.plain.sasl.jaas.config=$(plain_jaas client)

# clients: PLAIN and SCRAM on SASL_SSL and SASL_PLAINTEXT
sasl.enabled.mechanisms=PLAIN,SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_ssl.plain.sasl.jaas.config=$(plain_jaas)
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=$scram
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=$scram
listener.name.sasl_plaintext.plain.sasl.jaas.config=$(plain_jaas)
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=$scram
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=$scram

# Kerberos on GSSAPI: the broker is kafka/localhost@KRAFKA.TEST (its key in a keytab),
# advertised as localhost so clients ask for that principal; alice@KRAFKA.TEST maps to
# User:alice by the default principal.to.local rule
sasl.kerberos.service.name=kafka
listener.name.gssapi.sasl.enabled.mechanisms=GSSAPI
listener.name.gssapi.gssapi.sasl.jaas.config=com.sun.security.auth.module.Krb5LoginModule required useKeyTab=true storeKey=true keyTab="$krb/kafka.keytab" principal="kafka/localhost@KRAFKA.TEST";
# OAUTH: OAUTHBEARER with Kafka's unsecured JWS validator (the token's sub is the principal);
# REAUTH: SCRAM and OAUTHBEARER with 3 s sessions, after which a client must re-authenticate (KIP-368)
listener.name.oauth.sasl.enabled.mechanisms=OAUTHBEARER
listener.name.oauth.oauthbearer.sasl.jaas.config=$oauth
listener.name.oauth.oauthbearer.sasl.server.callback.handler.class=$oauth_validator
listener.name.reauth.sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512,OAUTHBEARER
listener.name.reauth.scram-sha-256.sasl.jaas.config=$scram
listener.name.reauth.scram-sha-512.sasl.jaas.config=$scram
listener.name.reauth.oauthbearer.sasl.jaas.config=$oauth
listener.name.reauth.oauthbearer.sasl.server.callback.handler.class=$oauth_validator
listener.name.reauth.connections.max.reauth.ms=3000

# TLS: PEM key stores; client certificates required on MTLS, whose principal is the CN
ssl.keystore.type=PEM
ssl.keystore.location=$certs/server-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$certs/ca.pem
ssl.enabled.protocols=TLSv1.2,TLSv1.3
listener.name.mtls.ssl.client.auth=required
listener.name.wronghost.ssl.keystore.type=PEM
listener.name.wronghost.ssl.keystore.location=$certs/wronghost-keystore.pem
ssl.principal.mapping.rules=RULE:^CN=([^,]*),.*\$/\$1/,DEFAULT

# authorization is real: only ACLs (added by kafka.sh after the first start) allow anything
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
super.users=User:${SECURE_ADMIN[0]}
allow.everyone.if.no.acl.found=false

num.network.threads=2
num.io.threads=4
num.recovery.threads.per.data.dir=1
background.threads=4
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
min.insync.replicas=1
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
EOF
}

# add_secure_acls: once per fresh node, the ACLs of the test users, through the
# Admin API of kafka-clients (SecureAcls.java, run from source) as admin.
add_secure_acls() {
    local dir t0
    dir=$(node_dir secure 1)
    [[ -f $dir/data/.acls ]] && return 0
    t0=$(now_us)
    if ! "$JAVA" -Xmx128m -XX:TieredStopAtLevel=1 "$(log_opts secure 1)" \
        -cp "$(libs_dir "$(target_version secure)")/*" "$SCRIPT_DIR/SecureAcls.java" \
        "127.0.0.1:$(($(client_port secure 1) + 5))" "${SECURE_ADMIN[@]}" >"$dir/acls.log" 2>&1 9>&-; then
        cat "$dir/acls.log" >&2
        log "secure: adding the ACLs failed (see $dir/acls.log)"
        return 1
    fi
    touch "$dir/data/.acls"
    log "secure: ACLs added in $(since "$t0")"
}

write_logging_config() {
    local dir=$1 logging=$2
    if [[ $logging == log4j2 ]]; then
        cat >"$dir/log4j2.properties" <<'EOF'
status = warn
# let Kafka log its own shutdown (log4j2's hook would stop logging first)
shutdownHook = disable
appender.stdout.type = Console
appender.stdout.name = STDOUT
appender.stdout.layout.type = PatternLayout
appender.stdout.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = INFO
rootLogger.appenderRef.stdout.ref = STDOUT
logger.request.name = kafka.request.logger
logger.request.level = WARN
logger.statechange.name = state.change.logger
logger.statechange.level = WARN
EOF
    else
        cat >"$dir/log4j.properties" <<'EOF'
log4j.rootLogger=INFO, stdout
log4j.appender.stdout=org.apache.log4j.ConsoleAppender
log4j.appender.stdout.layout=org.apache.log4j.PatternLayout
log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
EOF
    fi
}

heap_opts() {
    if [[ -n ${KRAFKA_KAFKA_HEAP_OPTS:-} ]]; then
        echo "$KRAFKA_KAFKA_HEAP_OPTS"
        return
    fi
    case $1 in
        single) echo "-Xms512m -Xmx1g" ;;
        *) echo "-Xms256m -Xmx512m" ;;
    esac
}

new_cluster_id() {
    # A Kafka Uuid: 16 random bytes, URL-safe base64 without padding (22 chars),
    # not starting with '-' (Uuid.randomUuid() avoids those too).
    local id
    while :; do
        id=$(head -c16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
        [[ ${#id} == 22 && $id != -* ]] && break
    done
    echo "$id"
}

# prepare_target TARGET: make sure run/<target> belongs to the right Kafka version
# and has a cluster id. Data of another version is wiped (metadata can't downgrade).
prepare_target() {
    local target=$1 version dir
    version=$(target_version "$target")
    dir=$(target_dir "$target")
    if [[ -f $dir/VERSION && $(<"$dir/VERSION") != "$version" ]]; then
        local n
        for ((n = 1; n <= $(node_count "$target"); n++)); do
            if node_pid "$target" "$n" >/dev/null; then
                die "$target runs Kafka $(<"$dir/VERSION") but $version is wanted: stop it first (kafka.sh stop $target)"
            fi
        done
        log "$target: data is from Kafka $(<"$dir/VERSION"), wiping $dir for $version"
        rm -rf "$dir"
    fi
    mkdir -p "$dir"
    echo "$version" >"$dir/VERSION"
    [[ -s $dir/cluster.id ]] || new_cluster_id >"$dir/cluster.id"
}

# configure_node TARGET N: check the node's ports are free, write its configs.
configure_node() {
    local target=$1 n=$2 version logging dir port cport voters rf min_isr k p
    version=$(target_version "$target")
    logging=$(sed -n 's/^logging=//p' "$(libs_dir "$version")/.complete")
    dir=$(node_dir "$target" "$n")
    port=$(client_port "$target" "$n")
    cport=$(controller_port "$target" "$n")
    local -a ports=("$port" "$cport")
    [[ $target == secure ]] && ports=($(seq "$port" "$(secure_last_port)"))
    for p in "${ports[@]}"; do
        if port_open "$p"; then
            die "port $p (for $target node $n) is already in use by another process (see: ss -ltnp 'sport = :$p')"
        fi
    done
    voters=""
    for ((k = 1; k <= $(node_count "$target"); k++)); do
        voters+="${voters:+,}$k@127.0.0.1:$(controller_port "$target" "$k")"
    done
    if [[ $target == cluster ]]; then rf=3 min_isr=2; else rf=1 min_isr=1; fi
    [[ $target == secure ]] && check_kdc && make_certs "$(certs_dir)"
    mkdir -p "$dir"
    write_server_properties "$target" "$n" "$version" "$dir" "$voters" "$rf" "$min_isr"
    write_logging_config "$dir" "$logging"
}

# log_opts TARGET N: the JVM flag that points the logging backend at the node's config.
log_opts() {
    local dir
    dir=$(node_dir "$1" "$2")
    if [[ -f $dir/log4j2.properties ]]; then
        echo "-Dlog4j2.configurationFile=$dir/log4j2.properties"
    else
        echo "-Dlog4j.configuration=file:$dir/log4j.properties"
    fi
}

needs_format() { [[ ! -f $(node_dir "$1" "$2")/data/meta.properties ]]; }

# format_node TARGET N: kafka-storage format with the target's cluster id.
# With a static controller.quorum.voters no --standalone/--initial-controllers is needed.
format_node() {
    local target=$1 n=$2 version dir cluster_id
    version=$(target_version "$target")
    dir=$(node_dir "$target" "$n")
    cluster_id=$(<"$(target_dir "$target")/cluster.id")
    rm -rf "$dir/data"
    local -a scram=()
    [[ $target == secure ]] && scram=($(scram_users))
    if ! "$JAVA" "$(log_opts "$target" "$n")" -Xmx256m -XX:TieredStopAtLevel=1 \
        -cp "$(libs_dir "$version")/*" kafka.tools.StorageTool format \
        -t "$cluster_id" -c "$dir/server.properties" "${scram[@]}" >"$dir/format.log" 2>&1 9>&-; then
        cat "$dir/format.log" >&2
        log "$target node $n: formatting the storage failed (see $dir/format.log)"
        return 1
    fi
}

# spawn_node TARGET N: start the broker in the background, record its pid.
spawn_node() {
    local target=$1 n=$2 version dir
    version=$(target_version "$target")
    dir=$(node_dir "$target" "$n")
    # shellcheck disable=SC2206,SC2207 # heap and extra JVM options are meant to be split
    local -a jvm=($(heap_opts "$target")
        -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:InitiatingHeapOccupancyPercent=35
        -XX:+ExplicitGCInvokesConcurrent -XX:ActiveProcessorCount=2 -XX:+ExitOnOutOfMemoryError
        -Djava.awt.headless=true ${KRAFKA_KAFKA_JVM_OPTS:-} "$(log_opts "$target" "$n")")
    [[ $target == secure ]] && jvm+=("-Djava.security.krb5.conf=$(kerberos_dir)/krb5.conf")
    if [[ -f $dir/server.log ]]; then mv -f "$dir/server.log" "$dir/server.log.prev"; fi
    # setsid: the broker must outlive the calling shell/job; 9>&-: don't inherit the lock.
    (cd "$dir" && exec setsid "$JAVA" "${jvm[@]}" -cp "$(libs_dir "$version")/*" \
        kafka.Kafka "$dir/server.properties" </dev/null >"$dir/server.log" 2>&1 9>&-) &
    echo $! >"$dir/kafka.pid"
    log "$target node $n: started Kafka $version (pid $!), port $(client_port "$target" "$n"), log $dir/server.log"
}

# launch_nodes TARGET N...: configure, format (first time, in parallel) and spawn
# nodes that are not running.
launch_nodes() {
    local target=$1 n
    shift
    for n in "$@"; do configure_node "$target" "$n"; done
    local -a fpids=() fnodes=()
    for n in "$@"; do
        if needs_format "$target" "$n"; then
            log "$target node $n: formatting storage (Kafka $(target_version "$target"), cluster id $(<"$(target_dir "$target")/cluster.id"))"
            format_node "$target" "$n" &
            fpids+=($!)
            fnodes+=("$n")
        fi
    done
    local i failed=0
    for i in "${!fpids[@]}"; do
        wait "${fpids[$i]}" || failed=1
    done
    ((failed == 0)) || die "$target: formatting failed"
    for n in "$@"; do spawn_node "$target" "$n"; done
}

# wait_ready TARGET N...: wait until every listed node logged READY_LINE (in the
# log of its current run) and its client port answers. Returns 1 (after printing
# the log tails) if a node dies or START_TIMEOUT passes. WAIT_QUIET=1: no per-node lines.
wait_ready() {
    local target=$1 t0=$SECONDS t0us pending n dir pid
    t0us=$(now_us)
    shift
    pending=("$@")
    while ((${#pending[@]} > 0)); do
        local still=()
        for n in "${pending[@]}"; do
            dir=$(node_dir "$target" "$n")
            pid=$(cat "$dir/kafka.pid" 2>/dev/null || echo 0)
            if ! pid_alive "$pid"; then
                log "$target node $n (pid $pid) died during startup; last lines of $dir/server.log:"
                tail -n 40 "$dir/server.log" >&2 || true
                rm -f "$dir/kafka.pid"
                return 1
            fi
            if grep -qF "$READY_LINE" "$dir/server.log" 2>/dev/null && port_open "$(client_port "$target" "$n")"; then
                [[ ${WAIT_QUIET:-0} == 1 ]] ||
                    log "$target node $n ready on 127.0.0.1:$(client_port "$target" "$n") after $(since "$t0us")"
            else
                still+=("$n")
            fi
        done
        pending=("${still[@]+"${still[@]}"}")
        ((${#pending[@]} == 0)) && break
        if ((SECONDS - t0 >= START_TIMEOUT)); then
            for n in "${pending[@]}"; do
                dir=$(node_dir "$target" "$n")
                log "$target node $n not ready after $START_TIMEOUT s; last lines of $dir/server.log:"
                tail -n 40 "$dir/server.log" >&2 || true
            done
            return 1
        fi
        sleep 0.5
    done
}

# start_failed TARGET N...: stop what this call launched, keep the logs, exit 1.
start_failed() {
    local target=$1
    shift
    log "$target: stopping the node(s) this start launched: $*"
    stop_nodes "$target" "$@" || true
    die "$target failed to start; logs: $(cmd_logs "$target" | tr '\n' ' ')"
}

# stop_nodes TARGET N...: SIGTERM all listed nodes at once, wait, SIGKILL what's left.
# STOP_SIGNAL=KILL kills at once (a crash, for failover tests).
stop_nodes() {
    local target=$1 n pid t0=$SECONDS t0us signal=${STOP_SIGNAL:-TERM}
    t0us=$(now_us)
    shift
    local -a pids=() nodes=()
    for n in "$@"; do
        if pid=$(node_pid "$target" "$n"); then
            log "$target node $n: stopping (pid $pid, SIG$signal)"
            kill -"$signal" "$pid" 2>/dev/null || true
            pids+=("$pid")
            nodes+=("$n")
        fi
    done
    if ((${#pids[@]} == 0)); then
        log "$target: nothing running"
        return 0
    fi
    local i alive
    while :; do
        alive=0
        for i in "${!pids[@]}"; do
            if pid_alive "${pids[$i]}"; then alive=1; fi
        done
        ((alive == 0)) && break
        if ((SECONDS - t0 >= STOP_TIMEOUT)); then
            for i in "${!pids[@]}"; do
                if pid_alive "${pids[$i]}"; then
                    log "$target node ${nodes[$i]}: still running after $STOP_TIMEOUT s, sending SIGKILL"
                    kill -KILL "${pids[$i]}" 2>/dev/null || true
                fi
            done
            sleep 0.5
            break
        fi
        sleep 0.2
    done
    for n in "${nodes[@]}"; do
        rm -f "$(node_dir "$target" "$n")/kafka.pid"
    done
    log "$target: stopped node(s) ${nodes[*]} in $(since "$t0us")"
}

# ---------------------------------------------------------------- commands

with_lock() {
    mkdir -p "$RUN_BASE"
    exec 9>"$RUN_BASE/.lock"
    flock -w 300 9 || die "another kafka.sh holds $RUN_BASE/.lock"
}

check_target() {
    case ${1:-} in
        single | cluster | old | secure) ;;
        *) die "expected a target: ${2:-single, cluster, old or secure} (got '${1:-}')" ;;
    esac
}

cmd_start() {
    local target=${1:-} n t0
    t0=$(now_us)
    check_target "$target"
    with_lock
    local -a todo=()
    for ((n = 1; n <= $(node_count "$target"); n++)); do
        node_pid "$target" "$n" >/dev/null || todo+=("$n")
    done
    local -a all=()
    for ((n = 1; n <= $(node_count "$target"); n++)); do all+=("$n"); done
    for n in "${all[@]}"; do
        if [[ " ${todo[*]-} " != *" $n "* ]]; then check_running_matches "$target" "$n"; fi
    done
    if ((${#todo[@]} == 0)); then
        # Already running: still make sure it is ready (another caller may have
        # started it a moment ago).
        WAIT_QUIET=1 wait_ready "$target" "${all[@]}" || die "$target runs but is not ready; see kafka.sh logs $target"
        log "$target is already running ($(bootstrap_servers "$target")); nothing to do"
        return 0
    fi
    command -v "$JAVA" >/dev/null || die "java not found (set JAVA=/path/to/java; Java 17+ is needed)"
    ensure_fetched "$(target_version "$target")"
    prepare_target "$target"
    launch_nodes "$target" "${todo[@]}"
    wait_ready "$target" "${all[@]}" || start_failed "$target" "${todo[@]}"
    if [[ $target == secure ]]; then add_secure_acls || start_failed "$target" "${todo[@]}"; fi
    log "$target ready in $(since "$t0"): bootstrap $(bootstrap_servers "$target"), logs under $(target_dir "$target")"
}

cmd_stop() {
    local target=${1:-} n
    [[ $target == all ]] || check_target "$target" "single, cluster, old, secure or all"
    with_lock
    local -a targets=("$target")
    [[ $target == all ]] && targets=(single cluster old secure)
    for target in "${targets[@]}"; do
        local -a nodes=()
        for ((n = 1; n <= $(node_count "$target"); n++)); do nodes+=("$n"); done
        stop_nodes "$target" "${nodes[@]}"
    done
}

cmd_start_broker() {
    local target=${1:-} n=${2:-} t0
    t0=$(now_us)
    check_node_arg "$target" "$n"
    with_lock
    if node_pid "$target" "$n" >/dev/null; then
        check_running_matches "$target" "$n"
        WAIT_QUIET=1 wait_ready "$target" "$n" || die "$target node $n runs but is not ready; see $(cmd_logs "$target" "$n")"
        log "$target node $n is already running (port $(client_port "$target" "$n")); nothing to do"
        return 0
    fi
    [[ -s $(target_dir "$target")/cluster.id ]] || die "the cluster was never started: run 'kafka.sh start cluster' first"
    ensure_fetched "$(target_version "$target")"
    prepare_target "$target"
    launch_nodes "$target" "$n"
    wait_ready "$target" "$n" || start_failed "$target" "$n"
    log "$target node $n ready in $(since "$t0")"
}

cmd_stop_broker() {
    local target=${1:-} n=${2:-} signal=TERM
    case ${3:-} in
        "") ;;
        --kill) signal=KILL ;;
        *) die "usage: kafka.sh stop-broker cluster N [--kill]" ;;
    esac
    check_node_arg "$target" "$n"
    with_lock
    STOP_SIGNAL=$signal stop_nodes "$target" "$n"
}

cmd_reset() {
    local target=${1:-}
    [[ $target == all ]] || check_target "$target" "single, cluster, old, secure or all"
    cmd_stop "$target"
    local -a targets=("$target")
    [[ $target == all ]] && targets=(single cluster old secure)
    for target in "${targets[@]}"; do
        rm -rf "$(target_dir "$target")"
        log "$target: data removed"
    done
}

cmd_status() {
    local target n pid dir port any=0
    for target in single cluster old secure; do
        [[ -d $(target_dir "$target") ]] || { echo "$target: not created"; continue; }
        echo "$target: Kafka $(cat "$(target_dir "$target")/VERSION" 2>/dev/null || echo '?')"
        for ((n = 1; n <= $(node_count "$target"); n++)); do
            dir=$(node_dir "$target" "$n")
            if pid=$(node_pid "$target" "$n" 2>/dev/null); then
                any=1
                port=$(configured_port "$target" "$n")
                if port_open "$port"; then
                    echo "  node $n: running, pid $pid, 127.0.0.1:$port, log $dir/server.log"
                else
                    echo "  node $n: running (port $port not answering yet), pid $pid, log $dir/server.log"
                fi
            else
                echo "  node $n: stopped, last log $dir/server.log"
            fi
        done
    done
    ((any)) || echo "(nothing running)"
}

cmd_logs() {
    local target=${1:-} n
    check_target "$target"
    if [[ -n ${2:-} ]]; then
        echo "$(node_dir "$target" "$2")/server.log"
        return
    fi
    for ((n = 1; n <= $(node_count "$target"); n++)); do echo "$(node_dir "$target" "$n")/server.log"; done
}

main() {
    local cmd=${1:-help}
    shift || true
    case $cmd in
        fetch) cmd_fetch "$@" ;;
        start) cmd_start "$@" ;;
        stop) cmd_stop "$@" ;;
        restart) cmd_stop "$@"; exec 9>&-; cmd_start "$@" ;;
        status) cmd_status ;;
        start-broker) cmd_start_broker "$@" ;;
        stop-broker) cmd_stop_broker "$@" ;;
        reset) cmd_reset "$@" ;;
        bootstrap) check_target "${1:-}"; bootstrap_servers "$1" ;;
        logs) cmd_logs "$@" ;;
        certs) certs_dir ;;
        help | -h | --help) usage ;;
        *) usage >&2; die "unknown command '$cmd'" ;;
    esac
}

main "$@"
