"""`scopeviz --dump-summaries` against an independent reader.

The reader here shares no code with scopeviz: its own TFRecord framing (with
masked CRC32C checks), its own protobuf wire-format walker, and its own
reading of what each summary value is (TensorBoard's rules: simple_value is a
scalar, HistogramProto a histogram, Summary.Image/Audio images and audio, and a
tensor by its plugin: a rank-0 number for "scalars" or no plugin, a [k,3]
float tensor for "histograms", strings for "images", "audio" and "text",
anything else "tensor:<plugin>"). For every event file under tests/data/events
it counts values per (tag, kind), and per (tag, kind, detail) for histograms
(bucket count), images (WxH, from the PNG/GIF/JPEG header when the proto has
no size), audio (frames) and text (bytes of the first string), and compares
with scopeviz's CSV.
"""
import collections
import csv
import io
import os
import struct
import subprocess
import sys
import unittest

sys.path.insert(0, os.path.dirname(__file__))

TESTDATA = os.environ.get("SCOPEVIZ_TESTDATA", os.path.join(os.path.dirname(__file__), "..", "data"))
BINARY = os.environ.get("SCOPEVIZ_BINARY", "")

from tfrecord_wire import crc32c, every, fields, first, masked, records  # noqa: E402,F401

# ---- what a summary value is ----------------------------------------------------------------

DT_FLOAT, DT_DOUBLE, DT_STRING = 1, 2, 7


def image_size(data):
    """(width, height) from a PNG, GIF or JPEG header, or None."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR" and len(data) >= 24:
        return struct.unpack(">II", data[16:24])
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        return struct.unpack("<HH", data[6:10])
    if data[:2] != b"\xff\xd8":
        return None
    at = 2
    while at + 4 <= len(data):
        if data[at] != 0xFF:
            return None
        marker = data[at + 1]
        if marker == 0xFF:
            at += 1
        elif marker == 0x01 or 0xD0 <= marker <= 0xD8:
            at += 2
        elif marker in (0xD9, 0xDA):
            return None
        elif 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            if at + 9 > len(data):
                return None
            h, w = struct.unpack(">HH", data[at + 5:at + 9])
            return w, h
        else:
            at += 2 + struct.unpack(">H", data[at + 2:at + 4])[0]
    return None


def wav_frames(data):
    """Frames of a RIFF/WAVE file (data bytes / block align), or None."""
    if data[:4] != b"RIFF" or data[8:12] != b"WAVE":
        return None
    at, align = 12, None
    while at + 8 <= len(data):
        cid, size = data[at:at + 4], struct.unpack("<I", data[at + 4:at + 8])[0]
        body = data[at + 8:at + 8 + size]
        if cid == b"fmt " and len(body) >= 16:
            channels, bits = struct.unpack("<H", body[2:4])[0], struct.unpack("<H", body[14:16])[0]
            align = struct.unpack("<H", body[12:14])[0] or channels * ((bits + 7) // 8)
        elif cid == b"data":
            return len(body) // align if align else None
        at += 8 + size + (size & 1)
    return None


def doubles(fs, number):
    """How many doubles a repeated double field holds (packed or not)."""
    return sum(1 if w == 1 else len(v) // 8 for n, w, v in fs if n == number and w in (1, 2))


def tensor_info(tensor, plugin):
    t = fields(tensor)
    dtype = first(t, 1, 0, 0)
    shape = fields(first(t, 2, 2, b""))
    dims = [first(fields(d), 1, 0, 0) for d in every(shape, 2, 2)]
    dims = [d - (1 << 64) if d >= 1 << 63 else d for d in dims]
    if plugin in ("", "scalars") and not dims and dtype != DT_STRING:
        return "scalar", None
    if plugin == "histograms" and dtype in (DT_FLOAT, DT_DOUBLE) and len(dims) == 2 and dims[1] == 3:
        return "histogram", str(dims[0])
    if dtype == DT_STRING:
        strings = every(t, 8, 2)
        if plugin == "images" and len(strings) >= 2:
            w, h = strings[0].decode("utf-8", "replace"), strings[1].decode("utf-8", "replace")
            given = all(x.isdigit() and int(x) > 0 for x in (w, h))
            size = None if given or len(strings) < 3 else image_size(strings[2])
            return "image", "%dx%d" % size if size else "%sx%s" % (w, h)
        if plugin == "audio" and strings and wav_frames(strings[0]) is not None:
            return "audio", str(wav_frames(strings[0]))
        if plugin == "text":
            return "text", str(len(strings[0]) if strings else 0)
    return "tensor:" + plugin, None


def value_info(value):
    """(kind, detail) of a Summary.Value; detail is None where it is not compared (scalars, tensors)."""
    v = fields(value)
    meta = fields(first(v, 9, 2, b""))
    plugin = first(fields(first(meta, 1, 2, b"")), 1, 2, b"").decode("utf-8", "replace")
    for number, wire, payload in v:
        if number == 2 and wire == 5:
            return "scalar", None
        if number == 5 and wire == 2:
            h = fields(payload)
            return "histogram", str(min(doubles(h, 6), doubles(h, 7)))
        if number == 4 and wire == 2:
            im = fields(payload)
            h, w = first(im, 1, 0, 0), first(im, 2, 0, 0)
            size = image_size(first(im, 4, 2, b"")) if not (h > 0 and w > 0) else None
            return "image", "%dx%d" % size if size else "%dx%d" % (w, h)
        if number == 6 and wire == 2:
            return "audio", str(first(fields(payload), 3, 0, 0))
        if number == 8 and wire == 2:
            return tensor_info(payload, plugin)
    return "tensor:", None


def read_file(path):
    """(tag, kind, detail) of every value of every Event.summary of the file, in order."""
    rows = []
    with open(path, "rb") as f:
        data = f.read()
    for payload in records(data):
        summary = first(fields(payload), 5, 2)
        if summary is None:
            continue
        for value in every(fields(summary), 1, 2):
            tag = first(fields(value), 1, 2, b"").decode("utf-8", "replace")
            rows.append((tag,) + value_info(value))
    return rows


def count_file(path):
    """(tag, kind) -> number of values in the file."""
    return collections.Counter((tag, kind) for tag, kind, _ in read_file(path))


def details(rows):
    """(tag, kind, detail) -> number, for the kinds whose detail is compared."""
    return collections.Counter(r for r in rows if r[1] in ("histogram", "image", "audio", "text"))


def event_files():
    root = os.path.join(TESTDATA, "events")
    for d, subdirs, names in sorted(os.walk(root)):
        subdirs.sort()
        for name in sorted(names):
            if "tfevents" in name:
                yield os.path.join(d, name)


def dump_summaries(path):
    """(tag, kind, detail) rows of scopeviz --dump-summaries PATH."""
    p = subprocess.run([BINARY, "--dump-summaries", path], capture_output=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(p.stderr.decode())
    return [(r["tag"], r["kind"], r["detail"]) for r in csv.DictReader(io.StringIO(p.stdout.decode("utf-8")))]


class IndependentReaderTest(unittest.TestCase):
    def testOwnParserOnAHandMadeFile(self):
        # A file made here byte by byte: one scalar, one image, one text tensor; then half a record.
        def field(number, wire, payload):
            key = bytes([number << 3 | wire])
            if wire == 2:
                return key + bytes([len(payload)]) + payload
            return key + payload

        def record(payload):
            head = struct.pack("<Q", len(payload))
            return head + struct.pack("<I", masked(crc32c(head))) + payload + \
                struct.pack("<I", masked(crc32c(payload)))

        scalar = field(1, 2, b"loss") + field(2, 5, struct.pack("<f", 0.5))
        image = field(1, 2, b"pic/image/0") + field(4, 2, field(1, 0, b"\x02") + field(2, 0, b"\x03"))
        text_meta = field(9, 2, field(1, 2, field(1, 2, b"text")))
        text = field(1, 2, b"notes") + text_meta + field(8, 2, field(1, 0, bytes([DT_STRING])) + field(8, 2, b"hi"))
        event = field(5, 2, field(1, 2, scalar) + field(1, 2, image) + field(1, 2, text))
        import tempfile
        with tempfile.TemporaryDirectory() as d:
            path = os.path.join(d, "events.out.tfevents.1.handmade")
            with open(path, "wb") as f:
                f.write(record(event) + record(event)[:9])
            self.assertEqual(count_file(path), {("loss", "scalar"): 1, ("pic/image/0", "image"): 1,
                                                ("notes", "text"): 1})
            self.assertEqual(details(read_file(path)), {("pic/image/0", "image", "3x2"): 1, ("notes", "text", "2"): 1})
            if BINARY:
                rows = dump_summaries(path)
                self.assertEqual(collections.Counter((t, k) for t, k, _ in rows), count_file(path))
                self.assertEqual(details(rows), details(read_file(path)))

    def testKnownCrcValue(self):
        self.assertEqual(crc32c(b"123456789"), 0xE3069283)  # the CRC-32C check value

    @unittest.skipUnless(BINARY, "the scopeviz executable is not built")
    def testEveryTestDataFileAgrees(self):
        files = list(event_files())
        self.assertGreaterEqual(len(files), 13)
        kinds_seen = set()
        for path in files:
            with self.subTest(file=os.path.relpath(path, TESTDATA)):
                mine, theirs = read_file(path), dump_summaries(path)
                self.assertEqual(collections.Counter((t, k) for t, k, _ in theirs),
                                 collections.Counter((t, k) for t, k, _ in mine))
                # Bucket counts, WxH (from the header when the proto has none), frames, text bytes.
                self.assertEqual(details(theirs), details(mine))
                kinds_seen.update(k for _, k, _ in mine)
        # The test data holds every kind the dashboards show.
        for kind in ("scalar", "histogram", "image", "audio", "text"):
            self.assertIn(kind, kinds_seen)


if __name__ == "__main__":
    unittest.main()
