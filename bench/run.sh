#!/usr/bin/env bash
# Benchmarks NetCDF3 indexing and chunk serving; writes bench/RESULTS.md.
# usage: bench/run.sh [N_FILES]   (default 1000; needs Debian's python3-netcdf4 to generate them)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-1000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

./mvnw -q -B -DskipTests install
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
"$PY" bench/generate_netcdf3_archive.py "$N" "$WORK/archive"
java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "bench/target/classes:$(cat "$WORK/cp.txt")" io.refcat.bench.NetCdf3Bench \
  "$WORK/archive" "$WORK/refs" bench/RESULTS.md
