#!/usr/bin/env bash
# IRC services for the test bed: Anope 2.0 (Debian's package) linked to an InspIRCd started by
# inspircd.sh with INSPIRCD_SERVICES_NAME, so that IRC connections can own and identify to
# accounts: NickServ REGISTER / IDENTIFY / LOGOUT, and SASL PLAIN at connection time. The server
# then tells a client 900 (logged in) and 901 (logged out), which is what the bridge follows.
#
#   anope.sh start DIR UPLINK_PORT CLIENT_PORT
#                        write DIR/services.conf and start Anope; it links to the InspIRCd whose
#                        server port is UPLINK_PORT. Ready once a client of CLIENT_PORT finds
#                        NickServ on the network (WHOIS answers 311).
#   anope.sh stop DIR
#
# Anope reconnects by itself (every second) when its uplink restarts. Only NickServ is loaded:
# no ChanServ, no nick enforcement, registration without e-mail.
# Environment: ANOPE_SERVER_NAME (default services.test; the InspIRCd's INSPIRCD_SERVICES_NAME),
#   INSPIRCD_LINK_PASSWORD (default linkpass): the link password, as in inspircd.sh.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

ANOPE_BIN="${ANOPE_BIN:-/usr/sbin/anope}"
ANOPE_MODULES="${ANOPE_MODULES:-/usr/lib/anope}"
NAME="${ANOPE_SERVER_NAME:-services.test}"
LINK_PASSWORD="${INSPIRCD_LINK_PASSWORD:-linkpass}"

write_config() {
  local dir="$1" uplink="$2"
  : >"$dir/services.motd"
  cat >"$dir/services.conf" <<CONF
define { name = "services.host"; value = "$NAME" }
uplink { host = "127.0.0.1"; ipv6 = no; ssl = no; port = $uplink; password = "$LINK_PASSWORD" }
serverinfo { name = "$NAME"; description = "Services of the test bed"; id = "9SV"; pid = "$dir/anope.pid"; motd = "$dir/services.motd" }
# The test InspIRCd loads no mlock or topiclock module.
module { name = "inspircd3"; use_server_side_mlock = no; use_server_side_topiclock = no }
networkinfo { networkname = "TestNet"; nicklen = 30; userlen = 11; hostlen = 64; chanlen = 64; modelistsize = 100
  vhost_chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-"; allow_undotted_vhosts = false
  disallow_start_or_end = ".-" }
# InspIRCd's casemapping; retrywait: back a second after the uplink restarts.
options { casemap = "rfc1459"; seed = 20261124; strictpasswords = no; badpasslimit = 0; badpasstimeout = 1h
  updatetimeout = 5m; expiretimeout = 30m; readtimeout = 5s; warningtimeout = 4h; timeoutcheck = 3s; retrywait = 1s
  hideprivilegedcommands = yes; hideregisteredcommands = no }
log { target = "services.log"; admin = "*"; commands = "*"; servers = "*"; users = "connect disconnect nick"; other = "*"; rawio = no; debug = no }
mail { usemail = no }
module { name = "db_flatfile"; database = "anope.db"; keepbackups = 0; fork = no }
module { name = "enc_sha256" }

service { nick = "NickServ"; user = "services"; host = "services.host"; gecos = "Nickname Registration Service" }
# No kill protection or nick enforcement: tests register and drop accounts freely.
module { name = "nickserv"; client = "NickServ"; forceemail = no; confirmemailchanges = no; defaults = "hide_email hide_mask"
  regdelay = 0s; expire = 0; secureadmins = no; modeonid = yes; hidenetsplitquit = no; killquick = 20s; kill = 60s
  enforceruser = "enforcer"; enforcerhost = "services.host"; releasetimeout = 1m; guestnickprefix = "Guest"
  nonicknameownership = no; passlen = 32 }
command { service = "NickServ"; name = "HELP"; command = "generic/help"; }
module { name = "ns_register"; registration = "none"; resenddelay = 0s; unconfirmedexpire = 1d; maxemails = 0; passlen = 32 }
command { service = "NickServ"; name = "REGISTER"; command = "nickserv/register"; }
module { name = "ns_identify"; maxlogins = 0 }
command { service = "NickServ"; name = "IDENTIFY"; command = "nickserv/identify"; }
command { service = "NickServ"; name = "ID"; command = "nickserv/identify"; }
module { name = "ns_logout" }
command { service = "NickServ"; name = "LOGOUT"; command = "nickserv/logout"; }
module { name = "ns_drop" }
command { service = "NickServ"; name = "DROP"; command = "nickserv/drop"; }
module { name = "m_sasl" }
CONF
}

# True once a client of the network finds NickServ (WHOIS answers 311 rather than 401).
services_linked() {
  local port="$1" nick="probe$RANDOM"
  timeout 5 bash -c '
    exec 3<>"/dev/tcp/127.0.0.1/$1" || exit 1
    printf "NICK %s\r\nUSER probe 0 * :probe\r\n" "$2" >&3
    while IFS= read -r line <&3; do
      case "$line" in
        *" 001 "*) printf "WHOIS NickServ\r\n" >&3 ;;
        *" 311 "*) printf "QUIT\r\n" >&3; exit 0 ;;
        *" 401 "*|"ERROR"*) printf "QUIT\r\n" >&3; exit 1 ;;
      esac
    done
    exit 1' _ "$port" "$nick" 2>/dev/null
}

cmd_start() {
  [ $# -eq 3 ] || die "usage: anope.sh start DIR UPLINK_PORT CLIENT_PORT"
  local dir uplink="$2" client_port="$3"
  dir="$(abs_dir "$1")"
  case "$uplink$client_port" in ''|*[!0-9]*) die "not ports: '$uplink' '$client_port'" ;; esac
  [ -x "$ANOPE_BIN" ] || die "Anope is not installed; run scripts/install-deps.sh"
  pid_alive "$dir/anope.pid" && die "an Anope is already running in $dir"
  write_config "$dir" "$uplink"
  # Anope writes its own pid file too (same path); ours is there first, for stop.
  spawn "$dir/anope.pid" "$dir/anope.out" "$ANOPE_BIN" --nofork --config=services.conf --confdir="$dir" \
    --dbdir="$dir" --logdir="$dir" --modulesdir="$ANOPE_MODULES" --localedir=/usr/share/anope/locale
  ready_or_die 60 "$dir/anope.pid" "$dir/anope.out" "Anope linked to 127.0.0.1:$uplink" services_linked "$client_port"
  log "Anope $NAME linked to 127.0.0.1:$uplink (pid $(cat "$dir/anope.pid"), logs in $dir)"
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: anope.sh stop DIR"
  stop_pidfile "$1/anope.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  *) die "usage: anope.sh start|stop ..." ;;
esac
