#!/usr/bin/env bash
# Makes sure a RabbitMQ broker answers on 127.0.0.1:5672 (the bus's AMQP tests and scale-out runs):
# installs Debian's rabbitmq-server when it is missing, starts the node (or only its application,
# after `rabbitmqctl stop_app`) when it is down, then waits until it accepts connections.
# Idempotent; returns at once when the broker already listens.
set -euo pipefail
export PATH="$PATH:/usr/sbin:/sbin"
port=${NIMBUS_RABBITMQ_PORT:-5672}

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }
if listening; then exit 0; fi

if ! command -v rabbitmq-server >/dev/null 2>&1; then
  echo "ensure-rabbitmq: installing Debian's rabbitmq-server"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends rabbitmq-server >/dev/null
  # A local broker for development and CI: loopback only, and a node name that does not depend
  # on the container's host name resolving. Only written on a fresh install.
  mkdir -p /etc/rabbitmq
  if ! grep -qs '^NODENAME=' /etc/rabbitmq/rabbitmq-env.conf; then
    cat >> /etc/rabbitmq/rabbitmq-env.conf <<'CONF'
NODENAME=rabbit@localhost
ERL_EPMD_ADDRESS=127.0.0.1
export ERL_FLAGS="-kernel inet_dist_use_interface {127,0,0,1}"
CONF
  fi
  if ! grep -qs '^listeners\.tcp' /etc/rabbitmq/rabbitmq.conf; then
    echo "listeners.tcp.local = 127.0.0.1:$port" >> /etc/rabbitmq/rabbitmq.conf
  fi
  # The package may have started the service (where init scripts are allowed to run).
  if listening; then rabbitmqctl -q await_startup >/dev/null; exit 0; fi
fi

if rabbitmqctl -q ping >/dev/null 2>&1; then
  # The Erlang node runs but the broker application was stopped.
  echo "ensure-rabbitmq: starting the RabbitMQ application"
  rabbitmqctl -q start_app >/dev/null
else
  echo "ensure-rabbitmq: starting rabbitmq-server"
  rabbitmq-server -detached
fi

# await_startup fails at once while the node is not registered yet: retry for a minute.
for _ in $(seq 1 60); do
  if rabbitmqctl -q --timeout 60 await_startup >/dev/null 2>&1 && listening; then
    echo "ensure-rabbitmq: RabbitMQ is up on 127.0.0.1:$port"
    exit 0
  fi
  sleep 1
done
echo "ensure-rabbitmq: RabbitMQ did not start; see /var/log/rabbitmq/" >&2
exit 1
