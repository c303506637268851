#!/usr/bin/env bash
# Runs upstream Placement 8.0's gabbi suite (79 files, unchanged, from the shared conformance
# directory: upstream's files, copied into a scratch directory at run time, never committed)
# against Nimbus's Placement, one fresh service per file as upstream's fixtures give it.
# Failures named in exclusions/placement-gabbi.txt (with a reason) count as skipped.
# Prints "N passed, N failed, N skipped"; appends "gabbi-placement P F S" to $NIMBUS_SUMMARY_FILE.
# GABBI_FILES="a.yaml b.yaml" runs only those files.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
summary() {
  echo "$1 passed, $2 failed, $3 skipped"
  [ -n "${NIMBUS_SUMMARY_FILE:-}" ] && echo "gabbi-placement $1 $2 $3" >> "$NIMBUS_SUMMARY_FILE"
  return 0
}
src=""
for candidate in "${PLACEMENT_GABBITS:-}" "$root/../shared/conformance/placement-gabbits" /work/shared/conformance/placement-gabbits; do
  if [ -n "$candidate" ] && [ -d "$candidate" ]; then src=$candidate; break; fi
done
if [ -z "$src" ]; then
  echo "placement-gabbi: upstream's gabbi files are absent (/work/shared or ../shared): suite skipped"
  summary 0 0 1; exit 0
fi
if ! /usr/bin/python3 -c 'import gabbi' 2>/dev/null; then
  echo "placement-gabbi: python3-gabbi is not installed (test/conformance/install-clients.sh): suite skipped"
  summary 0 0 1; exit 0
fi
work=$(mktemp -d "${TMPDIR:-/tmp}/placement-gabbi.XXXXXX")
server_pid=
# The harness runs in its own process group, so stopping it stops tsx's node child too.
trap '[ -n "$server_pid" ] && kill -- "-$server_pid" 2>/dev/null; rm -rf "$work"' EXIT
(cd "$root" && exec setsid "$root/node_modules/.bin/tsx" test/placement/gabbi-server.ts) > "$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 300); do grep -q '^control ' "$work/server.log" && break; sleep 0.1; done
if ! grep -q '^control ' "$work/server.log"; then
  echo "placement-gabbi: the harness did not start:" >&2; tail -20 "$work/server.log" >&2
  summary 0 1 0; exit 1
fi
read -r _ control _ target < <(grep '^control ' "$work/server.log")
files=${GABBI_FILES:-$(cd "$src" && ls *.yaml)}
for f in $files; do
  timeout 300 /usr/bin/python3 "$here/placement-gabbi.py" "$control" "$target" "$src" "$work/$f.json" "$f" > "$work/$f.out" 2>&1 \
    || echo "placement-gabbi: $f did not finish: $(tail -3 "$work/$f.out" | tr '\n' ' ')"
done
/usr/bin/python3 "$here/placement-gabbi-report.py" "$src" "$here/exclusions/placement-gabbi.txt" "$work" $files
