#!/usr/bin/env bash
# Checks (or, with --fix, applies) .clang-format on every C++ file of the
# project: our own sources, tests and benchmarks, never build trees.
set -u
root=${1:-.}
mode=${2:-check}
cd "$root" || exit 2
command -v clang-format >/dev/null || { echo "format: clang-format is not installed (deploy/install-deps.sh)"; exit 2; }
mapfile -t files < <(find common db sync hub scanner printer cli tests bench -type f \( -name '*.cc' -o -name '*.h' \) | sort)
if [ "$mode" = "--fix" ]; then
  clang-format -i "${files[@]}"
  exit 0
fi
if ! clang-format --dry-run --Werror "${files[@]}" 2>/tmp/checkin-format.$$; then
  grep -E '^[^ ].*: (error|warning):' /tmp/checkin-format.$$ | cut -d: -f1 | sort -u | sed 's/^/format: not formatted: /'
  echo "format: run 'make format'"
  rm -f /tmp/checkin-format.$$
  exit 1
fi
rm -f /tmp/checkin-format.$$
echo "format: ok (${#files[@]} files)"
