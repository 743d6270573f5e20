#!/usr/bin/env bash
# Measures Synapse start-up (scripts/synapse.sh start until GET /health answers OK), with the
# cached pre-migrated database and with an empty one that Synapse must migrate itself.
#   bench/synapse-startup/run.sh [RUNS]     (default 5 runs of each)
# The "empty" figure also reports how long the background updates that Synapse runs after
# start-up take on an empty database (the template has them done already).
set -euo pipefail
. "$(dirname "$0")/../../scripts/lib.sh"
runs="${1:-5}"
"$SCRIPTS_DIR/install-deps.sh"
"$SCRIPTS_DIR/synapse.sh" template
work="$(mktemp -d)"
trap '"$SCRIPTS_DIR/synapse.sh" stop "$work/run" 2>/dev/null || true; rm -rf "$work"' EXIT

ms_since() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
bg_pending() { "$SYNAPSE_VENV/bin/python" -c 'import sqlite3, sys; print(sqlite3.connect(sys.argv[1]).execute("select count(*) from background_updates").fetchone()[0])' "$1"; }

for mode in template empty; do
  times=()
  for i in $(seq "$runs"); do
    rm -rf "$work/run"; mkdir -p "$work/run"
    port="$(free_port)"
    t0="$(date +%s%N)"
    if [ "$mode" = empty ]; then
      SYNAPSE_NO_TEMPLATE=1 "$SCRIPTS_DIR/synapse.sh" start "$work/run" "$port" - 2>/dev/null
    else
      "$SCRIPTS_DIR/synapse.sh" start "$work/run" "$port" - 2>/dev/null
    fi
    ms="$(ms_since "$t0")"
    extra=""
    if [ "$mode" = empty ]; then
      # Time until the post-start background updates are done as well.
      until [ "$(bg_pending "$work/run/homeserver.db")" = 0 ]; do sleep 0.05; done
      extra=" (background updates done after $(ms_since "$t0") ms)"
    fi
    echo "$mode run $i: /health OK after $ms ms$extra"
    times+=("$ms")
    "$SCRIPTS_DIR/synapse.sh" stop "$work/run"
  done
  printf '%s\n' "${times[@]}" | sort -n | awk -v m="$mode" '{a[NR]=$1; s+=$1} END {printf "%-8s runs=%d min=%d median=%d mean=%d max=%d ms\n", m, NR, a[1], a[int((NR+1)/2)], s/NR, a[NR]}'
done
