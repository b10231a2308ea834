#!/usr/bin/env bash
# Makes sure the servers the tests talk to are running: PostgreSQL and Redis
# from Debian's packages (installed when missing), and the test database.
# Sourced by scripts/test; safe to run again and again.
set -euo pipefail

PGURL=${CLAVEBOT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
REDISURL=${CLAVEBOT_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_updated=""
apt_install() {
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}

ensure_postgres() {
  if pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then return; fi
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "installing PostgreSQL from Debian's packages"
    apt_install postgresql
  fi
  local ver; ver=$(ls /etc/postgresql | sort -V | tail -n1)
  local hba=/etc/postgresql/$ver/main/pg_hba.conf
  # The tests connect as postgres over TCP without a password, like CI.
  if ! grep -q '^host all all 127.0.0.1/32 trust' "$hba"; then
    as_root sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
  fi
  as_root pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  pg_isready -h 127.0.0.1 -p 5432
}

ensure_test_db() {
  if ! psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -tAc "SELECT 1 FROM pg_database WHERE datname='test'" | grep -q 1; then
    psql "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable" -qc "CREATE DATABASE test"
  fi
}

ensure_redis() {
  if redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then return; fi
  if ! command -v redis-server >/dev/null; then
    echo "installing Redis from Debian's packages"
    apt_install redis-server
  fi
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
  redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null
}

ensure_chromium() {
  if command -v chromium >/dev/null; then return; fi
  echo "installing Chromium from Debian's packages"
  apt_install chromium
}

ensure_postgres
ensure_test_db
ensure_redis
ensure_chromium
export CLAVEBOT_TEST_POSTGRES_URL=$PGURL CLAVEBOT_TEST_REDIS_URL=$REDISURL
