#!/usr/bin/python3
"""The measuring half of run.sh (which starts and stops the processes): waits for the network of
`veenode start` processes to settle, runs the lookups through the `veenode` CLI, prints the figures.

    lookup_latency.py --veenode V --work DIR --nodes N --lookers L --each E [--seed S]

Status polling talks to each node's control socket directly (one JSON line each way, Docs/network.md);
the measured lookups go through `veenode dht endpoint|lookup --json`, whose replies carry the lookup's
cost (queries, responses, failures, hops, milliseconds inside the node).
"""
import argparse, json, os, random, socket, statistics, subprocess, sys, time

ap = argparse.ArgumentParser()
ap.add_argument("--veenode", required=True)
ap.add_argument("--work", required=True)
ap.add_argument("--nodes", type=int, required=True)
ap.add_argument("--lookers", type=int, default=20)
ap.add_argument("--each", type=int, default=10)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--settle-timeout", type=float, default=300)
args = ap.parse_args()


def log(*a):
    print("#", *a, file=sys.stderr, flush=True)


def control(i, method, params=None, timeout=30):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(timeout)
    s.connect(os.path.join(args.work, "n%d" % i, "control.sock"))
    s.sendall(json.dumps({"method": method, "params": params or {}}).encode() + b"\n")
    buf = b""
    while not buf.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    s.close()
    reply = json.loads(buf)
    if not reply.get("ok"):
        raise RuntimeError("node %d %s: %s" % (i, method, reply.get("error")))
    return reply["result"]


def proc_kib(i, path, field):
    pid = open(os.path.join(args.work, "n%d.pid" % i)).read().strip()
    for line in open("/proc/%s/%s" % (pid, path)):
        if line.startswith(field):
            return int(line.split()[1])
    return 0


def rss_kib(i):
    return proc_kib(i, "status", "VmRSS:")


def pss_kib(i):
    """Proportional set size: shared library pages divided among the processes sharing them."""
    return proc_kib(i, "smaps_rollup", "Pss:")


def pct(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def rss_line(label):
    r = [rss_kib(i) / 1024 for i in range(args.nodes)]
    p = [pss_kib(i) / 1024 for i in range(args.nodes)]
    log("RSS %s: median %.1f MiB, max %.1f MiB, total %.0f MiB over %d processes; PSS total %.0f MiB"
        % (label, statistics.median(r), max(r), sum(r), len(r), sum(p)))
    global pss_total
    pss_total = sum(p)
    return r


# 1. Settle: every node has published its endpoint record, and the publications (a node publishes
#    again when its routing table doubles) have stopped changing for two polls in a row.
t0 = time.time()
statuses = None
previous, stable = None, 0
while time.time() - t0 < args.settle_timeout:
    try:
        statuses = [control(i, "status") for i in range(args.nodes)]
    except Exception as e:  # a node still starting
        log("status:", e)
        time.sleep(2)
        continue
    published = sum(1 for s in statuses if s["endpointPublications"] > 0)
    total = sum(s["endpointPublications"] for s in statuses)
    tables = [s["routingTableSize"] for s in statuses]
    log("t=%3.0fs published %d/%d, publications %d, routing tables %d…%d (median %d)"
        % (time.time() - t0, published, args.nodes, total, min(tables), max(tables), statistics.median(tables)))
    if published == args.nodes and total == previous:
        stable += 1
        if stable >= 2:
            break
    else:
        stable = 0
    previous = total
    time.sleep(4)
else:
    log("the network did not settle within %.0f s; measuring anyway" % args.settle_timeout)
settle_seconds = time.time() - t0
rss_settled = rss_line("after settling")
tables = [s["routingTableSize"] for s in statuses]

# 2. Lookups: LOOKERS random nodes each look up EACH random other nodes, both kinds.
rng = random.Random(args.seed)
lookers = rng.sample(range(args.nodes), min(args.lookers, args.nodes))
results = {"endpoint": [], "find_node": []}
for i in lookers:
    home = os.path.join(args.work, "n%d" % i)
    targets = rng.sample([j for j in range(args.nodes) if j != i], min(args.each, args.nodes - 1))
    for j in targets:
        want = statuses[j]
        for kind, argv in (("endpoint", ["dht", "endpoint", want["publicKey"]]), ("find_node", ["dht", "lookup", want["nodeID"]])):
            start = time.perf_counter()
            p = subprocess.run([args.veenode] + argv + ["--home", home, "--json"], capture_output=True, text=True)
            wall = (time.perf_counter() - start) * 1000
            row = {"ok": False, "wall": wall}
            if p.returncode == 0:
                r = json.loads(p.stdout)
                if kind == "endpoint":
                    row["ok"] = r["nodeID"] == want["nodeID"] and want["listen"] in r["addresses"]
                    cost = r.get("lookup") or {}
                else:
                    row["ok"] = bool(r["closest"]) and r["closest"][0]["id"] == want["nodeID"]
                    cost = r
                row.update(hops=cost.get("hops"), queries=cost.get("queries"), failures=cost.get("failures"),
                           ms=cost.get("milliseconds"))
            else:
                row["error"] = p.stderr.strip()[:200]
            results[kind].append(row)
rss_after = rss_line("after the lookups")

# 3. Report.
load = open("/proc/loadavg").read().split()[:3]
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
print("%d nodes, %d looking nodes × %d targets; settled in %.0f s; routing tables %d…%d (median %d); load %s; %s"
      % (args.nodes, len(lookers), args.each, settle_seconds, min(tables), max(tables), statistics.median(tables),
         "/".join(load), cpu))
print()
print("| lookup | n | success | hops p50/p90/p99 | queries p50/p90/p99 | ms in node p50/p90/p99 | ms CLI wall p50/p90/p99 |")
print("| --- | --- | --- | --- | --- | --- | --- |")
for kind, rows in results.items():
    good = [r for r in rows if r.get("ms") is not None]
    trio = lambda key: "/".join("%.0f" % pct([r[key] for r in good], p) for p in (50, 90, 99)) if good else "-"
    trio1 = lambda key: "/".join("%.1f" % pct([r[key] for r in good], p) for p in (50, 90, 99)) if good else "-"
    ok = sum(r["ok"] for r in rows)
    print("| %s | %d | %d/%d (%.1f %%) | %s | %s | %s | %s |" % (
        "`dht endpoint` (BEP 44 get)" if kind == "endpoint" else "`dht lookup` (find_node)", len(rows), ok, len(rows),
        100 * ok / max(len(rows), 1), trio("hops"), trio("queries"), trio1("ms"),
        "/".join("%.0f" % pct([r["wall"] for r in rows], p) for p in (50, 90, 99))))
print()
print("RSS per process: median %.1f MiB, max %.1f MiB after settling; median %.1f MiB, max %.1f MiB after the lookups; "
      "total %.0f MiB for %d processes (PSS, shared pages counted once: %.0f MiB)"
      % (statistics.median(rss_settled), max(rss_settled), statistics.median(rss_after), max(rss_after), sum(rss_after), args.nodes,
         pss_total))
failed = [(k, r) for k, rows in results.items() for r in rows if not r["ok"]]
for k, r in failed[:5]:
    print("failed %s: %s" % (k, r), file=sys.stderr)
