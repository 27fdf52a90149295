#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The signed payloads of the authenticated-variable checks (efi/authvar.c).

    tools/authvar.py KEYDIR OUT.c

Makes two test keys in KEYDIR once (RSA-2048, self-signed, serial and
lifetime fixed so every build's payloads have the same size; nothing
secret: they sign only vamap's own test variable, and no key is
committed), then writes OUT.c: each payload the checks hand SetVariable,
an EFI_VARIABLE_AUTHENTICATION_2 (UEFI 2.10 8.2.6) followed by the data.

The signature covers, in this order, the variable's name without its
NUL, its vendor GUID, the Attributes passed to SetVariable (APPEND_WRITE
included), the TimeStamp, and the data (8.2.6, step 2). The certificate
data is a DER PKCS #7 SignedData (RFC 2315) over SHA-256, detached, with
no authenticated attributes, the signer's certificate inside (what
sbvarsign and efitools' sign-efi-sig-list make), without the ContentInfo
around it: 8.2.6 names SignedData.
"""
import os
import re
import struct
import subprocess
import sys
import tempfile

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), ".."))
NAME = "VamapAuth"
NV_BS_RT_TB = 0x1 | 0x2 | 0x4 | 0x20   # ..._TIME_BASED_AUTHENTICATED_WRITE
APPEND = 0x40
# WIN_CERTIFICATE_UEFI_GUID: wRevision, WIN_CERT_TYPE_EFI_GUID;
# EFI_CERT_TYPE_PKCS7_GUID 4aafd29d-68df-49ee-8aa9-347d375665a7.
WIN_CERT_REVISION = 0x0200
WIN_CERT_TYPE_EFI_GUID = 0x0EF1
PKCS7_GUID = struct.pack("<IHH8B", 0x4aafd29d, 0x68df, 0x49ee,
                         0x8a, 0xa9, 0x34, 0x7d, 0x37, 0x56, 0x65, 0xa7)

# (id, key, time, extra attributes, data, how it is spoiled after signing)
# Times: 8.2.6 wants each write after the first later than the one stored
# (but appends); Pad1, Nanosecond, TimeZone, Daylight and Pad2 are zero.
PAYLOADS = [
    ("AV_CREATE_A", "a", (2020, 1, 1), 0, b"vamap authvar: A1", None),
    ("AV_OTHER_KEY", "b", (2021, 1, 1), 0, b"vamap authvar: B1", None),
    ("AV_APPEND", "a", (2020, 1, 2), APPEND, b"+app", None),
    ("AV_UPDATE", "a", (2022, 1, 1), 0, b"vamap authvar: A2 updated", None),
    ("AV_BAD_DATA", "a", (2023, 1, 1), 0, b"vamap authvar: A3", "data"),
    ("AV_BAD_TIME", "a", (2023, 1, 1), 0, b"vamap authvar: A3", "time"),
    ("AV_DELETE_A", "a", (2024, 1, 1), 0, b"", None),
    ("AV_CREATE_B", "b", (2020, 1, 1), 0, b"vamap authvar: B2", None),
    ("AV_DELETE_B", "b", (2024, 1, 1), 0, b"", None),
]


def vendor_guid():
    """VAMAP_VENDOR_GUID_INIT from include/vamap_guid.h, as EFI_GUID bytes."""
    text = open(os.path.join(TOP, "include", "vamap_guid.h")).read()
    m = re.search(r"VAMAP_VENDOR_GUID_INIT\s*\\\s*\{([^}]*)\{([^}]*)\}", text)
    a, b, c = (int(x, 0) for x in m.group(1).split(",")[:3])
    d = [int(x, 0) for x in m.group(2).split(",")]
    return struct.pack("<IHH8B", a, b, c, *d), (a, b, c, d)


def efi_time(y, mo, d):
    # Year, Month, Day, Hour, Minute, Second, Pad1, Nanosecond, TimeZone,
    # Daylight, Pad2
    return struct.pack("<HBBBBBBIhBB", y, mo, d, 0, 0, 0, 0, 0, 0, 0, 0)


def run(*cmd):
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL,
                   stderr=subprocess.PIPE)


def make_key(keydir, k):
    key, crt = (os.path.join(keydir, f"{k}.{e}") for e in ("key", "crt"))
    if not (os.path.exists(key) and os.path.exists(crt)):
        run("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes",
            "-sha256", "-days", "3650", "-set_serial", "1",
            "-subj", f"/CN=vamap authvar test key {k.upper()}",
            "-keyout", key, "-out", crt)
    return key, crt


def der_len(b, i):
    """(length, offset of the contents) of the DER element whose length
    octets start at @i."""
    n = b[i]
    if n < 0x80:
        return n, i + 1
    k = n & 0x7f
    return int.from_bytes(b[i + 1:i + 1 + k], "big"), i + 1 + k


def signed_data(content_info):
    """The SignedData inside a PKCS #7 ContentInfo: SEQUENCE { OID,
    [0] EXPLICIT SignedData }."""
    b = content_info
    assert b[0] == 0x30
    _, i = der_len(b, 1)            # into the ContentInfo
    assert b[i] == 0x06
    n, i = der_len(b, i + 1)
    i += n                          # past the OID
    assert b[i] == 0xa0
    n, i = der_len(b, i + 1)        # into [0]
    return b[i:i + n]


def sign(key, crt, tbs):
    with tempfile.TemporaryDirectory() as d:
        src, out = os.path.join(d, "tbs"), os.path.join(d, "p7")
        open(src, "wb").write(tbs)
        run("openssl", "smime", "-sign", "-binary", "-noattr", "-md",
            "sha256", "-signer", crt, "-inkey", key, "-outform", "DER",
            "-in", src, "-out", out)
        return signed_data(open(out, "rb").read())


def payload(keys, guid, k, date, extra, data, spoil):
    attr = NV_BS_RT_TB | extra
    ts = efi_time(*date)
    name = NAME.encode("utf-16-le")
    sig = sign(*keys[k], name + guid + struct.pack("<I", attr) + ts + data)
    if spoil == "data":             # signed, then one byte changed
        data = data[:-1] + bytes([data[-1] ^ 0x01])
    elif spoil == "time":           # signed, then a day later
        ts = efi_time(date[0], date[1], date[2] + 1)
    cert = struct.pack("<IHH", 8 + 16 + len(sig), WIN_CERT_REVISION,
                       WIN_CERT_TYPE_EFI_GUID) + PKCS7_GUID + sig
    return ts + cert + data, attr, len(data)


def c_bytes(b):
    out = []
    for i in range(0, len(b), 12):
        out.append("\t" + " ".join(f"0x{x:02x}," for x in b[i:i + 12]))
    return "\n".join(out)


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__.strip().splitlines()[2].strip())
    keydir, out = sys.argv[1:]
    os.makedirs(keydir, exist_ok=True)
    keys = {k: make_key(keydir, k) for k in "ab"}
    guid, _ = vendor_guid()
    parts = ["/* Generated by tools/authvar.py with this build's test keys: "
             "do not edit. */",
             '#include "efi_authvar.h"', "",
             f'const u16 authvar_name[] = u"{NAME}";', ""]
    table = []
    for pid, k, date, extra, data, spoil in PAYLOADS:
        blob, attr, plain = payload(keys, guid, k, date, extra, data, spoil)
        var = pid.lower()
        parts += [f"static const u8 {var}[{len(blob)}] = {{",
                  c_bytes(blob), "};"]
        table.append(f"\t[{pid}] = {{ {var}, sizeof({var}), 0x{attr:x}, "
                     f"{plain}, '{k.upper()}' }},")
    parts += ["", "static const struct authvar_payload "
              "payloads[AV_NR] = {"] + table + ["};", "",
              "const struct authvar_payload *authvar_payload("
              "enum authvar_id id)", "{",
              "\treturn (unsigned int)id < AV_NR ? &payloads[id] : NULL;",
              "}", ""]
    tmp = out + ".new"
    with open(tmp, "w") as f:
        f.write("\n".join(parts))
    os.replace(tmp, out)


if __name__ == "__main__":
    main()
