#!/usr/bin/env bash
# A throwaway InspIRCd 3 (Debian's package) on a loopback port, configured for tests: thousands
# of connections from 127.0.0.1, no flood limits, knock, an oper account and IRCv3 caps.
#
#   inspircd.sh start DIR PORT     write DIR/inspircd.conf and start; ready once a client gets 001
#   inspircd.sh start-leaf DIR PORT HUB_LINKPORT [LINKPORT]
#                                  a second server (leaf.test) with its own client PORT, a <link> to
#                                  the hub's server port and, with LINKPORT, a server port of its own
#                                  (so that the hub can CONNECT to it); ready once a client gets 001.
#                                  Not linked yet: an oper on either side runs CONNECT (or set
#                                  INSPIRCD_AUTOCONNECT, e.g. 5s, to let the leaf link by itself).
#   inspircd.sh stop DIR
#   inspircd.sh restart DIR PORT   stop the server in DIR (if running) and start it again on PORT with
#                                  the DIR/inspircd.conf the last start wrote (same name, links,
#                                  extra.conf); ready once a client gets 001. Clients are disconnected
#                                  and a linked leaf is split until someone CONNECTs it again.
#
# Oper account: oper / operpass (from 127.0.0.1), on both servers. Anything in DIR/extra.conf is
# included at the end of the config.
# Environment: INSPIRCD_SERVER_NAME (default irc.test), INSPIRCD_BIN (default /usr/sbin/inspircd),
#   INSPIRCD_LINK_PORT: for start, a port on 127.0.0.1 where the server accepts a link from the
#     leaf (spanningtree is then loaded and a <link> block for the leaf is written);
#   INSPIRCD_LEAF_LINK_PORT (default INSPIRCD_LINK_PORT + 1): the leaf's LINKPORT, where the hub's
#     CONNECT goes (InspIRCd ignores a <link> block without a port, even for incoming links);
#   INSPIRCD_LEAF_NAME (default leaf.test), INSPIRCD_HUB_NAME (default irc.test): the two names;
#   INSPIRCD_STRICT_PORT: for start, a second client port where flood control is on as on real
#     networks (INSPIRCD_STRICT_THRESHOLD lines, default 10, ahead of INSPIRCD_STRICT_COMMANDRATE
#     thousandths of a line a second, default 1000; beyond that the client quits with "Excess Flood");
#   INSPIRCD_LINK_PASSWORD (default linkpass): the link password, both directions;
#   INSPIRCD_SERVICES_NAME: for start with INSPIRCD_LINK_PORT, the name of IRC services (anope.sh)
#     that may link to that port: a <link> and <uline> for them, and SASL sent to them.
#   INSPIRCD_TLS_PORT, INSPIRCD_TLS_CERT, INSPIRCD_TLS_KEY: for start, a TLS client port (module
#     ssl_gnutls) serving that PEM certificate (chain) and key, next to the plain-text PORT.
#   INSPIRCD_MAX_CHANNELS (default 1000): how many channels one client connection may be on (more JOINs get
#     405); written into <channels users=...> and the maxchans of the client <connect> classes, which win over it.
#     Opers keep 1000 (their <type maxchans>).
# With <security hidesplits="no">, users of a split server quit with "irc.test leaf.test".
set -euo pipefail
. "$(dirname "$0")/lib.sh"

INSPIRCD_BIN="${INSPIRCD_BIN:-/usr/sbin/inspircd}"
MODULE_DIR="${INSPIRCD_MODULE_DIR:-/usr/lib/inspircd/modules}"
MODULES=(cap ircv3 ircv3_accounttag ircv3_capnotify ircv3_echomessage ircv3_invitenotify
         ircv3_servertime knock sasl services_account namesx uhnames
         hidechans)  # hidechans: Anope requires it (on every server, so that leaf and hub still link)

HUB_NAME="${INSPIRCD_HUB_NAME:-${INSPIRCD_SERVER_NAME:-irc.test}}"
LEAF_NAME="${INSPIRCD_LEAF_NAME:-leaf.test}"
LINK_PASSWORD="${INSPIRCD_LINK_PASSWORD:-linkpass}"

# write_config DIR PORT NAME SID [LINK_CONF]: LINK_CONF (spanningtree config) goes before extra.conf.
write_config() {
  local dir="$1" port="$2" name="$3" sid="$4" link_conf="${5:-}" strict_port="${6:-}" m
  local max_channels="${INSPIRCD_MAX_CHANNELS:-1000}"
  case "$max_channels" in ''|*[!0-9]*) die "INSPIRCD_MAX_CHANNELS is not a number: '$max_channels'" ;; esac
  : >"$dir/motd.txt"
  {
    cat <<CONF
<server name="$name" description="bridge test server" network="TestNet" id="$sid">
<admin name="test" nick="test" email="test@localhost">
<path configdir="$dir" datadir="$dir" logdir="$dir" runtimedir="$dir">
<pid file="$dir/inspircd.pid">
<log method="file" type="* -USERINPUT -USEROUTPUT" level="default" target="$dir/ircd.log">
<files motd="$dir/motd.txt">
# No DNS lookups happen (resolvehostnames="no"); this only stops core_dns reading resolv.conf.
<dns server="127.0.0.1" timeout="1">

<bind address="127.0.0.1" port="$port" type="clients">

CONF
    if [ -n "${INSPIRCD_TLS_PORT:-}" ]; then
      cat <<CONF
# TLS for clients on a port of its own, with the certificate the test made.
<module name="ssl_gnutls">
<sslprofile name="tests" provider="gnutls" certfile="$INSPIRCD_TLS_CERT" keyfile="$INSPIRCD_TLS_KEY"
            dhfile="" hash="sha256" requestclientcert="no">
<bind address="127.0.0.1" port="$INSPIRCD_TLS_PORT" type="clients" ssl="tests">

CONF
    fi
    if [ -n "$strict_port" ]; then
      cat <<CONF
# A second client port with InspIRCd's usual flood control: more than "threshold" lines ahead of
# "commandrate" (thousandths of a line a second) and the client quits with "Excess Flood".
# The first matching <connect> wins, so this one comes before "local".
<bind address="127.0.0.1" port="$strict_port" type="clients">
<connect name="strict" port="$strict_port" allow="127.0.0.1" resolvehostnames="no" useident="no"
         localmax="20000" globalmax="20000" maxconnwarn="no" limit="20000" maxchans="$max_channels"
         timeout="60" pingfreq="120" threshold="${INSPIRCD_STRICT_THRESHOLD:-10}"
         commandrate="${INSPIRCD_STRICT_COMMANDRATE:-1000}" fakelag="no" hardsendq="16M" softsendq="1M" recvq="8K">
CONF
    fi
    cat <<CONF
# Every test client comes from 127.0.0.1: no clone, flood or DNS/ident limits for it.
<connect name="local" allow="127.0.0.1" resolvehostnames="no" useident="no"
         localmax="20000" globalmax="20000" maxconnwarn="no" limit="20000" maxchans="$max_channels"
         timeout="60" pingfreq="120" threshold="1000000" commandrate="100000000" fakelag="no"
         hardsendq="16M" softsendq="1M" recvq="1M">
<channels users="$max_channels" opers="1000">

<limits maxnick="30" maxchan="64" maxmodes="100" maxident="11" maxhost="64" maxquit="300"
        maxtopic="390" maxkick="300" maxreal="130" maxaway="200">
<performance softlimit="20000" somaxconn="4096" clonesonconnect="no" quietbursts="yes"
             netbuffersize="10240" timeskipwarn="0">

# defaultmodes without "o" would leave channels without an operator. No prefixquit/prefixpart:
# tests compare exact reasons.
<options defaultmodes="not" syntaxhints="no" announcets="yes" hostintopic="yes" splitwhois="no"
         pingwarning="15">
<security hidesplits="no" announceinvites="dynamic" hideserver="" hidebans="no" hideulines="no"
          flatlinks="no" userstats="Pu" customversion="" maxtargets="20" genericoper="no">

<class name="Everything"
       commands="KILL SQUIT CONNECT RCONNECT RSQUIT DIE RESTART REHASH LOADMODULE UNLOADMODULE RELOADMODULE WALLOPS GLOBOPS GLINE KLINE ZLINE QLINE ELINE SAJOIN SAPART SANICK SAQUIT SATOPIC SAKICK SAMODE OJOIN CHGHOST CHGIDENT CHGNAME SETHOST SETIDENT"
       privs="users/auspex channels/auspex servers/auspex users/mass-message users/flood/no-throttle users/flood/increased-buffers"
       usermodes="*" chanmodes="*" snomasks="*">
<type name="NetAdmin" classes="Everything" vhost="oper.test" maxchans="1000">
<oper name="oper" password="operpass" host="*@127.0.0.1" type="NetAdmin">

<knock notify="both">
<sasl target="${INSPIRCD_SERVICES_NAME:-*}" requiressl="no">
CONF
    for m in "${MODULES[@]}"; do echo "<module name=\"$m\">"; done
    if [ -n "$link_conf" ]; then printf '%s\n' "$link_conf"; fi
    if [ -f "$dir/extra.conf" ]; then echo "<include file=\"$dir/extra.conf\">"; fi
  } >"$dir/inspircd.conf"
}

# Spanningtree config of the hub: accepts the leaf on 127.0.0.1:$1, connects to it at port $2.
hub_link_conf() {
  cat <<CONF
<module name="spanningtree">
<bind address="127.0.0.1" port="$1" type="servers">
<link name="$LEAF_NAME" ipaddr="127.0.0.1" port="$2" allowmask="127.0.0.1/32" timeout="30s"
      sendpass="$LINK_PASSWORD" recvpass="$LINK_PASSWORD">
CONF
  if [ -n "${INSPIRCD_SERVICES_NAME:-}" ]; then
    # Services link in, never out, but InspIRCd ignores a <link> without a port: the port is unused.
    cat <<CONF
<link name="$INSPIRCD_SERVICES_NAME" ipaddr="127.0.0.1" port="$1" allowmask="127.0.0.1/32" timeout="30s"
      sendpass="$LINK_PASSWORD" recvpass="$LINK_PASSWORD">
<uline server="$INSPIRCD_SERVICES_NAME" silent="yes">
CONF
  fi
}

# Spanningtree config of the leaf: connects to the hub's server port $1; accepts it on port $2.
leaf_link_conf() {
  echo '<module name="spanningtree">'
  if [ -n "${2:-}" ]; then echo "<bind address=\"127.0.0.1\" port=\"$2\" type=\"servers\">"; fi
  cat <<CONF
<link name="$HUB_NAME" ipaddr="127.0.0.1" port="$1" allowmask="127.0.0.1/32" timeout="30s"
      sendpass="$LINK_PASSWORD" recvpass="$LINK_PASSWORD">
CONF
  if [ -n "${INSPIRCD_AUTOCONNECT:-}" ]; then
    echo "<autoconnect period=\"$INSPIRCD_AUTOCONNECT\" server=\"$HUB_NAME\">"
  fi
}

cmd_start() {
  [ $# -eq 2 ] || die "usage: inspircd.sh start DIR PORT"
  local dir port link_conf=""
  dir="$(abs_dir "$1")"; port="$2"
  if [ -n "${INSPIRCD_LINK_PORT:-}" ]; then
    check_port "$INSPIRCD_LINK_PORT"
    local leaf_port="${INSPIRCD_LEAF_LINK_PORT:-$((INSPIRCD_LINK_PORT + 1))}"
    case "$leaf_port" in ''|*[!0-9]*) die "not a port: '$leaf_port'" ;; esac
    link_conf="$(hub_link_conf "$INSPIRCD_LINK_PORT" "$leaf_port")"
  fi
  if [ -n "${INSPIRCD_STRICT_PORT:-}" ]; then check_port "$INSPIRCD_STRICT_PORT"; fi
  if [ -n "${INSPIRCD_TLS_PORT:-}" ]; then
    check_port "$INSPIRCD_TLS_PORT"
    [ -f "$MODULE_DIR/m_ssl_gnutls.so" ] || die "module ssl_gnutls missing from $MODULE_DIR"
    [ -r "${INSPIRCD_TLS_CERT:-}" ] && [ -r "${INSPIRCD_TLS_KEY:-}" ] || die "INSPIRCD_TLS_PORT needs INSPIRCD_TLS_CERT and INSPIRCD_TLS_KEY (readable PEM files)"
  fi
  launch "$dir" "$port" "${INSPIRCD_SERVER_NAME:-irc.test}" "${INSPIRCD_SERVER_ID:-1HB}" "$link_conf" "${INSPIRCD_STRICT_PORT:-}"
}

cmd_start_leaf() {
  [ $# -eq 3 ] || [ $# -eq 4 ] || die "usage: inspircd.sh start-leaf DIR PORT HUB_LINKPORT [LINKPORT]"
  local dir port hub_port link_port="${4:-}"
  dir="$(abs_dir "$1")"; port="$2"; hub_port="$3"
  case "$hub_port" in ''|*[!0-9]*) die "not a port: '$hub_port'" ;; esac
  [ -z "$link_port" ] || check_port "$link_port"
  launch "$dir" "$port" "$LEAF_NAME" "${INSPIRCD_LEAF_ID:-2LF}" "$(leaf_link_conf "$hub_port" "$link_port")"
}

launch() {
  local dir="$1" port="$2" name="$3" sid="$4" link_conf="$5" strict_port="${6:-}" m
  [ -x "$INSPIRCD_BIN" ] || die "InspIRCd is not installed; run scripts/install-deps.sh"
  for m in "${MODULES[@]}"; do [ -f "$MODULE_DIR/m_$m.so" ] || die "module $m missing from $MODULE_DIR"; done
  if [ -n "$link_conf" ] && [ ! -f "$MODULE_DIR/m_spanningtree.so" ]; then die "module spanningtree missing from $MODULE_DIR"; fi
  pid_alive "$dir/ircd.pid" && die "an InspIRCd is already running in $dir"
  check_port "$port"
  write_config "$dir" "$port" "$name" "$sid" "$link_conf" "$strict_port"
  run_server "$dir" "$port" "$name"
}

# run_server DIR PORT NAME: runs InspIRCd with DIR/inspircd.conf and waits until a client registers on PORT.
run_server() {
  local dir="$1" port="$2" name="$3" args=()
  # InspIRCd refuses to run as root without being told to.
  [ "$(id -u)" -eq 0 ] && args+=(--runasroot)
  # One descriptor per client: raise the limit as far as allowed for the server only.
  ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
  spawn "$dir/ircd.pid" "$dir/inspircd.out" "$INSPIRCD_BIN" --nofork --config "$dir/inspircd.conf" "${args[@]}"
  ready_or_die 30 "$dir/ircd.pid" "$dir/inspircd.out" "InspIRCd on port $port" registration_ok "$port"
  log "InspIRCd $name ready on 127.0.0.1:$port (pid $(cat "$dir/ircd.pid"), logs in $dir)"
}

cmd_restart() {
  [ $# -eq 2 ] || die "usage: inspircd.sh restart DIR PORT"
  local dir port name
  dir="$(abs_dir "$1")"; port="$2"
  [ -f "$dir/inspircd.conf" ] || die "no $dir/inspircd.conf: start the server first"
  [ -x "$INSPIRCD_BIN" ] || die "InspIRCd is not installed; run scripts/install-deps.sh"
  stop_pidfile "$dir/ircd.pid"
  check_port "$port"
  name="$(sed -n 's/^<server name="\([^"]*\)".*/\1/p' "$dir/inspircd.conf")"
  log "restarting InspIRCd ${name:-?} in $dir"
  run_server "$dir" "$port" "${name:-?}"
}

cmd_stop() {
  [ $# -eq 1 ] || die "usage: inspircd.sh stop DIR"
  stop_pidfile "$1/ircd.pid"
}

case "${1:-}" in
  start) shift; cmd_start "$@" ;;
  start-leaf) shift; cmd_start_leaf "$@" ;;
  stop) shift; cmd_stop "$@" ;;
  restart) shift; cmd_restart "$@" ;;
  *) die "usage: inspircd.sh start|start-leaf|stop|restart ..." ;;
esac
