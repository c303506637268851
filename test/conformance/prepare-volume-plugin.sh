#!/usr/bin/env bash
# cinder-tempest-plugin's API tests expect what the volume suite's do (a public raw image).
exec bash "$(dirname "$0")/prepare-volume.sh"
