"""ONNX models as the onnx Python package reads them (tests/data/onnx/SOURCES.md):
`scopeviz --list-ops` lists the same nodes, op types, inputs and parameters, and
scopeviz.load() walks the module hierarchy. Skipped only when python3-onnx is
missing (scripts/install-deps.sh installs it)."""
import collections
import os
import subprocess
import unittest

try:
    import onnx
except ImportError:  # pragma: no cover
    onnx = None

import scopeviz

DATA = os.path.join(os.environ.get("SCOPEVIZ_TESTDATA",
                                   os.path.join(os.path.dirname(__file__), "..", "data")), "onnx")
BINARY = os.environ.get("SCOPEVIZ_BINARY", "")
NOT_NODES = {"Placeholder", "VariableV2", "GraphOutput"}


def list_ops(name):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    p = subprocess.run([BINARY, "--list-ops", os.path.join(DATA, name)], capture_output=True, text=True,
                       env=env, timeout=120)
    if p.returncode != 0:
        raise AssertionError(p.stderr)
    return [line.split("\t") for line in p.stdout.splitlines()]


@unittest.skipIf(onnx is None, "python3-onnx is not installed")
class OnnxListOpsTest(unittest.TestCase):
    @unittest.skipUnless(BINARY and os.path.exists(BINARY), "the scopeviz executable is not built")
    def testListOpsMatchesTheOnnxPackage(self):
        for name in ["resnet18.onnx", "mobilenet_v2.onnx", "vit_b_16.onnx", "convnext_tiny.onnx", "tied_lm.onnx",
                     "siamese.onnx", "external_data.onnx", "checker_fails.onnx"]:
            with self.subTest(model=name):
                g = onnx.load(os.path.join(DATA, name)).graph
                rows = list_ops(name)
                nodes = [(r[0], r[1], r[2]) for r in rows if r[1] not in NOT_NODES]
                self.assertEqual(nodes, [(n.name, n.op_type, ",".join(n.input)) for n in g.node])
                params = {r[0] for r in rows if r[1] == "VariableV2"}
                inputs = {r[0] for r in rows if r[1] == "Placeholder"}
                initializers = {t.name for t in g.initializer}
                self.assertTrue(initializers <= params)
                self.assertEqual(params | inputs, initializers | {i.name for i in g.input})
                self.assertEqual(params & inputs, set())
                self.assertEqual({r[0] for r in rows if r[1] == "GraphOutput"}, {o.name for o in g.output})

    @unittest.skipUnless(BINARY and os.path.exists(BINARY), "the scopeviz executable is not built")
    def testBodiesOfFunctionsAndControlFlowAreListed(self):
        # --list-ops also lists the ops inside local functions (once per call) and inside If/Loop/Scan
        # bodies, where initializers are constants: the top-level nodes must match the onnx package's, in
        # order and with their inputs, and the op types of everything listed must match its walk.
        def walk(graph, functions, counter):
            for n in graph.node:
                counter[n.op_type] += 1
                f = functions.get((n.domain, n.op_type))
                for b in (f.node if f is not None else []):
                    counter[b.op_type] += 1
                for a in n.attribute:
                    for sub in ([a.g] if a.type == onnx.AttributeProto.GRAPH else list(a.graphs)):
                        counter["Const"] += len(sub.initializer)
                        walk(sub, functions, counter)

        for name in ["functions.onnx", "control_flow.onnx"]:
            with self.subTest(model=name):
                m = onnx.load(os.path.join(DATA, name))
                expected = collections.Counter()
                walk(m.graph, {(f.domain, f.name): f for f in m.functions}, expected)
                rows = list_ops(name)
                listed = collections.Counter(r[1] for r in rows if r[1] not in NOT_NODES)
                self.assertEqual(listed, expected)
                self.assertGreater(sum(listed.values()), len(m.graph.node))  # the bodies are there
                top = {n.name for n in m.graph.node}
                self.assertEqual([(r[0], r[1], r[2]) for r in rows if r[0] in top and r[1] not in NOT_NODES],
                                 [(n.name, n.op_type, ",".join(n.input)) for n in m.graph.node])

    def testLoadWalksTheModuleTree(self):
        m = scopeviz.load(os.path.join(DATA, "resnet18.onnx"))
        self.assertEqual(m.properties["format"], "ONNX model")
        self.assertEqual(m.properties["producer"], "pytorch 1.13.0")
        root = m.tree
        self.assertEqual([c.name for c in root.children],
                         ["conv1", "relu", "maxpool", "layer1", "layer2", "layer3", "layer4", "avgpool", "fc"])
        conv = root.find("layer1/layer1.0/conv1")
        self.assertEqual([op.type for op in conv.ops], ["VariableV2", "Conv"])
        self.assertEqual(conv.variables[0][0].name, "layer1/layer1.0/conv1/onnx::Conv_196")
        self.assertTrue(all(shared <= 1 for s in root.walk() for _, shared in s.variables))

    def testTiedEmbeddingIsShared(self):
        m = scopeviz.load(os.path.join(DATA, "tied_lm.onnx"))
        (op, shared), = m.tree.find("embed").variables
        self.assertEqual((op.name, shared), ("embed/embed.weight", 2))

    def testLoadNamesTheFileWhenItFails(self):
        with self.assertRaises(ValueError) as cm:
            scopeviz.load(os.path.join(DATA, "missing.onnx"))
        self.assertIn("missing.onnx", str(cm.exception))


if __name__ == "__main__":
    unittest.main()
