# Set-up shared by the benchmarks that run the bridge against a Synapse and an InspIRCd of their own
# (bench/portal-sync, bench/soft-kick-storm, bench/message-relay, bench/html-translation). Sourced by their run.sh
# once BENCH (the benchmark's own directory) is set; not executed. Everything runs on 127.0.0.1 on free ports, with state and logs
# under $BENCH/work/.
#
# Environment: BRIDGE_JAR (default target/quarkus-app/quarkus-run.jar, built with ./mvnw if missing; BUILD=1
# rebuilds), BRIDGE_SOURCE (where a BRIDGE_JAR was built from, for results.md), KEEP_WORK=1 keeps the previous work
# directory.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$ROOT/scripts/lib.sh"
JAR="${BRIDGE_JAR:-$ROOT/target/quarkus-app/quarkus-run.jar}"
WORK="$BENCH/work"
NETWORK=bench

# The bridge (built if missing, or always with BUILD=1) and the servers' packages. Leaves the shell in $ROOT.
bench_dependencies() {
  cd "$ROOT"
  if [ "${BUILD:-0}" = 1 ] || [ ! -f "$JAR" ]; then
    log "building the bridge"
    ./mvnw -B -q -DskipTests package
  fi
  "$ROOT/scripts/install-deps.sh"
}

# Stop everything this run started, also on failure or Ctrl-C: the bridge, whatever else the benchmark spawned
# with a pid file in $WORK (its IRC clients), Synapse and InspIRCd. A subshell, so that its `set +e` doesn't outlive
# it (the clean-up of a previous run in bench_fresh_work would otherwise turn `set -e` off for the whole run).
stop_all() (
  set +e
  stop_pidfile "$WORK/bridge.pid" 30
  for pidfile in "$WORK"/*.pid; do
    [ "$pidfile" = "$WORK/bridge.pid" ] || stop_pidfile "$pidfile" 10
  done
  "$ROOT/scripts/synapse.sh" stop "$WORK/synapse" 2>/dev/null
  "$ROOT/scripts/inspircd.sh" stop "$WORK/inspircd" 2>/dev/null
)

# An empty $WORK (kept with KEEP_WORK=1), and stop_all on exit.
bench_fresh_work() {
  # A run killed hard may have left its servers running: stop them by their pid files first.
  if [ -d "$WORK" ]; then stop_all; fi
  trap stop_all EXIT
  trap 'exit 130' INT TERM
  if [ "${KEEP_WORK:-0}" != 1 ]; then rm -rf "$WORK"; fi
  mkdir -p "$WORK"
}

# Free ports for the three servers (IRC_PORT, HS_PORT, BRIDGE_PORT), and InspIRCd started on IRC_PORT.
start_inspircd() {
  IRC_PORT="$(free_port)"
  HS_PORT="$(free_port)"
  BRIDGE_PORT="$(free_port)"
  "$ROOT/scripts/inspircd.sh" start "$WORK/inspircd" "$IRC_PORT"
}

# configure_bridge BOT_NICK [EXTRA]: the bridge's configuration ($WORK/config.yaml) with one network, $NETWORK on
# InspIRCd, and its registration ($WORK/registration.yaml); sets AS_TOKEN and BOT (the bot's localpart). EXTRA is
# YAML appended after the network's entry: more keys of the network (indented by 6), then top-level sections.
configure_bridge() {
  {
    cat <<YAML
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
      bot-nick: $1
      channels: []
      # Benchmarks make portals for channels nobody has made on IRC yet.
      dynamic-channels:
        new-rooms-per-minute: 100000
        require-existing: false
YAML
    if [ -n "${2:-}" ]; then printf '%s\n' "$2"; fi
  } >"$WORK/config.yaml"
  java -jar "$JAR" generate-registration -c "$WORK/config.yaml" -o "$WORK/registration.yaml" >"$WORK/generate-registration.log" 2>&1 \
    || { cat "$WORK/generate-registration.log" >&2; die "generate-registration failed"; }
  AS_TOKEN="$(sed -n "s/^as_token: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
  BOT="$(sed -n "s/^sender_localpart: '\(.*\)'$/\1/p" "$WORK/registration.yaml")"
  [ -n "$AS_TOKEN" ] && [ -n "$BOT" ] || die "no as_token or sender_localpart in $WORK/registration.yaml"
}

# Synapse on HS_PORT with the bridge's registration.
start_synapse() {
  "$ROOT/scripts/synapse.sh" start "$WORK/synapse" "$HS_PORT" "$WORK/registration.yaml"
}

bridge_ready() { grep -q "Bridge ready" "$WORK/bridge.log"; }

start_bridge() {
  log "starting the bridge"
  spawn "$WORK/bridge.pid" "$WORK/bridge.log" java -jar "$JAR" -c "$WORK/config.yaml"
  wait_until 120 "$WORK/bridge.pid" "the bridge" bridge_ready || { tail -n 30 "$WORK/bridge.log" >&2; die "the bridge did not start"; }
}

# start_relay_servers USER PASSWORD: everything the relay benchmarks (bench/message-relay, bench/html-translation)
# measure against: InspIRCd, the bridge configured with its token bucket off (send-rate interval 0: the test
# InspIRCd has no flood limits, and the bucket would measure the configured rate, not the bridge) and messages cut
# at 3 lines, Synapse with the Matrix users alice (password alicepass) and USER, and the bridge started.
start_relay_servers() {
  start_inspircd
  configure_bridge BenchBot "\
      send-rate:
        burst: 10
        interval-millis: 0
relay:
  max-lines: 3"
  start_synapse
  "$ROOT/scripts/synapse.sh" register "$WORK/synapse" alice alicepass
  "$ROOT/scripts/synapse.sh" register "$WORK/synapse" "$1" "$2"
  start_bridge
}

# For results.md: the commit the bridge was built from, and whether src/ differs from it.
bridge_commit() {
  echo "commit $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo unknown)$(git -C "$ROOT" diff --quiet HEAD -- src 2>/dev/null || echo ', working tree differs in src/')"
}

# For results.md: "Bridge: …." with where it was built from.
bridge_line() {
  if [ -n "${BRIDGE_JAR:-}" ]; then
    echo "Bridge: $JAR${BRIDGE_SOURCE:+ (built from $BRIDGE_SOURCE)}."
  else
    echo "Bridge: $JAR ($(bridge_commit))."
  fi
}

java_version() { java -version 2>&1 | head -n1; }
inspircd_version() { /usr/sbin/inspircd --version 2>/dev/null | head -n1 || echo InspIRCd; }
