#!/usr/bin/env bash
# Installs every Debian 12 package the project needs to build, test and run.
# Idempotent: installs only what is missing and says nothing when all is there.
# Runs as root (or through sudo) on a fresh machine with only apt-get.
# `install-deps.sh fuzz` adds clang and libFuzzer for `make fuzz`.
set -euo pipefail

packages=(
  # toolchain
  build-essential cmake make pkg-config git ca-certificates
  # libraries (see README "Which library does what")
  libsqlite3-dev sqlite3          # roster database; sqlite3 CLI is the import floor in bench/
  libicu-dev                      # accent folding, time zones
  libcsv-dev                      # RFC 4180 CSV parsing
  libtomlplusplus-dev             # station config (TOML)
  libcli11-dev                    # command-line parsing
  nlohmann-json3-dev              # --json output, the hub's protocol
  libsimdjson-dev                 # reading the registration platforms' pages (roster sync)
  libhpdf-dev libfreetype-dev     # badge PDFs (libharu), glyph coverage checks
  libxlsxwriter-dev               # the attendance report's XLSX workbook
  libzip-dev                      # the report's CSV tables in one .zip
  libzxing-dev                    # QR codes: writing badges, reading tickets
  libopencv-core-dev libopencv-imgproc-dev libopencv-imgcodecs-dev libopencv-videoio-dev
  libopencv-highgui-dev           # the scanner: cameras, streams, video files, the station window
  alsa-utils                      # aplay: the station's admit and deny sounds
  xvfb xauth                      # tests open the station window on a virtual display
  fonts-dejavu-core               # default badge font (Latin, Greek, Cyrillic)
  libfontconfig-dev fontconfig    # finds the fonts by name, wherever they are installed
  poppler-utils                   # tests read badges back (pdftotext, pdftoppm)
  fonts-wqy-zenhei fonts-lohit-deva  # certificates: fallback fonts for CJK and Devanagari names
                                  # (TrueType outlines: libharu cannot embed Noto CJK's CFF, and
                                  # drops the parts of fonts-droid-fallback's composite glyphs)
  libcups2-dev                    # the CUPS print backend
  libssl-dev                      # the hub's TLS certificate, token hashes
  libsodium-dev                   # Ed25519: pretix's signed tickets, checked offline
  uuid-dev                        # libuuid: checks the nonce a station sends with each scan
  libcpp-httplib-dev              # the hub's HTTPS server and the stations' client
  cups cups-client cups-ipp-utils printer-driver-cups-pdf  # a real CUPS server with a PDF queue for the tests
  # tests and benchmarks
  libgtest-dev libgmock-dev googletest libbenchmark-dev
  clang-format                    # make format; the format test
  chromium chromium-driver python3-selenium  # browser tests of the pages
  python3-openpyxl                # the report test reads the XLSX back
  time                            # GNU time: a child's own peak memory, measured from a small parent
)
if [ "${1:-}" = fuzz ]; then
  packages+=(clang libclang-rt-14-dev)  # libFuzzer and clang's sanitizers
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
