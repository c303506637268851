#!/usr/bin/env bash
# Starts the all-in-one cloud in a scratch data directory and runs the Tempest suite of every
# service it serves (test/conformance/suites.txt), each with its checked-in exclusion list.
# Prints one "N passed, N failed, N skipped" line per suite and appends
# "tempest-<suite> P F S" to $NIMBUS_SUMMARY_FILE when set. Exit status: 0 when nothing failed.
set -u
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
data=$(mktemp -d "${TMPDIR:-/tmp}/nimbus-conformance.XXXXXX")
log=$data/nimbus.log
www_pid=
trap 'kill "$pid" $www_pid 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$data"' EXIT

# A file on loopback for Tempest's web-download test ([image] http_image). The cloud under test
# lets imports reach loopback (nimbus-conformance.conf); production defaults refuse it.
mkdir -p "$data/www"
head -c 1048576 /dev/urandom > "$data/www/image.raw"
python3 -u -m http.server 0 --bind 127.0.0.1 --directory "$data/www" > "$data/www.log" 2>&1 &
www_pid=$!
for _ in $(seq 1 50); do grep -qs 'port [0-9]' "$data/www.log" && break; sleep 0.1; done
www_port=$(sed -n 's/.* port \([0-9]*\).*/\1/p' "$data/www.log" | head -1)

# Keep only the sections this build of nimbus declares.
known=$(node "$root/apps/nimbus/bin/nimbus.mjs" config sample | sed -n 's/^\[\(.*\)\]$/\1/p')
awk -v known=" $(echo $known) " '/^\[/ { name=substr($0, 2, length($0)-2); keep = index(known, " " name " ") > 0 } keep' \
  "$here/nimbus-conformance.conf" > "$data/nimbus.conf"
node "$root/apps/nimbus/bin/nimbus.mjs" up --data-dir "$data" --config-file "$data/nimbus.conf" > "$log" 2>&1 &
pid=$!
for _ in $(seq 1 300); do
  grep -q '^Nimbus is up' "$log" && break
  kill -0 "$pid" 2>/dev/null || break
  sleep 0.1
done
if ! grep -q '^Nimbus is up' "$log"; then
  echo "conformance: the cloud did not start:" >&2; tail -20 "$log" >&2
  [ -n "${NIMBUS_SUMMARY_FILE:-}" ] && echo "conformance-startup 0 1 0" >> "$NIMBUS_SUMMARY_FILE"
  echo "0 passed, 1 failed, 0 skipped"; exit 1
fi
types=$(sed -n 's/^  \([a-z-]*\) .*/\1/p' "$log" | tr '\n' ' ')
auth_url=$(sed -n 's/^  identity *\(http[^ ]*\)$/\1/p' "$log")/v3
if [ -z "${auth_url%/v3}" ]; then
  echo "conformance: no identity service, no Tempest suite to run"; echo "0 passed, 0 failed, 0 skipped"; exit 0
fi
password=$(sed -n 's/^ *password: *//p' "$data/clouds.yaml" | head -1 | tr -d "'\"")

status=0
# The list comes in on fd 3 and every suite runs with stdin from /dev/null: a child that reads
# (or seeks) its stdin must not move the loop through the list.
while read -r type name workers regex tservices <&3; do
  case "$type" in ''|'#'*) continue ;; esac
  case " $types " in *" $type "*) ;; *) continue ;; esac
  # SUITES="image object-storage" runs only those suites.
  if [ -n "${SUITES:-}" ]; then case " $SUITES " in *" $name "*) ;; *) continue ;; esac; fi
  # SUITES_EXCLUDE="keystone-rbac" runs every suite but those.
  case " ${SUITES_EXCLUDE:-} " in *" $name "*) continue ;; esac
  # TEMPEST_REGEX narrows the run while iterating on one suite (with SUITES naming it).
  regex=${TEMPEST_REGEX:-$regex}
  features=""
  [ "$type" = identity ] && features="access_rules=true security_compliance=true"
  echo "conformance: Tempest $name ($regex)"
  extra=$data/tempest-$name.conf
  cp "$here/tempest-$name.conf" "$extra"
  [ -n "$www_port" ] && printf '\n[image]\nhttp_image = http://127.0.0.1:%s/image.raw\n' "$www_port" >> "$extra"
  # A suite may need resources made first (a public network, a flavor): prepare-<suite>.sh makes
  # them with the admin's clouds.yaml and prints Tempest settings to add (ids it made).
  if [ -f "$here/prepare-$name.sh" ]; then
    if ! OS_CLIENT_CONFIG_FILE="$data/clouds.yaml" OS_CLOUD=nimbus NIMBUS_DATA_DIR="$data" bash "$here/prepare-$name.sh" >> "$extra" 2> "$data/prepare-$name.log"; then
      echo "conformance: prepare-$name.sh failed:" >&2; tail -20 "$data/prepare-$name.log" >&2
      [ -n "${NIMBUS_SUMMARY_FILE:-}" ] && echo "tempest-$name-prepare 0 1 0" >> "$NIMBUS_SUMMARY_FILE"
      status=1; continue
    fi
  fi
  # timings/<suite>.txt (tempest-timings.py record) balances the workers of a fresh workspace.
  line=$(CONCURRENCY=${CONCURRENCY:-$workers} IDENTITY_FEATURES=$features EXCLUDE_FILE="$here/exclusions/$name.txt" EXTRA_CONF="$extra" \
    TIMINGS_FILE="$here/timings/$name.txt" \
    bash "$here/tempest-run.sh" "$auth_url" admin "$password" admin "$regex" $tservices | tail -1)
  echo "tempest $name: $line"
  read -r p _ f _ s _ <<<"$line"
  [ -n "${NIMBUS_SUMMARY_FILE:-}" ] && echo "tempest-$name $p $f $s" >> "$NIMBUS_SUMMARY_FILE"
  [ "${f:-1}" -eq 0 ] || status=1
done 3< "$here/suites.txt" < /dev/null
exit $status
