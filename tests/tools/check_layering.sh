#!/usr/bin/env bash
# Enforces the module layering of STYLE.md on includes:
#   common <- db <- {sync, hub, report} <- cli, report <- hub (the hub serves it; report also uses printer's libharu plumbing), common <- {scanner, printer} <- cli; sqlite3.h only in db/*.cc;
#   clocks read only in common/clock.cc; CLI11, nlohmann and simdjson in no header;
#   fontconfig only in common/font.cc; libsodium only in common/signed_ticket.cc
#   and common/certificate_code.cc.
set -u
root=${1:-.}
cd "$root" || exit 2
fail=0
check() {  # dir, forbidden-include-regex, why
  local hits
  hits=$(grep -rnE "#include [<\"]($2)" "$1" --include='*.h' --include='*.cc' 2>/dev/null)
  if [ -n "$hits" ]; then
    echo "layering: $3"; echo "$hits"; fail=1
  fi
}
check common 'db/|sync/|scanner/|printer/|cli/|sqlite3\.h|opencv|ZXing|hpdf|cups' "common/ must not depend on other modules or devices"
check db 'sync/|scanner/|printer/|cli/' "db/ must not depend on scanner, printer or cli"
[ -d report ] && check report 'hub/|sync/|scanner/|printer/[^i]|cli/|web/' "report/ sees common and db (and printer/internal/haru.h, libharu's plumbing) only"
hits=$(grep -rnE '#include "printer/internal/' report --include='*.h' --include='*.cc' | grep -v 'printer/internal/haru\.h"')
if [ -n "$hits" ]; then echo "layering: report/ may use only printer/internal/haru.h of printer/"; echo "$hits"; fail=1; fi
[ -d sync ] && check sync 'hub/|scanner/|printer/|cli/|web/' "sync/ sees common and db only"
[ -d hub ] && check hub 'scanner/|printer/|cli/' "hub/ sees common and db, never scanner, printer or cli"
[ -d scanner ] && check scanner 'db/|printer/|cli/' "scanner/ sees common only (the check-in service), never db, printer or cli"
[ -d web ] && check web 'db/|hub/|scanner/|printer/|cli/' "web/ sees common only; the hub serves it"
[ -d printer ] && check printer 'db/|scanner/|cli/' "printer/ sees common only (the check-in service), never db, scanner or cli"
# Third-party types stay behind the seams: public headers speak standard types.
hits=$(grep -nE '#include [<"](opencv2|ZXing|hpdf|cups|sqlite3|ft2build|fontconfig|openssl|sodium|httplib)' scanner/*.h printer/*.h db/*.h common/*.h hub/*.h sync/*.h report/*.h 2>/dev/null)
if [ -n "$hits" ]; then echo "layering: a third-party header in a public header:"; echo "$hits"; fail=1; fi
# Time comes through Clock (STYLE.md "Seams"), so tests can drive it.
hits=$(grep -rnE '(system_clock|steady_clock|high_resolution_clock)::now\(' common db sync hub scanner printer cli report --include='*.h' --include='*.cc' | grep -v '^common/clock\.cc:')
if [ -n "$hits" ]; then echo "layering: a clock read outside common/clock.cc (use Clock):"; echo "$hits"; fail=1; fi
# CLI11, nlohmann and simdjson stay out of shared headers: every file that includes one pays for it.
# The exceptions, common/json_reader.h (the codecs' shared reader) and
# sync/json_members.h (the platform clients' reader, with simdjson, which
# takes null for absent as the platforms' APIs do), may only be included by
# .cc files, which use that library anyway.
hits=$(grep -rnE '#include [<"](CLI/|nlohmann/|simdjson)' --include='*.h' common db sync hub scanner printer cli report |
  grep -v -e '^common/json_reader.h:' -e '^sync/json_members.h:')
if [ -n "$hits" ]; then echo "layering: CLI11, nlohmann or simdjson in a header:"; echo "$hits"; fail=1; fi
hits=$(grep -rnE '#include "(common/json_reader|sync/json_members)\.h"' --include='*.h' common db sync hub scanner printer cli)
if [ -n "$hits" ]; then echo "layering: json_reader.h or json_members.h included by a header:"; echo "$hits"; fail=1; fi
# Tests and benchmarks may open the file directly to check what the db module wrote.
hits=$(grep -rln '#include <sqlite3.h>' --include='*.h' --include='*.cc' . | grep -vE '^\./db/[^/]+\.cc$|^\./(tests|bench|build[^/]*)/')
if [ -n "$hits" ]; then echo "layering: sqlite3.h outside db/*.cc:"; echo "$hits"; fail=1; fi
# Fonts are found in one place; everything else asks common/font.h.
hits=$(grep -rln '#include <fontconfig/' --include='*.h' --include='*.cc' . | grep -vE '^\./common/font\.cc$|^\./build[^/]*/')
if [ -n "$hits" ]; then echo "layering: fontconfig outside common/font.cc:"; echo "$hits"; fail=1; fi
# Ed25519 is checked, and certificate codes made, in one place each; tests may use libsodium to sign their own tickets.
hits=$(grep -rln '#include <sodium' --include='*.h' --include='*.cc' . |
  grep -vE '^\./common/(signed_ticket|certificate_code)\.cc$|^\./(tests|build[^/]*)/')
if [ -n "$hits" ]; then echo "layering: libsodium outside common/signed_ticket.cc and common/certificate_code.cc:"; echo "$hits"; fail=1; fi
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
