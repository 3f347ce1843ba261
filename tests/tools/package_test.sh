#!/usr/bin/env bash
# The .deb a venue installs, checked from the outside: built with CPack from
# this build tree into a scratch folder, its contents and declared
# dependencies read back with dpkg-deb, and the packaged binary run from an
# unpacked copy. Usage: package_test.sh BUILD_DIR
set -uo pipefail
build=${1:?usage: package_test.sh BUILD_DIR}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/checkin-package-XXXXXX")
trap 'rm -rf "$scratch"' EXIT
fail=0
problem() { echo "package_test: $*" >&2; fail=1; }
fatal() { echo "package_test: $*" >&2; exit 1; }

# -B keeps the package and CPack's staging copy out of the build tree.
if ! timeout 300 cpack --config "$build/CPackConfig.cmake" -G DEB -B "$scratch/out" >"$scratch/cpack.log" 2>&1; then
  cat "$scratch/cpack.log" >&2
  fatal "cpack failed"
fi
debs=("$scratch"/out/checkin_*.deb)
[ -f "${debs[0]}" ] || fatal "cpack wrote no checkin_*.deb: $(ls "$scratch/out")"
deb=${debs[0]}
echo "package_test: built $(basename "$deb")"

# What a venue gets: the binary, a commented example under /etc/checkin (an
# active checkin.toml would change a station's defaults), docs and examples.
contents=$(dpkg-deb --contents "$deb") || fatal "dpkg-deb cannot read $deb"
doc=./usr/share/doc/checkin
for path in ./usr/bin/checkin ./etc/checkin/checkin.toml.example $doc/README.md \
    $doc/examples/checkin.example.toml $doc/examples/badge.example.toml $doc/examples/roster.csv; do
  grep -qE " $path\$" <<<"$contents" || problem "the package lacks $path"
done
if grep -qE ' \./etc/checkin/checkin\.toml$' <<<"$contents"; then
  problem "the package installs an active /etc/checkin/checkin.toml"
fi
grep -q '/etc/checkin/checkin.toml.example' <(dpkg-deb --info "$deb" conffiles 2>&1) ||
  problem "/etc/checkin/checkin.toml.example is not a conffile (dpkg would overwrite edits)"

# The venue's services (deploy/systemd) and the user they run as, which
# postinst makes from the sysusers.d entry.
units=(checkin-hub.service checkin-scan@.service checkin-print.service)
for path in "${units[@]/#/./lib/systemd/system/}" ./usr/lib/sysusers.d/checkin.conf; do
  grep -qE " $path\$" <<<"$contents" || problem "the package lacks $path"
done
grep -q 'systemd-sysusers checkin.conf' <(dpkg-deb --info "$deb" postinst 2>&1) ||
  problem "postinst does not make the checkin user"

# The runtime Debian packages: the linked libraries (dpkg-shlibdeps; libssl3
# for the hub's TLS), the fonts and fontconfig.
dpkg-deb --info "$deb" >"$scratch/info" || fatal "dpkg-deb --info failed"
depends=$(sed -n 's/^ Depends: //p' "$scratch/info")
echo "package_test: Depends: $depends"
for dep in libsqlite3 libicu libzxing libhpdf libopencv-core libopencv-videoio libopencv-highgui \
    libcups2 libssl3 libfontconfig1 fontconfig fonts-dejavu-core; do
  grep -qE "(^|, )$dep" <<<"$depends" || problem "Depends does not name $dep"
done
for field in Maintainer Description Version Architecture; do
  grep -q "^ $field: ." "$scratch/info" || problem "the control file has no $field"
done

# The unpacked binary on its own, with the built-in config whatever
# /etc/checkin holds on this machine.
dpkg-deb -x "$deb" "$scratch/root" || fatal "dpkg-deb -x failed"
bin=$scratch/root/usr/bin/checkin
[ -x "$bin" ] || fatal "no executable usr/bin/checkin in the unpacked package"
export CHECKIN_CONFIG=""
unset CHECKIN_DB
# A sanitizer build (make test's) reports fontconfig's start-up allocation.
export LSAN_OPTIONS=${LSAN_OPTIONS:-suppressions=$(cd "$(dirname "$0")" && pwd)/lsan.supp}
timeout 60 "$bin" --help >"$scratch/help" 2>&1
rc=$?
[ $rc -eq 0 ] || problem "checkin --help exited $rc: $(cat "$scratch/help")"
grep -q 'init' "$scratch/help" || problem "checkin --help does not list init"
timeout 60 "$bin" init --event "Test" --db "$scratch/x.db" >"$scratch/init" 2>&1
rc=$?
[ $rc -eq 0 ] || problem "checkin init exited $rc: $(cat "$scratch/init")"
[ -s "$scratch/x.db" ] || problem "checkin init did not create $scratch/x.db"
# What the package carries is enough to start: its sample roster imports and
# a badge renders with the font fontconfig finds.
timeout 60 "$bin" roster import "$scratch/root/${doc#./}/examples/roster.csv" --db "$scratch/x.db" \
  >"$scratch/import" 2>&1 || problem "importing the packaged sample roster failed: $(cat "$scratch/import")"
timeout 60 "$bin" badge render --attendee 1 --out "$scratch/badge.pdf" --db "$scratch/x.db" \
  >"$scratch/badge" 2>&1 || problem "rendering a badge failed: $(cat "$scratch/badge")"
[ -s "$scratch/badge.pdf" ] || problem "no badge PDF from the packaged binary"

# The packaged units as systemd reads them. verify wants ExecStart's binary to
# exist, so the copies point at the unpacked one; it exits 0 on a misspelt key
# or a bad value, so anything it prints is a problem.
mkdir -p "$scratch/units"
for unit in "${units[@]}"; do
  sed "s|/usr/bin/checkin|$bin|" "$scratch/root/lib/systemd/system/$unit" >"$scratch/units/$unit"
  # A token passed as an argument would show in ps and in the journal.
  if grep -E '^ExecStart=' "$scratch/units/$unit" | grep -qiE 'token|CKIN1-'; then
    problem "$unit puts a secret on the command line"
  fi
  grep -q '^Restart=on-failure$' "$scratch/units/$unit" || problem "$unit does not restart on failure"
done
if command -v systemd-analyze >/dev/null; then
  # The template is checked through an instance of it.
  (cd "$scratch/units" && systemd-analyze verify checkin-hub.service checkin-print.service \
    checkin-scan@puerta-norte.service) >"$scratch/verify" 2>&1
  rc=$?
  if [ $rc -ne 0 ] || [ -s "$scratch/verify" ]; then
    problem "systemd-analyze verify (exit $rc): $(cat "$scratch/verify")"
  else
    echo "package_test: systemd-analyze verify: ${units[*]} ok"
  fi
else
  echo "package_test: SKIPPED systemd-analyze verify of the units: systemd-analyze is not installed"
fi

[ $fail -eq 0 ] && echo "package_test: ok"
exit $fail
