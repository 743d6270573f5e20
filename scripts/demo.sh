#!/usr/bin/env bash
# Runs a local demo: InspIRCd with Anope services (NickServ), Synapse and the bridge, all on
# 127.0.0.1, state under .demo/.
#   scripts/demo.sh            start (keeps users, rooms and bridge state of earlier runs)
#   scripts/demo.sh --reset    forget all earlier state first
# Ctrl-C stops everything.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
ROOT="$PWD"
DEMO="$ROOT/.demo"
JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

stop_all() {
  scripts/synapse.sh stop "$DEMO/synapse" || true
  scripts/anope.sh stop "$DEMO/anope" || true
  scripts/inspircd.sh stop "$DEMO/inspircd" || true
}

# A demo killed hard may have left its servers running: stop them by their pid files.
stop_all
if [ "${1:-}" = "--reset" ]; then rm -rf "$DEMO"; fi
mkdir -p "$DEMO"

scripts/install-deps.sh
if [ ! -f "$JAR" ]; then
  log "building the bridge"
  ./mvnw -B -q -DskipTests package
fi

# Fixed ports, away from the system services' defaults (6667, 8008); another one if taken.
pick_port() {
  local want="$1" what="$2" port
  if port_open "$want"; then
    port="$(free_port)"
    log "port $want ($what) is busy; using $port instead"
    echo "$port"
  else
    echo "$want"
  fi
}
IRC_PORT="$(pick_port "${DEMO_IRC_PORT:-16667}" IRC)"
HS_PORT="$(pick_port "${DEMO_SYNAPSE_PORT:-18008}" Synapse)"
BRIDGE_PORT="$(pick_port "${DEMO_BRIDGE_PORT:-9898}" bridge)"

trap stop_all EXIT
trap 'exit 130' INT TERM

# Services link to InspIRCd's server port: NickServ accounts for registered-only channels and !login.
LINK_PORT="$(free_port)"
INSPIRCD_LINK_PORT="$LINK_PORT" INSPIRCD_SERVICES_NAME=services.test scripts/inspircd.sh start "$DEMO/inspircd" "$IRC_PORT"
scripts/anope.sh start "$DEMO/anope" "$LINK_PORT" "$IRC_PORT"

# The demo's configuration: config.example.yaml with the demo's addresses and absolute paths.
sed -e "s|url: http://localhost:8008|url: http://127.0.0.1:$HS_PORT|" \
    -e "s|9898|$BRIDGE_PORT|g" \
    -e "s|registration: registration.yaml|registration: $DEMO/registration.yaml|" \
    -e "s|data-directory: data|data-directory: $DEMO/data|" \
    -e "s|port: 6667|port: $IRC_PORT|" \
    -e "s|name: Example IRC|name: Demo IRC|" \
    -e "s|allow-plaintext-secrets: false|allow-plaintext-secrets: true|" \
    config.example.yaml >"$DEMO/config.yaml"
# The demo's InspIRCd is on this machine, without TLS: !login may send passwords to it.
for expect in "127.0.0.1:$HS_PORT" "$DEMO/registration.yaml" "$DEMO/data" "port: $IRC_PORT" "allow-plaintext-secrets: true"; do
  grep -qF "$expect" "$DEMO/config.yaml" || log "warning: config.example.yaml changed; $DEMO/config.yaml lacks '$expect'"
done

# Synapse reads the registration only at start-up, so it is written first (tokens are kept
# across runs by generate-registration).
java -jar "$JAR" generate-registration -c "$DEMO/config.yaml" -o "$DEMO/registration.yaml"
scripts/synapse.sh start "$DEMO/synapse" "$HS_PORT" "$DEMO/registration.yaml"
scripts/synapse.sh register "$DEMO/synapse" demo demo

cat <<TXT

  IRC:     connect any IRC client to 127.0.0.1 port $IRC_PORT (no TLS), e.g. irssi -c 127.0.0.1 -p $IRC_PORT
  Matrix:  homeserver http://127.0.0.1:$HS_PORT, user demo, password demo (e.g. Element: "Sign in",
           edit the homeserver). Open a DM with @ircbridge:localhost and say !help
  Channels: join #irc_example_<channel>:localhost in Matrix once someone is on #<channel> on IRC
           (the bridge makes portals only for channels that exist)
  Accounts: /msg NickServ REGISTER <password> <email> on IRC; in Matrix, !login <account> <password>
  Logs:    $DEMO/{inspircd,anope,synapse}/; the bridge logs below. Ctrl-C stops everything.

TXT

java -jar "$JAR" -c "$DEMO/config.yaml"
