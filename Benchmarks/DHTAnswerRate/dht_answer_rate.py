#!/usr/bin/python3
"""How many DHT queries per second one node answers: our `veenode start` and a libtorrent 2.0.8 node,
side by side, in one run, on loopback.

    dht_answer_rate.py VEENODE [--addresses 1000] [--per-address 80] [--rounds 3]

Each source address (127.1.x.y) sends `per-address` KRPC pings, interleaved across addresses, as fast as
Python can send them; one epoll loop counts the replies. Rate = replies / (last reply - first send). The
kernel drops what a node cannot read in time, so the rate is what the node sustained. Prints a Markdown
table with the ratio ours / libtorrent per round.

Three nodes run side by side and get the same traffic in turn:
- veenode with its default per-address limit (token bucket 50/s, burst 100): with more than 100 pings
  per address the limiter, not the node's speed, decides the count;
- veenode started with `--dht-rate-limit 10000000,10000000` (limit out of the way: the node's speed);
- libtorrent 2.0.8 with `dht_block_ratelimit` raised (its default, 5/s, would ban the senders).
Must run where 127.0.0.0/8 is on lo (any Linux host; the script binds only loopback addresses).
"""
import argparse, atexit, json, os, selectors, shutil, socket, subprocess, sys, tempfile, time
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
nodes = []
# Whatever happens (an exception, Ctrl-C), no node outlives the script.
atexit.register(lambda: [p.kill() for p in nodes if p.poll() is None] and None)


def start(name, host, port, extra):
    subprocess.run([args.veenode, "init", "--home", home + "/" + name], env={**os.environ, "VEENODE_PASSPHRASE": "bench"},
                   check=True, stdout=subprocess.DEVNULL)
    p = subprocess.Popen([args.veenode, "start", "--home", home + "/" + name, "--host", host, "--port", str(port), "--no-upnp"]
                         + extra, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    nodes.append(p)
    if not p.stdout.readline():
        raise SystemExit("veenode start (%s) did not start" % name)


start("default", "127.0.0.1", 27881, [])
start("raised", "127.0.0.3", 27883, ["--dht-rate-limit", "10000000,10000000"])
lts = lt.session({"listen_interfaces": "127.0.0.2:27882", "enable_dht": True, "dht_bootstrap_nodes": "",
                  "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False, "dht_restrict_routing_ips": False,
                  "dht_block_ratelimit": 1000000, "dht_upload_rate_limit": 1 << 30, "max_retry_port_bind": 0,
                  "listen_system_port_fallback": False})
time.sleep(1)
rows = []
targets = (("veenode, default limit 50/s burst 100", ("127.0.0.1", 27881)),
           ("veenode, limit raised", ("127.0.0.3", 27883)),
           ("libtorrent 2.0.8, limit raised", ("127.0.0.2", 27882)))
try:
    for r in range(args.rounds):
        got = {}
        for name, target in targets:
            sent, replies, rate = measure(target)
            got[name] = rate
            rows.append([r + 1, name, sent, replies, rate, ""])
        base = got[targets[2][0]]
        for row in rows[-3:-1]:
            row[5] = "%.2f" % (row[4] / base) if base else "-"
finally:
    for p in nodes:
        p.terminate()
        p.wait()
    shutil.rmtree(home, ignore_errors=True)
print("%d addresses × %d pings per round; load %s; %s" % (
    args.addresses, args.per_address, "/".join(open("/proc/loadavg").read().split()[:3]),
    next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")))
print()
print("| round | node | pings sent | replies | replies/s | ours / libtorrent |")
print("| --- | --- | --- | --- | --- | --- |")
for r in rows:
    print("| %d | %s | %d | %d | %.0f | %s |" % tuple(r))
