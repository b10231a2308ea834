#!/usr/bin/env bash
# Makes sure the servers the tests talk to are running: PostgreSQL and Redis
# from Debian's packages (installed when missing), the test database, a
# three-master Redis Cluster (ports 7001-7003) and a Sentinel set (primary
# and replica on 6390/6391, Sentinels on 26390-26392), away from the
# standard 6379. Sourced by scripts/test; safe to run again and again: it
# starts only what is missing.
set -euo pipefail

PGURL=${CLAVEBOT_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test?sslmode=disable}
REDISURL=${CLAVEBOT_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
CLUSTER_PORTS="7001 7002 7003"
SENTINEL_DATA_PORTS="6390 6391"
SENTINEL_PORTS="26390 26391 26392"
SENTINEL_MASTER=clavebot
CLUSTERURL=${CLAVEBOT_TEST_REDIS_CLUSTER_URL:-redis+cluster://127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003}
SENTINELURL=${CLAVEBOT_TEST_REDIS_SENTINEL_URL:-redis+sentinel://127.0.0.1:26390,127.0.0.1:26391,127.0.0.1:26392/$SENTINEL_MASTER}
CI_REDIS_DIR=/var/lib/redis/clavebot-ci

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
  if redis_up 6379; then return; fi
  free_port 6379
  if redis_up 6379; then return; fi
  if ! command -v redis-server >/dev/null; then
    echo "installing Redis from Debian's packages"
    apt_install redis-server
  fi
  as_root mkdir -p /var/lib/redis /var/log/redis
  as_root redis-server --daemonize yes --bind 127.0.0.1 -::1 --port 6379 --save "" --appendonly no \
    --dir /var/lib/redis --logfile /var/log/redis/ci.log
  for _ in $(seq 1 30); do redis_up 6379 && break; sleep 0.5; done
  redis_up 6379
}

# A server that holds its port but never answers (stopped, hung) must not
# hang the script: every probe has a deadline.
redis_up() { timeout 3 redis-cli -h 127.0.0.1 -p "$1" ping 2>/dev/null | grep -q PONG; }

# port_holder PORT prints the pid of whatever listens on PORT, if anything.
port_holder() {
  if command -v ss >/dev/null; then
    ss -Htlnp "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | head -n1 | cut -d= -f2 || true
  elif [ -r "$CI_REDIS_DIR/redis-$1.pid" ]; then
    cat "$CI_REDIS_DIR/redis-$1.pid" || true
  fi
}

# free_port PORT makes room for a new server on PORT: whatever holds it
# without answering PING (a server left stopped by a signal or hung, a stray
# proxy) is woken, then killed if it still does not answer. It returns 0
# when the port is free or answers.
free_port() {
  local port=$1 pid
  pid=$(port_holder "$port")
  [ -n "$pid" ] || return 0
  as_root kill -CONT "$pid" 2>/dev/null || true
  for _ in $(seq 1 8); do redis_up "$port" && return 0; sleep 0.25; done
  echo "port $port is held by process $pid ($(ps -o comm= -p "$pid" 2>/dev/null || echo gone)), which does not answer PING; stopping it" >&2
  as_root kill -KILL "$pid" 2>/dev/null || true
  for _ in $(seq 1 40); do [ -z "$(port_holder "$port")" ] && return 0; sleep 0.25; done
  echo "port $port is still held" >&2
  return 1
}

# The Cluster and the Sentinel set run Debian's redis-server even when the
# standard Redis comes from elsewhere (a CI service container).
ensure_redis_binary() {
  if command -v redis-server >/dev/null && command -v redis-cli >/dev/null; then return; fi
  echo "installing Redis from Debian's packages"
  apt_install redis-server
}

# wait_redis PORT waits for a server that was just started; when it does
# not come up, the end of its log says why (CI shows only this output).
wait_redis() {
  for _ in $(seq 1 60); do redis_up "$1" && return 0; sleep 0.25; done
  echo "redis on port $1 did not start; the end of /var/log/redis/ci-$1.log:" >&2
  as_root tail -n 15 "/var/log/redis/ci-$1.log" >&2 || true
  df -h "$CI_REDIS_DIR" >&2 || true
  return 1
}

# start_redis PORT [ARGS...] starts one more server without persistence,
# unless one already answers on PORT (woken by free_port).
start_redis() {
  local port=$1; shift
  as_root mkdir -p "$CI_REDIS_DIR" /var/log/redis
  free_port "$port"
  redis_up "$port" && return 0
  as_root redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$CI_REDIS_DIR" --logfile "/var/log/redis/ci-$port.log" --pidfile "$CI_REDIS_DIR/redis-$port.pid" "$@"
}

cluster_ok() {
  local p
  for p in $CLUSTER_PORTS; do
    local info; info=$(timeout 5 redis-cli -p "$p" cluster info 2>/dev/null) || return 1
    grep -q '^cluster_state:ok' <<<"$info" && grep -q '^cluster_known_nodes:3' <<<"$info" || return 1
  done
}

ensure_redis_cluster() {
  local p
  ensure_redis_binary
  for p in $CLUSTER_PORTS; do
    redis_up "$p" || start_redis "$p" --cluster-enabled yes --cluster-config-file "nodes-$p.conf" --cluster-node-timeout 5000
  done
  for p in $CLUSTER_PORTS; do
    redis_up "$p" && continue
    # A node refuses to start on a nodes file it cannot use (cut short by a
    # full disk or a kill, or locked by a stray node): the node starts
    # afresh and the cluster is made again below.
    for _ in $(seq 1 20); do redis_up "$p" && break; sleep 0.25; done
    if ! redis_up "$p"; then
      echo "redis on port $p did not start; starting it without its old nodes file" >&2
      as_root tail -n 5 "/var/log/redis/ci-$p.log" >&2 || true
      as_root rm -f "$CI_REDIS_DIR/nodes-$p.conf"
      start_redis "$p" --cluster-enabled yes --cluster-config-file "nodes-$p.conf" --cluster-node-timeout 5000
    fi
  done
  for p in $CLUSTER_PORTS; do wait_redis "$p"; done
  # A node that restarted with its nodes file rejoins on its own.
  for _ in $(seq 1 20); do cluster_ok && return 0; sleep 0.25; done
  echo "creating the test Redis Cluster on ports ${CLUSTER_PORTS// /,}"
  for p in $CLUSTER_PORTS; do
    timeout 5 redis-cli -p "$p" flushall >/dev/null
    timeout 5 redis-cli -p "$p" cluster reset hard >/dev/null
  done
  timeout 60 redis-cli --cluster create $(for p in $CLUSTER_PORTS; do printf '127.0.0.1:%s ' "$p"; done) --cluster-yes >/dev/null
  for _ in $(seq 1 80); do cluster_ok && return 0; sleep 0.25; done
  echo "the test Redis Cluster did not become ready" >&2
  return 1
}

# sentinel_primary prints the port of the Sentinel set's primary: as the
# Sentinels see it, else whichever data node says it is a master, else 6390.
sentinel_primary() {
  local p addr
  for p in $SENTINEL_PORTS; do
    addr=$(timeout 5 redis-cli -p "$p" sentinel get-master-addr-by-name "$SENTINEL_MASTER" 2>/dev/null | tail -n1 || true)
    if [ -n "$addr" ]; then echo "$addr"; return; fi
  done
  for p in $SENTINEL_DATA_PORTS; do
    if timeout 5 redis-cli -p "$p" info replication 2>/dev/null | grep -q '^role:master'; then echo "$p"; return; fi
  done
  echo 6390
}

sentinel_ready() {
  local p
  for p in $SENTINEL_PORTS; do
    timeout 5 redis-cli -p "$p" sentinel ckquorum "$SENTINEL_MASTER" 2>/dev/null | grep -q '^OK' || return 1
    timeout 5 redis-cli -p "$p" sentinel replicas "$SENTINEL_MASTER" 2>/dev/null | grep -qx 'slave' || return 1
  done
}

ensure_redis_sentinel() {
  local primary p conf
  ensure_redis_binary
  primary=$(sentinel_primary)
  for p in $SENTINEL_DATA_PORTS; do
    redis_up "$p" && continue
    if [ "$p" = "$primary" ]; then start_redis "$p"; else start_redis "$p" --replicaof 127.0.0.1 "$primary"; fi
  done
  for p in $SENTINEL_DATA_PORTS; do wait_redis "$p"; done
  for p in $SENTINEL_PORTS; do
    redis_up "$p" && continue
    free_port "$p"
    redis_up "$p" && continue
    # A Sentinel rewrites its file: each start gets a fresh one.
    conf=$CI_REDIS_DIR/sentinel-$p.conf
    as_root tee "$conf" >/dev/null <<CONF
port $p
bind 127.0.0.1
daemonize yes
dir $CI_REDIS_DIR
logfile /var/log/redis/ci-$p.log
pidfile $CI_REDIS_DIR/sentinel-$p.pid
sentinel monitor $SENTINEL_MASTER 127.0.0.1 $primary 2
sentinel down-after-milliseconds $SENTINEL_MASTER 2000
sentinel failover-timeout $SENTINEL_MASTER 4000
sentinel parallel-syncs $SENTINEL_MASTER 1
CONF
    # redis-sentinel is redis-server in Sentinel mode; the Debian package
    # redis-sentinel only adds a system service.
    as_root redis-server "$conf" --sentinel
  done
  for p in $SENTINEL_PORTS; do wait_redis "$p"; done
  for _ in $(seq 1 80); do sentinel_ready && return 0; sleep 0.25; done
  echo "the test Sentinel set did not become ready" >&2
  return 1
}

ensure_chromium() {
  if command -v chromium >/dev/null; then return; fi
  echo "installing Chromium from Debian's packages"
  apt_install chromium
}

ensure_postgres
ensure_test_db
ensure_redis
ensure_redis_cluster
ensure_redis_sentinel
ensure_chromium
export CLAVEBOT_TEST_POSTGRES_URL=$PGURL CLAVEBOT_TEST_REDIS_URL=$REDISURL
export CLAVEBOT_TEST_REDIS_CLUSTER_URL=$CLUSTERURL CLAVEBOT_TEST_REDIS_SENTINEL_URL=$SENTINELURL
