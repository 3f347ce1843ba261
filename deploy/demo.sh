#!/usr/bin/env bash
# The end-to-end demo on the embedded SQLite default: a fresh event database,
# the sample roster imported, and the morning rush at the main gate as a
# volunteer sees it; with netcut, the venue scene after it (deploy/demo_venue.sh).
# Usage: deploy/demo.sh PATH/TO/checkin [PATH/TO/make_queue_video [PATH/TO/netcut]]
set -euo pipefail
bin=${1:?usage: demo.sh PATH/TO/checkin [PATH/TO/make_queue_video [PATH/TO/netcut]]}
make_video=${2:-}
netcut=${3:-}
here=$(cd "$(dirname "$0")" && pwd)
out=${CHECKIN_DEMO_DIR:-demo-out}
mkdir -p "$out"
export CHECKIN_DB="$out/kcd-demo.db"
# The built-in config (gate Principal admits all), whatever /etc/checkin holds.
export CHECKIN_CONFIG=""
rm -f "$CHECKIN_DB" "$CHECKIN_DB-wal" "$CHECKIN_DB-shm"

step() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
# A denial exits 1 by design; the demo shows it and goes on.
door() { "$bin" redeem "$@" --gate Principal --station mesa-1 || [ $? -eq 1 ]; }

step "1. Crear el evento"
"$bin" init --event "KCD Colombia 2026" --timezone America/Bogota

step "2. Importar la exportación de inscripciones (deploy/sample/roster.csv)"
"$bin" roster import "$here/sample/roster.csv"

step "3. Puerta Principal, mesa-1: llega la fila de la mañana"
door KCD26-J6I72TAV7B                       # María José Muñoz Peña, Speaker
door KCD26-P6QOP7W77X                       # Andrés Felipe Gómez Ríos, Organizador
door "  KCD26-QNRQWA6D3L"$'\r'              # Łukasz Kowalski, as a handheld scanner types it

step "4. Alguien muestra otra vez el mismo código"
door KCD26-J6I72TAV7B

step "5. Entradas canceladas y reembolsadas, códigos desconocidos o ilegibles"
door KCD26-KPLVYTO4BH                       # cancelled upstream
door KCD26-QBZTABZF4G                       # refunded
door KCD26-NOEXISTE
door $'KCD\x01\xff'

step "6. Alguien olvidó su código: buscar por nombre (sin tildes) y registrar"
"$bin" roster search sebastian ibanez
id=$("$bin" roster search sebastian ibanez quinones --json | sed -n 's/^\[{.*"id":\([0-9]*\).*/\1/p')
door --attendee "$id"

step "7. Un error del voluntario: deshacer el último registro de la mesa"
"$bin" undo --station mesa-1

step "8. Lo mismo para un script: una línea JSON"
door KCD26-P6QOP7W77X --json --lang en

step "9. Cómo va la puerta"
"$bin" stats

step "10. Escarapelas: el lote completo para imprimir antes del evento"
"$bin" badge render --all --sort last-name --out "$out/escarapelas-todas.pdf"
# The same on Letter paper with cut marks, for an office printer.
printf 'stock = "4x3in"\nsheet = "Letter"\n' > "$out/hoja-carta.toml"
"$bin" badge render --all --sort last-name --layout "$out/hoja-carta.toml" --out "$out/escarapelas-carta.pdf"

step "11. La mesa de impresión: las escarapelas de quienes entraron, por la cola de impresión"
"$bin" print reprint KCD26-J6I72TAV7B --station mesa-1
"$bin" print reprint KCD26-QNRQWA6D3L --station mesa-1
# Without a CUPS queue the badges go to a folder; with one: --printer QUEUE.
mkdir -p "$out/impresora"
"$bin" print --printer "pdf:$out/impresora" --once
"$bin" print status
ls "$out/impresora"

if [ -n "$make_video" ]; then
  step "12. La cámara: una fila grabada (video sintético), leída como la leería la webcam"
  # Five people hold up their tickets (paper, phone, phone in dark mode); one of
  # them already came in, one ticket was cancelled, one code is not ours.
  # Twelve frames a person, as in the venue scene: the video is generated
  # frame by frame (under the sanitizers in ctest's demo), and a longer hold
  # shows nothing more.
  "$make_video" "$out/fila.avi" KCD26-PHBBBOY4UX KCD26-DNSMKGL5EF KCD26-P6QOP7W77X \
    KCD26-W6NCDXL2GZ KCD26-KPLVYTO4BH KCD26-S5HEHTBZLO KCD26-NOESTAENLISTA --hold 12 --gap 6 >/dev/null
  "$bin" scan --source "$out/fila.avi" --headless --gate Principal --station camara-1 --print
  echo "(En una estación con cámara: $(basename "$bin") scan --source 0 --gate Principal)"
fi

step "13. Después del evento: el informe de asistencia (PDF, hoja de cálculo, página web)"
for f in pdf xlsx html; do
  "$bin" report --out "$out/informe.$f" --force
done

step "14. Después del evento: certificados de asistencia para quienes entraron"
"$bin" certificates --out "$out/certificados.pdf" --force
"$bin" certificates --out "$out/certificados" --force
ls "$out/certificados"  # certificates.csv: name, email and file, for a mail merge
# Whoever receives one can have it checked by its code.
code=$(pdftotext "$out/certificados.pdf" - 2>/dev/null | grep -m1 -E '^[0-9A-Z]{5}-[0-9A-Z]{5}$' || true)
[ -n "$code" ] && "$bin" certificates verify "$code"
printf '\nBase de datos del demo: %s\n' "$CHECKIN_DB"

if [ -n "$make_video" ] && [ -n "$netcut" ]; then
  bash "$here/demo_venue.sh" "$bin" "$make_video" "$netcut"
fi
