"""tf.summary.image / audio / text in scopeviz.compat.v1: TensorFlow 1.15's op
names, tags, attrs and errors, numpy in and serialized Summary bytes out
(read back with the tests' own wire-format reader and PNG decoder), and
merge_all over every kind."""
import os
import struct
import sys
import unittest
import zlib

import numpy as np

import scopeviz.compat.v1 as tf

sys.path.insert(0, os.path.dirname(__file__))
import tfrecord_wire as reader  # noqa: E402 (the tests' own wire-format reader)


def values(summary_bytes):
    """[(tag, {field number: payload})] of a serialized Summary, through the independent reader."""
    out = []
    for v in reader.every(reader.fields(summary_bytes), 1, 2):
        f = reader.fields(v)
        out.append((reader.first(f, 1, 2, b"").decode(), f))
    return out


def png_pixels(png):
    """Width, height, colour type and the raw rows of an 8-bit, non-interlaced PNG (filter bytes undone)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    at, idat, header = 8, b"", None
    while at < len(png):
        n, kind = struct.unpack(">I4s", png[at:at + 8])
        body = png[at + 8:at + 8 + n]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        at += 12 + n
    w, h, depth, colour, _, _, interlace = header
    assert depth == 8 and interlace == 0
    channels = {0: 1, 4: 2, 2: 3, 6: 4}[colour]
    raw = zlib.decompress(idat)
    stride = w * channels
    rows, prev = [], bytearray(stride)
    for y in range(h):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - channels] if i >= channels else 0
            b = prev[i]
            c = prev[i - channels] if i >= channels else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[i] = (line[i] + pred) & 0xFF
        rows.append(bytes(line))
        prev = line
    return w, h, channels, np.frombuffer(b"".join(rows), dtype=np.uint8).reshape(h, w, channels)


class SummaryCompatTest(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()

    def testImageNamesTagsAndPixels(self):
        x = tf.placeholder(tf.float32, [None, 4, 5, 3], name="x")
        with tf.name_scope("input_reshape"):
            s = tf.summary.image("input", x, max_outputs=2)
        self.assertEqual(s.op.name, "input_reshape/input")
        self.assertEqual(s.op.type, "ImageSummary")
        self.assertEqual(s.op.get_attr("max_images"), 2)
        self.assertEqual([t.op.name for t in s.op.inputs], ["input_reshape/input/tag", "x"])
        batch = np.random.RandomState(1).uniform(0, 2, size=(3, 4, 5, 3)).astype(np.float32)
        with tf.Session() as sess:
            out = sess.run(s, {x: batch})
        vals = values(out)
        self.assertEqual([t for t, _ in vals], ["input_reshape/input/image/0", "input_reshape/input/image/1"])
        image = reader.fields(reader.first(vals[1][1], 4, 2))
        self.assertEqual((reader.first(image, 1, 0), reader.first(image, 2, 0), reader.first(image, 3, 0)), (4, 5, 3))
        w, h, c, pixels = png_pixels(reader.first(image, 4, 2))
        self.assertEqual((w, h, c), (5, 4, 3))
        expected = (batch[1] * np.float32(255.0 / batch[1].max())).astype(np.uint8)  # TF1: non-negative -> 255/max
        np.testing.assert_array_equal(pixels, expected)

    def testImageUint8NumpyAndSingleOutputTag(self):
        img = np.arange(2 * 2 * 3 * 1, dtype=np.uint8).reshape(2, 2, 3, 1) * 10
        s = tf.summary.image("digits", img, max_outputs=1)
        self.assertEqual(s.op.get_attr("T"), 4)  # DT_UINT8
        self.assertEqual(s.op.inputs[1].op.name, "digits/tensor")  # a literal becomes <scope>/tensor
        with tf.Session() as sess:
            vals = values(sess.run(s))
        self.assertEqual([t for t, _ in vals], ["digits/image"])
        _, _, _, pixels = png_pixels(reader.first(reader.fields(reader.first(vals[0][1], 4, 2)), 4, 2))
        np.testing.assert_array_equal(pixels, img[0])

    def testImageErrors(self):
        with self.assertRaisesRegex(ValueError, "Attr 'max_images' of 'ImageSummary' Op passed 0 less than minimum 1"):
            tf.summary.image("x", np.zeros((1, 2, 2, 1), np.float32), max_outputs=0)
        with self.assertRaisesRegex(TypeError, "not in list of allowed values"):
            tf.summary.image("x", tf.placeholder(tf.int32, [1, 2, 2, 1]))
        bad = tf.placeholder(tf.float32, None, name="bad")
        s = tf.summary.image("y", bad)
        with tf.Session() as sess:
            with self.assertRaisesRegex(tf.errors.InvalidArgumentError,
                                        r"Tensor must be 4-D with last dim 1, 3, or 4, not \[1,2,2,2\]"):
                sess.run(s, {bad: np.zeros((1, 2, 2, 2), np.float32)})
            with self.assertRaisesRegex(tf.errors.InvalidArgumentError,
                                        r"Tensor must be 4-D with last dim 1, 3, or 4, not \[2,3\]"):
                sess.run(s, {bad: np.zeros((2, 3), np.float32)})

    def testAudio(self):
        clips = np.stack([np.linspace(-1, 1, 50), np.zeros(50)]).astype(np.float64)  # numpy float64 is converted
        with tf.name_scope("sound"):
            s = tf.summary.audio("clip", clips, 16000, max_outputs=3)
        self.assertEqual(s.op.name, "sound/clip")
        self.assertEqual(s.op.type, "AudioSummaryV2")
        self.assertEqual(s.op.get_attr("max_outputs"), 3)
        self.assertEqual([t.op.name for t in s.op.inputs], ["sound/clip/tag", "sound/clip/tensor",
                                                           "sound/clip/sample_rate"])
        with tf.Session() as sess:
            vals = values(sess.run(s))
        self.assertEqual([t for t, _ in vals], ["sound/clip/audio/0", "sound/clip/audio/1"])
        audio = reader.fields(reader.first(vals[0][1], 6, 2))
        self.assertEqual(struct.unpack("<f", reader.first(audio, 1, 5))[0], 16000.0)
        self.assertEqual(reader.first(audio, 2, 0), 1)   # num_channels
        self.assertEqual(reader.first(audio, 3, 0), 50)  # length_frames
        self.assertEqual(reader.first(audio, 5, 2), b"audio/wav")
        wav = reader.first(audio, 4, 2)
        self.assertEqual((wav[:4], wav[8:16]), (b"RIFF", b"WAVEfmt "))
        samples = np.frombuffer(wav[44:], dtype="<i2")
        self.assertEqual((samples[0], samples[-1], len(samples)), (-32768, 32767, 50))

        s1 = tf.summary.audio("one", np.zeros((2, 10, 2), np.float32), 8000.0, max_outputs=1)
        with tf.Session() as sess:
            self.assertEqual([t for t, _ in values(sess.run(s1))], ["one/audio"])
        with self.assertRaisesRegex(ValueError, "'max_outputs' of 'AudioSummaryV2' Op passed 0 less than minimum 1"):
            tf.summary.audio("x", np.zeros((1, 4), np.float32), 8000, max_outputs=0)
        with self.assertRaisesRegex(TypeError, "^Input 'tensor' of 'AudioSummaryV2' Op has type int32 that does not "
                                               "match expected type of float32.$"):
            tf.summary.audio("ints", tf.placeholder(tf.int32, [1, 4]), 8000)
        bad = tf.placeholder(tf.float32, None)
        s2 = tf.summary.audio("bad", bad, 8000)
        with tf.Session() as sess:
            with self.assertRaisesRegex(tf.errors.InvalidArgumentError, r"Tensor must be 3-D or 2-D, got: \[5\]"):
                sess.run(s2, {bad: np.zeros(5, np.float32)})
        rate = tf.placeholder(tf.float32, [])
        s3 = tf.summary.audio("rate", np.zeros((1, 4), np.float32), rate)
        with tf.Session() as sess:
            with self.assertRaisesRegex(tf.errors.InvalidArgumentError, "sample_rate must be > 0"):
                sess.run(s3, {rate: 0.0})

    def testText(self):
        words = tf.constant(["# Title", "some *markdown*"], name="words")
        s = tf.summary.text("notes", words)
        self.assertEqual(s.op.name, "notes")
        self.assertEqual(s.op.type, "TensorSummaryV2")
        self.assertEqual([t.op.name for t in s.op.inputs], ["notes/tag", "words", "notes/serialized_summary_metadata"])
        with tf.Session() as sess:
            vals = values(sess.run(s))
        self.assertEqual(len(vals), 1)
        tag, f = vals[0]
        self.assertEqual(tag, "notes")
        plugin = reader.fields(reader.first(reader.fields(reader.first(f, 9, 2)), 1, 2))
        self.assertEqual(reader.first(plugin, 1, 2), b"text")
        tensor = reader.fields(reader.first(f, 8, 2))
        self.assertEqual(reader.first(tensor, 1, 0), 7)  # DT_STRING
        self.assertEqual(reader.every(tensor, 8, 2), [b"# Title", b"some *markdown*"])
        with self.assertRaisesRegex(ValueError, "^Expected tensor x:0 to have dtype string, got <dtype: 'float32'>$"):
            tf.summary.text("bad", tf.placeholder(tf.float32, [], name="x"))
        with self.assertRaisesRegex(AttributeError, "'str' object has no attribute 'dtype'"):
            tf.summary.text("bad", "not a tensor")

    def testMergeAllCollectsEveryKind(self):
        x = tf.placeholder(tf.float32, [1, 2, 2, 1])
        tf.summary.scalar("s", tf.reduce_mean(x))
        tf.summary.histogram("h", x)
        tf.summary.image("i", x)
        tf.summary.audio("a", tf.reshape(x, [1, 4]), 8000)
        tf.summary.text("t", tf.constant("hello"))
        merged = tf.summary.merge_all()
        with tf.Session() as sess:
            out = sess.run(merged, {x: np.ones((1, 2, 2, 1), np.float32)})
        self.assertEqual([t for t, _ in values(out)], ["s", "h", "i/image/0", "a/audio/0", "t"])


if __name__ == "__main__":
    unittest.main()
