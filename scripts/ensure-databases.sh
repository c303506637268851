#!/usr/bin/env bash
# Makes sure PostgreSQL (127.0.0.1:5432, trust for local connections) and MariaDB
# (127.0.0.1:3306, root without password) run: installs them from Debian's packages when absent,
# starts them when stopped, and waits until they answer. Fast when both already run.
set -eu
pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
maria_up() { mariadb-admin --protocol=tcp -h 127.0.0.1 -uroot ping >/dev/null 2>&1; }
install() {
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "$@" >/dev/null
}
wait_for() { for _ in $(seq 1 100); do "$1" && return 0; sleep 0.2; done; echo "ensure-databases: $2 did not start" >&2; return 1; }

if ! pg_up; then
  command -v pg_ctlcluster >/dev/null || install postgresql
  ver=$(ls /etc/postgresql | sort -V | tail -1)
  conf=/etc/postgresql/$ver/main/pg_hba.conf
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$conf"; then
    sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\nlocal all all trust' "$conf"
  fi
  pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  wait_for pg_up PostgreSQL
fi

if ! maria_up; then
  command -v mariadbd >/dev/null || [ -x /usr/sbin/mariadbd ] || install mariadb-server
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for maria_up MariaDB
  # Debian's root uses unix_socket auth; the tests connect over TCP without a password.
  mariadb -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket" 2>/dev/null || true
fi
