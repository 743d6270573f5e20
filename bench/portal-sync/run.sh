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
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/portal-sync/work/. Results:
# bench/portal-sync/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
ROOT="$(cd "$BENCH/../.." && pwd)"
. "$ROOT/scripts/lib.sh"
N="${1:-1000}"
CONCURRENCY="${CONCURRENCY:-8}"
JAR="${BRIDGE_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
WORK="$BENCH/work"
NETWORK=bench
CHANNEL='#big'
# The same IRC users are on a second channel, mirrored after the first: their ghosts exist by then.
CHANNEL2='#big2'
USER_NAME=benchuser
USER_PASS=benchpass

cd "$ROOT"
if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
  log "building the bridge"
  ./mvnw -B -q -DskipTests package
fi
"$ROOT/scripts/install-deps.sh"

# Stop everything this run started, also on failure or Ctrl-C. A subshell, so that its `set +e` doesn't
# turn `set -e` off for the rest of the run.
stop_all() (
  set +e
  stop_pidfile "$WORK/bridge.pid" 30
  stop_pidfile "$WORK/irc-clients.pid" 10
  "$ROOT/scripts/synapse.sh" stop "$WORK/synapse" 2>/dev/null
  "$ROOT/scripts/inspircd.sh" stop "$WORK/inspircd" 2>/dev/null
)
# A run killed hard may have left its servers running: stop them by their pid files first.
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
YAML
java -jar "$JAR" generate-registration -c "$WORK/config.yaml" -o "$WORK/registration.yaml" >"$WORK/generate-registration.log" 2>&1 \
  || { cat "$WORK/generate-registration.log" >&2; die "generate-registration failed"; }
AS_TOKEN="$(sed -n "s/^as_token: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
BOT="$(sed -n "s/^sender_localpart: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
[ -n "$AS_TOKEN" ] && [ -n "$BOT" ] || die "no as_token or sender_localpart in $WORK/registration.yaml"

"$ROOT/scripts/synapse.sh" start "$WORK/synapse" "$HS_PORT" "$WORK/registration.yaml"
"$ROOT/scripts/synapse.sh" register "$WORK/synapse" "$USER_NAME" "$USER_PASS"

# N idle IRC clients on the channel, connected for the whole measurement.
log "connecting $N IRC clients to $CHANNEL and $CHANNEL2"
spawn "$WORK/irc-clients.pid" "$WORK/irc-clients.log" python3 "$BENCH/portal_sync.py" irc "$IRC_PORT" "$N" "$CHANNEL,$CHANNEL2" "$WORK/irc-ready"
irc_ready() { [ -f "$WORK/irc-ready" ] || { [ -f "$WORK/irc-ready.failed" ] && die "IRC clients failed: $(cat "$WORK/irc-ready.failed")"; }; }
wait_until 300 "$WORK/irc-clients.pid" "$N IRC clients" irc_ready || { tail -n 20 "$WORK/irc-clients.log" >&2; die "IRC clients not ready"; }
tail -n 1 "$WORK/irc-clients.log" >&2

# The bridge runs during the raw variants too (idle, in other rooms), so Synapse pushes the same appservice
# transactions in every variant; it only starts work when the user joins the portal alias.
log "starting the bridge"
spawn "$WORK/bridge.pid" "$WORK/bridge.log" java -jar "$JAR" -c "$WORK/config.yaml"
bridge_ready() { grep -q "Bridge ready" "$WORK/bridge.log"; }
wait_until 120 "$WORK/bridge.pid" "the bridge" bridge_ready || { tail -n 30 "$WORK/bridge.log" >&2; die "the bridge did not start"; }

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
  echo "Command: \`bench/portal-sync/run.sh $N\` (CONCURRENCY=$CONCURRENCY). Machine: $(nproc) cores, $(java -version 2>&1 | head -n1),"
  echo "Synapse $SYNAPSE_VERSION (SQLite), $(/usr/sbin/inspircd --version 2>/dev/null | head -n1 || echo InspIRCd)."
  if [ -n "${BRIDGE_JAR:-}" ]; then
    echo "Bridge: $JAR${BRIDGE_SOURCE:+ (built from $BRIDGE_SOURCE)}."
  else
    echo "Bridge: $JAR (commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ', working tree differs in src/'))."
  fi
  echo
  cat "$WORK/table.md"
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
