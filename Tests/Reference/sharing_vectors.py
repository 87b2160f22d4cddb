#!/usr/bin/env python3
"""Independent reference for Spec/sharing.md's test vectors (ciphertext package, share record,
share revocation, share ID), written from the spec with Python's `cryptography` package
(Ed25519, ChaCha20-Poly1305), hashlib and a plain HChaCha20 — no Veector code.

Run: /usr/bin/python3 Tests/Reference/sharing_vectors.py   (Debian: apt-get install python3-cryptography)
"""
import base64
import hashlib
import struct

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization


def rotl(v, n):
    return ((v << n) & 0xFFFFFFFF) | (v >> (32 - n))


def hchacha20(key, nonce16):
    s = list(struct.unpack("<4I", b"expand 32-byte k")) + list(struct.unpack("<8I", key)) + list(struct.unpack("<4I", nonce16))

    def qr(a, b, c, d):
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 16)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 12)
        s[a] = (s[a] + s[b]) & 0xFFFFFFFF; s[d] = rotl(s[d] ^ s[a], 8)
        s[c] = (s[c] + s[d]) & 0xFFFFFFFF; s[b] = rotl(s[b] ^ s[c], 7)

    for _ in range(10):
        qr(0, 4, 8, 12); qr(1, 5, 9, 13); qr(2, 6, 10, 14); qr(3, 7, 11, 15)
        qr(0, 5, 10, 15); qr(1, 6, 11, 12); qr(2, 7, 8, 13); qr(3, 4, 9, 14)
    return struct.pack("<8I", *(s[0:4] + s[12:16]))


def xchacha_seal(key, nonce, plaintext, ad):
    """libsodium crypto_aead_xchacha20poly1305_ietf_encrypt, with the nonce in front."""
    sub = hchacha20(key, nonce[:16])
    return nonce + ChaCha20Poly1305(sub).encrypt(b"\0" * 4 + nonce[16:], plaintext, ad)


def cid_raw(data):
    return bytes([0x01, 0x55, 0x12, 0x20]) + hashlib.sha256(data).digest()


def b32(data):
    return base64.b32encode(data).decode().lower().rstrip("=")


def bstr(b):
    return str(len(b)).encode() + b":" + b


def bencode(v):
    if isinstance(v, int):
        return b"i" + str(v).encode() + b"e"
    if isinstance(v, bytes):
        return bstr(v)
    if isinstance(v, list):
        return b"l" + b"".join(bencode(x) for x in v) + b"e"
    if isinstance(v, dict):
        items = sorted((k.encode(), x) for k, x in v.items())
        return b"d" + b"".join(bstr(k) + bencode(x) for k, x in items) + b"e"
    raise TypeError(v)


def hexlines(b, width=32):
    h = b.hex()
    return "\n".join(h[i:i + 2 * width] for i in range(0, len(h), 2 * width))


# --- Package -------------------------------------------------------------------------------
key = bytes(range(0x00, 0x20))
owner = bytes(range(0x20, 0x30))
doc = bytes(range(0x30, 0x40))
plaintext = b"hello, veector\n"
content_cid = "b" + b32(cid_raw(plaintext))
meta_json = ('{"chunks":[{"length":15,"tag":"00000000000000000000000000000000"}],"contentID":"%s",'
             '"created":"2026-11-23T00:00:00Z","modified":"2026-11-23T00:00:00Z","size":15,"title":"greeting.txt"}' % content_cid).encode()
chunk = xchacha_seal(key, bytes(range(0x40, 0x58)), b"\0" + plaintext, b"veector-doc-chunk-v1" + owner + doc)
chunk_id = cid_raw(chunk)
meta_ad = b"veector-doc-meta-v1" + owner + doc + hashlib.sha256(chunk_id).digest()
meta = xchacha_seal(key, bytes(range(0x60, 0x78)), meta_json, meta_ad)
package = (b"VPKG" + b"\x01" + owner + doc + struct.pack("<Q", 1) + struct.pack("<I", 1)
           + bytes([len(chunk_id)]) + chunk_id + struct.pack("<I", len(chunk)) + chunk
           + struct.pack("<I", len(meta)) + meta)
package_cid = cid_raw(package)
print("plaintext content ID", content_cid)
print("package (%d bytes)" % len(package))
print(hexlines(package))
print("package CID", "b" + b32(package_cid))

# --- Share record and revocation ------------------------------------------------------------
sender = Ed25519PrivateKey.from_private_bytes(bytes(range(0x00, 0x20)))
recipient = Ed25519PrivateKey.from_private_bytes(bytes(range(0x20, 0x40)))
raw = serialization.Encoding.Raw, serialization.PublicFormat.Raw
frm = sender.public_key().public_bytes(*raw)
to = recipient.public_key().public_bytes(*raw)
sealed_key = bytes((0x80 + i) & 0xFF for i in range(113))
body = {"v": 1, "frm": frm, "to": to, "doc": doc, "ver": 1, "pkg": [package_cid], "len": len(package),
        "key": sealed_key, "at": 1795000000, "exp": 1795604800}
sig = sender.sign(b"veector-share-record-v1" + bencode(body))
record = bencode(dict(body, sig=sig))
print("share record signature")
print(hexlines(sig))
print("share record (%d bytes)" % len(record))
print(hexlines(record))
print("share ID", b32(hashlib.sha256(record).digest()[:16]))

rbody = {"v": 1, "frm": frm, "to": to, "doc": doc, "rat": 1795100000}
rsig = sender.sign(b"veector-share-revocation-v1" + bencode(rbody))
revocation = bencode(dict(rbody, sig=rsig))
print("revocation (%d bytes)" % len(revocation))
print(hexlines(revocation))
