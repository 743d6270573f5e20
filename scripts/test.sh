#!/usr/bin/env bash
# The project's test command: installs the test servers if missing, then builds and runs every
# unit test (surefire) and integration test (failsafe, against real InspIRCd/Synapse/PostgreSQL).
#   scripts/test.sh [extra Maven arguments, e.g. -Dit.test=TestBedIT]
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
exec ./mvnw -B verify "$@"
