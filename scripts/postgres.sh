#!/usr/bin/env bash
# A throwaway PostgreSQL cluster on a loopback port with database "bridge", user "bridge",
# password "bridge" (trust authentication: tests need no secrets). Durability is switched off.
#
#   postgres.sh start DIR PORT    initdb (first time) and start; ready once pg_isready answers
#   postgres.sh stop DIR [--purge]   --purge also deletes the data directory
#
# PostgreSQL refuses to run as root, so as root the server runs as the "postgres" user; its data
# directory is DIR/data, or a directory under /tmp when that user cannot reach DIR (a checkout
# under /root, say); DIR/datadir names it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

PG_BIN="${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)}"

# Command prefix that runs a program as the server's user (setpriv execs: the pid stays the same).
AS_PG=()
[ "$(id -u)" -ne 0 ] || AS_PG=(setpriv --reuid=postgres --regid=postgres --init-groups --reset-env)
as_pg() { "${AS_PG[@]}" "$@"; }

data_dir_for() {
  local dir="$1" data
  if [ -f "$dir/datadir" ]; then cat "$dir/datadir"; return; fi
  data="$dir/data"
  mkdir -p "$data"
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$data"
    if ! as_pg test -w "$data"; then
      rmdir "$data"
      data="$(mktemp -d /tmp/irc-bridge-pg.XXXXXX)"
      chown postgres: "$data"
    fi
  fi
  echo "$data" >"$dir/datadir"
  echo "$data"
}

ready() { "$PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$1"; }

cmd_start() {
  [ $# -eq 2 ] || die "usage: postgres.sh start DIR PORT"
  local dir port data fresh=0
  dir="$(abs_dir "$1")"; port="$2"
  [ -x "$PG_BIN/initdb" ] || die "PostgreSQL is not installed; run scripts/install-deps.sh"
  pid_alive "$dir/postgres.pid" && die "a PostgreSQL is already running in $dir"
  check_port "$port"
  data="$(data_dir_for "$dir")"
  chmod 700 "$data"
  if [ ! -f "$data/PG_VERSION" ]; then
    as_pg "$PG_BIN/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 \
      || { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    fresh=1
  fi
  # Unix socket in the data directory: never /var/run/postgresql, the system cluster's.
  spawn "$dir/postgres.pid" "$dir/postgres.log" "${AS_PG[@]}" "$PG_BIN/postgres" -D "$data" -p "$port" \
    -c listen_addresses=127.0.0.1 -c unix_socket_directories="$data" \
    -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200
  ready_or_die 60 "$dir/postgres.pid" "$dir/postgres.log" "PostgreSQL on port $port" ready "$port"
  if [ "$fresh" = 1 ]; then
    "$PG_BIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
      -c "CREATE ROLE bridge LOGIN PASSWORD 'bridge'" -c "CREATE DATABASE bridge OWNER bridge" >/dev/null
  fi
  log "PostgreSQL ready on 127.0.0.1:$port, database bridge (pid $(cat "$dir/postgres.pid"), data in $data)"
}

cmd_stop() {
  [ $# -ge 1 ] || die "usage: postgres.sh stop DIR [--purge]"
  # SIGTERM is PostgreSQL's "smart" shutdown, which waits for clients; SIGINT is "fast".
  local pidfile="$1/postgres.pid"
  if pid_alive "$pidfile"; then kill -INT "$(cat "$pidfile")" 2>/dev/null || true; fi
  stop_pidfile "$pidfile" 15
  if [ "${2:-}" = "--purge" ] && [ -f "$1/datadir" ]; then
    rm -rf "$(cat "$1/datadir")" "$1/datadir"
  fi
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: postgres.sh start|stop ..." ;;
esac
