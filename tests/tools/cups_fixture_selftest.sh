#!/usr/bin/env bash
# Proves tests/tools/cups_fixture.sh end to end against the real CUPS and cups-pdf:
#   1. start the fixture in a fresh mktemp directory
#   2. print two PDFs with lp: a hand-written one (base-14 Helvetica, WinAnsi) and the
#      same page re-made by cairo (embedded font subset, like PDF libraries write);
#      wait for job-state completed, find each job's PDF in CHECKIN_CUPS_PDF_DIR and
#      check with pdftotext that the marker and "María José Muñoz Peña" came through
#   3. pause: printer-state stopped / paused; a new job stays pending, no PDF appears
#   4. reject/accept: submitting fails while rejected
#   5. down/up: the server goes away with that job pending and comes back with it
#   6. resume: the pending job completes and its PDF is right
#   7. stop: no cupsd of ours, no leftover process, nothing left in /etc/cups
# Usage: tests/tools/cups_fixture_selftest.sh  (root; KEEP=1 keeps the directory)
# Needs the packages listed in cups_fixture.sh; uses only their tools and coreutils.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin
export LC_ALL=C.UTF-8 LANG=C.UTF-8      # lp/lpstat messages in English, UTF-8 titles

here=$(cd "$(dirname "$0")" && pwd)
fixture=$here/cups_fixture.sh
JOB_TIMEOUT=30                           # seconds for a job to complete
NAME="María José Muñoz Peña"
MARKER="CHECKIN-SELFTEST-$$-$RANDOM"

t_start=$(date +%s.%N)
phase_t=$t_start
elapsed() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }'; }
step() { printf '\n[%6ss] == %s\n' "$(elapsed "$t_start")" "$*"; }
ok() { printf '  ok  %s\n' "$*"; }
fail() {
  printf '  FAIL %s\n' "$*" >&2
  if [ -n "${dir:-}" ] && [ -d "$dir/log" ]; then
    printf '\n--- %s (errors) ---\n' "$dir/log/error_log" >&2
    grep -E '^[EXAC] ' "$dir/log/error_log" 2>/dev/null | tail -n 20 >&2 || true
    printf -- '--- cups-pdf log ---\n' >&2
    tail -n 20 "$dir/log/cups-pdf-badges_log" 2>/dev/null >&2 || true
  fi
  exit 1
}
lap() { printf '  (%.2fs)\n' "$(awk -v a="$phase_t" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')"; phase_t=$(date +%s.%N); }

[ "$(id -u)" -eq 0 ] || fail "run as root (the fixture needs it; see cups_fixture.sh)"
for c in lp lpstat lpoptions ipptool pdftotext pdftocairo iconv; do
  command -v "$c" >/dev/null || fail "missing $c (packages: see cups_fixture.sh)"
done

dir=$(mktemp -d)
cleanup() {
  local rc=$?
  "$fixture" stop "$dir" || true
  if [ "${KEEP:-0}" = 1 ] || [ "$rc" -ne 0 ]; then
    echo "fixture directory kept: $dir"
  else
    rm -rf -- "$dir"
  fi
}
trap cleanup EXIT

# --- helpers ---------------------------------------------------------------------

# mkpdf OUT LINE...: a valid one-page PDF (correct xref) showing each UTF-8 line in
# Helvetica with WinAnsiEncoding (the lines must be representable in CP1252).
mkpdf() {
  local out=$1 content l enc len xref o; shift
  local -a offs=()
  content="BT /F1 24 Tf 72 720 Td 30 TL"
  for l in "$@"; do
    enc=$(printf '%s' "$l" | iconv -f UTF-8 -t CP1252)
    enc=${enc//\\/\\\\}; enc=${enc//(/\\(}; enc=${enc//)/\\)}
    content+=" ($enc) Tj T*"
  done
  content+=" ET"
  printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n' > "$out"
  obj() { offs+=("$(stat -c %s "$out")"); printf '%s\n' "$1" >> "$out"; }
  obj "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj"
  obj "2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj"
  obj "3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >> endobj"
  obj "4 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >> endobj"
  len=$(printf '%s' "$content" | LC_ALL=C wc -c)
  obj "5 0 obj << /Length $len >> stream
$content
endstream endobj"
  xref=$(stat -c %s "$out")
  {
    printf 'xref\n0 6\n0000000000 65535 f \n'
    for o in "${offs[@]}"; do printf '%010d 00000 n \n' "$o"; done
    printf 'trailer << /Size 6 /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n' "$xref"
  } >> "$out"
}

# pdf_has FILE: pdftotext finds the marker and the name in FILE.
pdf_has() {
  local text
  text=$(pdftotext -enc UTF-8 "$1" - 2>/dev/null) || return 1
  grep -qF -- "$MARKER" <<<"$text" && grep -qF -- "$NAME" <<<"$text"
}

# submit FILE TITLE -> job id on stdout
submit() {
  local out
  out=$(lp -d "$CHECKIN_CUPS_QUEUE" -t "$2" "$1" 2>&1) || { echo "$out" >&2; return 1; }
  sed -n "s/^request id is $CHECKIN_CUPS_QUEUE-\([0-9]*\) .*/\1/p" <<<"$out"
}

ipp_tests=$dir/ipp
mkdir -p "$ipp_tests"
cat > "$ipp_tests/job.test" <<'EOF'
{
  NAME "Get-Job-Attributes"
  OPERATION Get-Job-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR integer job-id $job_id
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes job-state,job-state-reasons,job-name
  STATUS successful-ok
}
EOF
cat > "$ipp_tests/printer.test" <<'EOF'
{
  NAME "Get-Printer-Attributes"
  OPERATION Get-Printer-Attributes
  GROUP operation-attributes-tag
  ATTR charset attributes-charset utf-8
  ATTR naturalLanguage attributes-natural-language en
  ATTR uri printer-uri $uri
  ATTR name requesting-user-name $user
  ATTR keyword requested-attributes printer-state,printer-state-reasons,printer-state-message,printer-is-accepting-jobs
  STATUS successful-ok
}
EOF

# ipp TEST [ipptool -d args...] -> "name = value" lines of the response
ipp() {
  local t=$1; shift
  ipptool -tv "$@" "ipp://$CUPS_SERVER/printers/$CHECKIN_CUPS_QUEUE" "$ipp_tests/$t.test" 2>/dev/null |
    sed -n '/RECEIVED:/,$ s/^ *\([a-z-]*\) ([^)]*) = \(.*\)$/\1 = \2/p' | grep -v '^attributes-' || true
}
ipp_val() { ipp "$1" "${@:3}" | sed -n "s/^$2 = //p"; }
job_state() { ipp_val job job-state -d job_id="$1"; }

# wait_completed ID: bounded wait for job-state completed; anything else final fails.
wait_completed() {
  local id=$1 deadline state
  deadline=$(( $(date +%s) + JOB_TIMEOUT ))
  while :; do
    state=$(job_state "$id")
    case $state in
      completed) return 0 ;;
      canceled|aborted) fail "job $id ended $state: $(ipp job -d job_id="$id" | tr '\n' ';')" ;;
    esac
    [ "$(date +%s)" -lt "$deadline" ] || fail "job $id not completed after ${JOB_TIMEOUT}s (state: ${state:-unknown}); lpstat: $(lpstat -l -o 2>&1 | tr '\n' ' ')"
    sleep 0.2
  done
}

# pdf_of ID: the cups-pdf output for job ID (job_<id>-<title>.pdf), which exists once
# the job is completed; cups-pdf reports success even if ghostscript failed, so check.
pdf_of() {
  local f
  for f in "$CHECKIN_CUPS_PDF_DIR/job_$1-"*.pdf; do
    [ -s "$f" ] && { echo "$f"; return 0; }
  done
  return 1
}

expect_printed() {
  local id=$1 what=$2 f
  wait_completed "$id"
  f=$(pdf_of "$id") || fail "job $id ($what) completed but no PDF in $CHECKIN_CUPS_PDF_DIR: $(ls "$CHECKIN_CUPS_PDF_DIR")"
  pdf_has "$f" || fail "$f lacks the expected text; pdftotext says: $(pdftotext -enc UTF-8 "$f" - 2>&1 | head -n 5 | tr '\n' '|')"
  ok "job $id ($what) completed -> ${f#"$dir"/}, text: $(pdftotext -enc UTF-8 "$f" - | grep -F "$NAME")"
}

# --- 1. start ----------------------------------------------------------------------
step "start fixture in $dir"
env_out=$("$fixture" start "$dir") || fail "fixture start failed"
eval "$env_out"
printf '  %s\n' "$env_out"
if [ -z "${CUPS_SERVER:-}" ] || [ "${CHECKIN_CUPS_QUEUE:-}" != badges ] || [ ! -d "${CHECKIN_CUPS_PDF_DIR:-}" ]; then
  fail "fixture environment incomplete"
fi
pid=$(cat "$dir/cupsd.pid")
[ "$(lpstat -r)" = "scheduler is running" ] || fail "lpstat -r: $(lpstat -r 2>&1)"
ok "cupsd PID $pid answers on $CUPS_SERVER; $(lpstat -v "$CHECKIN_CUPS_QUEUE")"
lap

# --- 2. print ------------------------------------------------------------------------
step "print a hand-written PDF and a cairo (embedded font) PDF"
mkdir -p "$dir/in"
mkpdf "$dir/in/badge.pdf" "$MARKER" "$NAME"
pdftocairo -pdf "$dir/in/badge.pdf" "$dir/in/badge-cairo.pdf"
for f in "$dir/in/badge.pdf" "$dir/in/badge-cairo.pdf"; do
  pdf_has "$f" || fail "the input PDF $f itself lacks the text"
done
j1=$(submit "$dir/in/badge.pdf" "Badge $NAME") || fail "lp failed"
j2=$(submit "$dir/in/badge-cairo.pdf" "badge-cairo") || fail "lp failed"
ok "submitted jobs $j1 and $j2"
expect_printed "$j1" "hand-written PDF"
expect_printed "$j2" "cairo PDF"
ok "job $j1 attributes: $(ipp job -d job_id="$j1" | tr '\n' ';')"
lap

# --- 3. pause ----------------------------------------------------------------------
step "pause: the printer goes away"
"$fixture" pause "$dir"
pattrs=$(ipp printer)
printf '  IPP: %s\n' "$(tr '\n' ';' <<<"$pattrs")"
grep -qx 'printer-state = stopped' <<<"$pattrs" || fail "printer-state is not stopped"
grep -qx 'printer-state-reasons = paused' <<<"$pattrs" || fail "printer-state-reasons is not paused"
grep -qx 'printer-is-accepting-jobs = true' <<<"$pattrs" || fail "paused queue should still accept jobs"
printf '  lpstat -p -l: %s\n' "$(lpstat -p "$CHECKIN_CUPS_QUEUE" -l | tr '\n\t' '  ')"
j3=$(submit "$dir/in/badge.pdf" "while-paused") || fail "lp failed while paused"
ok "submitted job $j3 while paused"
for _ in $(seq 15); do                    # 3 s: it must stay pending the whole time
  [ "$(job_state "$j3")" = pending ] || fail "job $j3 left pending while paused: $(ipp job -d job_id="$j3" | tr '\n' ';')"
  sleep 0.2
done
jattrs=$(ipp job -d job_id="$j3")
# cupsd reports job-state-reasons "none" here; "printer-stopped" only after it reloads
# the job (see down/up below). Tests should look at printer-state, not at this.
grep -qxE 'job-state-reasons = (none|printer-stopped)' <<<"$jattrs" || fail "job-state-reasons: $(tr '\n' ';' <<<"$jattrs")"
! pdf_of "$j3" >/dev/null || fail "a PDF for job $j3 appeared while paused"
ok "job $j3 stays pending (IPP: $(tr '\n' ';' <<<"$jattrs")); no PDF; lpstat -o: $(lpstat -o "$CHECKIN_CUPS_QUEUE" | tr -s ' ' | tr '\n' ';')"
lap

# --- 4. reject / accept ------------------------------------------------------------------
step "reject: the queue refuses new jobs"
"$fixture" reject "$dir"
grep -qx 'printer-is-accepting-jobs = false' <<<"$(ipp printer)" || fail "printer-is-accepting-jobs is not false"
if out=$(lp -d "$CHECKIN_CUPS_QUEUE" "$dir/in/badge.pdf" 2>&1); then fail "lp succeeded on a rejecting queue: $out"; fi
ok "lp refused: $out"
"$fixture" accept "$dir"
grep -qx 'printer-is-accepting-jobs = true' <<<"$(ipp printer)" || fail "printer-is-accepting-jobs is not true after accept"
ok "accepting again, still paused: $(ipp_val printer printer-state)"
lap

# --- 5. down / up --------------------------------------------------------------------------
step "down/up: the print server goes away with job $j3 pending and comes back"
"$fixture" down "$dir"
kill -0 "$pid" 2>/dev/null && fail "cupsd $pid still running after down"
[ "$(lpstat -r 2>&1)" = "scheduler is not running" ] || fail "lpstat -r while down: $(lpstat -r 2>&1)"
if out=$(lp -d "$CHECKIN_CUPS_QUEUE" "$dir/in/badge.pdf" 2>&1); then fail "lp succeeded while down: $out"; fi
ok "server down; lp says: $out"
"$fixture" up "$dir"
pid=$(cat "$dir/cupsd.pid")
[ "$(job_state "$j3")" = pending ] || fail "job $j3 not pending after up: $(ipp job -d job_id="$j3" | tr '\n' ';')"
[ "$(ipp_val printer printer-state)" = stopped ] || fail "printer not paused after up"
ok "server back (PID $pid, same port); job $j3 still pending ($(ipp_val job job-state-reasons -d job_id="$j3")), printer still paused"
lap

# --- 6. resume -------------------------------------------------------------------------------
step "resume: the printer returns"
"$fixture" resume "$dir"
expect_printed "$j3" "queued while paused"
pattrs=$(ipp printer)
grep -qE '^printer-state = (idle|processing)$' <<<"$pattrs" || fail "printer-state after resume: $pattrs"
ok "printer after resume: $(tr '\n' ';' <<<"$pattrs")"
lap

# --- 7. stop ---------------------------------------------------------------------------------
step "stop"
port=${CUPS_SERVER##*:}
instance_conf=$(grep -l "^# fixture-dir: $dir\$" /etc/cups/cups-pdf-checkin-fixture-*.conf 2>/dev/null || true)
[ -n "$instance_conf" ] || fail "no per-instance cups-pdf file found for $dir"
"$fixture" stop "$dir"
"$fixture" stop "$dir"                    # idempotent
kill -0 "$pid" 2>/dev/null && fail "cupsd $pid still running after stop"
left=
for p in /proc/[0-9]*; do
  [ "${p#/proc/}" != "$$" ] || continue
  if tr '\0' ' ' < "$p/cmdline" 2>/dev/null | grep -qF -- "$dir/"; then
    left+="${p#/proc/}: $(tr '\0' ' ' < "$p/cmdline" 2>/dev/null) "
  fi
done
[ -z "$left" ] || fail "processes left: $left"
[ ! -e "$instance_conf" ] || fail "$instance_conf left behind"
if awk -v p="$(printf ':%04X' "$port")" 'NR > 1 && substr($2, length($2) - 4) == p && $4 == "0A" { f = 1 } END { exit !f }' /proc/net/tcp; then
  fail "something still listens on port $port"
fi
ok "cupsd $pid gone, no process mentions $dir, $instance_conf removed, port $port closed"
lap

printf '\nPASS cups fixture selftest in %ss\n' "$(elapsed "$t_start")"
