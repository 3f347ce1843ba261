#!/usr/bin/env bash
# The end of `make demo`: the demo venue's hub and one door screen, left
# running in the background on this machine's loopback so their pages can be
# opened in a browser; `make demo-stop` ends them.
# Usage: deploy/demo_live.sh start PATH/TO/checkin | deploy/demo_live.sh stop
# Ports: CHECKIN_DEMO_HUB_PORT (default 18443), CHECKIN_DEMO_DOOR_PORT (18080).
set -euo pipefail
usage="usage: demo_live.sh start PATH/TO/checkin | demo_live.sh stop"
out=${CHECKIN_DEMO_DIR:-demo-out}
hub_port=${CHECKIN_DEMO_HUB_PORT:-18443}
door_port=${CHECKIN_DEMO_DOOR_PORT:-18080}
# The venue demo_venue.sh left: its event file, and a door paired with it.
hub_db="$out/sede/sede.db"
door_config="$out/sede/pantalla-puerta.toml"
export CHECKIN_CONFIG=""
unset CHECKIN_DB

fail() {
  echo "demo: $*" >&2
  exit 1
}

# Ends the process a pid file names, if it is still one of ours: a pid the
# system gave to something else since is left alone.
stop_one() {
  local pidfile=$1 pid
  [ -f "$pidfile" ] || return 0
  pid=$(cat "$pidfile")
  if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q checkin; then
    kill -TERM "$pid" 2>/dev/null || true
    local deadline=$((SECONDS + 10))
    while kill -0 "$pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

stop() {
  stop_one "$out/door.pid"
  stop_one "$out/hub.pid"
  rm -f "$out/door.in"
}

# True when something answers on 127.0.0.1:$1.
port_taken() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Starts a command in a session of its own, with no terminal: stdin from $2,
# stdout and stderr to $3, its pid in $1; it holds no other file of the
# caller's open, so `make demo | tail` ends when the demo does.
detach() {
  local pidfile=$1 input=$2 log=$3
  shift 3
  # shellcheck disable=SC2016  # expanded by the inner shell
  setsid bash -c 'for fd in /proc/$$/fd/*; do n=${fd##*/}; [ "$n" -gt 2 ] && eval "exec $n>&-"; done
echo $$ >"$0"; exec "$@"' "$pidfile" "$@" <>"$input" >"$log" 2>&1 &
}

# Waits up to 20 s until log $1 of the process in pid file $2 matches $3.
# The pid file is written by the detached shell as it starts: missing or
# still empty, the process is not there yet, which is not the same as gone.
wait_for() {
  local deadline=$((SECONDS + 20)) pid
  until grep -qE "$3" "$1" 2>/dev/null; do
    pid=$(cat "$2" 2>/dev/null || true)
    if [ $SECONDS -ge $deadline ] || { [ -n "$pid" ] && ! kill -0 "$pid" 2>/dev/null; }; then
      tail -n 20 "$1" >&2 || true
      stop
      fail "nothing matched '$3' in $1 within 20 s"
    fi
    sleep 0.1
  done
}

start() {
  local bin=$1
  [ -f "$hub_db" ] || fail "no demo venue at $hub_db: run make demo"
  # Leftovers of a previous run are ours to end; anything else on the ports is not.
  stop
  # Their logs too: the new processes truncate them only once they start, and
  # until then wait_for would find the previous run's address in them.
  rm -f "$out/hub.log" "$out/door.log"
  for port in "$hub_port" "$door_port"; do
    if port_taken "$port"; then
      fail "port $port of 127.0.0.1 is taken by another program (ss -ltnp 'sport = :$port' says which); free it, or choose others with CHECKIN_DEMO_HUB_PORT / CHECKIN_DEMO_DOOR_PORT"
    fi
  done
  local hub_url="https://127.0.0.1:$hub_port"
  detach "$out/hub.pid" /dev/null "$out/hub.log" \
    "$bin" --db "$hub_db" hub serve --listen "127.0.0.1:$hub_port"
  wait_for "$out/hub.log" "$out/hub.pid" "https://127\.0\.0\.1:$hub_port"

  # A door paired once per demo venue; the hub keeps its port, so the pairing
  # holds across restarts.
  if [ ! -f "$door_config" ]; then
    local code
    code=$("$bin" --db "$hub_db" hub device add pantalla-puerta --role scan --url "$hub_url" --json |
      sed -n 's/.*"pairing_code": *"\([^"]*\)".*/\1/p')
    [ -n "$code" ] || fail "hub device add pantalla-puerta printed no pairing code"
    "$bin" --config "$door_config" station pair "$code" >/dev/null
  fi
  # No looping video: the door reads a handheld scanner from a pipe it also
  # holds open for writing, so it never sees the end of its input and runs
  # until stopped; codes written to the pipe are scanned.
  rm -f "$out/door.in"
  mkfifo "$out/door.in"
  detach "$out/door.pid" "$out/door.in" "$out/door.log" \
    "$bin" --config "$door_config" scan --source keyboard --headless --gate Principal \
    --station pantalla-puerta --ui "127.0.0.1:$door_port"
  wait_for "$out/door.log" "$out/door.pid" "http://127\.0\.0\.1:$door_port/login\?t="
  local door_link dashboard expires
  door_link=$(grep -oE "http://127\.0\.0\.1:$door_port/login\?t=[A-Za-z0-9_-]+" "$out/door.log" | head -n 1)
  # Someone at the door, so the screen opens on a verdict and a count.
  # shellcheck disable=SC2016  # expanded by the inner shell
  timeout 5 bash -c 'printf "KCD26-JJFRFFEGTQ\n" >"$1"' _ "$out/door.in" ||
    fail "the door did not take a code: $(tail -n 5 "$out/door.log")"
  dashboard=$("$bin" --db "$hub_db" hub open --role admin --url "$hub_url" --json)
  expires=$(sed -n 's/.*"expires_at": *"\([^"]*\)".*/\1/p' <<<"$dashboard")
  dashboard=$(sed -n 's/.*"url": *"\([^"]*\)".*/\1/p' <<<"$dashboard")
  [ -n "$dashboard" ] || fail "hub open printed no link"
  local minutes
  minutes=$((($(date -d "$expires" +%s) - $(date +%s) + 30) / 60))
  expires="$minutes minutos, a las $(date -d "$expires" +%H:%M)"

  printf '\n\033[1m== 19. La sede sigue abierta: ábrala en el navegador de este equipo\033[0m\n'
  cat <<EOF
Tablero de los organizadores (rol admin; un solo uso, vence en $expires;
el hub usa su propio certificado, acéptelo en el navegador):
  $dashboard
Pantalla de la puerta Principal (un solo uso, vale hasta que se abra o se reinicie la puerta):
  $door_link
Un código en la puerta, como un lector de mano:  echo KCD26-QPSY2GYRUW > $out/door.in
Otro enlace al tablero:  $bin --db $hub_db hub open --role admin --url $hub_url
Registros y pids: $out/hub.log, $out/door.log, $out/hub.pid, $out/door.pid
Detenerlos:  make demo-stop   (o: bash deploy/demo_live.sh stop)
EOF
}

case ${1:-} in
  start) start "${2:?$usage}" ;;
  stop) stop ;;
  *) fail "$usage" ;;
esac
