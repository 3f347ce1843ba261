#!/usr/bin/env bash
# Enforces the module layering of STYLE.md on includes:
#   common <- db <- {scanner, printer} <- cli; sqlite3.h only in db/*.cc,
#   fontconfig only in common/font.cc.
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
check common 'db/|scanner/|printer/|cli/|sqlite3\.h|opencv|ZXing|hpdf|cups' "common/ must not depend on other modules or devices"
check db 'scanner/|printer/|cli/' "db/ must not depend on scanner, printer or cli"
[ -d scanner ] && check scanner 'printer/|cli/' "scanner/ must not include printer or cli"
[ -d printer ] && check printer 'scanner/|cli/' "printer/ must not include scanner or cli"
# Third-party types stay behind the seams: public headers speak standard types.
hits=$(grep -nE '#include [<"](opencv2|ZXing|hpdf|cups|sqlite3|ft2build|fontconfig)' scanner/*.h printer/*.h db/*.h common/*.h 2>/dev/null)
if [ -n "$hits" ]; then echo "layering: a third-party header in a public header:"; echo "$hits"; fail=1; fi
# Tests and benchmarks may open the file directly to check what the db module wrote.
hits=$(grep -rln '#include <sqlite3.h>' --include='*.h' --include='*.cc' . | grep -vE '^\./db/[^/]+\.cc$|^\./(tests|bench|build[^/]*)/')
if [ -n "$hits" ]; then echo "layering: sqlite3.h outside db/*.cc:"; echo "$hits"; fail=1; fi
# Fonts are found in one place; everything else asks common/font.h.
hits=$(grep -rln '#include <fontconfig/' --include='*.h' --include='*.cc' . | grep -vE '^\./common/font\.cc$|^\./build[^/]*/')
if [ -n "$hits" ]; then echo "layering: fontconfig outside common/font.cc:"; echo "$hits"; fail=1; fi
[ $fail -eq 0 ] && echo "layering: ok"
exit $fail
