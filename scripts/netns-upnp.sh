#!/bin/bash
# A private internet in three network namespaces, for testing UPnP port mapping against a real miniupnpd:
#
#   PREFIX-lan (192.168.77.2) ── veth ── PREFIX-gw (192.168.77.1 | 100.128.0.1, miniupnpd, NAT) ── veth ── PREFIX-wan (100.128.0.2)
#
# 100.128.0.1 is a public-looking address (miniupnpd refuses to forward from private ones) that exists
# only inside these namespaces. Nothing touches the host's own network.
#
#   scripts/netns-upnp.sh up PREFIX     create the namespaces and start miniupnpd (root; prints the root description URL)
#   scripts/netns-upnp.sh down PREFIX   stop miniupnpd and delete the namespaces
#
# Needs: iproute2, nftables, miniupnpd (Debian: apt-get install miniupnpd miniupnpd-nftables).
set -eu
cmd=${1:?usage: netns-upnp.sh up|down PREFIX}
P=${2:?usage: netns-upnp.sh up|down PREFIX}
GW=$P-gw LAN=$P-lan WAN=$P-wan
RUN=/tmp/$P-upnp
# Interface names are limited to 15 bytes: derive short ones from the prefix.
S=$(printf '%s' "$P" | cksum | cut -c1-6)
LIF=l$S LGW=g$S WIF=w$S WGW=x$S

down() {
    # SIGTERM, then SIGKILL if it has not exited within 2 s (a SIGTERM early in its start-up can be lost).
    if [ -f "$RUN/miniupnpd.pid" ]; then
        pid=$(cat "$RUN/miniupnpd.pid")
        kill "$pid" 2>/dev/null || true
        for _ in $(seq 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    fi
    for ns in "$GW" "$LAN" "$WAN"; do ip netns del "$ns" 2>/dev/null || true; done
    rm -rf "$RUN"
}

case $cmd in
down) down; exit 0 ;;
up) ;;
*) echo "usage: netns-upnp.sh up|down PREFIX" >&2; exit 2 ;;
esac

command -v miniupnpd >/dev/null || { echo "miniupnpd is not installed (apt-get install miniupnpd miniupnpd-nftables)" >&2; exit 3; }
command -v nft >/dev/null || { echo "nft is not installed (apt-get install nftables)" >&2; exit 3; }
down
mkdir -p "$RUN"
ip netns add "$GW"; ip netns add "$LAN"; ip netns add "$WAN"
for ns in "$GW" "$LAN" "$WAN"; do ip -n "$ns" link set lo up; done

ip link add "$LIF" netns "$LAN" type veth peer name "$LGW" netns "$GW"
ip link add "$WIF" netns "$WAN" type veth peer name "$WGW" netns "$GW"
ip -n "$LAN" addr add 192.168.77.2/24 dev "$LIF"; ip -n "$LAN" link set "$LIF" up
ip -n "$GW" addr add 192.168.77.1/24 dev "$LGW"; ip -n "$GW" link set "$LGW" up
ip -n "$GW" addr add 100.128.0.1/24 dev "$WGW"; ip -n "$GW" link set "$WGW" up
ip -n "$WAN" addr add 100.128.0.2/24 dev "$WIF"; ip -n "$WAN" link set "$WIF" up
ip -n "$LAN" route add default via 192.168.77.1
ip netns exec "$GW" sysctl -qw net.ipv4.ip_forward=1

# Debian's nft_init.sh is broken; create what miniupnpd's nftables backend expects by hand.
ip netns exec "$GW" nft -f - <<NFT
table inet filter {
    chain forward {
        type filter hook forward priority 0; policy drop;
        ct state established,related accept
        iifname "$LGW" oifname "$WGW" accept
        jump miniupnpd
    }
    chain miniupnpd {
    }
    chain prerouting {
        type nat hook prerouting priority -100; policy accept;
        jump prerouting_miniupnpd
    }
    chain postrouting {
        type nat hook postrouting priority 100; policy accept;
        oifname "$WGW" masquerade
        jump postrouting_miniupnpd
    }
    chain prerouting_miniupnpd {
    }
    chain postrouting_miniupnpd {
    }
}
NFT

cat > "$RUN/miniupnpd.conf" <<CONF
ext_ifname=$WGW
listening_ip=$LGW
http_port=5000
enable_natpmp=no
enable_upnp=yes
secure_mode=yes
system_uptime=yes
uuid=3b2f6a52-8c5e-4e1b-9f67-$(printf '%012d' "$(printf '%s' "$P" | cksum | cut -d' ' -f1 | cut -c1-9)")
allow 1024-65535 192.168.77.0/24 1024-65535
deny 0-65535 0.0.0.0/0 0-65535
CONF
# The daemon must not inherit the caller's pipes (a test reading our output would never see EOF).
(
    for fd in /proc/$BASHPID/fd/*; do fd=${fd##*/}; [ "$fd" -gt 2 ] && eval "exec $fd>&-"; done
    exec ip netns exec "$GW" miniupnpd -f "$RUN/miniupnpd.conf" -P "$RUN/miniupnpd.pid" </dev/null >"$RUN/miniupnpd.log" 2>&1
)
# Wait for it to answer HTTP.
i=0
until ip netns exec "$LAN" upnpc -u http://192.168.77.1:5000/rootDesc.xml -s >/dev/null 2>&1; do
    i=$((i + 1))
    if [ $i -gt 50 ]; then echo "miniupnpd did not come up; see $RUN/miniupnpd.log" >&2; cat "$RUN/miniupnpd.log" >&2; exit 4; fi
    sleep 0.1
done
echo http://192.168.77.1:5000/rootDesc.xml
