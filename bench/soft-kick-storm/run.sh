#!/usr/bin/env bash
# Soft-kick storm benchmark: N Matrix users on one bridged channel (each with an IRC connection of their own made
# by the bridge), then the IRC server restarts. How fast the bridge soft-kicks every user (MSC3217) and invites them
# back once reconnected, compared in the same run with Synapse's own rate for the same N state PUTs and N invites
# made directly with the appservice's token.
#
#   bench/soft-kick-storm/run.sh [N]        (default 200)
#
# Environment: CPS (the network's limits.connections-per-second, default 20), RECONNECT_DELAY
# (reconnect-delay-seconds, default 2), CONCURRENCY (raw concurrent variant, default 8), BRIDGE_JAR (default
# target/quarkus-app/quarkus-run.jar, built with ./mvnw if missing; BUILD=1 rebuilds; BRIDGE_SOURCE describes where
# a BRIDGE_JAR was built from, for results.md), KEEP_WORK=1 keeps the previous work directory, AGAIN=0 skips the
# drift check (the sequential raw variant once more after the storm).
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/soft-kick-storm/work/ (set-up shared
# with the other benchmarks in bench/lib.sh). Results: bench/soft-kick-storm/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
. "$BENCH/../lib.sh"
N="${1:-200}"
CPS="${CPS:-20}"
RECONNECT_DELAY="${RECONNECT_DELAY:-2}"
CONCURRENCY="${CONCURRENCY:-8}"
CHANNEL='#storm'
BOT_NICK=StormBot

bench_dependencies
bench_fresh_work
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"
start_inspircd
configure_bridge "$BOT_NICK" "\
      reconnect-delay-seconds: $RECONNECT_DELAY
      limits:
        max-connections: $(( N + 100 ))
        connections-per-second: $CPS"
start_synapse
start_bridge

again=(--again)
[ "${AGAIN:-1}" = 0 ] && again=()
log "measuring (N = $N, connections-per-second $CPS, reconnect-delay-seconds $RECONNECT_DELAY)"
# The driver stops and starts InspIRCd itself (the storm), through the same script.
timeout $(( 900 + N * 4 )) python3 "$BENCH/storm.py" measure --hs "http://127.0.0.1:$HS_PORT" --as-token "$AS_TOKEN" \
  --bot "$BOT" --bot-nick "$BOT_NICK" --network "$NETWORK" --channel "$CHANNEL" --n "$N" \
  --shared-secret "$(cat "$WORK/synapse/shared_secret")" --irc-port "$IRC_PORT" --inspircd-dir "$WORK/inspircd" \
  --inspircd-script "$ROOT/scripts/inspircd.sh" --cps "$CPS" --reconnect-delay "$RECONNECT_DELAY" \
  --concurrency "$CONCURRENCY" "${again[@]}" \
  --synapse-pid "$(cat "$WORK/synapse/synapse.pid")" --bridge-pid "$(cat "$WORK/bridge.pid")" \
  --bridge-log "$WORK/bridge.log" --out "$BENCH/results.json" | tee "$WORK/table.md"

{
  echo "# Soft-kick storm benchmark"
  echo
  echo "Command: \`bench/soft-kick-storm/run.sh $N\` (CPS=$CPS, RECONNECT_DELAY=$RECONNECT_DELAY, CONCURRENCY=$CONCURRENCY)."
  echo "Machine: $(nproc) cores, $(java_version), Synapse $SYNAPSE_VERSION (SQLite),"
  echo "$(inspircd_version); load average $LOAD_BEFORE before the run."
  bridge_line
  echo
  cat "$BENCH/method.md"
  echo
  echo "## Results"
  echo
  cat "$WORK/table.md"
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
