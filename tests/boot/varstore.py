# SPDX-License-Identifier: MIT
"""The live variables of an OVMF variable store (OVMF_VARS.fd), for the
store-unchanged check: {(guid, name): (attributes, data)}.

The layout, from EDK2's MdeModulePkg/Include/Guid/VariableFormat.h: a
firmware volume header (signature "_FVH" at offset 40, its length at
48), then a VARIABLE_STORE_HEADER (a 16-byte format GUID, u32 size, u8
format, u8 state, 6 reserved), then variables, each 4-byte aligned. OVMF
uses the authenticated header: u16 StartId 0x55aa, u8 State, u8 reserved,
u32 Attributes, u64 MonotonicCount, 16-byte EFI_TIME, u32 PubKeyIndex,
u32 NameSize, u32 DataSize, 16-byte VendorGuid, then name (UCS-2) and
data. A variable is live while its State is VAR_ADDED (0x3f), or 0x3e
(VAR_ADDED with VAR_IN_DELETED_TRANSITION: its replacement not yet
written, so it still counts when no VAR_ADDED copy follows).
"""
import struct
import uuid

VAR_ADDED = 0x3F
VAR_ADDED_IN_TRANSITION = 0x3E
AUTH_HEADER = struct.Struct("<HBBIQ16sIII16s")


def variables(path):
    with open(path, "rb") as f:
        blob = f.read()
    if blob[40:44] != b"_FVH":
        raise ValueError(f"{path}: no firmware volume header")
    fv_header_len = struct.unpack_from("<H", blob, 48)[0]
    store = fv_header_len
    store_size = struct.unpack_from("<I", blob, store + 16)[0]
    end = min(store + store_size, len(blob))
    off = store + 28
    live, in_transition = {}, {}
    while off + AUTH_HEADER.size <= end:
        (start, state, _, attr, _, _, _, name_size, data_size,
         guid) = AUTH_HEADER.unpack_from(blob, off)
        if start != 0x55AA:
            break
        name_off = off + AUTH_HEADER.size
        data_off = name_off + name_size
        name = blob[name_off:data_off].decode("utf-16-le").rstrip("\0")
        key = (str(uuid.UUID(bytes_le=guid)), name)
        value = (attr, blob[data_off:data_off + data_size])
        if state == VAR_ADDED:
            live[key] = value
        elif state == VAR_ADDED_IN_TRANSITION:
            in_transition[key] = value
        off = (data_off + data_size + 3) & ~3
    for key, value in in_transition.items():
        live.setdefault(key, value)
    return live


def changes(before, after):
    """Sorted "added/removed/changed GUID NAME" lines."""
    out = []
    for key in sorted(set(before) | set(after)):
        if key not in before:
            out.append(f"added {key[0]} {key[1]}")
        elif key not in after:
            out.append(f"removed {key[0]} {key[1]}")
        elif before[key] != after[key]:
            out.append(f"changed {key[0]} {key[1]}")
    return out
