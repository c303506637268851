#!/usr/bin/env bash
# neutron-tempest-plugin's API tests expect what Tempest's own network tests do: the external
# network "public" with its subnet (prepare-network.sh makes it and prints its id).
exec bash "$(dirname "$0")/prepare-network.sh"
