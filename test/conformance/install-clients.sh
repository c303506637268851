#!/usr/bin/env bash
# Installs the reference OpenStack clients and Tempest with its plugins from Debian's packages.
# Idempotent and quick when everything is present. Needs root (apt-get).
set -eu
pkgs="python3-openstackclient python3-openstacksdk python3-swiftclient tempest
keystone-tempest-plugin glance-tempest-plugin python3-subunit python3-boto3 python3-oslo.messaging python3-gabbi python3-osc-placement"
missing=""
for p in $pkgs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
[ -z "$missing" ] && exit 0
echo "install-clients: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq $missing >/dev/null
