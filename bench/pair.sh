#!/usr/bin/env bash
# Compares two builds of the API on this machine, both under load at the same time, by the CPU each process spends per
# request it answers. A full bench run drifts 15-30 % with the machine's speed; two processes loaded together see the
# same machine, so the ratio of their CPU per request moves far less: a build against itself gave 0.966-1.074 per round,
# so a change counts when four or five rounds fall on one side of 1.
#
#   bench/pair.sh A_DIR B_DIR [ROUNDS] [SCENARIO]
#
# A_DIR, B_DIR: folders holding a built PracticeApi.dll, e.g. bench/PracticeApi.Bench/bin/Release/net10.0 of two
# checkouts (git worktree), each built with `dotnet build -c Release bench/PracticeApi.Bench`. SCENARIO: the index of a
# bench scenario (1, the audited read, by default; see --serve's list). Needs wrk. Prints, per round, each process's
# requests per second and CPU µs per request, and B's CPU per request as a share of A's.
# Environment: CLIENTS, the practice's size (1000 by default); B_ENV, settings for B's process only (e.g. one build
# against itself with B_ENV="Auth__TokenCacheSeconds=0").
set -euo pipefail
a_dir=$(realpath "$1"); b_dir=$(realpath "$2"); rounds=${3:-5}; scenario=${4:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
pids=()
cleanup() { for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

# One seeded practice (and wrk scripts) from the bench; its own API stays idle.
dotnet run -c Release --no-build --project "$root/bench/PracticeApi.Bench" -- --clients "${CLIENTS:-1000}" --serve > "$work/serve.log" 2>&1 &
pids+=($!)
until grep -q "Ctrl-C stops" "$work/serve.log"; do sleep 1; kill -0 "${pids[0]}" || { cat "$work/serve.log"; exit 1; }; done
seeded=$(grep -o "/tmp/practiceapi-bench-[A-Za-z0-9]*" "$work/serve.log" | head -1)
# The bench's own wrk command for the scenario; its duration and address are replaced per run.
wrk_command=$(grep "^  wrk " "$work/serve.log" | sed -n "$((scenario + 1))p")
wrk_command=${wrk_command% *}

port=51000
start() { # start NAME DIR: the API from DIR on a copy of the seeded database; sets $port and $pid
    port=$((port + 1))
    mkdir -p "$work/$1"
    cp "$seeded/practice.db" "$work/$1/"
    [ -f "$seeded/practice.db-wal" ] && cp "$seeded/practice.db-wal" "$work/$1/"
    # shellcheck disable=SC2086 # B_ENV is a list of NAME=VALUE words
    (cd "$work/$1" && if [ "$1" = b ] && [ -n "${B_ENV:-}" ]; then export ${B_ENV}; fi && ASPNETCORE_ENVIRONMENT=Production ConnectionStrings__Practice="Data Source=$work/$1/practice.db" \
        Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=100000000 Webhooks__DispatcherEnabled=false \
        exec dotnet "$2/PracticeApi.dll" --urls "http://127.0.0.1:$port" > "$work/$1.log" 2>&1) &
    pid=$!
    pids+=("$pid")
    until curl -sf "http://127.0.0.1:$port/health/ready" > /dev/null; do
        sleep 0.2
        kill -0 "$pid" 2>/dev/null || { echo "$1 ($2) stopped before it was ready:" >&2; cat "$work/$1.log" >&2; exit 1; }
    done
}
start a "$a_dir"; a_port=$port; a_pid=$pid
start b "$b_dir"; b_port=$port; b_pid=$pid

load() { # load PORT PID SECONDS OUT: wrk on the scenario; writes "req/s cpu-µs-per-request" to OUT
    local before after
    before=$(awk '{print $14 + $15}' "/proc/$2/stat")
    eval "${wrk_command/-d 5s/-d ${3}s} http://127.0.0.1:$1" > "$4.wrk"
    after=$(awk '{print $14 + $15}' "/proc/$2/stat")
    awk -v cpu=$((after - before)) -v hz="$(getconf CLK_TCK)" '
        /Requests\/sec/ { rps = $2 } /^REQUESTS/ { n = $2 }
        END { printf "%.0f %.1f\n", rps, cpu * 1e6 / hz / n }' "$4.wrk" > "$4"
}

# Warm-up: tiered compilation takes seconds of load per code path on two cores.
for i in 1 2 3; do load "$a_port" "$a_pid" 6 "$work/w"; load "$b_port" "$b_pid" 6 "$work/w"; done
echo "round  A req/s  A µs/req  B req/s  B µs/req  B/A (CPU per request)"
for round in $(seq 1 "$rounds"); do
    load "$a_port" "$a_pid" 5 "$work/ra" &
    other=$!
    load "$b_port" "$b_pid" 5 "$work/rb"
    wait "$other"
    read -r a_rps a_cpu < "$work/ra"; read -r b_rps b_cpu < "$work/rb"
    awk -v r="$round" -v ar="$a_rps" -v ac="$a_cpu" -v br="$b_rps" -v bc="$b_cpu" \
        'BEGIN { printf "%5d %8d %9.1f %8d %9.1f  %.3f\n", r, ar, ac, br, bc, bc / ac }'
done
