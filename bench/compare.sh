#!/usr/bin/env bash
# Runs benchmarks against a build of an earlier commit and against this checkout, one after the other in one run,
# and writes their figures side by side with the ratio (this build / the baseline): how a change shows that it costs
# no more than before. Absolute times drift on a shared machine; the ratio between two builds measured minutes apart
# on the same servers' versions is what to read.
#
# Usage: bench/compare.sh BASELINE_REV [BENCH ...]
#   BENCH: portal-sync, soft-kick-storm, message-relay (default: all three), each run with its own run.sh.
# Environment: N_PORTAL_SYNC (default 500), N_SOFT_KICK_STORM (default 200), N_MESSAGE_RELAY (default 500), passed as
#   each benchmark's N; ROUNDS (default 1): how many times each build runs each benchmark, alternating (baseline,
#   this build, baseline, ...), the figures then being the median of the rounds.
# Results: bench/compare-results.md (and the raw results under bench/work-compare/). Each benchmark's own results.md
# is left as this build's last run wrote it.
set -euo pipefail

BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_ROOT/.." && pwd)"
# shellcheck source=../scripts/lib.sh
. "$ROOT/scripts/lib.sh"

[ $# -ge 1 ] || { echo "usage: bench/compare.sh BASELINE_REV [BENCH ...]" >&2; exit 2; }
BASELINE="$(git -C "$ROOT" rev-parse --short "$1")"
shift
BENCHES=("$@")
[ ${#BENCHES[@]} -gt 0 ] || BENCHES=(portal-sync soft-kick-storm message-relay)
ROUNDS="${ROUNDS:-1}"
CURRENT="$(git -C "$ROOT" rev-parse --short HEAD)$(git -C "$ROOT" diff --quiet HEAD -- src pom.xml || echo '+changes')"
OUT="$BENCH_ROOT/work-compare"
mkdir -p "$OUT"

# The baseline, built once per commit in a worktree of its own (kept, so a second comparison starts at once).
BASE_SRC="$OUT/src-$BASELINE"
if [ ! -f "$BASE_SRC/target/quarkus-app/quarkus-run.jar" ]; then
  log "building the baseline $BASELINE"
  git -C "$ROOT" worktree remove --force "$BASE_SRC" 2>/dev/null || rm -rf "$BASE_SRC"
  git -C "$ROOT" worktree add --detach "$BASE_SRC" "$BASELINE" >/dev/null
  (cd "$BASE_SRC" && ./mvnw -B -q -DskipTests package)
fi
BASE_JAR="$BASE_SRC/target/quarkus-app/quarkus-run.jar"
log "building this checkout ($CURRENT)"
(cd "$ROOT" && ./mvnw -B -q -DskipTests package)
CUR_JAR="$ROOT/target/quarkus-app/quarkus-run.jar"

size_of() {
  case "$1" in
    portal-sync) echo "${N_PORTAL_SYNC:-500}" ;;
    soft-kick-storm) echo "${N_SOFT_KICK_STORM:-200}" ;;
    message-relay) echo "${N_MESSAGE_RELAY:-500}" ;;
    *) echo "unknown benchmark $1" >&2; exit 2 ;;
  esac
}

for bench in "${BENCHES[@]}"; do
  n="$(size_of "$bench")"
  for round in $(seq 1 "$ROUNDS"); do
    for build in baseline current; do
      if [ "$build" = baseline ]; then jar="$BASE_JAR"; source="$BASELINE"; else jar="$CUR_JAR"; source="$CURRENT"; fi
      log "$bench (N=$n), round $round: $build ($source)"
      BRIDGE_JAR="$jar" BRIDGE_SOURCE="$source" "$BENCH_ROOT/$bench/run.sh" "$n"
      cp "$BENCH_ROOT/$bench/results.json" "$OUT/$bench-$build-$round.json"
      cp "$BENCH_ROOT/$bench/results.md" "$OUT/$bench-$build-$round.md"
    done
  done
done

python3 "$BENCH_ROOT/compare.py" "$OUT" "$BASELINE" "$CURRENT" "$ROUNDS" "${BENCHES[@]}" >"$BENCH_ROOT/compare-results.md"
log "results in $BENCH_ROOT/compare-results.md"
