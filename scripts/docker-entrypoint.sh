#!/bin/sh
# Entry point of the container image: config and registration live in /data (a volume).
set -eu
CONFIG=/data/config.yaml
REGISTRATION=/data/registration.yaml
BRIDGE="java ${JAVA_OPTS:-} -jar /opt/irc-bridge/quarkus-run.jar"

if [ ! -f "$CONFIG" ]; then
    # The example listens on 127.0.0.1; in a container the homeserver reaches the bridge from outside.
    sed -e 's/^  address: 127.0.0.1$/  address: 0.0.0.0/' /opt/irc-bridge/config.example.yaml > "$CONFIG"
    echo "Wrote $CONFIG from the example. Edit it (homeserver.url and domain, appservice.url, irc.networks),"
    echo "then run the container again to write $REGISTRATION."
    exit 1
fi
if [ ! -f "$REGISTRATION" ]; then
    $BRIDGE generate-registration -c "$CONFIG" -o "$REGISTRATION"
    echo "Give $REGISTRATION to the homeserver (Synapse: app_service_config_files), restart it,"
    echo "then run the container again to start the bridge."
    exit 1
fi
exec $BRIDGE -c "$CONFIG" "$@"
