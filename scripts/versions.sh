# Pinned versions of the test servers, sourced by the other scripts (one place to change them).
SYNAPSE_VERSION="1.163.2"
# Debian packages; their versions come from the distribution (Debian 12: InspIRCd 3.15, ngIRCd 26.1,
# Anope 2.0, PostgreSQL 15). scripts/install-deps.sh installs them.
DEBIAN_PACKAGES=(inspircd ngircd anope postgresql)

IRC_BRIDGE_CACHE="${IRC_BRIDGE_CACHE:-$HOME/.cache/irc-bridge}"
SYNAPSE_VENV="$IRC_BRIDGE_CACHE/synapse-$SYNAPSE_VERSION"
