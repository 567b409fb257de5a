#!/usr/bin/env bash
# Runs the benchmarks and writes bench/RESULTS.md.
# usage: bench/run.sh [NETCDF3_FILES] [NETCDF4_FILES] [GRIB_MESSAGES]   (defaults 1000, 200, 16000)
# Generating the archives needs Debian's python3-netcdf4 and python3-eccodes.
set -euo pipefail
cd "$(dirname "$0")/.."
N3=${1:-1000}
N4=${2:-200}
NG=${3:-16000}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

./mvnw -q -B -DskipTests install
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt"
CP="bench/target/classes:$(cat "$WORK/cp.txt")"
JAVA=(java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.io.jhdf=error -cp "$CP")
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3

"$PY" bench/generate_netcdf3_archive.py "$N3" "$WORK/nc3"
"${JAVA[@]}" io.refcat.bench.NetCdf3Bench "$WORK/nc3" "$WORK/nc3-refs" "$WORK/netcdf3.md"
rm -rf "$WORK/nc3" "$WORK/nc3-refs"

"$PY" bench/generate_netcdf4_archive.py "$N4" "$WORK/nc4" 1x10x30
"${JAVA[@]}" io.refcat.bench.Hdf5Bench "$WORK/nc4" "$WORK/nc4-refs" "$WORK/hdf5.md" \
  "NetCDF4 (HDF5) indexing: many small chunks"
rm -rf "$WORK/nc4" "$WORK/nc4-refs"
# The same files with chunks of 4,800 bytes (still small for NetCDF4): the bytes-read aim for files
# over 10 MB.
"$PY" bench/generate_netcdf4_archive.py "$((N4 / 4))" "$WORK/nc4" 1x20x60
"${JAVA[@]}" io.refcat.bench.Hdf5Bench "$WORK/nc4" "$WORK/nc4-refs" "$WORK/hdf5-larger.md" \
  "NetCDF4 (HDF5) indexing: larger chunks"

"$PY" bench/generate_grib_archive.py "$NG" "$WORK/archive.grib2"
ECC=$("$PY" bench/eccodes_decode.py "$WORK/archive.grib2" 200)
"${JAVA[@]}" io.refcat.bench.GribBench "$WORK/archive.grib2" 200 "$ECC" "$WORK/grib.md"

# Combine at scale: synthetic reference sets, each combine in its own JVM with a 256 MiB heap; the
# bench JVM itself loads the outputs into a store, hence its larger heap.
java -Xmx3g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.refcat.bench.CombineBench \
  "$WORK/combine" "$WORK/combine.md" -Xmx256m 1000,10000,100000 10 10000 100

# The catalogue: 100k and 1M synthetic items; the server under test runs with a 512 MiB heap.
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.refcat.bench.CatalogueBench \
  "$WORK/catalogue" "$WORK/catalogue.md" -Xmx512m 1000 100000,1000000

# The server under load: 64 clients, chunk GETs (as stored, byte-swapped, decoded) and STAC searches, alone and
# mixed, over the fixtures and again with 100k datasets in the catalogue; the server runs with a 512 MiB heap.
java -Xmx1g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.refcat.bench.LoadBench \
  "$WORK/load" "$WORK/load.md" -Xmx512m 100000 64 10

# The federation: 5 nodes (separate JVMs) and 20 (in one JVM) searched at once; a 100k-item replication.
java -Xmx2g -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$CP" io.refcat.bench.FederationBench \
  "$WORK/federation" "$WORK/federation.md" 2000 300 100000

# Remote archives: the same kinds of files on s3proxy (the jar the build fetched for the tests), indexed
# remotely and locally, and chunk GETs through the store from S3 against the SDK reading the same ranges.
"$PY" bench/generate_netcdf4_archive.py 20 "$WORK/remote/netcdf4-1k-chunks" 1x100x30
"$PY" bench/generate_netcdf4_archive.py 6 "$WORK/remote/netcdf4-10k-chunks" 1x10x30
"$PY" bench/generate_netcdf3_archive.py 50 "$WORK/remote/netcdf3" > /dev/null
mkdir -p "$WORK/remote/grib2"
for i in 0 1 2 3 4 5 6 7 8 9; do "$PY" bench/generate_grib_archive.py 200 "$WORK/remote/grib2/part_$i.grib2" > /dev/null; done
./mvnw -q -B -pl cli generate-test-resources
"${JAVA[@]}" io.refcat.bench.RemoteBench cli/target/s3proxy/s3proxy.jar "$WORK/remote/s3" "$WORK/remote.md" \
  "$WORK/remote/netcdf4-1k-chunks" "$WORK/remote/netcdf4-10k-chunks" "$WORK/remote/netcdf3" "$WORK/remote/grib2"
rm -rf "$WORK/remote"

# The web catalogue's figure is measured in a real browser by WebCatalogueBrowserTest (./mvnw verify).
: > "$WORK/web.md"
if [ -f cli/target/screenshots/timing.txt ]; then
  { echo "## Web catalogue: the search page over 10,000 items"; echo
    echo "Measured by \`WebCatalogueBrowserTest.theSearchPageOverTenThousandItems\` (part of \`./mvnw verify\`) in"
    echo "headless Debian chromium against \`refcat serve\` at \`-Xmx256m\`, medians of five after the server's first page:"
    echo; cat cli/target/screenshots/timing.txt; } > "$WORK/web.md"
fi

MACHINE=$("${JAVA[@]}" io.refcat.bench.Machine)
# Side by side with kerchunk, nginx and ecCodes (bench/compare.sh; needs nginx and wrk).
if command -v nginx >/dev/null && command -v wrk >/dev/null; then
  bash bench/compare.sh > "$WORK/compare.md"
else
  printf '## Side by side: kerchunk, nginx and ecCodes (bench/compare.sh)\n\nNot run: needs nginx and wrk.\n' \
    > "$WORK/compare.md"
fi
{
  echo "# Benchmark results"
  echo
  echo "Measured by \`bench/run.sh $N3 $N4 $NG\` on $MACHINE. Re-run it to refresh this file."
  echo
  cat "$WORK/compare.md"
  echo
  cat "$WORK/netcdf3.md"
  echo
  cat "$WORK/hdf5.md"
  echo
  cat "$WORK/hdf5-larger.md"
  echo
  cat "$WORK/grib.md"
  echo
  cat "$WORK/combine.md"
  echo
  cat "$WORK/catalogue.md"
  echo
  cat "$WORK/load.md"
  echo
  cat "$WORK/web.md"
  echo
  cat "$WORK/federation.md"
  echo
  cat "$WORK/remote.md"
} > bench/RESULTS.md
cat bench/RESULTS.md
