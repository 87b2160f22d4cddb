#!/usr/bin/python3
"""How many DHT queries per second one node answers: our `veenode start` and a libtorrent 2.0.8 node,
side by side, in one run, on loopback.

    dht_answer_rate.py VEENODE [--addresses 1000] [--per-address 80] [--rounds 3]

Each source address (127.1.x.y) sends `per-address` KRPC pings, below both nodes' per-address rate-limit
bursts (ours: 100; libtorrent's is raised here), interleaved across addresses, as fast as Python can
send them; one epoll loop counts the replies. Rate = replies / (last reply - first send). The kernel
drops what a node cannot read in time, so the rate is what the node sustained. Prints a Markdown table.
Must run where 127.0.0.0/8 is on lo (any Linux host; the script binds only loopback addresses).
"""
import argparse, json, os, selectors, socket, subprocess, sys, tempfile, time
import libtorrent as lt

ap = argparse.ArgumentParser()
ap.add_argument("veenode")
ap.add_argument("--addresses", type=int, default=1000)
ap.add_argument("--per-address", type=int, default=80)
ap.add_argument("--rounds", type=int, default=3)
args = ap.parse_args()


def ping(i):
    return b"d1:ad2:id20:" + b"B" * 20 + b"e1:q4:ping1:t4:" + i.to_bytes(4, "big") + b"1:y1:qe"


def measure(target):
    sel = selectors.DefaultSelector()
    socks = []
    for n in range(args.addresses):
        s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        s.bind(("127.1.%d.%d" % (n // 250, n % 250 + 1), 0))
        s.setblocking(False)
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 1 << 20)
        sel.register(s, selectors.EVENT_READ)
        socks.append(s)
    sent = replies = 0
    first = time.perf_counter()
    last = first

    def drain(timeout):
        nonlocal replies, last
        for key, _ in sel.select(timeout):
            while True:
                try:
                    key.fileobj.recv(2048)
                except BlockingIOError:
                    break
                replies += 1
                last = time.perf_counter()

    for k in range(args.per_address):
        for s in socks:
            try:
                s.sendto(ping(sent), target)
                sent += 1
            except BlockingIOError:
                pass
        drain(0)
    idle = time.perf_counter()
    while time.perf_counter() - idle < 1.0:
        before = replies
        drain(0.1)
        if replies != before:
            idle = time.perf_counter()
    for s in socks:
        s.close()
    return sent, replies, replies / max(last - first, 1e-9)


home = tempfile.mkdtemp(prefix="vbench")
subprocess.run([args.veenode, "init", "--home", home + "/node"], env={**os.environ, "VEENODE_PASSPHRASE": "bench"},
               check=True, stdout=subprocess.DEVNULL)
node = subprocess.Popen([args.veenode, "start", "--home", home + "/node", "--host", "127.0.0.1", "--port", "27881", "--no-upnp"],
                        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
node.stdout.readline()
lts = lt.session({"listen_interfaces": "127.0.0.2:27882", "enable_dht": True, "dht_bootstrap_nodes": "",
                  "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False, "dht_restrict_routing_ips": False,
                  "dht_block_ratelimit": 1000000, "dht_upload_rate_limit": 1 << 30, "max_retry_port_bind": 0,
                  "listen_system_port_fallback": False})
time.sleep(1)
rows = []
try:
    for r in range(args.rounds):
        for name, target in (("veenode (ours)", ("127.0.0.1", 27881)), ("libtorrent 2.0.8", ("127.0.0.2", 27882))):
            sent, got, rate = measure(target)
            rows.append((r + 1, name, sent, got, rate))
finally:
    node.terminate()
    node.wait()
print("| round | node | pings sent | replies | replies/s |")
print("| --- | --- | --- | --- | --- |")
for r in rows:
    print("| %d | %s | %d | %d | %.0f |" % (r[0], r[1], r[2], r[3], r[4]))
