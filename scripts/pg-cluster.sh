#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for the tests: created with initdb in a directory of its own,
# run as a non-root user on a free local port, and removed afterwards.
#
#   scripts/pg-cluster.sh start DIR   creates DIR (must not exist), initdb, starts the server,
#                                     writes DIR/uri (the superuser's connection URI) and prints it
#   scripts/pg-cluster.sh stop DIR    stops the server (immediate) and deletes DIR
#
# The server listens on 127.0.0.1 and on a Unix socket in DIR. Local socket connections are
# trusted (a test cluster); TCP connections need a password (scram-sha-256), so a test can see an
# authentication refused. The superuser is "postgres". As root, the cluster runs as the user
# "postgres" if it exists, else "nobody" (PostgreSQL refuses to run as root).
set -euo pipefail

pg_bin() {
  local d
  for d in /usr/lib/postgresql/15/bin /usr/lib/postgresql/*/bin; do
    if [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
  done
  echo "pg-cluster: initdb not found; run ./scripts/bootstrap (postgresql-15)" >&2
  return 1
}

run_as() {
  if [ "$(id -u)" -eq 0 ]; then
    local who=postgres
    getent passwd postgres >/dev/null || who=nobody
    runuser -u "$who" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

start() {
  local dir=$1 bin port
  bin=$(pg_bin)
  if [ -e "$dir" ]; then echo "pg-cluster: $dir already exists" >&2; return 1; fi
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [ "$(id -u)" -eq 0 ]; then
    local who=postgres
    getent passwd postgres >/dev/null || who=nobody
    chown "$who" "$dir"
    chmod 755 "$dir"
  fi
  run_as "$bin/initdb" -D "$dir/data" -U postgres --auth-local=trust --auth-host=scram-sha-256 \
    --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || { cat "$dir/initdb.log" >&2; return 1; }
  for attempt in 1 2 3 4 5; do
    port=$(free_port)
    if run_as "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=100 -c fsync=off" start \
        >/dev/null 2>&1; then
      echo "postgresql://postgres@127.0.0.1:$port/postgres?host=$dir" >"$dir/uri"
      echo "$port" >"$dir/port"
      cat "$dir/uri"
      return 0
    fi
  done
  echo "pg-cluster: the server did not start; see $dir/server.log" >&2
  cat "$dir/server.log" >&2 || true
  return 1
}

stop() {
  local dir=$1 bin
  bin=$(pg_bin)
  if [ -d "$dir/data" ]; then
    run_as "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:?usage: pg-cluster.sh start DIR}" ;;
  stop) stop "${2:?usage: pg-cluster.sh stop DIR}" ;;
  *) echo "usage: scripts/pg-cluster.sh start|stop DIR" >&2; exit 2 ;;
esac
