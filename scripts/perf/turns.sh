# Sourced by lib.sh and matrix.sh.
#
# turn_order ROUND TOOL...: the clients in the order they take their turns in
# round ROUND (1-based): as given in odd rounds, reversed in even ones. With
# one order for every round the same client always ran first after the
# previous row's or rate's load (a broker still writing back, compacting or
# collecting garbage) and the next one always ran second; alternating spreads
# that over both.
turn_order() {
    local round="$1" i
    shift
    if (( round % 2 == 1 )); then
        echo "$*"
    else
        local -a tools=("$@") out=()
        for ((i = ${#tools[@]} - 1; i >= 0; i--)); do out+=("${tools[i]}"); done
        echo "${out[*]}"
    fi
}
