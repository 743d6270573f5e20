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
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/soft-kick-storm/work/. Results:
# bench/soft-kick-storm/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
. "$ROOT/scripts/lib.sh"
N="${1:-200}"
CPS="${CPS:-20}"
RECONNECT_DELAY="${RECONNECT_DELAY:-2}"
CONCURRENCY="${CONCURRENCY:-8}"
JAR="${BRIDGE_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
WORK="$BENCH/work"
NETWORK=bench
CHANNEL='#storm'
BOT_NICK=StormBot

cd "$ROOT"
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
  log "building the bridge"
  ./mvnw -B -q -DskipTests package
fi
"$ROOT/scripts/install-deps.sh"

# Stop everything this run started, also on failure or Ctrl-C. A subshell, so that its "set +e" doesn't outlive it
# (the clean-up of a previous run below would otherwise turn off "set -e" for the whole run).
stop_all() (
  set +e
  stop_pidfile "$WORK/bridge.pid" 30
  "$ROOT/scripts/synapse.sh" stop "$WORK/synapse" 2>/dev/null
  "$ROOT/scripts/inspircd.sh" stop "$WORK/inspircd" 2>/dev/null
)
# A run killed hard may have left its servers running: stop them by their pid files first.
if [ -d "$WORK" ]; then stop_all; fi
trap stop_all EXIT
trap 'exit 130' INT TERM
if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"
LOAD_BEFORE="$(cut -d' ' -f1-3 /proc/loadavg)"

IRC_PORT="$(free_port)"
HS_PORT="$(free_port)"
BRIDGE_PORT="$(free_port)"
"$ROOT/scripts/inspircd.sh" start "$WORK/inspircd" "$IRC_PORT"

cat >"$WORK/config.yaml" <<YAML
homeserver:
  url: http://127.0.0.1:$HS_PORT
  domain: localhost
appservice:
  id: irc
  address: 127.0.0.1
  port: $BRIDGE_PORT
  url: http://127.0.0.1:$BRIDGE_PORT
  registration: $WORK/registration.yaml
  bot-localpart: ircbridge
database:
  data-directory: $WORK/bridge-data
bridge:
  admins: []
irc:
  networks:
    - id: $NETWORK
      name: Bench IRC
      host: 127.0.0.1
      port: $IRC_PORT
      bot-nick: $BOT_NICK
      channels: []
      reconnect-delay-seconds: $RECONNECT_DELAY
      limits:
        max-connections: $(( N + 100 ))
        connections-per-second: $CPS
YAML
java -jar "$JAR" generate-registration -c "$WORK/config.yaml" -o "$WORK/registration.yaml" >"$WORK/generate-registration.log" 2>&1 \
  || { cat "$WORK/generate-registration.log" >&2; die "generate-registration failed"; }
AS_TOKEN="$(sed -n "s/^as_token: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
BOT="$(sed -n "s/^sender_localpart: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
[ -n "$AS_TOKEN" ] && [ -n "$BOT" ] || die "no as_token or sender_localpart in $WORK/registration.yaml"

"$ROOT/scripts/synapse.sh" start "$WORK/synapse" "$HS_PORT" "$WORK/registration.yaml"

log "starting the bridge"
spawn "$WORK/bridge.pid" "$WORK/bridge.log" java -jar "$JAR" -c "$WORK/config.yaml"
bridge_ready() { grep -q "Bridge ready" "$WORK/bridge.log"; }
wait_until 120 "$WORK/bridge.pid" "the bridge" bridge_ready || { tail -n 30 "$WORK/bridge.log" >&2; die "the bridge did not start"; }

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
  echo "Machine: $(nproc) cores, $(java -version 2>&1 | head -n1), Synapse $SYNAPSE_VERSION (SQLite),"
  echo "$(/usr/sbin/inspircd --version 2>/dev/null | head -n1 || echo InspIRCd); load average $LOAD_BEFORE before the run."
  if [ -n "${BRIDGE_JAR:-}" ]; then
    echo "Bridge: $JAR${BRIDGE_SOURCE:+ (built from $BRIDGE_SOURCE)}."
  else
    echo "Bridge: $JAR (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ', working tree differs in src/'))."
  fi
  echo
  cat "$BENCH/method.md"
  echo
  echo "## Results"
  echo
  cat "$WORK/table.md"
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
