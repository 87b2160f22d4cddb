#!/usr/bin/env python3
"""Independent reference for Noise_*_25519_ChaChaPoly_BLAKE2b (Noise rev 34), written from the
Noise specification with the `cryptography` package (X25519, ChaCha20-Poly1305) and hashlib's
BLAKE2b — no Veector code, no libsodium.

It first checks itself against published test vectors (cacophony's NN, XN, IX and snow's XX, all
with 25519, ChaChaPoly, BLAKE2b), then prints the Noise_XX vectors with cacophony's keys, prologue
and payloads, and the framing vector, that Spec/wire.md and the Swift tests use.

Run: python3 Tests/Reference/noise_reference.py   (pip install cryptography, in a venv outside the repo)
"""
import hashlib
import hmac
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import ChaCha20Poly1305
from cryptography.hazmat.primitives import serialization

HASHLEN = 64


def H(data):
    return hashlib.blake2b(data, digest_size=64).digest()


def hkdf(ck, ikm, n):
    temp = hmac.new(ck, ikm, hashlib.blake2b).digest()
    out, prev = [], b""
    for i in range(1, n + 1):
        prev = hmac.new(temp, prev + bytes([i]), hashlib.blake2b).digest()
        out.append(prev)
    return out


def pub(sk):
    return X25519PrivateKey.from_private_bytes(sk).public_key().public_bytes(
        serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def dh(sk, pk):
    return X25519PrivateKey.from_private_bytes(sk).exchange(X25519PublicKey.from_public_bytes(pk))


class Cipher:
    def __init__(self, k=None):
        self.k, self.n = k, 0

    def nonce(self, n):
        return b"\0" * 4 + n.to_bytes(8, "little")

    def enc(self, ad, pt):
        if self.k is None:
            return pt
        ct = ChaCha20Poly1305(self.k).encrypt(self.nonce(self.n), pt, ad)
        self.n += 1
        return ct

    def dec(self, ad, ct):
        if self.k is None:
            return ct
        pt = ChaCha20Poly1305(self.k).decrypt(self.nonce(self.n), ct, ad)
        self.n += 1
        return pt

    def rekey(self):
        self.k = ChaCha20Poly1305(self.k).encrypt(self.nonce(2**64 - 1), b"\0" * 32, b"")[:32]


PATTERNS = {
    "XX": [["e"], ["e", "ee", "s", "es"], ["s", "se"]],
    "NN": [["e"], ["e", "ee"]],
    "XN": [["e"], ["e", "ee"], ["s", "se"]],
    "IX": [["e", "s"], ["e", "ee", "se", "s", "es"]],
}


class Handshake:
    def __init__(self, pattern, initiator, prologue, s=None, e=None):
        name = f"Noise_{pattern}_25519_ChaChaPoly_BLAKE2b".encode()
        self.h = name.ljust(HASHLEN, b"\0") if len(name) <= HASHLEN else H(name)
        self.ck, self.c = self.h, Cipher()
        self.msgs, self.i, self.init = PATTERNS[pattern], 0, initiator
        self.s, self.e, self.rs, self.re = s, e, None, None
        self.mix_hash(prologue)

    def mix_hash(self, d):
        self.h = H(self.h + d)

    def mix_key(self, ikm):
        self.ck, k = hkdf(self.ck, ikm, 2)
        self.c = Cipher(k[:32])

    def enc_hash(self, pt):
        ct = self.c.enc(self.h, pt)
        self.mix_hash(ct)
        return ct

    def dec_hash(self, ct):
        pt = self.c.dec(self.h, ct)
        self.mix_hash(ct)
        return pt

    def dh_token(self, t):
        if t == "ee":
            return dh(self.e, self.re)
        if t == "ss":
            return dh(self.s, self.rs)
        if t == "es":
            return dh(self.e, self.rs) if self.init else dh(self.s, self.re)
        if t == "se":
            return dh(self.s, self.re) if self.init else dh(self.e, self.rs)

    def write(self, payload):
        out = b""
        for t in self.msgs[self.i]:
            if t == "e":
                out += pub(self.e)
                self.mix_hash(pub(self.e))
            elif t == "s":
                out += self.enc_hash(pub(self.s))
            else:
                self.mix_key(self.dh_token(t))
        out += self.enc_hash(payload)
        self.i += 1
        return out

    def read(self, msg):
        for t in self.msgs[self.i]:
            if t == "e":
                self.re, msg = msg[:32], msg[32:]
                self.mix_hash(self.re)
            elif t == "s":
                n = 48 if self.c.k else 32
                self.rs, msg = self.dec_hash(msg[:n]), msg[n:]
            else:
                self.mix_key(self.dh_token(t))
        self.i += 1
        return self.dec_hash(msg)

    def split(self):
        k1, k2 = hkdf(self.ck, b"", 2)
        return Cipher(k1[:32]), Cipher(k2[:32])


# cacophony's inputs (vectors/cacophony.txt).
PROLOGUE = bytes.fromhex("4a6f686e2047616c74")
INIT_STATIC = bytes.fromhex("e61ef9919cde45dd5f82166404bd08e38bceb5dfdfded0a34c8df7ed542214d1")
RESP_STATIC = bytes.fromhex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893")
INIT_EPHEMERAL = bytes.fromhex("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a")
RESP_EPHEMERAL = bytes.fromhex("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b")
PAYLOADS = [bytes.fromhex(x) for x in [
    "4c756477696720766f6e204d69736573", "4d757272617920526f746862617264", "462e20412e20486179656b",
    "4361726c204d656e676572", "4a65616e2d426170746973746520536179", "457567656e2042f6686d20766f6e2042617765726b"]]

# Published ciphertexts (cacophony), Noise_<P>_25519_ChaChaPoly_BLAKE2b.
PUBLISHED = {
    "NN": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573",
           "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f144808843d10cf8ef4ab895bed3e4673211f0c9337039d63a450c7b28196b8a0ebade00",
           "e50ec882703a1f34bf4957d8cafd036d34e02930f672f424c676e1",
           "35bb2a728d3e8e5f47781d486089e4a37c5c2e4261256f44569a9f",
           "69ee82006e16b79438a34ad9de37ee44d83c267e355750ecf49f194b5c50403030",
           "c568b641b01d2f644f2a890538c359915ca50552e55129c029d3721866c2646a7af3fd1eff"],
    "XN": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79444c756477696720766f6e204d69736573",
           "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884305d2ea2e8f8ff7966541b6805e3f5f0fd6b68be05d1c51b15074a0b9fbf379",
           "f715c17b399cf3a6f3af2f526ad0a7a05fb7908c35e0fce4d4a2cc85ac56358064089ebcdd3d7ca383443ad81632e3d98ea5ee64354d415c3a34776b29dbfb353e8697406fa89794b9d7de",
           "b7df22961c2f557eef73ce9c793edbce2feaaa634813c9a8c7a7e9",
           "1db24f1ac5740f1731f2dafd7178549a71c7bb3cf6b61af2552b12fc13f2dd18c0",
           "ed7a84ef366a3011ec3c103b9310ef4a82c2177125cdb3d67cfb8037f2e41c9fbc9278ff47"],
    "IX": ["ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c79446bc3822a2aa7f4e6981d6538692b3cdf3e6df9eea6ed269eb41d93c22757b75a4c756477696720766f6e204d69736573",
           "95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f1448088433f1aa60070835da4ba78f09ccb798953addc1f6984ceceeaf7427834306b13e8b82f3a7169263013a03c31d16890c7359ca7ce81760aa3b364c79a2694634b9f48f73a89d832c6f48b0bb1c7d8e6c3",
           "7b819fee364e9a7e59f86c2866ce9c858ec0168cd5b4e06042dac4",
           "927111f8a96c5eece70962dc4aca610b6a8af566dbe92f443609a2",
           "645fb96284174500f9e74e4ba02c67c5bc5fc3e202480ada0558601c967179ef43",
           "45f0190eeb871a978a68348f3b3520503c24aa9bd64eb1fab9a90a59e1b107b4beff18c66f"],
}


def run(pattern):
    """Runs cacophony's exchange: handshake, then transport messages alternating initiator, responder."""
    uses_is = any("s" in m for m in PATTERNS[pattern][0::2])
    uses_rs = any("s" in m for m in PATTERNS[pattern][1::2])
    a = Handshake(pattern, True, PROLOGUE, INIT_STATIC if uses_is else None, INIT_EPHEMERAL)
    b = Handshake(pattern, False, PROLOGUE, RESP_STATIC if uses_rs else None, RESP_EPHEMERAL)
    out, n = [], len(PATTERNS[pattern])
    for i, p in enumerate(PAYLOADS[:n]):
        w, r = (a, b) if i % 2 == 0 else (b, a)
        ct = w.write(p)
        assert r.read(ct) == p
        out.append(ct)
    a1, a2 = a.split()
    b1, b2 = b.split()
    for i, p in enumerate(PAYLOADS[n:], start=n):
        send, recv = (a1, b1) if i % 2 == 0 else (b2, a2)
        ct = send.enc(b"", p)
        assert recv.dec(b"", ct) == p
        out.append(ct)
    return out, a, (a1, a2, b1, b2)


for name, expected in PUBLISHED.items():
    got, _, _ = run(name)
    assert [c.hex() for c in got] == expected, name
    print(f"Noise_{name}_25519_ChaChaPoly_BLAKE2b: matches the published cacophony vectors")

# snow's published Noise_XX_25519_ChaChaPoly_BLAKE2b vector (tests/vectors/snow.txt).
H_ = bytes.fromhex
snow_a = Handshake("XX", True, b"There is no right and wrong. There's only fun and boring.",
                   H_("842752777821bd4c9a6a84c777cb9028ba2446c864e035c8d380632dca3a7702"),
                   H_("5dfce6be0b767fc60a51e1d627711c67d63e97115cb3957a64a66919747ea47c"))
snow_b = Handshake("XX", False, b"There is no right and wrong. There's only fun and boring.",
                   H_("8885e7006b27a44bec4a6e7bfcc37032a3564a73bf9588585bd1166829d80d8a"),
                   H_("9c012e056ed37994a4bfb09f57a7505bf44c07e9784c3c2bcefd8880b2d85e21"))
snow_payloads = [H_(x) for x in [
    "bcb708376354e0dc837fc3f7e0e9c8c59849fd907a129a3c0afde64e79d1ac09", "77783888d07aa30dfeccf96d8da0a293546232bc8a460b5fbca479e3da54d3b2",
    "420d0154f4e26a4224c201f3ecceddc06eb8896b78386978fb25b21dd276c6fb", "58f929d4d8eda457fb01b3a09bb6391aac0d93477df9e3042355741747744571",
    "c86af330a6b59de9d7ead76260204ef7e897a1323bdc0a9c5ea4450556ed0bf6"]]
snow_expected = [
    "50a7da541baa50d563e3fd3526f53e9b7e4af8083a4180b5d1f8cd49fbe30518bcb708376354e0dc837fc3f7e0e9c8c59849fd907a129a3c0afde64e79d1ac09",
    "6b0ae570deada82b6f3071c87bd361014c34f8d15fee49ed0078f38a9c05bb703c2eb46ccc2734a9c07555b85d6f0b5ae29f24aaa2c351d815acd2e1de7770344339d0d854daf5a4468b189caf7ff643d6c5645e9e7fd5edcad6755ea0a01f51f552650ab99b7a0eba09f64b9dc0737f5756688682897c0912890a6ec56d72f8",
    "386d9e2549dcb9a016db7e05f45c19d2c4fd4e7a61d1c06dbd01d21012d448b34761826aa7b3fc8d0c5cc73d487c1f19ac29de837b4ccd361603f03d12f8971ae0534fbd8096fd5bc2c7bdc77026207623514afa5804d07a3b0c316f9e5a9c12",
    "c81ba3d22336cd78d64ff9e2161d339db9fd3a5407a3fb594fb7a59d718e83c6054b1002721e63ffb2a2d2d8bfd670bc",
    "1207c87bc8ec9b6d5db3a3d3ed5caab43c98e71492a424b7d7302ea8313d1b0e3644c9b3c479a80cdb3da1e92466b8ac"]
snow_out = []
for i in range(3):
    w, r = (snow_a, snow_b) if i % 2 == 0 else (snow_b, snow_a)
    ct = w.write(snow_payloads[i])
    assert r.read(ct) == snow_payloads[i]
    snow_out.append(ct.hex())
sa1, sa2 = snow_a.split()
sb1, sb2 = snow_b.split()
for i in range(3, 5):
    send, recv = (sa1, sb1) if i % 2 == 0 else (sb2, sa2)
    ct = send.enc(b"", snow_payloads[i])
    assert recv.dec(b"", ct) == snow_payloads[i]
    snow_out.append(ct.hex())
assert snow_out == snow_expected
print("Noise_XX_25519_ChaChaPoly_BLAKE2b: matches snow's published vector")

msgs, hs, (a1, a2, b1, b2) = run("XX")
print("\nNoise_XX_25519_ChaChaPoly_BLAKE2b (cacophony keys, prologue and payloads)")
print("init static public", pub(INIT_STATIC).hex())
print("resp static public", pub(RESP_STATIC).hex())
for i, c in enumerate(msgs):
    print(f"message {i}", c.hex())
print("handshake hash", hs.h.hex())
# Rekey: after the 6 messages above, the initiator's send cipher rekeys and seals payload 0 again.
a1.rekey()
b1.rekey()
ct = a1.enc(b"", PAYLOADS[0])
assert b1.dec(b"", ct) == PAYLOADS[0]
print("after rekey, initiator sends payload 0:", ct.hex())

# Veector transport framing (Spec/wire.md, "Sessions"): a one-fragment message "hello" sealed
# with key 00..1f at nonce 0, then the REKEY frame at nonce 1, then "hello" again under the new key.
c = Cipher(bytes(range(32)))
f1 = c.enc(b"", b"\x00" + (5).to_bytes(4, "big") + b"hello")
f2 = c.enc(b"", b"\x02")
c.rekey()
f3 = c.enc(b"", b"\x00" + (5).to_bytes(4, "big") + b"hello")
print("\nframing vector (length-prefixed frames):")
for f in (f1, f2, f3):
    print(len(f).to_bytes(2, "big").hex() + f.hex())
