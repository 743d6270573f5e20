#!/usr/bin/env bash
# Message relay benchmark: N messages each way through the bridge (IRC -> Matrix and Matrix -> IRC), with the raw
# paths measured in the same run (IRC client -> IRC client through InspIRCd; Matrix client -> Matrix client
# through Synapse): p50/p99 latency, throughput, loss and reordering of each, and what the bridge adds.
#
#   bench/message-relay/run.sh [N]        (default 1000)
#
# Environment: RATE (messages a second in the paced phase, default 10; a burst phase follows, each sender as fast
# as it can), BRIDGE_JAR (default
# target/quarkus-app/quarkus-run.jar, built with ./mvnw if missing; BUILD=1 rebuilds), KEEP_WORK=1 keeps the
# previous work directory. The bridge's token bucket is off for the run (send-rate interval 0): the test
# InspIRCd has no flood limits, and the bucket would measure the configured rate, not the bridge.
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/message-relay/work/. Results:
# bench/message-relay/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
. "$ROOT/scripts/lib.sh"
N="${1:-1000}"
RATE="${RATE:-10}"
JAR="${BRIDGE_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
WORK="$BENCH/work"
NETWORK=bench

cd "$ROOT"
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
  log "building the bridge"
  ./mvnw -B -q -DskipTests package
fi
"$ROOT/scripts/install-deps.sh"

stop_all() (
  set +e
  stop_pidfile "$WORK/bridge.pid" 30
  "$ROOT/scripts/synapse.sh" stop "$WORK/synapse" 2>/dev/null
  "$ROOT/scripts/inspircd.sh" stop "$WORK/inspircd" 2>/dev/null
)
if [ -d "$WORK" ]; then stop_all; fi
trap stop_all EXIT
trap 'exit 130' INT TERM
if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
mkdir -p "$WORK"

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
      bot-nick: BenchBot
      channels: []
      send-rate:
        burst: 10
        interval-millis: 0
relay:
  max-lines: 3
YAML
java -jar "$JAR" generate-registration -c "$WORK/config.yaml" -o "$WORK/registration.yaml" >"$WORK/generate-registration.log" 2>&1 \
  || { cat "$WORK/generate-registration.log" >&2; die "generate-registration failed"; }

"$ROOT/scripts/synapse.sh" start "$WORK/synapse" "$HS_PORT" "$WORK/registration.yaml"
"$ROOT/scripts/synapse.sh" register "$WORK/synapse" alice alicepass
"$ROOT/scripts/synapse.sh" register "$WORK/synapse" bob bobpass

log "starting the bridge"
spawn "$WORK/bridge.pid" "$WORK/bridge.log" java -jar "$JAR" -c "$WORK/config.yaml"
bridge_ready() { grep -q "Bridge ready" "$WORK/bridge.log"; }
wait_until 120 "$WORK/bridge.pid" "the bridge" bridge_ready || { tail -n 30 "$WORK/bridge.log" >&2; die "the bridge did not start"; }

log "measuring (N = $N per path, up to $RATE a second)"
timeout $(( 900 + N * 8 / RATE + N )) python3 "$BENCH/message_relay.py" --hs "http://127.0.0.1:$HS_PORT" \
  --irc-port "$IRC_PORT" --network "$NETWORK" --n "$N" --burst "$N" --rate "$RATE" --alice alice:alicepass --bob bob:bobpass \
  --out "$BENCH/results.json" | tee "$WORK/table.md"

{
  echo "# Message relay benchmark"
  echo
  echo "Command: \`bench/message-relay/run.sh $N\` (RATE=$RATE). Machine: $(nproc) cores, $(java -version 2>&1 | head -n1),"
  echo "Synapse $SYNAPSE_VERSION (SQLite), $(/usr/sbin/inspircd --version 2>/dev/null | head -n1 || echo InspIRCd)."
  echo "Bridge: $JAR (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ', working tree differs in src/')), embedded database, send-rate off."
  echo
  echo "Latency is from when a message was due (paced) or from just before the sender's call (burst) to the"
  echo "receiver's read of the line or of the /sync answer holding the event, on one clock. The raw paths are what the bridged ones are made of: an"
  echo "IRC message through InspIRCd, and a Matrix message through Synapse; the bridge's share is the bridged path's"
  echo "p50 less the sum of the two raw p50s, measured in the paced phase (below what Synapse takes from one sender,"
  echo "so that no queue builds up). The burst phase measures throughput."
  echo
  cat "$WORK/table.md"
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
