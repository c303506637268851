#!/usr/bin/env bash
# Makes what Tempest's volume tests expect a deployment to have, as DevStack does: a small public
# raw image for the volume-from-image tests ([compute] image_ref). run.sh calls it with the
# admin's clouds.yaml (OS_CLOUD, OS_CLIENT_CONFIG_FILE); its stdout is appended to the suite's
# Tempest configuration, its stderr goes to a log.
set -euo pipefail
img=$(mktemp)
trap 'rm -f "$img"' EXIT
head -c 1048576 /dev/urandom > "$img"
id=$(openstack image create --disk-format raw --container-format bare --public \
  --file "$img" volume-test-image -f value -c id)
printf '\n[compute]\nimage_ref = %s\n' "$id"
