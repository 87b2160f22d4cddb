#!/usr/bin/python3
"""Interop between our DHT node (a real `veenode start`) and libtorrent 2.0.8's DHT (BEP 5, BEP 44).

Run inside a network namespace that has only `lo` (the Swift test does: `ip netns exec NS`):
    libtorrent_interop.py VEENODE HOME_DIR
Prints one JSON object: the outcome of every check, with details. Never contacts anything outside lo.
"""
import hashlib, json, os, socket, subprocess, sys, time
import libtorrent as lt
import nacl.signing

VEENODE, HOME = sys.argv[1], sys.argv[2]
OUR_PORT = 26881
LT = [("127.0.%d.1" % (i + 1), 26900 + i) for i in range(4)]   # each libtorrent node in its own /24
results = {}


def control(method, **params):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(60)
    s.connect(HOME + "/node/control.sock")
    s.sendall(json.dumps({"method": method, "params": {k: str(v) for k, v in params.items()}}).encode() + b"\n")
    data = b""
    while not data.endswith(b"\n"):
        chunk = s.recv(65536)
        if not chunk:
            break
        data += chunk
    s.close()
    return json.loads(data)


def session(ip, port):
    return lt.session({
        "listen_interfaces": "%s:%d" % (ip, port), "enable_dht": True, "dht_bootstrap_nodes": "",
        "enable_lsd": False, "enable_upnp": False, "enable_natpmp": False, "dht_restrict_routing_ips": False,
        "dht_restrict_search_ips": False, "dht_block_ratelimit": 100000, "max_retry_port_bind": 0,
        "listen_system_port_fallback": False, "alert_mask": lt.alert.category_t.all_categories,
    })


def wait_alert(ses, kind, predicate=lambda a: True, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        ses.wait_for_alert(200)
        for a in ses.pop_alerts():
            if isinstance(a, kind) and predicate(a):
                return a
    return None


def value_of(item):
    """libtorrent's Python binding hands items over as {'key': …, 'value': …}."""
    return item.get("value") if isinstance(item, dict) else item


def check(name, ok, **detail):
    results[name] = {"ok": bool(ok), **{k: str(v) for k, v in detail.items()}}


# libtorrent nodes, knowing each other.
sessions = [session(ip, port) for ip, port in LT]
for s in sessions:
    for ip, port in LT:
        s.add_dht_node((ip, port))
time.sleep(1)

# Our node joins through them.
node = subprocess.Popen([VEENODE, "start", "--home", HOME + "/node", "--host", "127.0.0.1", "--port", str(OUR_PORT),
                         "--no-upnp", "--bootstrap", ",".join("%s:%d" % x for x in LT)],
                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
try:
    for _ in range(200):
        if os.path.exists(HOME + "/node/control.sock"):
            try:
                control("status")
                break
            except OSError:
                pass
        time.sleep(0.05)
    for s in sessions:
        s.add_dht_node(("127.0.0.1", OUR_PORT))
    status = control("status")["result"]
    our_id = status["nodeID"]

    # 1. libtorrent queries us (find_node / get_peers while refreshing) and keeps us in its routing
    #    table: a libtorrent node that knows its 3 peers and us holds 4 nodes.
    def lt_table_sizes():
        sizes = []
        for s in sessions:
            s.post_dht_stats()
            a = wait_alert(s, lt.dht_stats_alert, timeout=3)
            sizes.append(sum(b["num_nodes"] for b in a.routing_table) if a else -1)
        return sizes
    known, sizes = False, []
    for _ in range(15):
        sizes = lt_table_sizes()
        if max(sizes) >= len(LT):
            known = True
            break
        time.sleep(1)
    st = control("status")["result"]
    check("libtorrent routes through us", known and st["dht"]["queriesIn"] > 0 and st["dht"]["responsesIn"] > 0,
          queriesIn=st["dht"]["queriesIn"], responsesIn=st["dht"]["responsesIn"], routing=st["routingTableSize"], libtorrentTables=sizes)

    # 2. Our find_node lookup through libtorrent nodes returns them.
    target = hashlib.sha1(b"interop lookup").hexdigest()
    r = control("dht.lookup", target=target)
    closest = r.get("result", {}).get("closest", [])
    check("our find_node through libtorrent", r["ok"] and len([c for c in closest if c["address"].startswith("127.0.") and not c["address"].startswith("127.0.0.")]) >= 2,
          reply=r)

    # 3. We announce; libtorrent's get_peers finds us.
    info_hash = hashlib.sha1(b"interop swarm").digest()
    r = control("dht.announce", infohash=info_hash.hex(), port=6999)
    stored = r.get("result", {}).get("stored", 0)
    sessions[0].dht_get_peers(lt.sha1_hash(info_hash))
    a = wait_alert(sessions[0], lt.dht_get_peers_reply_alert, lambda a: str(a.info_hash) == info_hash.hex())
    peers = [p for p in (a.peers() if a else [])]
    check("our announce → libtorrent get_peers", r["ok"] and stored > 0 and ("127.0.0.1", 6999) in peers, stored=stored, peers=peers)

    # 4. Our get_peers lookup through libtorrent nodes finds the peer stored on them (the Python binding
    #    cannot call libtorrent's dht_announce, so the announce is ours).
    r = control("dht.lookup", target=info_hash.hex(), peers=1)
    check("our get_peers through libtorrent", r["ok"] and "127.0.0.1:6999" in r["result"]["peers"], reply=r)

    # 5. libtorrent puts an immutable item; we get it.
    t = sessions[2].dht_put_immutable_item("hello from libtorrent")
    a = wait_alert(sessions[2], lt.dht_put_alert)
    r = control("dht.get", target=str(t))
    check("libtorrent immutable put → our get", r["ok"] and r["result"]["found"] and r["result"]["value"] == "hello from libtorrent",
          put=a.num_success if a else None, reply=r)

    # 6. We put an immutable item; libtorrent gets it.
    r = control("dht.put", value="hello from veector")
    tgt = r.get("result", {}).get("target", "00" * 20)
    sessions[3].dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(tgt)))
    a = wait_alert(sessions[3], lt.dht_immutable_item_alert, lambda a: str(a.target) == tgt)
    check("our immutable put → libtorrent get", r["ok"] and a is not None and value_of(a.item) == b"hello from veector",
          stored=r.get("result", {}).get("stored"), item=a.item if a else None)

    # 7. libtorrent puts a mutable item (BEP 44, ed25519 via PyNaCl keys); we get and verify it.
    seed = hashlib.sha256(b"interop key").digest()
    pk = bytes(nacl.signing.SigningKey(seed).verify_key)
    h = bytearray(hashlib.sha512(seed).digest())
    h[0] &= 248; h[31] &= 63; h[31] |= 64                     # libtorrent's expanded secret key
    salt = b"interop"
    sessions[0].dht_put_mutable_item(bytes(h), pk, b"mutable from libtorrent", salt)
    a = wait_alert(sessions[0], lt.dht_put_alert)
    mtarget = hashlib.sha1(pk + salt).hexdigest()
    r = control("dht.get", target=mtarget, salt=salt.decode())
    check("libtorrent mutable put → our get", r["ok"] and r["result"]["found"] and r["result"]["value"] == "mutable from libtorrent"
          and r["result"]["publicKey"] == pk.hex(), put=a.num_success if a else None, reply=r)

    # 8. We put a mutable item signed with our device key; libtorrent gets and verifies it.
    r = control("dht.put", value="mutable from veector", mutable=1, salt="veector-interop", seq=7)
    our_key = bytes.fromhex(status["publicKey"])
    sessions[2].dht_get_mutable_item(our_key, b"veector-interop")
    a = wait_alert(sessions[2], lt.dht_mutable_item_alert, lambda a: a.authoritative or a.item)
    check("our mutable put → libtorrent get", r["ok"] and a is not None and value_of(a.item) == b"mutable from veector" and a.seq == 7,
          stored=r.get("result", {}).get("stored"), item=a.item if a else None, seq=a.seq if a else None)

    # 9. A stale sequence number is refused by libtorrent nodes with BEP 44 error 302.
    r = control("dht.put", value="older", mutable=1, salt="veector-interop", seq=6)
    rej = r.get("result", {}).get("rejections", [])
    check("stale seq refused (302)", r["ok"] and any(x.startswith("302") for x in rej), reply=r)

    # 10. Flood: 1000 pings/s from one address for 3 s. That address is rate-limited while lookups by
    #     libtorrent nodes and our own lookups keep working.
    import threading
    def flood():
        f = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        f.bind(("127.0.9.1", 0))
        start = time.time()
        for i in range(3000):
            tid = i.to_bytes(2, "big")
            f.sendto(b"d1:ad2:id20:" + b"F" * 20 + b"e1:q4:ping1:t2:" + tid + b"1:y1:qe", ("127.0.0.1", OUR_PORT))
            delay = start + (i + 1) / 1000.0 - time.time()
            if delay > 0:
                time.sleep(delay)
    before = control("status")["result"]["dht"]["droppedRateLimited"]
    flooder = threading.Thread(target=flood)
    flooder.start()
    time.sleep(0.5)
    r = control("dht.get", target=str(t))
    sessions[1].dht_get_immutable_item(lt.sha1_hash(bytes.fromhex(tgt)))
    a = wait_alert(sessions[1], lt.dht_immutable_item_alert, lambda a: str(a.target) == tgt)
    flooder.join()
    after = control("status")["result"]["dht"]["droppedRateLimited"]
    check("flood from one address is rate-limited; other lookups succeed",
          after - before > 1000 and r["ok"] and r["result"]["found"] and a is not None,
          droppedRateLimited=after - before, ourGet=r.get("ok"), libtorrentGet=a is not None)
finally:
    node.terminate()
    try:
        out, err = node.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        node.kill()
        out, err = node.communicate()
    results["_exit"] = {"ok": node.returncode == 0, "code": str(node.returncode), "stderr": err.decode()[-2000:]}
print(json.dumps(results))
