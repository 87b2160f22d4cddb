#!/usr/bin/env bash
# Installs what Veector needs on Debian, only when it is missing, and checks that Swift is on PATH.
# Safe to run again and again: it does nothing when everything is already there.
set -euo pipefail

PACKAGES=(libsodium-dev libzstd-dev libopenblas-dev libminiupnpc-dev pkg-config python3 python3-pip)
# With --test: the real peers the network tests run against (a UPnP gateway in network namespaces,
# libtorrent's DHT, PyNaCl for BEP 44 signatures).
if [[ "${1:-}" == "--test" ]]; then
    PACKAGES+=(iproute2 nftables miniupnpd miniupnpd-nftables python3-libtorrent python3-nacl)
fi

missing=()
for package in "${PACKAGES[@]}"; do
    if ! dpkg -s "$package" >/dev/null 2>&1; then
        missing+=("$package")
    fi
done

if ((${#missing[@]} > 0)); then
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "setup: missing packages: ${missing[*]}, and apt-get is not available." >&2
        echo "setup: install them with your system's package manager, then run this again." >&2
        exit 1
    fi
    if [[ $(id -u) -eq 0 ]]; then
        SUDO=()
    elif command -v sudo >/dev/null 2>&1; then
        SUDO=(sudo)
    else
        echo "setup: missing packages: ${missing[*]}; run as root or install sudo." >&2
        exit 1
    fi
    echo "setup: installing ${missing[*]}"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

if ! command -v swift >/dev/null 2>&1; then
    echo "setup: 'swift' is not on PATH. Install Swift 6.1 or newer (https://www.swift.org/install/linux/)" >&2
    echo "setup: and add its usr/bin folder to PATH, then run this again." >&2
    exit 1
fi

echo "setup: system packages present (${PACKAGES[*]}); $(swift --version 2>/dev/null | head -n 1)"
