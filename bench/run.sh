#!/usr/bin/env bash
# Runs the benchmarks built in BUILD_DIR and prints their tables; the figures
# also go to BUILD_DIR/bench/results.jsonl, one JSON object per line. `make
# bench` builds build/bench and calls this. Arguments after BUILD_DIR go to
# roster_bench (e.g. --dir /var/tmp when /tmp is a tmpfs). See bench/RESULTS.md.
set -euo pipefail

build=${1:?usage: bench/run.sh BUILD_DIR [roster_bench options]}
shift
bin="$build/bench/roster_bench"
if [ ! -x "$bin" ]; then
  echo "run.sh: $bin is not built (make bench builds it)" >&2
  exit 2
fi
if ! command -v sqlite3 >/dev/null; then
  echo "run.sh: the sqlite3 shell is the import floor; install it (apt-get install sqlite3)" >&2
  exit 2
fi

# Other work on the machine moves every figure; say how busy it was.
echo "roster_bench, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(uname -sr), load average" \
  "$(cut -d' ' -f1-3 /proc/loadavg) before the run"
rc=0
"$bin" --out "$build/bench/results.jsonl" "$@" || rc=$?
# Admitted -> accepted by CUPS needs a real cupsd: the tests' private one,
# which runs as root only.
cups_args=()
if [ "$(id -u)" -eq 0 ] && command -v cupsd >/dev/null; then
  cups_dir=$(mktemp -d); chmod 755 "$cups_dir"
  if eval "$(bash "$(dirname "$0")/../tests/tools/cups_fixture.sh" start "$cups_dir")"; then
    cups_args=(--cups "$CHECKIN_CUPS_QUEUE")
  fi
fi
"$build/bench/badge_bench" --out "$build/bench/results.jsonl" "${cups_args[@]}" || rc=$?
"$build/bench/cert_bench" --out "$build/bench/results.jsonl" || rc=$?
if [ ${#cups_args[@]} -gt 0 ]; then
  bash "$(dirname "$0")/../tests/tools/cups_fixture.sh" stop "$cups_dir" >/dev/null 2>&1
  rm -rf "$cups_dir"
fi
"$build/bench/scan_bench" --out "$build/bench/results.jsonl" || rc=$?
# Signed tickets (issue 12): a second or two.
"$build/bench/ticket_bench" --out "$build/bench/results.jsonl" || rc=$?
# The venue hub (issue 10): ~20 s; its work files go where roster_bench's do.
hub_args=()
for ((i = 1; i <= $#; i++)); do
  if [ "${!i}" = --dir ]; then j=$((i + 1)); hub_args=(--dir "${!j}"); fi
done
# Roster sync (issue 12): a 20,000-position pretix event from a local server
# against the CSV import of the same tickets, about ten seconds.
echo "sync_bench, load average $(cut -d' ' -f1-3 /proc/loadavg) before it"
"$build/bench/sync_bench" --out "$build/bench/results.jsonl" "${hub_args[@]}" || rc=$?
# The attendance report (issue 13): 100,000 tickets, 300,000 check-ins, each
# format against the SQL aggregation, about a minute.
echo "report_bench, load average $(cut -d' ' -f1-3 /proc/loadavg) before it"
"$build/bench/report_bench" --out "$build/bench/results.jsonl" "${hub_args[@]}" || rc=$?
echo "hub_bench, load average $(cut -d' ' -f1-3 /proc/loadavg) before it"
"$build/bench/hub_bench" --out "$build/bench/results.jsonl" "${hub_args[@]}" || rc=$?
# The event day (issue 10): the real checkin binary as hub and six stations.
# Small here (--quick, about a minute); EVENT_DAY_ARGS= (set and empty) runs
# the full day of RESULTS.md (about four minutes), or give other options.
echo "event_day, load average $(cut -d' ' -f1-3 /proc/loadavg) before it"
# shellcheck disable=SC2086 # the options are words on purpose
"$build/bench/event_day" --out "$build/bench/results.jsonl" "${hub_args[@]}" ${EVENT_DAY_ARGS---quick} ||
  rc=$?
# The pages (issue 11): Debian's headless Chromium against a hub and a door
# station, the real binary (about a minute and a half).
echo "web_bench, load average $(cut -d' ' -f1-3 /proc/loadavg) before it"
/usr/bin/python3 "$(dirname "$0")/web_bench.py" --checkin "$build/cli/checkin" \
  --out "$build/bench/results.jsonl" || rc=$?
echo "load average after the run: $(cut -d' ' -f1-3 /proc/loadavg)"
exit $rc
