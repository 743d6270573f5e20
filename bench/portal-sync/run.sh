#!/usr/bin/env bash
# Portal sync benchmark: the bridge mirrors an N-user IRC channel into a new room (a Matrix user joins the
# portal alias; the bridge makes the room, its bot joins the channel, NAMES makes one ghost per IRC user join),
# compared in the same run with Synapse's own rate for N joins made directly with the appservice's token.
#
#   bench/portal-sync/run.sh [N]        (default 1000)
#
# Environment: CONCURRENCY (raw concurrent variants, default 8), BRIDGE_JAR (default
# target/quarkus-app/quarkus-run.jar, built with ./mvnw if missing; BUILD=1 rebuilds; BRIDGE_SOURCE describes
# where a BRIDGE_JAR was built from, for results.md), KEEP_WORK=1 keeps the
# previous work directory, AGAIN=0 skips the drift check (the sequential raw variant once more after the bridge).
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/portal-sync/work/ (set-up shared with
# the other benchmarks in bench/lib.sh). Results: bench/portal-sync/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
. "$BENCH/../lib.sh"
N="${1:-1000}"
CONCURRENCY="${CONCURRENCY:-8}"
CHANNEL='#big'
# The same IRC users are on a second channel, mirrored after the first: their ghosts exist by then.
CHANNEL2='#big2'
USER_NAME=benchuser
USER_PASS=benchpass

bench_dependencies
bench_fresh_work
start_inspircd
configure_bridge BenchBot
start_synapse
"$ROOT/scripts/synapse.sh" register "$WORK/synapse" "$USER_NAME" "$USER_PASS"

# N idle IRC clients on the channel, connected for the whole measurement.
log "connecting $N IRC clients to $CHANNEL and $CHANNEL2"
spawn "$WORK/irc-clients.pid" "$WORK/irc-clients.log" python3 "$BENCH/portal_sync.py" irc "$IRC_PORT" "$N" "$CHANNEL,$CHANNEL2" "$WORK/irc-ready"
irc_ready() { [ -f "$WORK/irc-ready" ] || { [ -f "$WORK/irc-ready.failed" ] && die "IRC clients failed: $(cat "$WORK/irc-ready.failed")"; }; }
wait_until 300 "$WORK/irc-clients.pid" "$N IRC clients" irc_ready || { tail -n 20 "$WORK/irc-clients.log" >&2; die "IRC clients not ready"; }
tail -n 1 "$WORK/irc-clients.log" >&2

# The bridge runs during the raw variants too (idle, in other rooms), so Synapse pushes the same appservice
# transactions in every variant; it only starts work when the user joins the portal alias.
start_bridge

again=(--again)
[ "${AGAIN:-1}" = 0 ] && again=()
log "measuring (N = $N, concurrency $CONCURRENCY)"
timeout $(( 600 + N * 3 )) python3 "$BENCH/portal_sync.py" measure --hs "http://127.0.0.1:$HS_PORT" --as-token "$AS_TOKEN" \
  --bot "$BOT" --network "$NETWORK" --channel "$CHANNEL" --channel2 "$CHANNEL2" --n "$N" --concurrency "$CONCURRENCY" \
  --user "$USER_NAME" --password "$USER_PASS" "${again[@]}" \
  --synapse-pid "$(cat "$WORK/synapse/synapse.pid")" --bridge-pid "$(cat "$WORK/bridge.pid")" \
  --synapse-log "$WORK/synapse/homeserver.log" --out "$BENCH/results.json" | tee "$WORK/table.md"

{
  echo "# Portal sync benchmark"
  echo
  echo "Command: \`bench/portal-sync/run.sh $N\` (CONCURRENCY=$CONCURRENCY). Machine: $(nproc) cores, $(java_version),"
  echo "Synapse $SYNAPSE_VERSION (SQLite), $(inspircd_version)."
  bridge_line
  echo
  cat "$WORK/table.md"
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
