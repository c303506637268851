#!/usr/bin/env bash
# cinder-tempest-plugin's API tests expect a public raw image, as the volume suite's do, and
# its incremental-backup test boots a server from a volume: the flavors, images and network
# that the compute suite's deployment has.
exec bash "$(dirname "$0")/prepare-compute.sh"
