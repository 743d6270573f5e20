#!/usr/bin/env bash
# The fault suite of issue 12 at full length (FaultSuiteIT), against the test bed's real Synapse, InspIRCd and
# PostgreSQL (the same servers the end-to-end tests start, under target/testbed/). Writes the table of figures to
# bench/faults/results.md (see bench/faults/README.md for the columns).
#
#   bench/faults/run.sh [-Dfaults.users=50 -Dfaults.rooms=10 -Dfaults.chaos.faults=1000 ...]
#
# Every argument goes to Maven: sizes as system properties (faults.users, faults.rooms, faults.rounds,
# faults.roundPauseMillis, faults.chaos.faults, faults.chaos.pauseMillis, faults.outageSeconds, faults.settleSeconds,
# faults.seed), -Dfaults.strict=false to print the figures without failing on a loss or privacy figure, -Dit.test=FaultSuiteIT#chaos for one case.
# SHORT=1 runs the short forms (FaultCasesIT) instead.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$ROOT"
rm -f target/faults/results.md
status=0
if [ "${SHORT:-0}" = 1 ]; then
  ./mvnw -B verify -Dit.test=FaultCasesIT -Dtest=ChecksFaultInvariantsTest -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
else
  ./mvnw -B verify -Pfaults -Dtest=ChecksFaultInvariantsTest -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
fi
if [ -f target/faults/results.md ]; then
  {
    echo "# Fault suite results"
    echo
    echo "Commit $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores, load before: $(cut -d' ' -f1-3 /proc/loadavg)."
    echo "Command: bench/faults/run.sh $*${SHORT:+ (SHORT=$SHORT)}"
    echo
    cat target/faults/results.md
  } > bench/faults/results.md
  echo "[faults] results in bench/faults/results.md"
fi
exit "$status"
