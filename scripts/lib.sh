# Helpers shared by the service scripts. Sourced, not executed.

SCRIPTS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=versions.sh
. "$SCRIPTS_DIR/versions.sh"

log() { printf '[%s] %s\n' "$(basename "$0")" "$*" >&2; }
die() { log "error: $*"; exit 1; }

# Absolute path of a directory, creating it.
abs_dir() { mkdir -p "$1" && (cd "$1" && pwd); }

# Absolute path of a file that exists.
abs_file() { [ -f "$1" ] || die "no such file: $1"; echo "$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"; }

# A random token of letters and digits.
random_token() { LC_ALL=C tr -dc 'A-Za-z0-9' </dev/urandom | head -c "${1:-32}" || true; }

# True when something accepts TCP connections on 127.0.0.1:$1.
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# Refuse ports of the system's own services so the scripts never collide with them.
check_port() {
  case "$1" in
    ''|*[!0-9]*) die "not a port: '$1'" ;;
    5432|6667|6697|7000|8008|8448) die "port $1 belongs to a system service; choose another" ;;
  esac
  if port_open "$1"; then die "port 127.0.0.1:$1 is already in use"; fi
}

# Seconds since the epoch with milliseconds.
now() { date +%s.%N; }

# Poll "$@" every 0.1 s until it succeeds or $timeout seconds pass; also give up early when
# the process in pid file $pidfile has died (its log then says why).
wait_until() {
  local timeout="$1" pidfile="$2" what="$3"; shift 3
  local end=$(( $(date +%s) + timeout ))
  until "$@"; do
    if [ -n "$pidfile" ] && ! pid_alive "$pidfile"; then
      log "$what: process exited before it was ready"; return 1
    fi
    if [ "$(date +%s)" -ge "$end" ]; then log "$what: not ready after ${timeout}s"; return 1; fi
    sleep 0.1
  done
}

pid_alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stop the process whose pid is in $1: TERM, then KILL after a grace period. No-op if absent.
stop_pidfile() {
  local pidfile="$1" grace="${2:-10}" pid
  [ -f "$pidfile" ] || return 0
  pid="$(cat "$pidfile")"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null || true
    local end=$(( $(date +%s) + grace ))
    while kill -0 "$pid" 2>/dev/null && [ "$(date +%s)" -lt "$end" ]; do sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$pidfile"
}

# Start "$@" in the background detached from the terminal (own session, so a Ctrl-C in the
# caller's terminal does not hit it), output to $log, pid to $pidfile.
spawn() {
  local pidfile="$1" logfile="$2"; shift 2
  # The child writes its own pid before exec, so the pid file is right whatever setsid does.
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$pidfile" "$@" >>"$logfile" 2>&1 </dev/null &
  local i
  for i in $(seq 50); do [ -s "$pidfile" ] && return 0; sleep 0.02; done
  die "could not start $1"
}

# A free TCP port on 127.0.0.1 (the kernel picks it; tiny race until the caller binds it).
free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# True once a client registers (001) on 127.0.0.1:$1. The probe quits straight away.
registration_ok() {
  local port="$1" nick="probe$RANDOM"
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "NICK %s\r\nUSER probe 0 * :probe\r\n" "$2" >&3
    while IFS= read -r line <&3; do
      case "$line" in *" 001 "*) printf "QUIT\r\n" >&3; exit 0 ;; "ERROR"*) exit 1 ;; esac
    done
    exit 1' _ "$port" "$nick" 2>/dev/null
}

# ready_or_die TIMEOUT PIDFILE OUTPUT WHAT CHECK ARGS...: wait_until the check passes; otherwise show the
# last lines of OUTPUT, stop the process and exit saying "WHAT did not start".
ready_or_die() {
  local timeout="$1" pidfile="$2" output="$3" what="$4"; shift 4
  if ! wait_until "$timeout" "$pidfile" "$what" "$@"; then
    tail -n 30 "$output" >&2 || true
    stop_pidfile "$pidfile"
    die "$what did not start; logs in $(dirname "$output")"
  fi
}
