"""TensorFlow 1.15's op names where scopeviz used to differ: tf.losses' div_no_nan `value` and `num_present`, the
DivNoNan op and its gradient. Citations follow test_tf_compat_api.py's three forms; paths are relative to
tensorflow/python/."""
import unittest

import numpy as np

import scopeviz.compat.v1 as tf
from test_tf_array_grads import numeric_check


def op_types():
    return {o.name: o.type for o in tf.get_default_graph().get_operations()}


class Case(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()


class DivNoNanTest(Case):
    def testDivNoNan(self):
        """adapted from ops/math_ops_test.py DivNoNanTest.testBasic: float32 only, three fixed pairs with zero and
        non-zero divisors instead of the 80x24 grid; also the op's name and type."""
        r = tf.div_no_nan(tf.constant([1.0, -2.0, 0.0]), tf.constant([0.0, 4.0, 0.0]))
        with tf.Session() as sess:
            self.assertEqual(sess.run(r).tolist(), [0.0, -0.5, 0.0])
        self.assertEqual((r.op.name, r.op.type), ("div_no_nan", "DivNoNan"))

    def testDivNoNanGradient(self):
        """adapted from ops/math_grad_test.py DivNoNanGradientTest.testBasicGradient: a broadcast divisor, float64
        against central differences (TF: compute_gradient_error); also the names gradients/div_no_nan_grad/div_no_nan*."""
        numeric_check(self, lambda x, y: tf.div_no_nan(x, y + 3.0), [(2, 3), (3,)])
        names = op_types()
        self.assertEqual(names.get("gradients/div_no_nan_grad/div_no_nan"), "DivNoNan")
        self.assertEqual(names.get("gradients/div_no_nan_grad/div_no_nan_2"), "DivNoNan")

    def testDivNoNanGradientZeroDivisor(self):
        """adapted from ops/math_grad_test.py DivNoNanGradientTest.testGradientWithDenominatorIsZero: both gradients
        are zero where the divisor is zero."""
        x = tf.constant([2.0, 3.0])
        y = tf.constant([0.0, 0.0])
        gx, gy = tf.gradients(tf.div_no_nan(x, y), [x, y])
        with tf.Session() as sess:
            self.assertEqual([v.tolist() for v in sess.run([gx, gy])], [[0.0, 0.0], [0.0, 0.0]])


class SoftmaxXentNamesTest(Case):
    """nn_ops.softmax_cross_entropy_with_logits_v2_helper's ops (TF 1.15)."""

    def testXentNames(self):
        """no TensorFlow counterpart; written for scopeviz: the kernel is named after the scope
        (softmax_cross_entropy_loss/xentropy), labels and logits are flattened (Rank, Shape, Sub, Slice, concat,
        Reshape; _1 for the labels) and the cost is reshaped back (Sub_2, Slice_2, Reshape_2)."""
        loss = tf.losses.softmax_cross_entropy(tf.ones([2, 3]), tf.ones([2, 3]))
        t = op_types()
        expect = {"Rank": "Const", "Shape": "Const", "Sub": "Sub", "Slice/begin": "Pack", "Slice/size": "Const",
                  "Slice": "Slice", "concat/values_0": "Const", "concat/axis": "Const", "concat": "ConcatV2",
                  "Reshape": "Reshape", "Reshape_1": "Reshape", "Sub_2": "Sub", "Slice_2/begin": "Const",
                  "Slice_2/size": "Pack", "Reshape_2": "Reshape"}
        for k, v in expect.items():
            self.assertEqual(t.get("softmax_cross_entropy_loss/xentropy/" + k), v, k)
        self.assertEqual(t.get("softmax_cross_entropy_loss/xentropy"), "SoftmaxCrossEntropyWithLogits")
        self.assertNotIn("softmax_cross_entropy_loss/xentropy/xentropy", t)
        mul = tf.get_default_graph().get_operation_by_name("softmax_cross_entropy_loss/Mul")
        self.assertEqual(mul.inputs[0].name, "softmax_cross_entropy_loss/xentropy/Reshape_2:0")
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), 3 * np.log(3.0), places=5)

    def testV1UsesSgScope(self):
        """no TensorFlow counterpart; written for scopeviz: tf.nn.softmax_cross_entropy_with_logits (v1) stops the
        labels' gradient in softmax_cross_entropy_with_logits_sg/ and builds the v2 ops in that same scope."""
        c = tf.nn.softmax_cross_entropy_with_logits(labels=tf.ones([2, 3]), logits=tf.ones([2, 3]))
        self.assertEqual(c.op.name, "softmax_cross_entropy_with_logits_sg/Reshape_2")
        t = op_types()
        self.assertEqual(t.get("softmax_cross_entropy_with_logits_sg/labels_stop_gradient"), "StopGradient")
        self.assertEqual(t.get("softmax_cross_entropy_with_logits_sg"), "SoftmaxCrossEntropyWithLogits")

    def testXentRank3ValuesAndGradient(self):
        """adapted from kernel_tests/xent_op_test.py XentTest.testFeaturesBroadcast: a rank-3 float64 input (flattened
        to a matrix and reshaped back to [2, 2]) checked against numpy and finite differences, instead of
        broadcasting."""
        rng = np.random.RandomState(3)
        labels = rng.dirichlet(np.ones(4), size=(2, 2))
        numeric_check(self, lambda x: tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.constant(labels), logits=x),
                      [(2, 2, 4)])
        tf.reset_default_graph()
        x = rng.uniform(-2, 2, size=(2, 2, 4))
        c = tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.constant(labels), logits=tf.constant(x))
        self.assertEqual(c.shape.as_list(), [2, 2])
        p = np.exp(x) / np.exp(x).sum(-1, keepdims=True)
        with tf.Session() as sess:
            self.assertTrue(np.allclose(sess.run(c), -(labels * np.log(p)).sum(-1)))

    def testSlice(self):
        """adapted from kernel_tests/slice_op_test.py SliceTest.testSimple: also a size of -1 and the static shape."""
        x = tf.constant(np.arange(12).reshape(3, 4))
        a = tf.slice(x, [1, 1], [2, 2])
        b = tf.slice(x, [0, 2], [-1, -1])
        self.assertEqual((a.shape.as_list(), b.shape.as_list()), ([2, 2], [3, 2]))
        with tf.Session() as sess:
            ga, gb = sess.run([a, b])
        self.assertEqual(ga.tolist(), [[5, 6], [9, 10]])
        self.assertEqual(gb.tolist(), [[2, 3], [6, 7], [10, 11]])


class Conv2DGradNamesTest(Case):
    def testConv2DGradShapeN(self):
        """adapted from kernel_tests/conv_ops_test.py Conv2DTest.testFilterGradientValidPaddingStrideOne: a float64
        VALID convolution's input and filter gradients against central differences; the shapes they are built from
        are the two outputs of one gradients/Conv2D_grad/ShapeN (nn_grad._Conv2DGrad's array_ops.shape_n)."""
        numeric_check(self, lambda x, f: tf.nn.conv2d(x, f, [1, 1, 1, 1], "VALID"), [(1, 4, 4, 2), (2, 2, 2, 3)])
        g = tf.get_default_graph()
        sn = g.get_operation_by_name("gradients/Conv2D_grad/ShapeN")
        self.assertEqual(sn.type, "ShapeN")
        bi = g.get_operation_by_name("gradients/Conv2D_grad/Conv2DBackpropInput")
        bf = g.get_operation_by_name("gradients/Conv2D_grad/Conv2DBackpropFilter")
        self.assertEqual(bi.inputs[0].name, "gradients/Conv2D_grad/ShapeN:0")
        self.assertEqual(bf.inputs[1].name, "gradients/Conv2D_grad/ShapeN:1")
        self.assertNotIn("gradients/Conv2D_grad/Shape_1", [o.name for o in g.get_operations()])


class MathGradTest(Case):
    def testPowGradient(self):
        """no TensorFlow counterpart; written for scopeviz: pow's gradient for positive bases and a broadcast
        exponent against finite differences; a zero base gives the exponent a gradient of 0 (log(x) taken as 0
        where x <= 0, gradients/Pow_grad/Select_1)."""
        numeric_check(self, lambda x, y: tf.pow(x + 2.0, y), [(2, 3), (3,)])
        self.assertEqual(op_types().get("gradients/Pow_grad/Select_1"), "Select")
        tf.reset_default_graph()
        x = tf.constant(0.0)
        y = tf.constant(2.0)
        gx, gy = tf.gradients(tf.pow(x, y), [x, y])
        with tf.Session() as sess:
            self.assertEqual(sess.run([gx, gy]), [0.0, 0.0])

    def test_zero_grad_tf_gradients(self):
        """ops/math_grad_test.py PowGradTest.test_zero_grad_tf_gradients."""
        x = tf.constant([-1.0, 0.0, 1.0])
        with tf.Session() as sess:
            self.assertEqual(sess.run(tf.gradients(tf.pow(x, 2), x)[0]).tolist(), [-2.0, 0.0, 2.0])

    def testSinCosGradients(self):
        """no TensorFlow counterpart; written for scopeviz: sin and cos against finite differences; the Cos of sin's
        gradient waits for the incoming gradient (^grad), as TF's _SinGrad builds it under control_dependencies."""
        numeric_check(self, lambda x: [tf.sin(x), tf.cos(x)], [(4,)])
        cos = tf.get_default_graph().get_operation_by_name("gradients/Sin_grad/Cos")
        self.assertEqual(len(cos.control_inputs), 1)

    def testFloorModGradient(self):
        """adapted from ops/math_grad_test.py FloorModGradientTest.testFloorModGradient: away from the
        discontinuities, against finite differences for both inputs."""
        numeric_check(self, lambda x, y: tf.floormod(x * 0.1 + 13.3, y * 0.1 + 4.0), [(3,), (3,)])


class LossesNamesTest(Case):
    def testMeanSquaredErrorValueIsDivNoNan(self):
        """no TensorFlow counterpart; written for scopeviz: losses_impl._safe_mean's names: Sum, num_present (Equal,
        Select, broadcast_weights, the Sum named num_present), Sum_1 and the DivNoNan 'value'."""
        tf.losses.mean_squared_error(tf.ones([2, 2]), tf.ones([2, 2]))
        t = op_types()
        for name, typ in (("mean_squared_error/Sum", "Sum"), ("mean_squared_error/num_present/Equal", "Equal"),
                          ("mean_squared_error/num_present/Select", "Select"),
                          ("mean_squared_error/num_present/broadcast_weights", "Mul"),
                          ("mean_squared_error/num_present", "Sum"), ("mean_squared_error/Sum_1", "Sum"),
                          ("mean_squared_error/value", "DivNoNan")):
            self.assertEqual(t.get(name), typ, name)

    def testZeroWeightsGiveZeroLoss(self):
        """no TensorFlow counterpart; written for scopeviz: a weight of 0 gives a loss of 0, not NaN (div_no_nan by a
        num_present of 0)."""
        loss = tf.losses.mean_squared_error(tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 5.0]]), weights=0.0)
        with tf.Session() as sess:
            self.assertEqual(float(sess.run(loss)), 0.0)

    def testNonZeroWeightsCount(self):
        """no TensorFlow counterpart; written for scopeviz: with SUM_BY_NONZERO_WEIGHTS a zero row weight removes its
        elements from num_present as well as from the sum."""
        labels = tf.constant([[1.0, 1.0], [1.0, 1.0]])
        preds = tf.constant([[1.0, 2.0], [3.0, 4.0]])
        loss = tf.losses.mean_squared_error(labels, preds, weights=tf.constant([[1.0], [0.0]]))
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), 0.5)

    def testMeanReduction(self):
        """no TensorFlow counterpart; written for scopeviz: reduction=MEAN divides by the sum of the broadcast
        weights."""
        loss = tf.losses.compute_weighted_loss(tf.constant([[1.0, 2.0], [3.0, 4.0]]), weights=tf.constant([[2.0], [0.0]]),
                                               reduction=tf.losses.Reduction.MEAN)
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), (2.0 + 4.0) / 4.0)


def raw_losses():
    return np.arange(24.0).reshape(3, 2, 4)


class ComputeWeightedLossTest(Case):
    """kernel_tests/losses_test.py ComputeWeightedLossTest (the raw losses 0..23 in shape (3, 2, 4))."""

    def testUnweighted(self):
        """kernel_tests/losses_test.py ComputeWeightedLossTest.testUnweighted."""
        r = raw_losses()
        shapes = [None, (1, 1, 1), (1, 1, 4), (1, 2, 1), (1, 2, 4), (3, 1, 1), (3, 1, 4), (3, 2, 1), (3, 2, 4)]
        losses = [tf.losses.compute_weighted_loss(r) if s is None else
                  tf.losses.compute_weighted_loss(r, weights=np.ones(s)) for s in shapes]
        self.assertEqual(len(tf.losses.get_losses()), 9)
        with tf.Session() as sess:
            for v in sess.run(losses):
                self.assertAlmostEqual(float(v), np.mean(r), places=4)

    def testScalarWeight(self):
        """kernel_tests/losses_test.py ComputeWeightedLossTest.testScalarWeight."""
        loss = tf.losses.compute_weighted_loss(raw_losses(), weights=17.0)
        self.assertEqual(len(tf.losses.get_losses()), 1)
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), np.mean(17.0 * raw_losses()), places=3)

    def test3x2x1Weight(self):
        """kernel_tests/losses_test.py ComputeWeightedLossTest.test3x2x1Weight."""
        w = (((17.0,), (3.0,)), ((5.0,), (31.0,)), ((2.0,), (7.0,)))
        loss = tf.losses.compute_weighted_loss(raw_losses(), weights=w)
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), np.mean(np.array(w) * raw_losses()), places=3)


if __name__ == "__main__":
    unittest.main()
