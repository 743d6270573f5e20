#!/usr/bin/env bash
# A throwaway ngIRCd 26 (Debian's package) on a loopback port, configured for tests: many connections
# from 127.0.0.1, no penalties (flood throttling), no DNS, ident or PAM, and an oper account. ngIRCd
# has no KNOCK command (it answers 421), which is what the tests use it for.
#
#   ngircd.sh start DIR PORT    write DIR/ngircd.conf and start; ready once a client gets 001
#   ngircd.sh stop DIR
#
# Oper account: oper / operpass. Anything in DIR/conf.d/*.conf is read after the config.
# Environment: NGIRCD_SERVER_NAME (default ngircd.test), NGIRCD_BIN (default /usr/sbin/ngircd).
# As root, ngIRCd switches to the user "nobody" by itself (it never keeps uid 0 and has no option to):
# it then opens no file of DIR (no pid file, no MOTD file; it logs to its output, which spawn opened),
# so DIR need not be readable by nobody. REHASH would need the config readable by nobody.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

NGIRCD_BIN="${NGIRCD_BIN:-/usr/sbin/ngircd}"

write_config() {
  local dir="$1" port="$2" name="$3"
  mkdir -p "$dir/conf.d"
  cat >"$dir/ngircd.conf" <<CONF
[Global]
	Name = $name
	Info = bridge test server
	Network = NgTestNet
	Listen = 127.0.0.1
	Ports = $port
	MotdPhrase = "bridge test server"
	AdminInfo1 = test
	AdminInfo2 = test
	AdminEMail = test@localhost

[Limits]
	# Every test client comes from 127.0.0.1: no per-address or per-server connection limit.
	MaxConnections = 0
	MaxConnectionsIP = 0
	MaxJoins = 0
	MaxNickLength = 30
	MaxListSize = 1000
	# No penalties: clients are never throttled for sending fast.
	MaxPenaltyTime = 0
	PingTimeout = 120
	PongTimeout = 60

[Options]
	DNS = no
	Ident = no
	PAM = no
	RequireAuthPing = no
	OperCanUseMode = yes
	IncludeDir = $dir/conf.d

[Operator]
	Name = oper
	Password = operpass
CONF
}

cmd_start() {
  [ $# -eq 2 ] || die "usage: ngircd.sh start DIR PORT"
  local dir port name="${NGIRCD_SERVER_NAME:-ngircd.test}"
  dir="$(abs_dir "$1")"; port="$2"
  [ -x "$NGIRCD_BIN" ] || die "ngIRCd is not installed; run scripts/install-deps.sh"
  pid_alive "$dir/ircd.pid" && die "an ngIRCd is already running in $dir"
  check_port "$port"
  write_config "$dir" "$port" "$name"
  "$NGIRCD_BIN" --configtest --config "$dir/ngircd.conf" >"$dir/configtest.out" 2>&1 \
    || { cat "$dir/configtest.out" >&2; die "ngIRCd rejects $dir/ngircd.conf"; }
  # One descriptor per client: raise the limit as far as allowed for the server only.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  # --nodaemon: stays in the foreground (the pid file is right) and logs to its output; --passive: no links.
  spawn "$dir/ircd.pid" "$dir/ngircd.out" "$NGIRCD_BIN" --nodaemon --passive --config "$dir/ngircd.conf"
  ready_or_die 30 "$dir/ircd.pid" "$dir/ngircd.out" "ngIRCd on port $port" registration_ok "$port"
  log "ngIRCd $name ready on 127.0.0.1:$port (pid $(cat "$dir/ircd.pid"), logs in $dir)"
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: ngircd.sh stop DIR"
  stop_pidfile "$1/ircd.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: ngircd.sh start|stop ..." ;;
esac
