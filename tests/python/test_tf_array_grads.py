"""Gradients of the array ops (TF 1.15's array_grad.py: Pack, Unpack, Transpose, ConcatV2, Split, SplitV, Tile, StridedSlice, Slice), each
checked against central finite differences the way TensorFlow's gradient_checker.compute_gradient compares the
symbolic and the numeric Jacobian, and their op names. Citations follow test_tf_compat_api.py's three forms; paths
are relative to tensorflow/python/."""
import unittest

import numpy as np

import scopeviz.compat.v1 as tf


def numeric_check(test, make, shapes, delta=1e-3, tol=1e-6, seed=0):
    """Builds y = make(*xs) on float64 placeholders of `shapes`; compares tf.gradients(sum(w * y), xs) with central
    differences of the same scalar for random xs and weights w; returns the symbolic gradients."""
    rng = np.random.RandomState(seed)
    xs = [tf.placeholder(tf.float64, s) for s in shapes]
    y = make(*xs)
    ys = y if isinstance(y, (list, tuple)) else [y]
    with tf.Session() as sess:
        vals = [rng.uniform(-1, 1, size=s) for s in shapes]
        ws = [rng.uniform(-1, 1, size=sess.run(t, dict(zip(xs, vals))).shape) for t in ys]
        loss = tf.add_n([tf.reduce_sum(tf.multiply(t, tf.constant(w))) for t, w in zip(ys, ws)])
        grads = tf.gradients(loss, xs)
        got = sess.run(grads, dict(zip(xs, vals)))
        for k, v in enumerate(vals):
            num = np.zeros_like(v)
            for idx in np.ndindex(*v.shape):
                hi = [a.copy() for a in vals]
                lo = [a.copy() for a in vals]
                hi[k][idx] += delta
                lo[k][idx] -= delta
                num[idx] = (sess.run(loss, dict(zip(xs, hi))) - sess.run(loss, dict(zip(xs, lo)))) / (2 * delta)
            test.assertEqual(got[k].shape, v.shape)
            test.assertTrue(np.allclose(got[k], num, atol=tol), "input %d: %s vs %s" % (k, got[k], num))
    return grads


class ArrayGradTest(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()

    def names(self):
        return [o.name for o in tf.get_default_graph().get_operations()]

    def testConcatGrad(self):
        """adapted from kernel_tests/concat_op_test.py ConcatOpTest.testGradientsSimple: three float64 inputs
        concatenated along axis 1, checked against finite differences instead of the sliced gradients."""
        numeric_check(self, lambda a, b, c: tf.concat([a, b, c], 1), [(2, 3), (2, 1), (2, 4)])
        names = self.names()
        for n in ("gradients/concat_grad/Rank", "gradients/concat_grad/mod", "gradients/concat_grad/Shape",
                  "gradients/concat_grad/Shape_2", "gradients/concat_grad/ConcatOffset", "gradients/concat_grad/Slice",
                  "gradients/concat_grad/Slice_2"):
            self.assertIn(n, names)

    def testConcatGradNegativeAxisUnknownShape(self):
        """adapted from kernel_tests/concat_op_test.py ConcatOpTest.testGradientsNegativeAxis: axis -1 on inputs whose
        batch dimension is unknown, so the gradient takes ShapeN instead of constant shapes."""
        a = tf.placeholder(tf.float64, [None, 2])
        b = tf.placeholder(tf.float64, [None, 3])
        g = tf.gradients(tf.reduce_sum(tf.concat([a, b], -1) * tf.constant([1.0, 2, 3, 4, 5], tf.float64)), [a, b])
        self.assertIn("gradients/concat_grad/ShapeN", self.names())
        with tf.Session() as sess:
            ga, gb = sess.run(g, {a: np.ones((2, 2)), b: np.ones((2, 3))})
        self.assertEqual(ga.tolist(), [[1, 2], [1, 2]])
        self.assertEqual(gb.tolist(), [[3, 4, 5], [3, 4, 5]])

    def testStackGrad(self):
        """adapted from kernel_tests/stack_op_test.py StackOpTest.testGradientsAxis0: two inputs stacked on axis 0
        and three on axis 1, against finite differences; the gradient is gradients/stack_grad/unstack."""
        numeric_check(self, lambda a, b: tf.stack([a, b]), [(2, 3), (2, 3)])
        self.assertIn("gradients/stack_grad/unstack", self.names())
        tf.reset_default_graph()
        numeric_check(self, lambda a, b, c: tf.stack([a, b, c], axis=1), [(2, 3), (2, 3), (2, 3)])

    def testUnstackGrad(self):
        """adapted from kernel_tests/unstack_op_test.py UnstackOpTest.testGradientsAxis0: only some of the unstacked
        tensors reach the loss (the others get zeros), against finite differences; the gradient is
        gradients/unstack_grad/stack."""
        numeric_check(self, lambda x: [tf.unstack(x)[0], tf.unstack(x, axis=1)[2]], [(3, 4)])
        self.assertIn("gradients/unstack_grad/stack", self.names())

    def testTransposeGrad(self):
        """adapted from kernel_tests/transpose_op_test.py TransposeTest.testTranspose2DAuto: a rank-3 permutation
        checked against finite differences; the gradient is gradients/transpose_grad/transpose of
        InvertPermutation."""
        numeric_check(self, lambda x: tf.transpose(x, [2, 0, 1]), [(2, 3, 4)])
        names = self.names()
        self.assertIn("gradients/transpose_grad/InvertPermutation", names)
        self.assertIn("gradients/transpose_grad/transpose", names)

    def testSplitGrad(self):
        """adapted from kernel_tests/split_op_test.py SplitOpTest.testGradientsAll: an even split and an uneven one
        (SplitV), a piece unused, against finite differences; the gradient is gradients/split_grad/concat."""
        numeric_check(self, lambda x: tf.split(x, 3, axis=1)[:2], [(2, 6)])
        self.assertIn("gradients/split_grad/concat", self.names())
        tf.reset_default_graph()
        numeric_check(self, lambda x: tf.split(x, [1, 3], axis=0), [(4, 2)])

    def testGatherSqueezeExpandReshapeGrads(self):
        """adapted from kernel_tests/gather_op_test.py GatherTest.testGradientsAxis0: the gradients of gather (with a
        repeated index), squeeze, expand_dims and reshape that the engine had already, against finite
        differences."""
        numeric_check(self, lambda x: tf.gather(x, [2, 0, 2]), [(3, 2)])
        tf.reset_default_graph()
        numeric_check(self, lambda x: tf.reshape(tf.expand_dims(tf.squeeze(x, [1]), 0), [6]), [(2, 1, 3)])

    def testTileGrad(self):
        """adapted from kernel_tests/shape_ops_test.py TileTest.testGradientSimpleReduction: a rank-3 input tiled
        [2, 1, 3], against finite differences; also the names under gradients/Tile_grad/."""
        numeric_check(self, lambda x: tf.tile(x, [2, 1, 3]), [(2, 3, 2)])
        t = {o.name: o.type for o in tf.get_default_graph().get_operations()}
        for name, typ in (("stack", "Pack"), ("transpose/perm", "Const"), ("transpose", "Transpose"),
                          ("Reshape", "Reshape"), ("Size", "Const"), ("range", "Range"), ("Reshape_1", "Reshape"),
                          ("Sum", "Sum")):
            self.assertEqual(t.get("gradients/Tile_grad/" + name), typ, name)

    def testStridedSliceGrad(self):
        """adapted from kernel_tests/array_ops_test.py StridedSliceGradTest.testGradient: Tensor[...] with a start, a
        negative stride, a step and a shrunk axis, against finite differences; the gradient is
        gradients/strided_slice_grad/StridedSliceGrad of a Shape."""
        numeric_check(self, lambda x: [x[1:, ::-2], x[:, 0], x[0, 1:3]], [(3, 4)])
        t = {o.name: o.type for o in tf.get_default_graph().get_operations()}
        self.assertEqual(t.get("gradients/strided_slice_grad/StridedSliceGrad"), "StridedSliceGrad")
        self.assertEqual(t.get("gradients/strided_slice_grad/Shape"), "Const")

    def testSliceGrad(self):
        """adapted from kernel_tests/slice_op_test.py SliceTest.testGradientsAll: two slices (one with size -1) of a
        rank-3 input against finite differences instead of random shapes; the gradient is gradients/Slice_grad/Pad
        of the paddings built from Rank, Shape, stack, Reshape, sub and concat."""
        numeric_check(self, lambda x: [tf.slice(x, [0, 1, 1], [2, 2, -1]), tf.slice(x, [1, 0, 2], [1, 3, 1])],
                      [(2, 3, 4)])
        t = {o.name: o.type for o in tf.get_default_graph().get_operations()}
        for name, typ in (("Rank", "Const"), ("stack/1", "Const"), ("stack", "Pack"), ("Reshape", "Reshape"),
                          ("sub_1", "Sub"), ("Reshape_1", "Reshape"), ("concat", "ConcatV2"), ("Pad", "Pad")):
            self.assertEqual(t.get("gradients/Slice_grad/" + name), typ, name)

    def testNestedStackConcatTrains(self):
        """no TensorFlow counterpart; written for scopeviz: a variable trained through stack, transpose, concat and
        unstack reaches the least-squares optimum (residual 6.0, from 140)."""
        v = tf.Variable(np.zeros((2, 2)), dtype=tf.float64)
        y = tf.concat(tf.unstack(tf.transpose(tf.stack([v, 2.0 * v]), [1, 0, 2])), 1)
        loss = tf.reduce_sum(tf.square(y - tf.constant(np.arange(8.0).reshape(2, 4))))
        step = tf.train.GradientDescentOptimizer(0.05).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for _ in range(200):
                sess.run(step)
            self.assertAlmostEqual(float(sess.run(loss)), 6.0, places=4)  # sum over the 4 entries of min (u-a)^2+(2u-b)^2


if __name__ == "__main__":
    unittest.main()
