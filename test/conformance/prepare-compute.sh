#!/usr/bin/env bash
# Makes what Tempest's compute tests expect a deployment to have, as DevStack does: the two
# flavors DevStack creates for Tempest (m1.nano 42, m1.micro 84), two small public images and a
# shared project network with a subnet for servers to boot on. run.sh calls it with the admin's
# clouds.yaml (OS_CLOUD, OS_CLIENT_CONFIG_FILE); its stdout is appended to the suite's Tempest
# configuration, its stderr goes to a log.
set -euo pipefail
os() { openstack "$@"; }
work=$(mktemp -d "${TMPDIR:-/tmp}/nimbus-prepare-compute.XXXXXX")
trap 'rm -rf "$work"' EXIT
head -c 1048576 /dev/urandom > "$work/disk.raw"

# Idempotent: on the one conformance cloud, the network and volume-plugin suites' preparations
# run first and may have made some of these already (by the same names).
os flavor show 42 >/dev/null 2>&1 || os flavor create --id 42 --ram 128 --vcpus 1 --disk 1 m1.nano -f value -c id >&2
os flavor show 84 >/dev/null 2>&1 || os flavor create --id 84 --ram 192 --vcpus 1 --disk 1 m1.micro -f value -c id >&2
image_named() {
  os image show "$1" -f value -c id 2>/dev/null ||
    os image create --disk-format raw --container-format bare --public --file "$work/disk.raw" "$1" -f value -c id
}
image=$(image_named cirros)
image_alt=$(image_named cirros-alt)
net=$(os network show private -f value -c id 2>/dev/null || os network create private --share -f value -c id)
if [ -z "$(os subnet list --network "$net" -f value -c ID)" ]; then
  os subnet create private-subnet --network "$net" --subnet-range 10.0.0.0/22 -f value -c id >&2
fi

# The floating IP proxy tests allocate from an external network and associate to servers of
# "private", which a router joins to it, as DevStack's "public" and "router1".
public=$(os network show public -f value -c id 2>/dev/null || os network create public --external -f value -c id)
if [ -z "$(os subnet list --network "$public" -f value -c ID)" ]; then
  os subnet create public-subnet --network "$public" --subnet-range 172.24.4.0/24 \
    --gateway 172.24.4.1 --allocation-pool start=172.24.4.2,end=172.24.4.254 --no-dhcp -f value -c id >&2
fi
if ! os router show router1 >/dev/null 2>&1; then
  router=$(os router create router1 -f value -c id)
  os router set --external-gateway "$public" "$router" >&2
  os router add subnet "$router" private-subnet >&2
fi

printf '\n[compute]\nimage_ref = %s\nimage_ref_alt = %s\nflavor_ref = 42\nflavor_ref_alt = 84\nfixed_network_name = private\n' "$image" "$image_alt"
printf '\n[network]\npublic_network_id = %s\nfloating_network_name = public\n' "$public"
