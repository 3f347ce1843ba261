#!/usr/bin/env bash
# A private, real CUPS server for the badge-printing integration tests.
#
#   cups_fixture.sh start  DIR   create DIR's private CUPS setup, start cupsd on a free
#                                127.0.0.1 port, add the "badges" queue (Debian's cups-pdf
#                                backend) and print the environment for the caller:
#                                  eval "$(tests/tools/cups_fixture.sh start "$dir")"
#   cups_fixture.sh stop   DIR   stop that cupsd (only it) and remove what start left
#                                outside DIR. Idempotent. DIR itself (logs, PDFs) is kept.
#   cups_fixture.sh pause  DIR   the printer goes away:   cupsdisable (IPP Pause-Printer)
#   cups_fixture.sh resume DIR   the printer comes back:  cupsenable + cupsaccept
#   cups_fixture.sh reject DIR   the queue refuses jobs:  cupsreject  (CUPS-Reject-Jobs)
#   cups_fixture.sh accept DIR   the queue takes jobs:    cupsaccept  (CUPS-Accept-Jobs)
#   cups_fixture.sh down   DIR   the print server goes away: stop cupsd, keep its state
#   cups_fixture.sh up     DIR   the print server returns on the same port, jobs intact
#   cups_fixture.sh env    DIR   print the environment again
#   cups_fixture.sh status DIR   human-readable queue state (for debugging)
#
# What each state looks like to a CUPS client (checked by cups_fixture_selftest.sh):
#   normal   printer-state 3 (idle) or 4 (processing), printer-state-reasons none,
#            printer-is-accepting-jobs true.
#   pause    printer-state 5 (stopped), printer-state-reasons paused, still accepting.
#            `lpstat -p badges` says "printer badges disabled since ... - <reason>".
#            New jobs are accepted and stay job-state 3 (pending). A job that was
#            printing is stopped ("Job stopped due to printer being paused.") and goes
#            back to pending; on resume CUPS prints it again from the start. Its partial
#            output (mode 0600) stays in pdf-out under the final name until then, so
#            read a job's PDF only once the job is completed.
#   reject   printer-is-accepting-jobs false, printer-state unchanged. Submitting fails
#            with server-error-not-accepting-jobs (0x0506); `lp` says "Destination
#            "badges" is not accepting jobs." Queued jobs are not affected.
#   down     nothing listens on the port: httpConnect2() returns NULL with cupsLastError()
#            server-error-service-unavailable (0x0502); cupsPrintFile2(CUPS_HTTP_DEFAULT,
#            ...) returns 0 with server-error-internal-error (0x0500). `lpstat -r` says
#            "scheduler is not running", `lp` (misleadingly) "The printer or class does
#            not exist."
#            Pending jobs, printer state and job history are on disk in DIR and are back
#            after `up` (a paused printer stays paused across down/up).
#   resume   undoes pause and reject: printer-state back to 3/4, pending jobs print.
#   Decide on job-state (3 pending, 5 processing, 9 completed), not job-state-reasons:
#   CUPS 2.4.2 reports "none" for a job pending on a paused printer until it reloads the
#   job ("printer-stopped" after down/up), and "processing-to-stop-point" on jobs that
#   completed normally.
#
# libcups clients (the C++ code) reach this server through the environment printed by
# start: CUPS_SERVER=127.0.0.1:PORT makes cupsServer() return 127.0.0.1 and ippPort()
# PORT, so CUPS_HTTP_DEFAULT in cupsPrintFile2/cupsCreateJob/cupsGetJobs2/cupsDoRequest
# goes there; or connect explicitly with httpConnect2("127.0.0.1", PORT, NULL,
# AF_UNSPEC, HTTP_ENCRYPTION_IF_REQUESTED, 1, timeout_ms, NULL) after splitting
# CUPS_SERVER at ':'. Queue name: CHECKIN_CUPS_QUEUE. Get-Job-Attributes works with
# job-uri ipp://localhost/jobs/ID (or printer-uri + job-id). No authentication is
# needed to print or to read jobs; the job owner is cupsUser() (root in CI). Debian's
# libcups2-dev ships no cups.pc: link with `cups-config --libs` (-lcups) or CMake's
# find_package(Cups) (Cups::Cups).
#
# Debian 12 packages (for deploy/install-deps.sh to install; this script installs nothing):
#   cups-daemon              cupsd
#   cups-client              lp, lpstat, lpadmin, lpinfo, lpoptions, cupsenable/-disable/-accept/-reject
#   cups-filters             the pdftopdf/pdftops filters in front of the cups-pdf backend
#   printer-driver-cups-pdf  the cups-pdf backend and its PPDs (pulls in cups, ghostscript)
#   poppler-utils            pdftops renderer used by the queue; pdftotext for the tests
#   cups-ipp-utils           ipptool (the selftest reads IPP job/printer attributes with it)
# i.e.  apt-get install --no-install-recommends cups cups-client printer-driver-cups-pdf \
#           poppler-utils cups-ipp-utils
# ("cups" pulls in cups-daemon, cups-filters, ghostscript and poppler-utils; cups-bsd is
# not needed.) A fresh install does not leave a cupsd running where no init system runs
# (containers: policy-rc.d denies it; no systemd here). Where the postinst does start the
# system cupsd it listens on :631 and /run/cups/cups.sock and has its own /etc/cups state;
# this fixture shares nothing with it but the binaries and one file (below).
#
# Where everything lives: DIR/cupsd.conf, DIR/cups-files.conf, ServerRoot DIR/etc
# (printers.conf, ppd/, ssl/), RequestRoot DIR/spool, TempDir DIR/spool/tmp, CacheDir
# DIR/cache, StateDir DIR/state (local root certificate used by lpadmin), logs DIR/log,
# cups-pdf's own spool/tmp/log in DIR/cups-pdf and DIR/log, PDFs in DIR/pdf-out, cupsd's
# PID in DIR/cupsd.pid. cupsd listens on 127.0.0.1:PORT only, no Unix socket, no
# browsing, no web interface, no printcap outside DIR.
#
# The one file outside DIR: /etc/cups/cups-pdf-<instance>.conf
#   cups-pdf takes its settings (Out, Spool, Log, ...) only from a file in the directory
#   compiled into it, /etc/cups (CP_CONFIG_PATH; it ignores CUPS_SERVERROOT). A queue with
#   the device URI cups-pdf:/NAME reads /etc/cups/cups-pdf-NAME.conf instead of
#   /etc/cups/cups-pdf.conf, which is cups-pdf's own mechanism for several PDF queues.
#   The alternatives do not work on Debian 12: PPD options (*DefaultOut) cannot carry a
#   path, because libcups cuts a PPD default value at the first '/'; job or printer
#   options (Out-default=...) are ignored by Debian's cups-pdf 3.0.1 even with
#   AllowUnsafeOptions set in the PPD (tested; output went to ${HOME}/PDF). So start
#   writes one file, named after a hash of DIR (parallel fixtures do not collide), stop
#   removes it, and start removes files left by fixtures whose cupsd is gone. The
#   system's /etc/cups/cups-pdf.conf is never touched.
#
# Requirements and gotchas:
#   * Root only. The cups-pdf backend is installed mode 0700 root, and cupsd runs such
#     a backend as root only when cupsd itself is root; a non-root cupsd cannot execute
#     it, and /etc/cups is root's. As non-root, start exits 1 saying so, before touching
#     anything.
#   * cupsd runs filters as user lp: DIR and every parent directory must be searchable
#     by lp (a mktemp -d under /tmp is; something under /root is not). start checks
#     this and chmods DIR to 0755 (mktemp -d makes it 0700).
#   * cups-pdf runs ghostscript as the job's owner (requesting-user-name; root when the
#     tests run as root) and unknown users as "nobody"; DIR/pdf-out is mode 1777.
#   * Output file name: DIR/pdf-out/job_<job-id>-<title>.pdf (Label 1, TitlePref 1).
#     The title is made from the IPP job-name (spaces and each byte of a non-ASCII
#     letter become '_': "Badge María" -> "Badge_Mar__a"); find files by the
#     job_<job-id>- prefix.
#   * A job can be "completed" without a PDF: cups-pdf reports success even when
#     ghostscript fails. Tests must look for the file, not only at job-state.
#   * The queue uses poppler's pdftops as the PDF->PostScript renderer (pdftops-renderer-
#     default=pdftops). With Debian's default (hybrid -> ghostscript ps2write), PDFs with
#     embedded font subsets (cairo, most PDF libraries) come out of cups-pdf as one
#     300 dpi image and pdftotext finds no text.
#   * Debian's AppArmor profile for /usr/sbin/cupsd and .../backend/cups-pdf (shipped in
#     cups-daemon) confines cups-pdf to /etc/cups/cups-pdf.conf, /var/spool/cups-pdf and
#     $HOME. Where that profile is loaded and enforced (a Debian/Ubuntu VM with AppArmor,
#     not a container), cups-pdf here cannot read its per-instance file or write DIR;
#     start refuses with a clear message in that case (found through
#     /sys/kernel/security/apparmor/profiles; not exercised on the machine this was
#     written on, whose kernel has no AppArmor).
#   * Before cupsd has opened its log it reports errors to the systemd journal only, so
#     a missing directory makes "cupsd -f" exit 1 silently. start creates every
#     directory and runs "cupsd -t" first.
#   * Page size: the PPD's default is A4 and a smaller badge is scaled onto A4 unless the
#     job names its size, e.g. media=Custom.288x216 (4x3 in): then the PDF in pdf-out
#     is 288x216 pt.
#   * The PDF in pdf-out is not the PDF that was sent: CUPS turns it into PostScript and
#     cups-pdf runs ghostscript on that. What survives with text intact (pdftotext): PDFs
#     with base-14 fonts, cairo PDFs, and libharu UTF-8 PDFs (embedded TrueType,
#     Identity-H) as far as Latin-1 goes ("María José Muñoz Peña" is intact). Letters
#     outside Latin-1 lose their Unicode mapping ("Łukasz" comes out as "Aukasz"), so
#     tests should compare such names against the PDF they sent, not the output.
#   * Admin operations (lpadmin, cupsenable, ...) need root's local certificate, which
#     this cupsd writes to DIR/state/certs; this script sets CUPS_STATEDIR=DIR/state for
#     its own client calls. Printing and job queries need no authentication.
set -euo pipefail
export PATH=$PATH:/usr/sbin:/sbin

QUEUE=badges
CUPS_PDF_CONF_DIR=/etc/cups              # CP_CONFIG_PATH compiled into cups-pdf
CUPS_PDF_BACKEND=/usr/lib/cups/backend/cups-pdf
INSTANCE_PREFIX=checkin-fixture-
START_TIMEOUT=${CHECKIN_CUPS_START_TIMEOUT:-20}   # seconds for cupsd to answer
STOP_TIMEOUT=10                                   # seconds before SIGKILL
PORT_ATTEMPTS=10

me=cups_fixture
die() { printf '%s: error: %s\n' "$me" "$*" >&2; exit 1; }
note() { printf '%s: %s\n' "$me" "$*" >&2; }

usage() {
  sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

# --- paths and identity ----------------------------------------------------------

dir_arg() {
  [ -n "${1:-}" ] || usage
  case $1 in *$'\n'*|*\'*) die "DIR must not contain newlines or single quotes: $1" ;; esac
}

# Absolute, symlink-free DIR (the cupsd command line and the cups-pdf file use it).
canon() { readlink -m -- "$1"; }

instance_of() { printf '%s%s' "$INSTANCE_PREFIX" "$(printf '%s' "$1" | sha256sum | cut -c1-12)"; }

# PID of the cupsd started for DIR, if it is still that cupsd (guards against PID reuse).
our_pid() {
  local dir=$1 pid
  [ -r "$dir/cupsd.pid" ] || return 1
  pid=$(cat "$dir/cupsd.pid" 2>/dev/null) || return 1
  [[ $pid =~ ^[0-9]+$ ]] || return 1
  { tr '\0' '\n' < "/proc/$pid/cmdline"; } 2>/dev/null | grep -qxF -- "$dir/cupsd.conf" || return 1
  printf '%s\n' "$pid"
}

port_of() { cat "$1/port" 2>/dev/null || die "no fixture in $1 (start it first)"; }

# CUPS client commands against this server only, as the local admin: through the
# server's Unix socket in DIR, where cupsd knows the caller by its peer credentials.
# (Debian's CUPS 2.4.2-3+deb12u10 no longer offers the root certificate, "Local"
# authentication, over TCP; lpadmin there gets "Unauthorized".)
client() {
  local dir=$1; shift
  port_of "$dir" >/dev/null
  # LC_ALL=C: this script parses lpstat's messages, which are translated.
  env -u CUPS_USER -u CUPS_ENCRYPTION LC_ALL=C LANG=C \
      CUPS_SERVER="$dir/cupsd.sock" CUPS_STATEDIR="$dir/state" "$@"
}

# --- ports -----------------------------------------------------------------------

# Sockets of any state on PORT (IPv4 or IPv6) as seen in /proc/net.
port_busy() {
  local hex; hex=$(printf '%04X' "$1")
  awk -v p=":$hex" 'NR > 1 && substr($2, length($2) - 4) == p { f = 1 } END { exit !f }' \
    /proc/net/tcp /proc/net/tcp6 2>/dev/null
}

# True when PID holds the listening socket for 127.0.0.1:PORT (so a server that answers
# on the port is really ours and not some other process that got there first).
owns_listener() {
  local pid=$1 port=$2 hex inode
  hex=$(printf '0100007F:%04X' "$port")
  while read -r inode; do
    if find "/proc/$pid/fd" -maxdepth 1 -lname "socket:\[$inode\]" 2>/dev/null | grep -q .; then
      return 0
    fi
  done < <(awk -v a="$hex" 'NR > 1 && $2 == a && $4 == "0A" { print $10 }' /proc/net/tcp)
  return 1
}

pick_port() {
  local port i
  for i in $(seq 50); do
    # Below Linux's ephemeral range (32768-60999), so outgoing connections don't hold it.
    port=$(( 20000 + (RANDOM * 32768 + RANDOM) % 12000 ))
    port_busy "$port" || { echo "$port"; return 0; }
  done
  die "no free TCP port found in 20000-31999"
}

# --- preflight -------------------------------------------------------------------

preflight() {
  local dir=$1 c missing=()
  [ "$(id -u)" -eq 0 ] || die "must run as root: Debian's cups-pdf backend ($CUPS_PDF_BACKEND, mode 0700 root) only runs under a root cupsd, and its configuration lives in $CUPS_PDF_CONF_DIR. (CI runs as root; locally use sudo.)"
  for c in cupsd lpadmin lpinfo lpstat lpoptions cupsenable cupsdisable cupsaccept cupsreject \
           gs pdftops sha256sum setpriv; do
    command -v "$c" >/dev/null 2>&1 || missing+=("$c")
  done
  [ -x "$CUPS_PDF_BACKEND" ] || missing+=("$CUPS_PDF_BACKEND")
  [ -x /usr/lib/cups/filter/pdftops ] || missing+=(/usr/lib/cups/filter/pdftops)
  [ ${#missing[@]} -eq 0 ] || die "missing: ${missing[*]} (install: cups cups-client printer-driver-cups-pdf poppler-utils cups-ipp-utils; see deploy/install-deps.sh)"
  if ! [ -d "$CUPS_PDF_CONF_DIR" ] || ! [ -w "$CUPS_PDF_CONF_DIR" ]; then
    die "$CUPS_PDF_CONF_DIR is not writable"
  fi
  if [ -r /sys/kernel/security/apparmor/profiles ] &&
     grep -q "^$CUPS_PDF_BACKEND (enforce)" /sys/kernel/security/apparmor/profiles; then
    die "AppArmor enforces Debian's profile for $CUPS_PDF_BACKEND here; it cannot read $CUPS_PDF_CONF_DIR/cups-pdf-*.conf or write to $dir. Run the tests in a container, or put that profile in complain mode on this test machine (aa-complain $CUPS_PDF_BACKEND)."
  fi
}

# cupsd runs filters as lp, cups-pdf writes as the job's user (or nobody).
check_access() {
  local dir=$1 u
  chmod 0755 "$dir"                      # mktemp -d makes it 0700
  for u in lp nobody; do
    setpriv --reuid="$u" --regid="$(id -g "$u")" --clear-groups -- test -x "$dir" ||
      die "user $u cannot reach $dir (a parent directory is not searchable by others; use a directory under /tmp, e.g. mktemp -d)"
  done
}

# Remove per-instance cups-pdf files whose fixture cupsd is gone (killed test runs).
sweep_stale() {
  local f d
  for f in "$CUPS_PDF_CONF_DIR/cups-pdf-$INSTANCE_PREFIX"*.conf; do
    [ -e "$f" ] || continue
    d=$(sed -n 's/^# fixture-dir: //p' "$f" | head -n1)
    if [ -z "$d" ] || ! our_pid "$d" >/dev/null; then
      rm -f -- "$f"
    fi
  done
}

# --- configuration ---------------------------------------------------------------

write_config() {
  local dir=$1 port=$2 instance=$3
  mkdir -p "$dir"/{etc/ppd,etc/ssl,spool/tmp,cache,state,log,cups-pdf/spool,cups-pdf/tmp,pdf-out}
  chmod 0755 "$dir"
  chmod 1777 "$dir/pdf-out" "$dir/cups-pdf/tmp"

  cat > "$dir/cups-files.conf" <<EOF
# Generated by tests/tools/cups_fixture.sh. Everything cupsd writes lives under $dir.
ServerRoot $dir/etc
RequestRoot $dir/spool
TempDir $dir/spool/tmp
CacheDir $dir/cache
StateDir $dir/state
AccessLog $dir/log/access_log
ErrorLog $dir/log/error_log
PageLog $dir/log/page_log
Printcap $dir/etc/printcap
User lp
Group lp
SystemGroup root
FileDevice No
# Exit instead of running without a listener when the port is taken.
FatalErrors config listen log
EOF

  cat > "$dir/cupsd.conf" <<EOF
# Generated by tests/tools/cups_fixture.sh: a private test server, loopback only.
LogLevel ${CHECKIN_CUPS_LOGLEVEL:-debug}
MaxLogSize 0
Listen 127.0.0.1:$port
# The admin's door (client()): a socket in DIR, which only DIR's owner can reach.
Listen $dir/cupsd.sock
Browsing No
BrowseLocalProtocols none
WebInterface No
DefaultShared No
HostNameLookups Off
DefaultAuthType Basic
<Location />
  Order allow,deny
  Allow from 127.0.0.1
</Location>
<Policy default>
  # Tests may read every attribute of every job (job-name, job-originating-user-name).
  JobPrivateAccess all
  JobPrivateValues none
  SubscriptionPrivateAccess default
  SubscriptionPrivateValues default
  <Limit Create-Job Print-Job Print-URI Validate-Job>
    Order deny,allow
  </Limit>
  <Limit Send-Document Send-URI Cancel-Job Hold-Job Release-Job Restart-Job Purge-Jobs Set-Job-Attributes Create-Job-Subscription Renew-Subscription Cancel-Subscription Get-Notifications Reprocess-Job Cancel-Current-Job Suspend-Current-Job Resume-Job Cancel-My-Jobs Close-Job CUPS-Move-Job CUPS-Authenticate-Job CUPS-Get-Document>
    Require user @OWNER @SYSTEM
    Order deny,allow
  </Limit>
  # Only root (its peer credentials on $dir/cupsd.sock) may administer, as on a
  # normal system: anyone who can add a queue to a root cupsd can run code as root.
  <Limit CUPS-Add-Modify-Printer CUPS-Delete-Printer CUPS-Add-Modify-Class CUPS-Delete-Class CUPS-Set-Default CUPS-Get-Devices Pause-Printer Resume-Printer Set-Printer-Attributes Enable-Printer Disable-Printer Pause-Printer-After-Current-Job Hold-New-Jobs Release-Held-New-Jobs Deactivate-Printer Activate-Printer Restart-Printer Shutdown-Printer Startup-Printer Promote-Job Schedule-Job-After Cancel-Jobs CUPS-Accept-Jobs CUPS-Reject-Jobs>
    AuthType Default
    Require user @SYSTEM
    Order deny,allow
  </Limit>
  <Limit All>
    Order deny,allow
  </Limit>
</Policy>
EOF

  # cups-pdf's settings for this queue (see the header for why this is in /etc/cups).
  cat > "$CUPS_PDF_CONF_DIR/cups-pdf-$instance.conf" <<EOF
# Written by the check-in system's test fixture (tests/tools/cups_fixture.sh) for the
# private CUPS server in the directory below; removed by "cups_fixture.sh stop".
# fixture-dir: $dir
Out $dir/pdf-out
AnonDirName $dir/pdf-out
AnonUser nobody
Spool $dir/cups-pdf/spool
GSTmp $dir/cups-pdf/tmp
Log $dir/log
LogType 7
Grp lp
Label 1
TitlePref 1
UserUMask 0022
AnonUMask 0022
EOF
  chmod 0644 "$CUPS_PDF_CONF_DIR/cups-pdf-$instance.conf"
}

# --- cupsd process ---------------------------------------------------------------

launch_cupsd() {
  local dir=$1 out
  out=$(cupsd -t -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" 2>&1) ||
    die "cupsd rejects the generated configuration: $out"
  # Close every inherited descriptor above 2 so that a caller reading our stdout through
  # a pipe ($(...), a test harness) is not kept waiting by cupsd holding it open.
  (
    for fd in "/proc/$BASHPID/fd/"*; do
      fd=${fd##*/}
      if [ "$fd" -gt 2 ]; then eval "exec $fd>&-" 2>/dev/null || true; fi
    done
    exec cupsd -f -c "$dir/cupsd.conf" -s "$dir/cups-files.conf" \
      </dev/null >>"$dir/log/cupsd.out" 2>&1
  ) &
  echo $! > "$dir/cupsd.pid"
}

# 0 ready, 2 port taken (cupsd killed; retry with another port), dies on anything else.
wait_ready() {
  local dir=$1 port=$2 pid deadline
  pid=$(cat "$dir/cupsd.pid")
  deadline=$(( $(date +%s) + START_TIMEOUT ))
  while :; do
    # cupsd logs this and then keeps running without a listener (FatalErrors listen
    # notwithstanding), so the log is the only sign.
    if grep -q "Unable to open listen socket for address 127.0.0.1:$port" "$dir/log/error_log" 2>/dev/null; then
      { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
      rm -f "$dir/cupsd.pid"
      return 2
    fi
    if ! kill -0 "$pid" 2>/dev/null; then
      wait "$pid" 2>/dev/null || true
      rm -f "$dir/cupsd.pid"
      die "cupsd exited during start-up. $dir/log/cupsd.out:
$(tail -n 20 "$dir/log/cupsd.out" 2>/dev/null)
$dir/log/error_log:
$(grep -E '^[EXAC] ' "$dir/log/error_log" 2>/dev/null | tail -n 20)"
    fi
    if owns_listener "$pid" "$port" &&
       client "$dir" lpstat -r 2>/dev/null | grep -qx 'scheduler is running'; then
      return 0
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      { kill -KILL "$pid"; wait "$pid"; } 2>/dev/null || true
      rm -f "$dir/cupsd.pid"
      die "cupsd (PID $pid) did not answer on 127.0.0.1:$port within ${START_TIMEOUT}s; see $dir/log/error_log"
    fi
    sleep 0.1
  done
}

# PIDs of all descendants of PID (cupsd's filters, the cups-pdf backend, gs).
descendants() {
  local ppids=" $1 " found=1 pid ppid out=""
  while [ "$found" -eq 1 ]; do
    found=0
    while read -r pid ppid; do
      case $ppids in *" $pid "*) continue ;; esac
      case $ppids in *" $ppid "*) ppids+="$pid "; out+="$pid "; found=1 ;; esac
    done < <(cat /proc/[0-9]*/stat 2>/dev/null |
             # "PID (comm) STATE PPID ...": comm may contain spaces, so match up to the last ')'
             sed -n 's/^\([0-9]*\) .*) [A-Za-z] \([0-9]*\) .*/\1 \2/p')
  done
  echo "$out"
}

# Stop DIR's cupsd and whatever it still had running; nothing else is touched.
stop_cupsd() {
  local dir=$1 pid i kids p
  if pid=$(our_pid "$dir"); then
    kids=$(descendants "$pid")
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < STOP_TIMEOUT * 10; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
      note "cupsd (PID $pid) ignored SIGTERM for ${STOP_TIMEOUT}s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.2
    fi
    wait "$pid" 2>/dev/null || true     # reap it when this shell started it (start, up)
    # cupsd stops its jobs' processes itself; this catches an orphaned gs or filter.
    for p in $kids; do
      kill -KILL "$p" 2>/dev/null || true
    done
  fi
  rm -f "$dir/cupsd.pid"
}

# --- queue -------------------------------------------------------------------------

# The model name `lpinfo -m` lists for /usr/share/ppd/cups-pdf/CUPS-PDF_noopt.ppd. The
# "noopt" PPD sets none of cups-pdf's options (the "opt" one sets Label, TitlePref, ...
# as PPD defaults, which override the per-instance file), so that file decides everything.
CUPS_PDF_MODEL=lsb/usr/cups-pdf/CUPS-PDF_noopt.ppd

create_queue() {
  local dir=$1 instance=$2 out
  # lpadmin warns that PPD drivers are deprecated; expected, and only shown on failure.
  out=$(client "$dir" lpadmin -p "$QUEUE" -E -v "cups-pdf:/$instance" -m "$CUPS_PDF_MODEL" \
          -D "check-in badge test printer" \
          -o printer-is-shared=false \
          -o pdftops-renderer-default=pdftops 2>&1) ||
    die "lpadmin could not create the $QUEUE queue: $out
PDF models cupsd knows: $(client "$dir" lpinfo -m 2>&1 | grep -i pdf)"
  client "$dir" lpstat -p "$QUEUE" 2>/dev/null | grep -q "printer $QUEUE is idle" ||
    die "queue $QUEUE is not idle after creation: $(client "$dir" lpstat -p "$QUEUE" 2>&1)"
  client "$dir" lpstat -a "$QUEUE" 2>/dev/null | grep -q "$QUEUE accepting" ||
    die "queue $QUEUE does not accept jobs after creation"
}

sq() { printf "'%s'" "$1"; }     # DIR has no single quotes (checked in dir_arg)

print_env() {
  local dir=$1 port
  port=$(port_of "$dir")
  printf 'export CUPS_SERVER=%s\n' "$(sq "127.0.0.1:$port")"
  printf 'export CHECKIN_CUPS_QUEUE=%s\n' "$(sq "$QUEUE")"
  printf 'export CHECKIN_CUPS_PDF_DIR=%s\n' "$(sq "$dir/pdf-out")"
  printf 'export CHECKIN_CUPS_FIXTURE_DIR=%s\n' "$(sq "$dir")"
}

# --- commands ----------------------------------------------------------------------

# When start fails half-way, leave nothing running and nothing in /etc/cups.
START_DIR=
undo_failed_start() {
  local rc=$?
  if [ "$rc" -ne 0 ] && [ -n "$START_DIR" ]; then
    stop_cupsd "$START_DIR"
    rm -f -- "$CUPS_PDF_CONF_DIR/cups-pdf-$(instance_of "$START_DIR").conf"
    note "start failed; logs are in $START_DIR/log"
  fi
  exit "$rc"
}

cmd_start() {
  local dir=$1 instance attempt port rc=0
  preflight "$dir"
  mkdir -p "$dir"
  dir=$(canon "$dir")
  # A Unix socket's path holds at most 107 bytes.
  (( ${#dir} + 11 <= 107 )) || die "$dir is too long a path for cupsd's socket in it; use a shorter one"
  if our_pid "$dir" >/dev/null && client "$dir" lpstat -p "$QUEUE" >/dev/null 2>&1; then
    note "already running in $dir"
    print_env "$dir"
    return 0
  fi
  stop_cupsd "$dir"                      # a half-started earlier attempt
  check_access "$dir"
  START_DIR=$dir
  trap undo_failed_start EXIT
  sweep_stale
  instance=$(instance_of "$dir")
  for ((attempt = 1; attempt <= PORT_ATTEMPTS; attempt++)); do
    port=${CHECKIN_CUPS_PORT:-$(pick_port)}
    echo "$port" > "$dir/port"
    write_config "$dir" "$port" "$instance"
    launch_cupsd "$dir"
    rc=0; wait_ready "$dir" "$port" || rc=$?
    [ "$rc" -eq 0 ] && break
    [ -z "${CHECKIN_CUPS_PORT:-}" ] || die "port $CHECKIN_CUPS_PORT (CHECKIN_CUPS_PORT) is in use"
    note "port $port was taken; trying another"
    mv -f "$dir/log/error_log" "$dir/log/error_log.port-$port"
  done
  [ "$rc" -eq 0 ] || die "no usable port after $PORT_ATTEMPTS attempts"
  create_queue "$dir" "$instance"
  print_env "$dir" > "$dir/fixture.env"
  cat "$dir/fixture.env"
  START_DIR=
}

cmd_stop() {
  local dir; dir=$(canon "$1")
  stop_cupsd "$dir"
  rm -f -- "$CUPS_PDF_CONF_DIR/cups-pdf-$(instance_of "$dir").conf"
}

cmd_down() {
  local dir; dir=$(canon "$1")
  our_pid "$dir" >/dev/null || die "no cupsd running for $dir"
  stop_cupsd "$dir"
}

cmd_up() {
  local dir port rc=0; dir=$(canon "$1")
  [ -f "$dir/cupsd.conf" ] || die "no fixture in $dir (start it first)"
  if our_pid "$dir" >/dev/null; then return 0; fi
  port=$(port_of "$dir")
  [ -f "$CUPS_PDF_CONF_DIR/cups-pdf-$(instance_of "$dir").conf" ] ||
    die "$CUPS_PDF_CONF_DIR/cups-pdf-$(instance_of "$dir").conf is gone (was the fixture stopped?)"
  launch_cupsd "$dir"
  wait_ready "$dir" "$port" || rc=$?
  [ "$rc" -eq 0 ] || die "port $port was taken while the server was down"
}

need_running() {
  our_pid "$1" >/dev/null || die "no cupsd running for $1"
}

cmd_pause() {
  local dir; dir=$(canon "$1"); need_running "$dir"
  client "$dir" cupsdisable -r "${2:-printer unplugged (cups_fixture pause)}" "$QUEUE"
}

cmd_resume() {
  local dir; dir=$(canon "$1"); need_running "$dir"
  client "$dir" cupsaccept "$QUEUE"
  client "$dir" cupsenable "$QUEUE"
}

cmd_reject() {
  local dir; dir=$(canon "$1"); need_running "$dir"
  client "$dir" cupsreject -r "${2:-queue closed (cups_fixture reject)}" "$QUEUE"
}

cmd_accept() {
  local dir; dir=$(canon "$1"); need_running "$dir"
  client "$dir" cupsaccept "$QUEUE"
}

cmd_status() {
  local dir; dir=$(canon "$1"); need_running "$dir"
  client "$dir" lpstat -r -p "$QUEUE" -a "$QUEUE" -l -o "$QUEUE" || true
  client "$dir" lpoptions -p "$QUEUE" | tr ' ' '\n' | grep -E '^printer-(state|is-accepting)' || true
}

cmd=${1:-}; shift || true
dir_arg "${1:-}"
case $cmd in
  start)  cmd_start "$1" ;;
  stop)   cmd_stop "$1" ;;
  pause)  cmd_pause "$@" ;;
  resume) cmd_resume "$1" ;;
  reject) cmd_reject "$@" ;;
  accept) cmd_accept "$1" ;;
  down)   cmd_down "$1" ;;
  up)     cmd_up "$1" ;;
  env)    [ -f "$(canon "$1")/port" ] || die "no fixture in $1"; print_env "$(canon "$1")" ;;
  status) cmd_status "$1" ;;
  *)      usage ;;
esac
