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
# Everything runs on 127.0.0.1 on free ports, with state and logs under bench/message-relay/work/ (set-up shared
# with the other benchmarks in bench/lib.sh). Results: bench/message-relay/results.md (and results.json).
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
. "$BENCH/../lib.sh"
N="${1:-1000}"
RATE="${RATE:-10}"

bench_dependencies
bench_fresh_work
start_relay_servers bob bobpass

log "measuring (N = $N per path, up to $RATE a second)"
timeout $(( 900 + N * 8 / RATE + N )) python3 "$BENCH/message_relay.py" --hs "http://127.0.0.1:$HS_PORT" \
  --irc-port "$IRC_PORT" --network "$NETWORK" --n "$N" --burst "$N" --rate "$RATE" --alice alice:alicepass --bob bob:bobpass \
  --out "$BENCH/results.json" | tee "$WORK/table.md"

{
  echo "# Message relay benchmark"
  echo
  echo "Command: \`bench/message-relay/run.sh $N\` (RATE=$RATE). Machine: $(nproc) cores, $(java_version),"
  echo "Synapse $SYNAPSE_VERSION (SQLite), $(inspircd_version)."
  echo "Bridge: $JAR ($(bridge_commit)), embedded database, send-rate off."
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
