#!/usr/bin/env bash
# Regenerates docs/FORMAT-COVERAGE.md: indexes every fixture and every file of ../shared/corpus
# with the built jar and tabulates what `refcat index --json` reports for each file.
# usage: docs/generate-coverage.sh   (after ./mvnw -q -DskipTests package)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=cli/target/refcat.jar
[ -f "$JAR" ] || { echo "build first: ./mvnw -q -DskipTests package" >&2; exit 2; }
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
INPUTS=(fixtures/data)
[ -d ../shared/corpus ] && INPUTS+=(../shared/corpus)
java -jar "$JAR" index "${INPUTS[@]}" -o "$OUT/refs" --json > "$OUT/report.jsonl" || true
python3 docs/coverage_table.py "$OUT/report.jsonl" > docs/FORMAT-COVERAGE.md
echo "wrote docs/FORMAT-COVERAGE.md" >&2
