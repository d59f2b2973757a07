"""`scopeviz --dump-summaries` against an independent reader.

The reader here shares no code with scopeviz: its own TFRecord framing (with
masked CRC32C checks), its own protobuf wire-format walker, and its own
reading of what each summary value is (TensorBoard's rules: simple_value is a
scalar, HistogramProto a histogram, Summary.Image/Audio images and audio, and a
tensor by its plugin: a rank-0 number for "scalars" or no plugin, a [k,3]
float tensor for "histograms", strings for "images", "audio" and "text",
anything else "tensor:<plugin>"). For every event file under tests/data/events
it counts values per (tag, kind) and compares with scopeviz's CSV.
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


def tensor_kind(tensor, plugin):
    t = fields(tensor)
    dtype = first(t, 1, 0, 0)
    shape = fields(first(t, 2, 2, b""))
    dims = [first(fields(d), 1, 0, 0) for d in every(shape, 2, 2)]
    dims = [d - (1 << 64) if d >= 1 << 63 else d for d in dims]
    if plugin in ("", "scalars") and not dims and dtype != DT_STRING:
        return "scalar"
    if plugin == "histograms" and dtype in (DT_FLOAT, DT_DOUBLE) and len(dims) == 2 and dims[1] == 3:
        return "histogram"
    if dtype == DT_STRING:
        strings = every(t, 8, 2)
        if plugin == "images" and len(strings) >= 2:
            return "image"
        if plugin == "audio" and strings and strings[0][:4] == b"RIFF" and strings[0][8:12] == b"WAVE":
            return "audio"
        if plugin == "text":
            return "text"
    return "tensor:" + plugin


def value_kind(value):
    v = fields(value)
    meta = fields(first(v, 9, 2, b""))
    plugin = first(fields(first(meta, 1, 2, b"")), 1, 2, b"").decode("utf-8", "replace")
    for number, wire, payload in v:
        if number == 2 and wire == 5:
            return "scalar"
        if number == 5 and wire == 2:
            return "histogram"
        if number == 4 and wire == 2:
            return "image"
        if number == 6 and wire == 2:
            return "audio"
        if number == 8 and wire == 2:
            return tensor_kind(payload, plugin)
    return "tensor:"


def count_file(path):
    """(tag, kind) -> number of values, over every Event.summary of the file."""
    counts = collections.Counter()
    with open(path, "rb") as f:
        data = f.read()
    for payload in records(data):
        summary = first(fields(payload), 5, 2)
        if summary is None:
            continue
        for value in every(fields(summary), 1, 2):
            tag = first(fields(value), 1, 2, b"").decode("utf-8", "replace")
            counts[(tag, value_kind(value))] += 1
    return counts


def event_files():
    root = os.path.join(TESTDATA, "events")
    for d, subdirs, names in sorted(os.walk(root)):
        subdirs.sort()
        for name in sorted(names):
            if "tfevents" in name:
                yield os.path.join(d, name)


def dump_summaries(path):
    p = subprocess.run([BINARY, "--dump-summaries", path], capture_output=True, timeout=300)
    if p.returncode != 0:
        raise AssertionError(p.stderr.decode())
    counts = collections.Counter()
    for row in csv.DictReader(io.StringIO(p.stdout.decode("utf-8"))):
        counts[(row["tag"], row["kind"])] += 1
    return counts


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
            if BINARY:
                self.assertEqual(dump_summaries(path), count_file(path))

    def testKnownCrcValue(self):
        self.assertEqual(crc32c(b"123456789"), 0xE3069283)  # the CRC-32C check value

    @unittest.skipUnless(BINARY, "the scopeviz executable is not built")
    def testEveryTestDataFileAgrees(self):
        files = list(event_files())
        self.assertGreaterEqual(len(files), 13)
        kinds_seen = set()
        for path in files:
            with self.subTest(file=os.path.relpath(path, TESTDATA)):
                expected = count_file(path)
                self.assertEqual(dump_summaries(path), expected)
                kinds_seen.update(k for _, k in expected)
        # The test data holds every kind the dashboards show.
        for kind in ("scalar", "histogram", "image", "audio", "text"):
            self.assertIn(kind, kinds_seen)


if __name__ == "__main__":
    unittest.main()
