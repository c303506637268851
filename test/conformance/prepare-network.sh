#!/usr/bin/env bash
# Makes what Tempest's network tests expect a deployment to have, as DevStack does: an external
# flat network "public" on physnet "public" with an IPv4 subnet for gateways and floating IPs.
# run.sh calls it with the admin's clouds.yaml (OS_CLOUD, OS_CLIENT_CONFIG_FILE); its stdout is
# appended to the suite's Tempest configuration, its stderr goes to a log.
set -euo pipefail
os() { openstack "$@"; }

net=$(os network create public --external \
  --provider-network-type flat --provider-physical-network public -f value -c id)
os subnet create public-subnet --network "$net" --subnet-range 172.24.4.0/24 \
  --gateway 172.24.4.1 --allocation-pool start=172.24.4.2,end=172.24.4.254 --no-dhcp -f value -c id >&2

printf '\n[network]\npublic_network_id = %s\nfloating_network_name = public\n' "$net"
