"""The tutorial-style examples in resources/examples run end to end with the
names TensorFlow 1.15 would give."""
import collections
import os
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(__file__))
import test_summary_reader  # noqa: E402 (the independent reader: kinds per tag)
import tfrecord_wire  # noqa: E402 (the tests' own TFRecord and wire-format reader)

TESTDATA = os.environ.get("SCOPEVIZ_TESTDATA", os.path.join(os.path.dirname(__file__), "..", "data"))
EXAMPLES = os.environ.get("SCOPEVIZ_EXAMPLES",
                          os.path.join(os.path.dirname(__file__), "..", "..", "resources", "examples"))


def run(name, **env):
    e = dict(os.environ)
    e.update(env)
    p = subprocess.run([sys.executable, os.path.join(EXAMPLES, name)], capture_output=True, text=True, env=e,
                       timeout=300)
    if p.returncode != 0:
        raise AssertionError(p.stderr)
    return p.stdout


class ExamplesTest(unittest.TestCase):
    def testSharedNetwork(self):
        out = run("shared_network.py")
        self.assertIn("variables: ['my_net/weights:0', 'my_net/biases:0']", out)
        self.assertIn("first call:  my_net/Relu:0", out)
        self.assertIn("second call: my_net_1/Relu:0", out)
        self.assertIn("same input, same weights, same output: True", out)

    def testNameVersusVariableScope(self):
        out = run("name_vs_variable_scope.py")
        lines = [l.split()[-1] for l in out.splitlines()[:8]]
        self.assertEqual(lines, ["v1:0", "ns/c1:0", "vs/v2:0", "vs/c2:0", "vs/v2:0", "vs_1/c3:0", "vs/v3:0",
                                 "vs_2/inner/t:0"])
        self.assertIn("v2 is v2_again: True", out)

    def testSummariesTraining(self):
        import scopeviz.compat.v1 as tf  # noqa: F401 (the module must import)
        from scopeviz import _core
        with tempfile.TemporaryDirectory() as d:
            out = run("summaries_training.py", SCOPEVIZ_LOGDIR=d, EXAMPLE_STEPS="200", EXAMPLE_DELAY="0")
            acc = float(out.strip().splitlines()[-1].split()[-1])
            self.assertGreater(acc, 0.9)
            files = [f for f in os.listdir(d) if "tfevents" in f]
            self.assertEqual(len(files), 1)
            with open(os.path.join(d, files[0]), "rb") as f:
                data = f.read()
            for tag in (b"summary/loss", b"summary/accuracy", b"summary/eval_accuracy"):
                self.assertIn(tag, data)
            # The graph was written, with the eval tower reusing the training tower's variables.
            self.assertIn(b"my_net_1/MatMul", data)
            self.assertIn(b"head_1/MatMul", data)
            self.assertTrue(_core is not None)


class MnistWithSummariesTest(unittest.TestCase):
    def run_example(self, logdir, steps):
        env = dict(os.environ, EXAMPLE_STEPS=str(steps))
        p = subprocess.run([sys.executable, os.path.join(EXAMPLES, "mnist_with_summaries.py"), logdir],
                           capture_output=True, text=True, env=env, timeout=300)
        self.assertEqual(p.returncode, 0, p.stderr)
        return p.stdout

    @staticmethod
    def kinds(folder):
        files = [os.path.join(folder, f) for f in os.listdir(folder) if "tfevents" in f]
        counts = collections.Counter()
        for f in files:
            counts.update(test_summary_reader.count_file(f))
        return counts

    def testExampleOpNamesAndCounts(self):
        with tempfile.TemporaryDirectory() as d:
            out = self.run_example(d, 12)
            self.assertIn("Accuracy at step 10:", out)
            train, test = self.kinds(os.path.join(d, "train")), self.kinds(os.path.join(d, "test"))
            # Steps 1-9 and 11 train (10 summaries), 0 and 10 test (2).
            self.assertEqual(train[("input_reshape/input/image/0", "image")], 10)
            self.assertEqual(test[("input_reshape/input/image/2", "image")], 2)
            self.assertEqual(train[("layer1/weights/summaries/histogram", "histogram")], 10)
            self.assertEqual(train[("layer2/Wx_plus_b/pre_activations", "histogram")], 10)
            self.assertEqual(train[("layer1/activations", "histogram")], 10)
            self.assertEqual(train[("layer1/biases/summaries/stddev_1", "scalar")], 10)
            self.assertEqual(test[("cross_entropy_1", "scalar")], 2)
            self.assertEqual(test[("accuracy_1", "scalar")], 2)
            self.assertEqual(train[("sound/tone/audio", "audio")], 10)
            self.assertEqual(test[("notes/about", "text")], 2)
            per_kind = collections.Counter()
            for (tag, kind), n in train.items():
                per_kind[kind] += n
            import scopeviz.compat.v1 as tf
            with_max_min = hasattr(tf, "reduce_max") and hasattr(tf, "reduce_min")
            scalars_per_step = 4 * (4 if with_max_min else 2) + 2  # 4 variables, cross_entropy, accuracy
            self.assertEqual(dict(per_kind), {"image": 30, "histogram": 80, "scalar": 10 * scalars_per_step,
                                              "audio": 10, "text": 10})
            # The graph, with TF1's op names, is in the train run's file.
            data = b""
            for f in os.listdir(os.path.join(d, "train")):
                with open(os.path.join(d, "train", f), "rb") as fh:
                    data += fh.read()
            for name in (b"input/x-input", b"input_reshape/input", b"layer1/weights/Variable", b"layer1/Wx_plus_b/MatMul",
                         b"layer1/activation", b"layer2/activation", b"cross_entropy/total/Mean", b"train/Adam",
                         b"accuracy/correct_prediction/Equal", b"sound/tone", b"notes/about", b"ImageSummary",
                         b"AudioSummaryV2", b"TensorSummaryV2"):
                self.assertIn(name, data)

    def testCheckedInLogMatchesItsSources(self):
        folder = os.path.join(TESTDATA, "events", "scopeviz-mnist-with-summaries")
        train, test = self.kinds(os.path.join(folder, "train")), self.kinds(os.path.join(folder, "test"))
        totals = collections.Counter()
        for counts in (train, test):
            for (tag, kind), n in counts.items():
                totals[kind] += n
        # SOURCES.md: 30 steps, 27 train and 3 test summaries.
        self.assertEqual(dict(totals), {"image": 90, "histogram": 240, "scalar": 300, "audio": 30, "text": 30})
        self.assertEqual(train[("layer2/weights/summaries/histogram", "histogram")], 27)
        self.assertEqual(test[("input_reshape/input/image/1", "image")], 3)



# The tutorial's two snippets, in TensorFlow 1.x as a user would paste them.
# They run with exactly one change: the import line (see _as_scopeviz).
TUTORIAL_SNIPPET_1 = """\
import tensorflow as tf

def my_net(input, reuse):
    with tf.variable_scope("my_net", reuse=reuse):
        weights = tf.get_variable("weights", [input.shape[-1], 512], tf.float32,
                                  tf.truncated_normal_initializer(mean=0, stddev=0.1))
        biases = tf.get_variable("biases", [512], tf.float32, tf.constant_initializer(0.1))
        output = tf.nn.relu(tf.matmul(input, weights) + biases)
    return output
"""

TUTORIAL_SNIPPET_2 = """\
import tensorflow as tf

with tf.name_scope("summary"):
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    merged = tf.summary.merge_all()

writer = tf.summary.FileWriter(logdir, sess.graph)
summary = sess.run(merged, feed_dict=feed)
writer.add_summary(summary, step)
writer.close()
"""


def _as_scopeviz(snippet):
    """The snippet with its import changed, and nothing else."""
    changed = snippet.replace("import tensorflow as tf", "import scopeviz.compat.v1 as tf")
    assert changed.count("import scopeviz.compat.v1 as tf") == 1
    assert changed.replace("import scopeviz.compat.v1 as tf", "import tensorflow as tf") == snippet
    return changed


_fields = tfrecord_wire.fields


def _summary_tags(summary):
    """Tags of a serialized tf.Summary (Summary.value = 1, Value.tag = 1)."""
    return [v for n, _, value in _fields(summary) if n == 1 for m, _, v in _fields(value) if m == 1]


def _events(path):
    """Serialized Event records of a TFRecord file."""
    with open(path, "rb") as f:
        return list(tfrecord_wire.records(f.read()))


class TutorialSnippetsTest(unittest.TestCase):
    """The tutorial's snippets pasted unchanged but for `import tensorflow as tf`."""

    def setUp(self):
        import scopeviz.compat.v1 as tf
        tf.reset_default_graph()
        self.tf = tf

    def run_snippet(self, snippet, namespace):
        exec(compile(_as_scopeviz(snippet), "<tutorial snippet>", "exec"), namespace)
        return namespace

    def build_net(self):
        ns = self.run_snippet(TUTORIAL_SNIPPET_1, {})
        tf = ns["tf"]
        x = tf.placeholder(tf.float32, [None, 64], name="x")
        x_eval = tf.placeholder(tf.float32, [None, 64], name="x_eval")
        ns["out"] = ns["my_net"](x, reuse=False)
        ns["out_eval"] = ns["my_net"](x_eval, reuse=True)
        ns["x"], ns["x_eval"] = x, x_eval
        return ns

    def testSnippet1SharesWeightsAcrossCalls(self):
        ns = self.build_net()
        tf = ns["tf"]
        self.assertIs(tf, self.tf)
        # Both calls use the one my_net/weights (and biases): two variables in all.
        self.assertEqual([v.name for v in tf.global_variables()], ["my_net/weights:0", "my_net/biases:0"])
        g = tf.get_default_graph()
        names = [op.name for op in g.get_operations()]
        self.assertEqual(names.count("my_net/weights"), 1)
        self.assertNotIn("my_net_1/weights", names)
        # The second call's ops live in my_net_1/ and read the shared variables.
        self.assertEqual(ns["out"].name, "my_net/Relu:0")
        self.assertEqual(ns["out_eval"].name, "my_net_1/Relu:0")
        second = [n for n in names if n.startswith("my_net_1/")]
        self.assertEqual(sorted(second), ["my_net_1/MatMul", "my_net_1/Relu", "my_net_1/add"])
        matmul_1 = g.get_operation_by_name("my_net_1/MatMul")
        self.assertEqual([t.name for t in matmul_1.inputs], ["x_eval:0", "my_net/weights/read:0"])
        add_1 = g.get_operation_by_name("my_net_1/add")
        self.assertEqual([t.name for t in add_1.inputs], ["my_net_1/MatMul:0", "my_net/biases/read:0"])

    def testSnippet2WritesSummaryLossAndAccuracy(self):
        import numpy as np
        ns = self.build_net()
        tf = ns["tf"]
        labels = tf.placeholder(tf.int64, [None], name="labels")
        logits = ns["out"]
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
        accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))
        with tempfile.TemporaryDirectory() as logdir, tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            feed = {ns["x"]: np.ones((4, 64), np.float32), labels: np.arange(4)}
            env = dict(ns, loss=loss, accuracy=accuracy, logdir=logdir, sess=sess, feed=feed, step=7)
            env = self.run_snippet(TUTORIAL_SNIPPET_2, env)
            self.assertEqual(env["merged"].op.name, "summary/Merge/MergeSummary")
            self.assertEqual(_summary_tags(env["summary"]), [b"summary/loss", b"summary/accuracy"])
            files = [f for f in os.listdir(logdir) if "tfevents" in f]
            self.assertEqual(len(files), 1)
            events = [_fields(e) for e in _events(os.path.join(logdir, files[0]))]
        # Event: file_version = 3, graph_def = 4, summary = 5, step = 2.
        self.assertTrue(any(n == 3 for e in events for n, _, _ in e))
        graphs = [v for e in events for n, _, v in e if n == 4]
        self.assertEqual(len(graphs), 1)
        self.assertIn(b"my_net_1/MatMul", graphs[0])
        summaries = [(dict((n, v) for n, _, v in e).get(2), v) for e in events for n, _, v in e if n == 5]
        self.assertEqual(len(summaries), 1)
        self.assertEqual(summaries[0][0], 7)
        self.assertEqual(_summary_tags(summaries[0][1]), [b"summary/loss", b"summary/accuracy"])


if __name__ == "__main__":
    unittest.main()
