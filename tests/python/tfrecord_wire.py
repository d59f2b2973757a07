"""An independent reader of TFRecord files and the protobuf wire format, for
the Python tests: it shares no code with scopeviz. TFRecord framing with
masked CRC32C checks, and a walker of a message's fields."""
import struct

# ---- CRC32C (Castagnoli), TFRecord's masked form ---------------------------------------

_CRC_TABLE = []
for _i in range(256):
    _c = _i
    for _ in range(8):
        _c = (_c >> 1) ^ 0x82F63B78 if _c & 1 else _c >> 1
    _CRC_TABLE.append(_c)


def crc32c(data):
    c = 0xFFFFFFFF
    table = _CRC_TABLE
    for b in data:
        c = table[(c ^ b) & 0xFF] ^ (c >> 8)
    return c ^ 0xFFFFFFFF


def masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def records(data):
    """The payloads of a TFRecord file, up to the first incomplete or corrupt record."""
    at = 0
    while at + 12 <= len(data):
        length, length_crc = struct.unpack_from("<QI", data, at)
        if masked(crc32c(data[at:at + 8])) != length_crc:
            return
        if at + 12 + length + 4 > len(data):
            return
        payload = data[at + 12:at + 12 + length]
        (payload_crc,) = struct.unpack_from("<I", data, at + 12 + length)
        if masked(crc32c(payload)) != payload_crc:
            return
        yield payload
        at += 12 + length + 4


# ---- protobuf wire format ------------------------------------------------------------------


def varint(buf, at):
    shift = value = 0
    while True:
        if at >= len(buf):
            raise ValueError("truncated varint")
        b = buf[at]
        at += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, at
        shift += 7
        if shift > 63:
            raise ValueError("varint too long")


def fields(buf):
    """(field number, wire type, value) of a message: ints for varint/fixed, bytes for length-delimited."""
    at = 0
    out = []
    while at < len(buf):
        key, at = varint(buf, at)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, at = varint(buf, at)
        elif wire == 1:
            value = buf[at:at + 8]
            at += 8
        elif wire == 5:
            value = buf[at:at + 4]
            at += 4
        elif wire == 2:
            n, at = varint(buf, at)
            value = buf[at:at + n]
            at += n
        else:
            raise ValueError("wire type %d" % wire)
        if at > len(buf):
            raise ValueError("truncated field")
        out.append((number, wire, value))
    return out


def first(fs, number, wire, default=None):
    for n, w, v in fs:
        if n == number and w == wire:
            return v
    return default


def every(fs, number, wire):
    return [v for n, w, v in fs if n == number and w == wire]
