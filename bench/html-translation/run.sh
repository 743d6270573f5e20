#!/usr/bin/env bash
# HTML translation benchmark (issue 11, finding 1): what hostile formatted_bodies cost the bridge.
#  (a) translation: CPU time of TranslatesHtmlToIrcFormatting for 64 KB hostile bodies of several shapes, and the
#      translator as it was before (extracted from git at $BASELINE) at growing sizes, beside the current one;
#  (b) end-to-end: Matrix -> IRC latency of plain messages in one portal room (p50/p99), quiet and while hostile
#      messages are sent to another portal room, with the bridge against its own Synapse and InspIRCd.
#
#   bench/html-translation/run.sh [N]        N plain messages per phase of (b), default 200 (about 3 minutes in all)
#
# Environment: PARTS ("translation relay", the default, or one of them), BASELINE (commit of the translator before,
# default 63bfc47), BASELINE_LIMIT_MS (stop the old translator's growth series after a run longer than this, default
# 2000), RATE (plain messages a second in (b), default 10), HOSTILE_RATE (hostile messages a second in (b), default
# 2), BRIDGE_JAR, BUILD=1, KEEP_WORK=1 as in bench/lib.sh. Results: bench/html-translation/results.md (and
# results.json); logs under bench/html-translation/work/.
set -euo pipefail
BENCH="$(cd "$(dirname "$0")" && pwd)"
. "$BENCH/../lib.sh"
N="${1:-200}"
PARTS="${PARTS:-translation relay}"
BASELINE="${BASELINE:-63bfc47}"
BASELINE_LIMIT_MS="${BASELINE_LIMIT_MS:-2000}"
RATE="${RATE:-10}"
HOSTILE_RATE="${HOSTILE_RATE:-2}"

bench_dependencies
bench_fresh_work

if [[ " $PARTS " == *" translation "* ]]; then
  log "(a) translation times (the old translator from $BASELINE)"
  [ -d "$ROOT/target/classes/net/ircbridge/bridge/formatting" ] || ./mvnw -B -q -DskipTests compile
  mkdir -p "$WORK/src/net/ircbridge/bridge/formatting" "$WORK/classes"
  # The old translator lived in net.ircbridge.bridge, beside the helpers that are in bridge.formatting now: it is
  # compiled into that package, so that it finds them as it did.
  git -C "$ROOT" show "$BASELINE:src/main/java/net/ircbridge/bridge/TranslatesHtmlToIrcFormatting.java" \
    | sed -e 's/TranslatesHtmlToIrcFormatting/BaselineTranslatesHtmlToIrcFormatting/g' \
          -e 's/^package net\.ircbridge\.bridge;/package net.ircbridge.bridge.formatting;/' \
    >"$WORK/src/net/ircbridge/bridge/formatting/BaselineTranslatesHtmlToIrcFormatting.java"
  javac --release 17 -nowarn -d "$WORK/classes" -cp "$ROOT/target/classes" \
    "$WORK/src/net/ircbridge/bridge/formatting/BaselineTranslatesHtmlToIrcFormatting.java" "$BENCH/src/net/ircbridge/bench/HtmlTranslationBench.java"
  java -Xmx1g -cp "$WORK/classes:$ROOT/target/classes" net.ircbridge.bench.HtmlTranslationBench "$BASELINE" "$BASELINE_LIMIT_MS" \
    >"$WORK/translation.md" 2> >(tee "$WORK/translation.log" >&2)
fi

if [[ " $PARTS " == *" relay "* ]]; then
  log "(b) latency in a quiet room while another gets hostile messages"
  start_relay_servers mallory mallorypass
  timeout $(( 600 + 4 * N / RATE )) python3 "$BENCH/html_translation.py" --hs "http://127.0.0.1:$HS_PORT" \
    --irc-port "$IRC_PORT" --network "$NETWORK" --n "$N" --rate "$RATE" --hostile-rate "$HOSTILE_RATE" \
    --alice alice:alicepass --mallory mallory:mallorypass --out "$BENCH/results.json" >"$WORK/relay.md"
fi

{
  echo "# HTML translation benchmark"
  echo
  echo "Command: \`bench/html-translation/run.sh $N\` (PARTS=\"$PARTS\", RATE=$RATE, HOSTILE_RATE=$HOSTILE_RATE)."
  echo "Machine: $(nproc) cores (shared with other work while this ran), $(java_version), Synapse $SYNAPSE_VERSION (SQLite), $(inspircd_version)."
  echo "$(bridge_line)"
  echo
  if [ -f "$WORK/translation.md" ]; then cat "$WORK/translation.md"; echo; fi
  if [ -f "$WORK/relay.md" ]; then cat "$WORK/relay.md"; fi
} >"$BENCH/results.md"
log "results in $BENCH/results.md; logs in $WORK"
