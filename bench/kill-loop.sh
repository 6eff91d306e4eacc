#!/usr/bin/env bash
# Exactly once under kill -9: keyed creates are sent while the API is killed at random moments; after each kill the API
# restarts and every key is retried once its lease has run out. Counts, per key, the clients made (must be 1) and the
# wrong answers (a 409 for a key whose own first run is long dead, a 5xx). Needs curl and jq.
#
#   bench/kill-loop.sh [ROUNDS] [KEYS_PER_ROUND]
#
# Uses the build in src/PracticeApi/bin/Release/net10.0 (dotnet build -c Release src/PracticeApi first). The lease is
# shortened to 2 s (Idempotency:LeaseSeconds) so that the loop does not wait a minute per round.
set -euo pipefail
rounds=${1:-12}; per_round=${2:-40}
root=$(cd "$(dirname "$0")/.." && pwd)
dll="$root/src/PracticeApi/bin/Release/net10.0/PracticeApi.dll"
work=$(mktemp -d); port=52311; api="http://127.0.0.1:$port"; pid=
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT
[ -n "${KEEP:-}" ] && trap '[ -n "$pid" ] && kill -9 "$pid" 2>/dev/null; echo "kept $work"' EXIT

start() {
    (cd "$work" && ASPNETCORE_ENVIRONMENT=Development ConnectionStrings__Practice="Data Source=$work/practice.db" Idempotency__LeaseSeconds=2 \
        Logging__LogLevel__Default=Warning RateLimiting__PermitLimit=100000000 exec dotnet "$dll" --urls "$api" >> "$work/api.log" 2>&1) &
    pid=$!
    until curl -sf "$api/health/ready" > /dev/null; do sleep 0.2; done
}

start
token=$(grep -o 'pa_[A-Za-z0-9_-]*' "$work/api.log" | head -1)
[ -n "$token" ] || { echo "no admin token in the log"; exit 1; }

post() { # post KEY: the status of a keyed create named after its key
    curl -s -o /dev/null -w '%{http_code}' -X POST "$api/api/v1/clients" -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
        -H "Idempotency-Key: $1" -d "{\"firstName\":\"Kill\",\"lastName\":\"$1\",\"preferredLanguage\":\"nl\"}" || echo 000
}

keys=(); wrong=0; declare -A answered
for round in $(seq 1 "$rounds"); do
    batch=()
    for i in $(seq 1 "$per_round"); do batch+=("r${round}k${i}"); done
    keys+=("${batch[@]}")
    for key in "${batch[@]}"; do post "$key" > /dev/null & done
    sleep "0.$((RANDOM % 9 + 1))"
    kill -9 "$pid"; wait "$pid" 2>/dev/null || true
    start
    sleep 2.5 # past the lease
    for key in "${batch[@]}"; do
        status=$(post "$key"); answered[$key]=$status
        case "$status" in 200|201) ;; *) wrong=$((wrong + 1)); echo "round $round: $key answered $status on retry";; esac
    done
done

duplicates=0; missing=0
for key in "${keys[@]}"; do
    count=$(curl -s "$api/api/v1/clients?q=$key&limit=200" -H "Authorization: Bearer $token" | jq '[.items[] | select(.lastName == "'"$key"'")] | length')
    if [ "$count" -gt 1 ]; then duplicates=$((duplicates + count - 1)); fi
    if [ "$count" -lt 1 ]; then missing=$((missing + 1)); echo "$key: no client, though its retry answered ${answered[$key]}"; fi
done
echo "$rounds kill -9 rounds, ${#keys[@]} keys: $duplicates duplicates, $missing missing, $wrong wrong answers on retry"
[ "$duplicates" -eq 0 ] && [ "$missing" -eq 0 ] && [ "$wrong" -eq 0 ]
