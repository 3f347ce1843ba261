#!/usr/bin/env bash
# Peak memory and time of `checkin roster import` on the hostile files of
# issue 9, item 6: a 100 MB file of one header and one row followed by blank
# lines, and a 500 MB single line (ASCII, and Latin-1 that must be decoded).
# Usage: bench/hostile_import.sh CHECKIN_BINARY [DIR]   (DIR: where the files
# go, a fresh temporary folder by default; about 1.1 GB, removed at the end).
# Prints one line per file: exit status, peak RSS (from /usr/bin/time -v),
# elapsed seconds and the first line of the message. See bench/RESULTS.md.
set -euo pipefail

bin=${1:?usage: bench/hostile_import.sh CHECKIN_BINARY [DIR]}
bin=$(realpath "$bin")
dir=$(mktemp -d "${2:-${TMPDIR:-/tmp}}/hostile-import-XXXXXX")
trap 'rm -rf "$dir"' EXIT

mb=$((1 << 20))
{ printf 'ticket_code,first_name,last_name\nA1,Ana,Ruiz\n'; head -c $((100 * mb)) /dev/zero | tr '\0' '\n'; } \
  > "$dir/blank_100mb.csv"
head -c $((500 * mb)) /dev/zero | tr '\0' 'x' > "$dir/line_500mb.csv"
head -c $((500 * mb)) /dev/zero | tr '\0' '\351' > "$dir/line_500mb_latin1.csv"

"$bin" init --db "$dir/event.db" --event "Hostile" >/dev/null
# What the binary takes anyway (libraries, the database), for comparison.
printf 'ticket_code,first_name,last_name\nB1,Luis,Paz\n' >"$dir/small.csv"
printf '%-24s %4s %10s %8s  %s\n' file exit "peak RSS" seconds message
for f in small blank_100mb line_500mb line_500mb_latin1; do
  rc=0
  /usr/bin/time -v -o "$dir/time.txt" "$bin" roster import "$dir/$f.csv" --db "$dir/event.db" \
    --lang en >"$dir/out.txt" 2>"$dir/err.txt" || rc=$?
  rss_kb=$(awk -F: '/Maximum resident set size/ {gsub(/ /, "", $2); print $2}' "$dir/time.txt")
  secs=$(awk '/Elapsed \(wall clock\)/ {print $NF}' "$dir/time.txt")
  msg=$(cat "$dir/err.txt" "$dir/out.txt" | head -c 300 | head -n 1 | sed "s|$dir/||g")
  printf '%-24s %4s %7s MB %8s  %s\n' "$f" "$rc" "$((rss_kb / 1024))" "$secs" "$msg"
done
