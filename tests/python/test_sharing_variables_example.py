"""resources/examples/sharing_variables.py (TensorFlow 1.x's "Sharing variables" guide) runs, and its
variable and op names are TensorFlow 1.15's for the same program: variables model/conv1/weights ...
created once, the reusing call's ops under model_1/, reuse_variables() inside one scope giving
model2/conv1_1/..., re-entering a scope object giving model3_1/."""
import os
import runpy
import unittest

import scopeviz.compat.v1 as tf

EXAMPLES = os.environ.get("SCOPEVIZ_EXAMPLES", os.path.join(os.path.dirname(__file__), "..", "..", "resources",
                                                             "examples"))


class SharingVariablesExampleTest(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()
        env = dict(os.environ)
        os.environ.pop("SCOPEVIZ_LOGDIR", None)
        self.addCleanup(os.environ.update, env)
        self.ns = runpy.run_path(os.path.join(EXAMPLES, "sharing_variables.py"))
        self.names = [o.name for o in tf.get_default_graph().get_operations()]

    def testVariablesCreatedOnce(self):
        self.assertEqual([v.name for v in tf.global_variables()], [
            "model/conv1/weights:0", "model/conv1/biases:0", "model/conv2/weights:0", "model/conv2/biases:0",
            "model2/conv1/weights:0", "model2/conv1/biases:0", "model2/conv2/weights:0", "model2/conv2/biases:0",
            "model3/conv1/weights:0", "model3/conv1/biases:0", "model3/conv2/weights:0", "model3/conv2/biases:0"])

    def testOpNames(self):
        # TF 1.15: the first call's ops in model/, the reusing call's in model_1/ (a new name scope).
        for n in ("random_normal", "random_normal_1", "model/conv1/weights/Initializer/random_normal",
                  "model/conv1/Conv2D", "model/conv1/add", "model/conv1/Relu", "model/conv2/Conv2D",
                  "model/conv2/Relu", "model_1/conv1/Conv2D", "model_1/conv1/add", "model_1/conv1/Relu",
                  "model_1/conv2/Relu", "model2/conv1/Conv2D", "model2/conv1_1/Conv2D", "model2/conv2_1/Relu",
                  "model3/conv2/Relu", "model3_1/conv1/Conv2D", "model3_1/conv2/Relu"):
            self.assertIn(n, self.names)
        self.assertNotIn("model_1/conv1/weights", self.names)

    def testOutputs(self):
        ns = self.ns
        self.assertEqual(ns["output1"].name, "model/conv2/Relu:0")
        self.assertEqual(ns["output2"].name, "model_1/conv2/Relu:0")
        self.assertEqual(ns["output4"].name, "model2/conv2_1/Relu:0")
        self.assertEqual(ns["output6"].name, "model3_1/conv2/Relu:0")
        self.assertEqual(ns["output1"].shape.as_list(), [1, 10, 10, 32])
        self.assertEqual(ns["output2"].shape.as_list(), [1, 20, 20, 32])

    def testReusedOpsReadTheSameVariable(self):
        g = tf.get_default_graph()
        a = g.get_operation_by_name("model/conv1/Conv2D").inputs[1].name
        b = g.get_operation_by_name("model_1/conv1/Conv2D").inputs[1].name
        self.assertEqual(a, "model/conv1/weights/read:0")
        self.assertEqual(a, b)


if __name__ == "__main__":
    unittest.main()
