#!/usr/bin/env bash
# Runs every test: typecheck, lint, unit + functional + cross-service tests (vitest), then Tempest
# against the all-in-one cloud. Ends with the line "N passed, N failed, N skipped" over all of them.
set -u
cd "$(dirname "$0")/.."
summary=$(mktemp)
export NIMBUS_SUMMARY_FILE=$summary
status=0

echo "== typecheck"
if npx tsc -p tsconfig.json --noEmit; then echo "check-typecheck 1 0 0" >> "$summary"; else echo "check-typecheck 0 1 0" >> "$summary"; status=1; fi
echo "== lint"
if npx biome lint --diagnostic-level=error . ; then echo "check-lint 1 0 0" >> "$summary"; else echo "check-lint 0 1 0" >> "$summary"; status=1; fi

echo "== unit, functional and cross-service tests"
vitest_rc=0
npx vitest run || vitest_rc=$?
grep -q '^unit ' "$summary" || echo "unit 0 1 0" >> "$summary"
# Vitest also fails on errors outside any test (an unhandled rejection): count them as a failure.
if [ "$vitest_rc" -ne 0 ]; then
  status=1
  awk '$1 == "unit" && $3 > 0 { found = 1 } END { exit !found }' "$summary" || echo "unit-unhandled-errors 0 1 0" >> "$summary"
fi

echo "== conformance (Tempest against the all-in-one cloud)"
SUITES_EXCLUDE="keystone-rbac image-rbac" bash test/conformance/run.sh || status=1
echo "== conformance (keystone's and glance's secure-RBAC suites, on a cloud with enforce_scope and enforce_new_defaults)"
NIMBUS_OSLO_POLICY__ENFORCE_SCOPE=true NIMBUS_OSLO_POLICY__ENFORCE_NEW_DEFAULTS=true SUITES="keystone-rbac image-rbac" \
  bash test/conformance/run.sh || status=1
echo "== conformance (upstream Placement's gabbi suite)"
bash test/conformance/placement-gabbi.sh || status=1

echo "== summary"
awk '{ printf "  %-28s %d passed, %d failed, %d skipped\n", $1, $2, $3, $4; p+=$2; f+=$3; s+=$4 }
     END { printf "%d passed, %d failed, %d skipped\n", p, f, s }' "$summary"
rm -f "$summary"
exit $status
