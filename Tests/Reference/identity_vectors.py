#!/usr/bin/env python3
"""Independent reference for Spec/identity.md's test vectors (device certificates, revocations,
node IDs), written from the spec with PyNaCl and hashlib only — no Veector code.

Run: /usr/bin/python3 Tests/Reference/identity_vectors.py   (Debian: apt-get install python3-nacl)
"""
import hashlib
from nacl.signing import SigningKey


def bstr(b):
    return str(len(b)).encode() + b":" + b


def bencode(v):
    if isinstance(v, int):
        return b"i" + str(v).encode() + b"e"
    if isinstance(v, str):
        v = v.encode()
    if isinstance(v, bytes):
        return bstr(v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        items = sorted((k.encode() if isinstance(k, str) else k, x) for k, x in v.items())
        return b"d" + b"".join(bstr(k) + bencode(x) for k, x in items) + b"e"
    raise TypeError(v)


user = SigningKey(bytes(range(0, 32)))
device = SigningKey(bytes(range(32, 64)))
upk, dpk = bytes(user.verify_key), bytes(device.verify_key)
print("user public key  ", upk.hex())
print("device public key", dpk.hex())
print("device node ID   ", hashlib.sha1(b"veector-node-id-v1" + dpk).hexdigest())

body = {"v": 1, "usr": upk, "dev": dpk, "name": "alice-laptop", "iat": 1763856000, "exp": 1795392000, "cap": ["infer", "sync"]}
signed = b"veector-device-certificate-v1" + bencode(body)
sig = user.sign(signed).signature
cert = dict(body, sig=sig)
print("cert signed bytes", signed.hex())
print("cert signature   ", sig.hex())
print("cert encoded     ", bencode(cert).hex())

rbody = {"v": 1, "usr": upk, "dev": dpk, "rat": 1770000000, "rsn": "lost"}
rsigned = b"veector-device-revocation-v1" + bencode(rbody)
rsig = user.sign(rsigned).signature
print("revocation sig   ", rsig.hex())
print("revocation enc   ", bencode(dict(rbody, sig=rsig)).hex())
