#!/usr/bin/env bash
# Side-by-side measurements against the tools refcat replaces, interleaved in one run on this
# machine (issue 17): indexing against kerchunk (../shared/kerchunk, one Python process looping
# over the files), chunk serving against nginx (sendfile, Range GETs of the same bytes) under wrk
# at 1, 4 and 16 connections, GRIB decoding against ecCodes (simple and complex packing, JPEG 2000),
# and a one-file `refcat index` start-up. Prints a Markdown section
# (for bench/RESULTS.md) on stdout; each figure is the median of ROUNDS interleaved rounds, with
# the load average when it was taken.
# usage: bench/compare.sh [NETCDF4_FILES] [NETCDF3_FILES] [ROUNDS]   (defaults 200, 500, 3)
# Needs: Debian's nginx, wrk, python3-netcdf4, python3-h5py, and for kerchunk python3-ujson,
# python3-scipy (see ../shared/kerchunk/README.md).
set -euo pipefail
cd "$(dirname "$0")/.."
N4=${1:-200}
N3=${2:-500}
ROUNDS=${3:-3}
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
KERCHUNK=../shared/kerchunk
WORK=$(mktemp -d)
cleanup() {
  [ -f "$WORK/nginx.pid" ] && kill "$(cat "$WORK/nginx.pid")" 2>/dev/null || true
  [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
for tool in nginx wrk; do
  command -v "$tool" >/dev/null || { echo "compare.sh needs $tool (Debian package $tool)" >&2; exit 2; }
done

./mvnw -q -B -DskipTests package >&2
REFCAT=cli/target/refcat
load() { cut -d' ' -f1 /proc/loadavg; }
median() { sort -g | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2}'; }

echo "## Side by side: kerchunk, nginx and ecCodes (bench/compare.sh)"
echo
echo "$(nproc) cores; medians of $ROUNDS interleaved rounds; load average (1 min) as each was taken."
echo

# --- indexing -------------------------------------------------------------------------------
"$PY" bench/generate_netcdf4_archive.py "$N4" "$WORK/nc4" 1x100x30 >&2
"$PY" bench/generate_netcdf3_archive.py "$N3" "$WORK/nc3" >/dev/null
cat > "$WORK/kerchunk_loop.py" <<'PY'
import os, sys, json
sys.path.insert(0, sys.argv[1])
kind, src, out = sys.argv[2], sys.argv[3], sys.argv[4]
if kind == "hdf":
    from kerchunk.hdf import SingleHdf5ToZarr as T
else:
    from kerchunk.netCDF3 import NetCDF3ToZarr as T
os.makedirs(out, exist_ok=True)
for name in sorted(os.listdir(src)):
    refs = T(os.path.join(src, name), inline_threshold=0).translate()
    with open(os.path.join(out, name + ".json"), "w") as f:
        json.dump(refs, f)
PY
kerchunk_ok=1
PYTHONPATH="$KERCHUNK" "$PY" -c "import kerchunk.hdf, kerchunk.netCDF3" 2>/dev/null || kerchunk_ok=0
# wall seconds, CPU seconds, peak RSS (KB) of one command
timed() { /usr/bin/time -f "%e %U %S %M" -o "$WORK/time.txt" "$@" >/dev/null 2>&1; awk '{print $1, $2 + $3, $4}' "$WORK/time.txt"; }
echo "| index | files | refcat files/s | kerchunk files/s | refcat ÷ kerchunk | CPU per file refcat / kerchunk | peak RSS refcat / kerchunk | load |"
echo "|---|---|---|---|---|---|---|---|"
index_pair() { # DIR KIND LABEL N
  local dir=$1 kind=$2 label=$3 n=$4 rw rc rm_ kw kc km
  : > "$WORK/r.txt"; : > "$WORK/k.txt"
  for _ in $(seq "$ROUNDS"); do
    rm -rf "$WORK/out-r" "$WORK/out-k"
    timed "$REFCAT" index "$WORK/$dir" -o "$WORK/out-r" >> "$WORK/r.txt"
    if [ "$kerchunk_ok" = 1 ]; then
      timed "$PY" "$WORK/kerchunk_loop.py" "$KERCHUNK" "$kind" "$WORK/$dir" "$WORK/out-k" >> "$WORK/k.txt"
    fi
  done
  rw=$(awk '{print $1}' "$WORK/r.txt" | median); rc=$(awk '{print $2}' "$WORK/r.txt" | median); rm_=$(awk '{print $3}' "$WORK/r.txt" | median)
  if [ "$kerchunk_ok" = 1 ]; then
    kw=$(awk '{print $1}' "$WORK/k.txt" | median); kc=$(awk '{print $2}' "$WORK/k.txt" | median); km=$(awk '{print $3}' "$WORK/k.txt" | median)
  else
    kw=nan; kc=nan; km=nan
  fi
  awk -v l="$label" -v n="$n" -v rw="$rw" -v rc="$rc" -v rm="$rm_" -v kw="$kw" -v kc="$kc" -v km="$km" -v ld="$(load)" 'BEGIN {
    printf "| %s | %d | %.1f | %.1f | %.2f× | %.2f / %.2f ms | %d / %d MiB | %s |\n", l, n, n / rw, n / kw, kw / rw,
      1000 * rc / n, 1000 * kc / n, rm / 1024, km / 1024, ld }'
  LAST="$rw $rc $kw $kc" # wall and CPU medians, for the sustained rate below
}
index_pair nc4 hdf "NetCDF4 (1,000 chunks each)" "$N4"
one_batch=$LAST
# The same files under five names each: start-up and warm-up weigh on five times as many files,
# and the difference between the two batches is each tool's sustained rate once running.
mkdir -p "$WORK/nc4x5"
for k in 1 2 3 4 5; do for f in "$WORK"/nc4/*; do ln -s "$f" "$WORK/nc4x5/${k}_$(basename "$f")"; done; done
index_pair nc4x5 hdf "NetCDF4, the same files linked 5 times" "$((5 * N4))"
read -r w1 c1 kw1 kc1 <<< "$one_batch"
read -r w5 c5 kw5 kc5 <<< "$LAST"
awk -v n="$((4 * N4))" -v w1="$w1" -v w5="$w5" -v kw1="$kw1" -v kw5="$kw5" -v c1="$c1" -v c5="$c5" -v kc1="$kc1" -v kc5="$kc5" -v ld="$(load)" 'BEGIN {
  printf "| NetCDF4, sustained (the %d files the second batch adds) | %d | %.1f | %.1f | %.2f× | %.2f / %.2f ms | — | %s |\n",
    n, n, n / (w5 - w1), n / (kw5 - kw1), (kw5 - kw1) / (w5 - w1), 1000 * (c5 - c1) / n, 1000 * (kc5 - kc1) / n, ld }'
index_pair nc3 nc3 "NetCDF3" "$N3"
echo

# --- start-up -------------------------------------------------------------------------------
one="$WORK/nc3/$(ls "$WORK/nc3" | head -1)"
: > "$WORK/l.txt"; : > "$WORK/j.txt"
for _ in $(seq 5); do
  timed "$REFCAT" index "$one" -o "$WORK/one" >> "$WORK/l.txt"
  timed java -jar cli/target/refcat.jar index "$one" -o "$WORK/one" >> "$WORK/j.txt"
done
echo "A one-file \`refcat index\` (JVM start included), median of 5: launcher (class-data archive, serial GC, C1) $(awk '{print $1}' "$WORK/l.txt" | median) s and $(awk '{print int($3 / 1024)}' "$WORK/l.txt" | median) MiB peak RSS; plain \`java -jar\` $(awk '{print $1}' "$WORK/j.txt" | median) s and $(awk '{print int($3 / 1024)}' "$WORK/j.txt" | median) MiB."
echo

# --- GRIB decoding ----------------------------------------------------------------------------
# 200 of 400 messages, best of 3 (GribBench): fewer leave the JIT compiling while it is timed.
./mvnw -q -B -pl bench dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" >&2
echo "| GRIB2 decode (one thread, MB/s of float32) | refcat | ecCodes | refcat ÷ ecCodes | load |"
echo "|---|---|---|---|---|"
for packings in grid_simple,grid_complex grid_jpeg; do
  "$PY" bench/generate_grib_archive.py 400 "$WORK/decode.grib2" "$packings" 2>/dev/null
  ecc=$("$PY" bench/eccodes_decode.py "$WORK/decode.grib2" 200)
  java -Xmx512m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "bench/target/classes:$(cat "$WORK/cp.txt")" \
    io.refcat.bench.GribBench "$WORK/decode.grib2" 200 "$ecc" "$WORK/decode.md" >/dev/null 2>&1
  ours=$(awk -F'|' '/store decode/ {gsub(/ /, "", $3); print $3}' "$WORK/decode.md")
  awk -v p="$packings" -v r="$ours" -v e="$ecc" -v ld="$(load)" 'BEGIN {
    printf "| %s | %.0f | %.0f | %.2f× | %s |\n", p, r, e, r / e, ld }'
done
echo

# --- serving --------------------------------------------------------------------------------
mkdir -p "$WORK/www"
chmod a+rx "$WORK" "$WORK/www" # nginx's workers run as another user
"$PY" - "$WORK/www" <<'PY'
import sys, h5py, numpy as np
d = sys.argv[1]
with h5py.File(f"{d}/c32k.h5", "w") as f:   # 2,000 chunks of 32 KiB, stored as they are
    f.create_dataset("v", data=np.random.default_rng(1).random((2000, 8192), dtype="f4"), chunks=(1, 8192))
with h5py.File(f"{d}/c1m.h5", "w") as f:    # 128 chunks of 1 MiB
    f.create_dataset("v", data=np.random.default_rng(2).random((128, 262144), dtype="f4"), chunks=(1, 262144))
PY
"$REFCAT" index "$WORK/www/c32k.h5" "$WORK/www/c1m.h5" -o "$WORK/refs" >/dev/null 2>&1
"$PY" - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
for name in ("c32k", "c1m"):
    r = json.load(open(f"{w}/refs/{name}.h5.json"))["refs"]
    keys = sorted(k for k in r if k.startswith("v/") and not k.rsplit("/", 1)[1].startswith("."))
    lua = "local keys = {" + ",".join(f'"{k}"' for k in keys) + "}\n"
    lua += "local ranges = {" + ",".join(f'"bytes={r[k][1]}-{r[k][1] + r[k][2] - 1}"' for k in keys) + "}\n"
    lua += ("local i = 0\nlocal mode = os.getenv('MODE')\nrequest = function()\n  i = i % #keys + 1\n"
            f"  if mode == 'nginx' then return wrk.format('GET', '/{name}.h5', {{['Range'] = ranges[i]}}) end\n"
            f"  return wrk.format('GET', '/zarr/{name}.h5/' .. keys[i])\nend\n")
    open(f"{w}/{name}.lua", "w").write(lua)
PY
free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
NPORT=$(free_port)
cat > "$WORK/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 10000000;
  server { listen 127.0.0.1:$NPORT; root $WORK/www; }
}
EOF
nginx -c "$WORK/nginx.conf"
RPORT=$(free_port)
"$REFCAT" serve --refs "$WORK/refs" --root "$WORK/www" --port "$RPORT" --no-request-log >/dev/null 2>&1 &
SERVER=$!
for _ in $(seq 100); do curl -sf "http://127.0.0.1:$RPORT/health" >/dev/null && break; sleep 0.2; done
# CPU ticks of a process and its children (nginx: master and workers)
ticks() { local t=0; for p in "$1" $(pgrep -P "$1" || true); do t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
# one wrk run: requests/s, then server CPU microseconds per request
measure() { # pid url lua mode connections
  local t0 t1 out reqs
  t0=$(ticks "$1")
  out=$(MODE=$4 wrk -t"$(( $5 < 2 ? 1 : 2 ))" -c"$5" -d5s -s "$3" "$2")
  t1=$(ticks "$1")
  reqs=$(echo "$out" | awk '/requests in/ {print $1}')
  if echo "$out" | grep -q -E "Non-2xx|Socket errors"; then
    echo "compare.sh: $4 answered errors: $out" >&2
    exit 1
  fi
  echo "$(echo "$out" | awk '/Requests\/sec/ {print $2}') $(awk -v a="$t0" -v b="$t1" -v n="$reqs" -v hz="$(getconf CLK_TCK)" 'BEGIN {print (b - a) / hz * 1e6 / n}')"
}
NGINX=$(cat "$WORK/nginx.pid")
for lua in c32k c1m; do # warm both up (the JVM compiles its hot paths)
  measure "$SERVER" "http://127.0.0.1:$RPORT" "$WORK/$lua.lua" refcat 16 >/dev/null
  measure "$NGINX" "http://127.0.0.1:$NPORT" "$WORK/$lua.lua" nginx 16 >/dev/null
done
echo "| chunk GET | connections | refcat req/s | nginx req/s | refcat ÷ nginx | server CPU per request refcat / nginx | ratio | load |"
echo "|---|---|---|---|---|---|---|---|"
for lua in c32k c1m; do
  for c in 1 4 16; do
    : > "$WORK/sr.txt"; : > "$WORK/sn.txt"
    for _ in $(seq "$ROUNDS"); do
      measure "$SERVER" "http://127.0.0.1:$RPORT" "$WORK/$lua.lua" refcat "$c" >> "$WORK/sr.txt"
      measure "$NGINX" "http://127.0.0.1:$NPORT" "$WORK/$lua.lua" nginx "$c" >> "$WORK/sn.txt"
    done
    awk -v l="$([ $lua = c32k ] && echo "32 KiB" || echo "1 MiB")" -v c="$c" -v ld="$(load)" \
      -v rr="$(awk '{print $1}' "$WORK/sr.txt" | median)" -v rn="$(awk '{print $1}' "$WORK/sn.txt" | median)" \
      -v cr="$(awk '{print $2}' "$WORK/sr.txt" | median)" -v cn="$(awk '{print $2}' "$WORK/sn.txt" | median)" 'BEGIN {
      printf "| %s | %d | %.0f | %.0f | %.2f× | %.1f / %.1f µs | %.2f× | %s |\n", l, c, rr, rn, rr / rn, cr, cn, cr / cn, ld }'
  done
done
