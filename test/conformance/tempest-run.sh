#!/usr/bin/env bash
# Runs a Tempest subset against a running Nimbus cloud and prints, as its last line,
# "N passed, N failed, N skipped".
#
#   tempest-run.sh AUTH_URL ADMIN_USER ADMIN_PASSWORD ADMIN_PROJECT REGEX [SERVICE...]
#
# SERVICE names the services that exist (identity is implied): image, object-storage, compute,
# network, volume. Environment:
#   EXCLUDE_FILE       checked-in list of excluded test regexes, one per line: "<regex>  # <reason>"
#   IDENTITY_FEATURES  "k=v ..." for [identity-feature-enabled]
#   EXTRA_CONF         ini file merged last into tempest.conf
#   CONCURRENCY        default 2
#   TIMINGS_FILE       checked-in "<seconds> <test id>" durations (tempest-timings.py record) from
#                      which the CONCURRENCY workers get balanced shares (a --worker-file)
#   WORKSPACE          default a new directory under ${TMPDIR:-/tmp}/nimbus-tempest
set -u
[ $# -ge 5 ] || { sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
self_dir=$(cd "$(dirname "$0")" && pwd)
auth_url=$1 user=$2 password=$3 project=$4 regex=$5; shift 5
services=" $(echo "$*" | tr ',' ' ') "
has() { case "$services" in *" $1 "*) echo true ;; *) echo false ;; esac; }

ws=${WORKSPACE:-$(mktemp -d "${TMPDIR:-/tmp}/nimbus-tempest.XXXXXX")}
rm -rf "$ws"
tempest init "$ws" >/dev/null 2>&1 || { echo "tempest init failed" >&2; echo "0 passed, 1 failed, 0 skipped"; exit 3; }
mkdir -p "$ws/logs" "$ws/locks"
conf=$ws/etc/tempest.conf
cat > "$conf" <<CONF
[DEFAULT]
log_dir = $ws/logs
log_file = tempest.log

[oslo_concurrency]
lock_path = $ws/locks

[auth]
use_dynamic_credentials = true
create_isolated_networks = false
admin_username = $user
admin_password = $password
admin_project_name = $project
admin_domain_name = Default
default_credentials_domain_name = Default

[identity]
uri_v3 = $auth_url
auth_version = v3
region = RegionOne
v3_endpoint_type = public

[identity-feature-enabled]
api_v2 = false
api_v2_admin = false
api_v3 = true

[service_available]
nova = $(has compute)
glance = $(has image)
neutron = $(has network)
cinder = $(has volume)
swift = $(has object-storage)
horizon = false

[validation]
run_validation = false
CONF

/usr/bin/python3 - "$conf" <<'PY'
import configparser, os, sys
path = sys.argv[1]
cp = configparser.RawConfigParser(strict=False); cp.optionxform = str
cp.read(path)
def put(section, key, value):
    if section != 'DEFAULT' and not cp.has_section(section): cp.add_section(section)
    cp.set(section, key, value)
for kv in os.environ.get('IDENTITY_FEATURES', '').split():
    k, _, v = kv.partition('='); put('identity-feature-enabled', k, v)
extra = os.environ.get('EXTRA_CONF')
if extra:
    ex = configparser.RawConfigParser(strict=False); ex.optionxform = str
    ex.read(extra)
    for sec in ex.sections():
        for k, v in ex.items(sec, raw=True): put(sec, k, v)
with open(path, 'w') as f: cp.write(f)
PY

exclude_args=()
if [ -n "${EXCLUDE_FILE:-}" ] && [ -s "$EXCLUDE_FILE" ]; then
  # Our list keeps a reason after '#' on every line; Tempest reads only the regex.
  sed -e 's/[[:space:]]*#.*$//' -e '/^[[:space:]]*$/d' "$EXCLUDE_FILE" > "$ws/exclude.txt"
  exclude_args=(--exclude-list "$ws/exclude.txt")
fi

cd "$ws" || exit 3
worker_args=(--concurrency "${CONCURRENCY:-2}")
if [ -n "${TIMINGS_FILE:-}" ] && [ -s "$TIMINGS_FILE" ] && [ "${CONCURRENCY:-2}" -gt 1 ]; then
  # Our own partition (tempest-timings.py): a fresh workspace has no timing history, and stestr
  # would deal classes out round-robin.
  if tempest run --list-tests --regex "$regex" "${exclude_args[@]}" > "$ws/tests.txt" 2> "$ws/list.log" \
    && /usr/bin/python3 "$self_dir/tempest-timings.py" workers "$TIMINGS_FILE" "${CONCURRENCY:-2}" < "$ws/tests.txt" > "$ws/workers.yaml" \
    && [ -s "$ws/workers.yaml" ]; then
    worker_args=(--worker-file "$ws/workers.yaml")
  else
    echo "tempest: no worker file from $TIMINGS_FILE (see $ws/list.log); stestr deals classes round-robin" >&2
  fi
fi
start=$(date +%s)
tempest run --regex "$regex" "${worker_args[@]}" "${exclude_args[@]}" > "$ws/run.log" 2>&1
rc=$?
echo "tempest: rc=$rc in $(( $(date +%s) - start )) s, log $ws/run.log" >&2

stestr last --subunit 2>/dev/null | /usr/bin/python3 -c '
import sys, subunit, testtools
from collections import Counter
final = {}
class Result(testtools.StreamResult):
    def status(self, test_id=None, test_status=None, **kw):
        if test_id and test_status in ("success", "fail", "skip", "xfail", "uxsuccess"):
            final[test_id] = test_status
stream = subunit.ByteStreamToStreamResult(sys.stdin.buffer, non_subunit_name="stdout")
r = Result(); r.startTestRun(); stream.run(r); r.stopTestRun()
c = Counter(final.values())
for t in sorted(k for k, v in final.items() if v in ("fail", "uxsuccess")):
    print("FAILED", t, file=sys.stderr)
print(c["success"] + c["xfail"], c["fail"] + c["uxsuccess"], c["skip"])
' > "$ws/totals.txt"
read -r passed failed skipped < "$ws/totals.txt" || true
passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
# A run that ran nothing (import error, no tests matched) is a failure, never a green.
if [ "$((passed + failed + skipped))" -eq 0 ]; then failed=1; echo "tempest: no test ran; see $ws/run.log" >&2; fi
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" -eq 0 ]
