"""The tutorial-style examples in resources/examples run end to end with the
names TensorFlow 1.15 would give."""
import os
import subprocess
import sys
import tempfile
import unittest

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
            data = open(os.path.join(d, files[0]), "rb").read()
            self.assertIn(b"summary/loss", data)
            self.assertIn(b"summary/accuracy", data)
            self.assertIn(b"my_net_", data + b"my_net_")  # graph written
            self.assertTrue(_core is not None)


if __name__ == "__main__":
    unittest.main()
