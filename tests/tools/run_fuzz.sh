#!/bin/bash
# Runs every libFuzzer target for FUZZ_SECONDS each (default 600), one after
# another, and prints one line per target: executions, coverage, findings.
# Usage: run_fuzz.sh BUILD_DIR SOURCE_DIR. Crashes are kept in
# BUILD_DIR/fuzz-artifacts/TARGET/ with the input that caused them; the
# corpus grows in BUILD_DIR/fuzz-corpus/TARGET/ (seeded from the repository's
# corpus and import fixtures, and a platform's recorded pages for its API
# target) so later runs start where this one stopped.
set -u
build=$1
src=$2
seconds=${FUZZ_SECONDS:-600}
targets=${FUZZ_TARGETS:-"csv_fuzz code_fuzz config_fuzz json_fuzz layout_fuzz text_fuzz image_header_fuzz signed_ticket_fuzz pretix_fuzz eventbrite_fuzz sympla_fuzz"}
status=0
printf '%-12s %10s %8s %6s %s\n' target executions exec/s cov findings
for t in $targets; do
  corpus=$build/fuzz-corpus/$t
  artifacts=$build/fuzz-artifacts/$t
  mkdir -p "$corpus" "$artifacts"
  log=$build/fuzz-$t.log
  seeds=("$src/tests/fuzz/corpus" "$src/tests/data/import")
  # pretix_fuzz, eventbrite_fuzz, sympla_fuzz: that platform's recorded pages too.
  [ -d "$src/tests/data/${t%_fuzz}" ] && seeds+=("$src/tests/data/${t%_fuzz}")
  # -rss_limit_mb: an input that makes a parser take more than 2 GB is a
  # finding (issue 9: memory stays bounded whatever the file).
  "$build/tests/$t" -max_total_time="$seconds" -rss_limit_mb=2048 -timeout=10 \
    -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" \
    "$corpus" "${seeds[@]}" >"$log" 2>&1
  rc=$?
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d' ' -f2)
  found=$(find "$artifacts" -type f | wc -l)
  printf '%-12s %10s %8s %6s %s\n' "$t" "${execs:-?}" "${rate:-?}" "${cov:-?}" \
    "$([ "$rc" = 0 ] && [ "$found" = 0 ] && echo none || echo "$found (exit $rc, see $log)")"
  [ "$rc" = 0 ] || status=1
done
exit $status
