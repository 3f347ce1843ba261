#!/usr/bin/env bash
# The end of `make demo` (deploy/demo_live.sh) on the venue the demo test
# left: started with its output on a pipe it must end promptly (nothing left
# in the background holds it); both printed links log a browser in; a second
# start replaces the first; a port another program holds is refused; stop
# ends everything.
# Usage: demo_live_test.sh PATH/TO/checkin DEMO_DIR HUB_PORT DOOR_PORT
set -euo pipefail
bin=${1:?usage: demo_live_test.sh PATH/TO/checkin DEMO_DIR HUB_PORT DOOR_PORT}
export CHECKIN_DEMO_DIR=${2:?} CHECKIN_DEMO_HUB_PORT=${3:?} CHECKIN_DEMO_DOOR_PORT=${4:?}
live="$(cd "$(dirname "$0")/../../deploy" && pwd)/demo_live.sh"
trap 'bash "$live" stop' EXIT
fail() {
  echo "FAIL: $*" >&2
  exit 1
}

# `| cat` ends only when every writer of the pipe has closed it.
# shellcheck disable=SC2016  # expanded by the inner shell
start() { timeout 60 bash -o pipefail -c 'bash "$0" start "$1" 2>&1 | cat' "$live" "$bin"; }
printed=$(start) || fail "demo_live.sh start failed or hung: $printed"
echo "$printed"
dashboard=$(grep -oE "https://127\.0\.0\.1:$CHECKIN_DEMO_HUB_PORT/login\?t=[^ ]+" <<<"$printed") ||
  fail "no dashboard link printed"
door=$(grep -oE "http://127\.0\.0\.1:$CHECKIN_DEMO_DOOR_PORT/login\?t=[^ ]+" <<<"$printed") ||
  fail "no door link printed"
grep -q "make demo-stop" <<<"$printed" || fail "no word on how to stop them"

# Each link, once, as a browser would: a redirect to the page with a
# session cookie, then the page itself.
python3 - "$dashboard" /dashboard "Panel del evento" "$door" /door "Hoy en esta puerta" <<'PY'
import http.client, ssl, sys, urllib.parse
args = sys.argv[1:]
for link, home, words in zip(args[0::3], args[1::3], args[2::3]):
    u = urllib.parse.urlsplit(link)
    conn = (http.client.HTTPSConnection(u.hostname, u.port, timeout=10,
                                        context=ssl._create_unverified_context())
            if u.scheme == "https" else http.client.HTTPConnection(u.hostname, u.port, timeout=10))
    conn.request("GET", u.path + "?" + u.query)
    r = conn.getresponse()
    r.read()
    assert r.status == 303 and r.getheader("Location", "").endswith(home), \
        (link, r.status, r.getheader("Location"))
    cookie = r.getheader("Set-Cookie", "").split(";")[0]
    conn.request("GET", home, headers={"Cookie": cookie})
    r = conn.getresponse()
    body = r.read().decode()
    assert r.status == 200 and words in body, (home, r.status, body[:300])
    print(f"{link.split('?')[0]} -> {home}: {r.status}, '{words}'")
PY

# The door answered the code the demo fed its pipe.
deadline=$((SECONDS + 20))
until grep -q "Sarmiento" "$CHECKIN_DEMO_DIR/door.log"; do
  [ $SECONDS -lt $deadline ] || fail "the door never answered: $(tail -n 5 "$CHECKIN_DEMO_DIR/door.log")"
  sleep 0.1
done

# A second start ends the first (same ports, new links).
hub_pid=$(cat "$CHECKIN_DEMO_DIR/hub.pid")
again=$(start) || fail "a second start failed: $again
hub.log: $(tail -n 5 "$CHECKIN_DEMO_DIR/hub.log" 2>&1)
door.log: $(tail -n 5 "$CHECKIN_DEMO_DIR/door.log" 2>&1)"
kill -0 "$hub_pid" 2>/dev/null && fail "the first hub ($hub_pid) still runs"
bash "$live" stop
for f in hub.pid door.pid; do
  [ ! -e "$CHECKIN_DEMO_DIR/$f" ] || fail "$f left after stop"
done

# A port held by someone else: refused, with the port named, and nothing started.
rm -f "$CHECKIN_DEMO_DIR/squatter.log"
python3 -c '
import socket, sys, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("127.0.0.1", int(sys.argv[1]))); s.listen(); print("ready", flush=True); time.sleep(30)
' "$CHECKIN_DEMO_DOOR_PORT" >"$CHECKIN_DEMO_DIR/squatter.log" &
squatter=$!
until grep -q ready "$CHECKIN_DEMO_DIR/squatter.log"; do sleep 0.1; done
refused=$(start) && fail "started beside another program on port $CHECKIN_DEMO_DOOR_PORT: $refused"
kill "$squatter"
grep -q "port $CHECKIN_DEMO_DOOR_PORT .*taken" <<<"$refused" || fail "unclear refusal: $refused"
[ ! -e "$CHECKIN_DEMO_DIR/hub.pid" ] || fail "a hub was left running after the refusal"
echo "1 passed, 0 failed"
