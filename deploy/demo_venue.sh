#!/usr/bin/env bash
# The venue scene of `make demo`, on this machine's loopback: a hub, two
# entrance stations reading queue videos, a print station on a PDF folder.
# Puerta Sur reaches the hub through netcut, loses it, admits alone, and
# uploads when the link is back; two people who showed their tickets at both
# doors meanwhile become the conflicts the hub reports.
# Usage: deploy/demo_venue.sh PATH/TO/checkin PATH/TO/make_queue_video PATH/TO/netcut
set -euo pipefail
usage="usage: demo_venue.sh PATH/TO/checkin PATH/TO/make_queue_video PATH/TO/netcut"
bin=${1:?$usage}
make_video=${2:?$usage}
netcut=${3:?$usage}
here=$(cd "$(dirname "$0")" && pwd)
out=${CHECKIN_DEMO_DIR:-demo-out}/sede
rm -rf "$out"
mkdir -p "$out"
# The built-in config for the hub's commands, whatever /etc/checkin holds;
# stations name theirs with --config.
export CHECKIN_CONFIG=""
unset CHECKIN_DB
hub_db="$out/sede.db"

# Every process started here ends with the scene, however it ends.
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap cleanup EXIT
trap 'exit 130' INT TERM

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() {
  echo "demo: $*" >&2
  exit 1
}
# Waits up to $3 seconds until file $1 has a line matching the regex $2.
wait_for() {
  local deadline=$((SECONDS + $3))
  until grep -qE "$2" "$1" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 20 "$1" >&2 || true
      fail "nothing matched '$2' in $1 within $3 s"
    fi
    sleep 0.1
  done
}
# Waits up to $2 seconds for background process $1 to end; its exit code.
wait_exit() {
  local deadline=$((SECONDS + $2))
  while kill -0 "$1" 2>/dev/null; do
    [ $SECONDS -lt $deadline ] || fail "process $1 still running after $2 s"
    sleep 0.1
  done
  local rc=0
  wait "$1" || rc=$?
  return $rc
}
hub() { "$bin" --db "$hub_db" "$@"; }
# Adds a device on the hub and pairs the station's config with its code.
pair() {
  local name=$1 role=$2 url=$3 code
  code=$(hub hub device add "$name" --role "$role" --url "$url" --json |
    sed -n 's/.*"pairing_code": *"\([^"]*\)".*/\1/p')
  [ -n "$code" ] || fail "hub device add $name printed no pairing code"
  "$bin" --config "$out/$name.toml" station pair "$code"
}

step "13. La sede: un hub y tres estaciones (todo en este equipo, 127.0.0.1)"
hub init --event "KCD Colombia 2026" --timezone America/Bogota >/dev/null
hub roster import "$here/sample/roster.csv" >/dev/null
hub hub init >/dev/null
# Port 0: the system picks a free one, and the hub says which.
"$bin" --db "$hub_db" hub serve --listen 127.0.0.1:0 >"$out/hub.log" 2>&1 &
pids+=($!)
wait_for "$out/hub.log" 'https://127\.0\.0\.1:[0-9]+' 20
hub_port=$(grep -oE 'https://127\.0\.0\.1:[0-9]+' "$out/hub.log" | head -n 1 | sed 's/.*://')
head -n 1 "$out/hub.log"
# Puerta Sur's cable: a proxy this scene can cut.
"$netcut" --to "$hub_port" --listen 0 >"$out/netcut.log" 2>&1 &
netcut_pid=$!
pids+=($netcut_pid)
wait_for "$out/netcut.log" 'listening at 127\.0\.0\.1:[0-9]+' 20
sur_port=$(grep -oE '127\.0\.0\.1:[0-9]+' "$out/netcut.log" | head -n 1 | sed 's/.*://')

step "14. Emparejar las estaciones: hub device add en el hub, station pair en cada portátil"
pair puerta-norte scan "https://127.0.0.1:$hub_port"
pair puerta-sur scan "https://127.0.0.1:$sur_port"
pair impresion print "https://127.0.0.1:$hub_port"
mkdir -p "$out/impresora"
"$bin" --config "$out/impresion.toml" print --printer "pdf:$out/impresora" --station impresion \
  >"$out/impresion.log" 2>&1 &
pids+=($!)
wait_for "$out/impresion.log" 'pdf:' 20

# Two people (Daniel Bermúdez, María José Martínez) show their tickets at both doors.
both=(KCD26-5YYC3MA637 KCD26-JVJP4A2NLO)
"$make_video" "$out/norte.avi" KCD26-RIDGUZXCWR "${both[@]}" KCD26-3GAEAW5DBM \
  --hold 12 --gap 6 --fps 10 --width 640 --height 360 >/dev/null
# Puerta Sur films in real time: its last two people come after the link is back.
"$make_video" "$out/sur.avi" KCD26-56CZCIP4RP "${both[@]}" KCD26-HBXSVBUX2L \
  KCD26-C3NYU2Q67B KCD26-EDBPFBD6QV --hold 12 --gap 6 --fps 10 --width 640 --height 360 >/dev/null

step "15. Se cae la red de Puerta Sur; las dos puertas siguen recibiendo gente"
# Dropped: every connection through it closes, new ones are refused.
kill -USR1 "$netcut_pid"
"$bin" --config "$out/puerta-sur.toml" scan --source "$out/sur.avi" --headless --realtime \
  --gate Principal --station puerta-sur --print >"$out/puerta-sur.log" 2>&1 &
sur_pid=$!
pids+=($sur_pid)
echo "-- Puerta Norte (en línea):"
"$bin" --config "$out/puerta-norte.toml" scan --source "$out/norte.avi" --headless \
  --gate Principal --station puerta-norte --print
# Back once Puerta Sur has answered its first four people alone.
wait_for "$out/puerta-sur.log" 'Aristizábal' 60
printf '\n'
step "16. Vuelve la red: Puerta Sur sube lo que decidió sola, sin que nadie haga nada"
kill -USR2 "$netcut_pid"
rc=0
wait_exit "$sur_pid" 90 || rc=$?
[ $rc -eq 0 ] || fail "the Puerta Sur scan exited $rc: $(tail -n 5 "$out/puerta-sur.log")"
echo "-- Puerta Sur:"
cat "$out/puerta-sur.log"
# The scan's sync thread uploads every 2 s; one last pass for what came after.
"$bin" --config "$out/puerta-sur.toml" station sync
"$bin" --config "$out/puerta-sur.toml" station status
# A badge the station could not queue while the hub was away (its warning
# says so) is queued again at the desk.
for who in KCD26-56CZCIP4RP:Åkesson KCD26-HBXSVBUX2L:Aristizábal; do
  if grep -q "escarapela de .*${who#*:}.* no quedó en cola" "$out/puerta-sur.log"; then
    "$bin" --config "$out/puerta-sur.toml" print reprint "${who%%:*}" --station puerta-sur
  fi
done

step "17. La estación de impresión: escarapelas de ambas puertas"
deadline=$((SECONDS + 30))
until hub print status --json | grep -qE '"queued": *0, *"printing": *0|"printing": *0, *"queued": *0'; do
  [ $SECONDS -lt $deadline ] || fail "the print station left jobs in the queue"
  sleep 0.2
done
hub print status
ls "$out/impresora"

step "18. En el hub: conflictos, estaciones y cifras finales"
hub hub conflicts
# The scene is also a test (ctest's demo): exactly the two people seen at both
# doors during the cut, and badges for the eight who came in.
conflicts=$(hub hub conflicts --json | grep -o '"found_at"' | wc -l)
[ "$conflicts" -eq 2 ] || fail "expected 2 conflicts, the hub lists $conflicts"
badges=$(find "$out/impresora" -name '*.pdf' | wc -l)
[ "$badges" -ge 8 ] || fail "expected 8 badges or more, the print station made $badges"
hub hub device list
hub stats
printf '\nBase de datos del hub: %s\n' "$hub_db"
