"""Running tf.cond and tf.while_loop (TF1 dataflow control flow), their gradients, and the logical ops, pow and
one-argument where, rewritten (not copied) from TensorFlow 1.x's kernel_tests/control_flow_ops_py_test.py and
friends. Citations follow test_tf_compat_api.py's three forms ("<file> <Class>.<method>.", "adapted from ...: <what>.",
"no TensorFlow counterpart; written for scopeviz: <behaviour>."); paths are relative to tensorflow/python/."""
import unittest

import numpy as np

import scopeviz.compat.v1 as tf


class Case(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()

    def run_(self, fetches, feed_dict=None):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(fetches, feed_dict)


class CondRunTest(Case):
    """kernel_tests/control_flow_ops_py_test.py, the tf.cond cases that run."""

    def testCond_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_1."""
        x = tf.constant(10)
        r = tf.cond(tf.less(1, 2), lambda: tf.add(x, 1), lambda: tf.subtract(x, 1))
        self.assertEqual(self.run_(r), 11)

    def testCond_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_2."""
        x = tf.constant(10)
        r = tf.cond(tf.less(1, 0), lambda: tf.add(x, 1), lambda: tf.subtract(x, 1))
        self.assertEqual(self.run_(r), 9)

    def testCond_3(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_3."""
        x = tf.constant(10)
        pred = tf.less(1, 2)
        fn1 = lambda: tf.add(x, 1)  # noqa: E731
        fn2 = lambda: tf.subtract(x, 1)  # noqa: E731
        r = tf.cond(pred, lambda: tf.add(tf.cond(pred, fn1, fn2), 1), fn2)
        self.assertEqual(self.run_(r), 12)

    def testCond_4(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_4."""
        v1, v2, v3 = tf.Variable(7), tf.Variable(7), tf.Variable(7)
        pred = tf.greater(tf.constant(3), tf.constant(2))
        r = tf.cond(pred, lambda: [tf.assign(v1, 1).op, tf.assign(v2, 2).op],
                    lambda: [tf.assign(v3, 3).op, tf.constant(10).op])
        self.assertEqual(len(r), 2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(r[1]), True)
            self.assertEqual(sess.run([v1, v2, v3]), [7, 2, 7])

    def testCond_6(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_6."""
        v1 = tf.Variable([7])
        age = tf.constant(3)
        r = tf.cond(tf.greater(age, 4), lambda: age, lambda: v1)
        self.assertEqual(self.run_(r).tolist(), [7])

    def testCond_7(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_7."""
        x, y = tf.constant(10), tf.constant(200)
        r = tf.cond(tf.less(1, 2), lambda: [tf.add(x, 1), tf.add(x, 2)], lambda: [y, y])
        self.assertEqual(self.run_(r), [11, 12])

    def testCondMergeShape(self):
        """no TensorFlow counterpart; written for scopeviz: cond's result has TF's Merge shape: the dimensions both
        branches agree on, unknown where they differ, unknown rank when the ranks differ."""
        p = tf.placeholder(tf.bool, [])
        a = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([2, 5]))
        b = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([3]))
        self.assertEqual(a.shape.as_list(), [2, None])
        self.assertIsNone(b.shape.ndims)
        with tf.Session() as sess:
            self.assertEqual(sess.run(a, {p: False}).shape, (2, 5))

    def testCondFedPredicate(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondGrad_2: the forward values
        for a fed predicate, both ways in one Session, instead of the gradient."""
        c = tf.placeholder(tf.int32, shape=[])
        x = tf.constant(10.0)
        r = tf.cond(tf.less(c, 2), lambda: tf.multiply(x, 42.0), lambda: tf.multiply(x, 3.0))
        with tf.Session() as sess:
            self.assertEqual(sess.run(r, {c: 1}), 420.0)
            self.assertEqual(sess.run(r, {c: 3}), 30.0)

    def testCondUntakenBranchNotRun(self):
        """no TensorFlow counterpart; written for scopeviz: an assign in the untaken branch does not run, the one in
        the taken branch does (dead values do not execute kernels)."""
        v = tf.Variable(0)
        p = tf.placeholder(tf.bool, [])
        r = tf.cond(p, lambda: tf.assign(v, 1), lambda: tf.assign(v, 2))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(r, {p: False}), 2)
            self.assertEqual(sess.run(v), 2)
            self.assertEqual(sess.run(r, {p: True}), 1)
            self.assertEqual(sess.run(v), 1)

    def testFetchable(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testFetchable."""
        x = tf.placeholder(tf.float32)
        tf.cond(tf.constant(True), lambda: x + 2, lambda: x + 0)
        graph = tf.get_default_graph()
        checked = [0, 0]
        with tf.Session() as sess:
            for op in graph.get_operations():
                for t in op.inputs:
                    if graph.is_fetchable(t.op):
                        sess.run(t, feed_dict={x: 3})
                        checked[0] += 1
                    else:
                        with self.assertRaisesRegex(ValueError, "has been marked as not fetchable"):
                            sess.run(t, feed_dict={x: 3})
                        checked[1] += 1
        self.assertTrue(all(checked), checked)  # both kinds occur
        self.assertFalse(graph.is_fetchable(graph.get_operation_by_name("cond/pred_id")))
        self.assertTrue(graph.is_fetchable(graph.get_operation_by_name("cond/Merge")))

    def testFeedable(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testFeedable."""
        c = tf.constant(2)
        i0 = tf.constant(0)
        r = tf.while_loop(lambda i: i < 1000, lambda i: tf.square(c) + i, [i0])
        graph = tf.get_default_graph()
        with tf.Session() as sess:
            self.assertEqual(sess.run(r, feed_dict={i0: 0}), 1000)
            feedable = [t for op in graph.get_operations() for t in op.outputs if graph.is_feedable(t)]
            for t in feedable:
                sess.run(r, feed_dict={t: 3})
            refused = 0
            for op in graph.get_operations():
                for t in op.inputs:
                    if t not in feedable and t.dtype == tf.int32:
                        with self.assertRaisesRegex(ValueError, "may not be fed"):
                            sess.run(r, feed_dict={t: 3})
                        refused += 1
        self.assertGreater(refused, 0)


class CondGradTest(Case):
    """kernel_tests/control_flow_ops_py_test.py, the gradients through tf.cond."""

    def testCondGrad_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondGrad_1."""
        x = tf.constant(10.0, name="x")
        r = tf.cond(tf.less(1, 2), lambda: tf.identity(x), lambda: tf.identity(x))
        self.assertEqual(self.run_(tf.gradients(r, [x])[0]), 1.0)

    def testCondGrad_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondGrad_2."""
        c = tf.placeholder(tf.int32, shape=[])
        x = tf.constant(10.0)
        r = tf.cond(tf.less(c, 2), lambda: tf.multiply(x, 42.0), lambda: tf.multiply(x, 3.0))
        grad = tf.gradients(r, [x])[0]
        with tf.Session() as sess:
            self.assertEqual(sess.run(grad, {c: 1}), 42.0)
            self.assertEqual(sess.run(grad, {c: 3}), 3.0)

    def testCondGradNames(self):
        """no TensorFlow counterpart; written for scopeviz: the gradient of a cond has TF 1.15's names: the Merge's
        gradient is the Switch gradients/cond/Merge_grad/cond_grad on cond/pred_id, each captured input's gradient
        the Merge gradients/cond/<op>/Switch_grad/cond_grad of the branch gradient and zeros made under a
        gradients/Switch + gradients/Identity pivot, summed by gradients/AddN."""
        x = tf.constant(10.0, name="x")
        r = tf.cond(tf.placeholder(tf.bool, []), lambda: tf.square(x), lambda: tf.multiply(x, 3.0))
        tf.gradients(r, [x])
        g = tf.get_default_graph()
        sw = g.get_operation_by_name("gradients/cond/Merge_grad/cond_grad")
        self.assertEqual((sw.type, [i.name for i in sw.inputs]), ("Switch", ["gradients/Fill:0", "cond/pred_id:0"]))
        m = g.get_operation_by_name("gradients/cond/Square/Switch_grad/cond_grad")
        self.assertEqual(m.type, "Merge")
        # The false branch's capture (cond/Mul/Switch) is reached first and gets gradients/zeros.
        self.assertEqual([i.name for i in m.inputs], ["gradients/zeros_1:0", "gradients/cond/Square_grad/Mul_1:0"])
        self.assertEqual([c.name for c in g.get_operation_by_name("gradients/zeros_1/Const").control_inputs],
                         ["gradients/Identity_1"])
        self.assertEqual(g.get_operation_by_name("gradients/Identity_1").inputs[0].name, "gradients/Switch_1:0")
        self.assertEqual(g.get_operation_by_name("gradients/AddN").type, "AddN")

    def testCondGradTrains(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondGrad_2: a variable trained
        by GradientDescentOptimizer through a cond whose branch depends on a fed flag."""
        v = tf.Variable(2.0)
        flag = tf.placeholder(tf.bool, [])
        loss = tf.cond(flag, lambda: tf.square(v), lambda: tf.multiply(v, 3.0))
        step = tf.train.GradientDescentOptimizer(0.25).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(step, {flag: True})   # v -= 0.25 * 2v
            self.assertAlmostEqual(float(sess.run(v)), 1.0)
            sess.run(step, {flag: False})  # v -= 0.25 * 3
            self.assertAlmostEqual(float(sess.run(v)), 0.25)


def isum(s, maximum_iterations=None):
    i = tf.constant(0, name="i")
    c = lambda i, s: tf.less(i, 10)  # noqa: E731
    b = lambda i, s: [tf.add(i, 1), tf.add(i, s)]  # noqa: E731
    _, r_s = tf.while_loop(c, b, [i, s], maximum_iterations=maximum_iterations)
    return r_s


class WhileRunTest(Case):
    """kernel_tests/control_flow_ops_py_test.py, the tf.while_loop cases that run."""

    def testWhile_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_1."""
        n = tf.constant(0)
        r = tf.while_loop(lambda x: tf.less(x, 10000), lambda x: tf.add(x, 1), [n], parallel_iterations=20)
        self.assertEqual(self.run_(r), 10000)

    def testWhile_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_2."""
        self.assertEqual(self.run_(isum(tf.constant(0))), 45)

    def testWhileWithMaximumIterations(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileWithMaximumIterations."""
        s = tf.constant([1, 2, 3, 4, 5])
        r = isum(s, maximum_iterations=3)
        self.assertEqual(self.run_(r).tolist(), [1 + 3, 2 + 3, 3 + 3, 4 + 3, 5 + 3])

    def testWhile_3(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_3."""
        def compute(i, m, c, o):
            m, c = [tf.add(m, 1), tf.add(c, 1)]
            o = tf.add(o, m)
            o = tf.add(o, c)
            return [tf.add(i, 1), m, c, o]
        z = [tf.convert_to_tensor(0) for _ in range(4)]
        d = tf.convert_to_tensor(100)
        r = tf.while_loop(lambda i, m, c, o: tf.less(i, d), compute, z)
        self.assertEqual(self.run_(r[3]), 10100)

    def testWhile_4(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_4."""
        x = tf.convert_to_tensor([1, 2, 3, 4, 5, 6])
        s = tf.size(x)

        def compute(i, m, c, o):
            m, c = [tf.gather(x, i), tf.gather(x, i)]
            o = tf.add(o, m)
            o = tf.add(o, c)
            return [tf.add(i, 1), m, c, o]
        z = [tf.convert_to_tensor(0) for _ in range(4)]
        r = tf.while_loop(lambda i, m, c, o: tf.less(i, s), compute, z)
        self.assertEqual(self.run_(r[3]), 42)

    def testWhileShapeInvariants(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_5: the growing loop
        variable is a concat of its value and a Reshape of the counter (TF's test slices x); shape_invariants gives it
        [None]."""
        i = tf.constant(0)
        o = tf.constant([0])
        r = tf.while_loop(lambda i, o: tf.less(i, 6),
                          lambda i, o: [tf.add(i, 1), tf.concat([o, tf.reshape(i + 1, [1])], 0)], [i, o],
                          shape_invariants=[i.shape, tf.TensorShape([None])])
        self.assertEqual(self.run_(r[1]).tolist(), [0, 1, 2, 3, 4, 5, 6])

    def testWhileShapeInference(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileShapeInference."""
        i = tf.constant(0)
        m = tf.ones([2, 2])
        c = lambda i, j: tf.less(i, 2)  # noqa: E731

        def b(i, j):
            return [tf.add(i, 1), tf.tile(j, [2, 2])]
        r = tf.while_loop(c, b, [i, m], [i.get_shape(), tf.TensorShape(None)])
        self.assertIsNone(r[1].shape.ndims)
        self.assertEqual(self.run_(r[1] * tf.ones([8, 8])).tolist(), np.ones((8, 8)).tolist())
        with self.assertRaisesRegex(ValueError, "but has shape"):
            tf.while_loop(c, b, [i, m], [i.get_shape(), tf.TensorShape([None, 2])])
        with self.assertRaisesRegex(ValueError, "but has shape"):
            tf.while_loop(c, b, [i, m])

    def testShapeInvariantLessSpecificThanInput(self):
        """no TensorFlow counterpart; written for scopeviz: a shape invariant more specific than the loop variable's
        shape raises _SetShapeInvariants' ValueError; a matching one gives Enter, Merge, Identity and Exit that
        shape."""
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        with self.assertRaisesRegex(ValueError, "The shape invariant specified for x:0 is not compatible with the "
                                                "initial shape of the loop variable. It enters the loop with shape "
                                                r"\(\?, 3\), but the specified shape invariant is \(2, 3\)."):
            tf.while_loop(lambda v: tf.constant(False), lambda v: v, [x], shape_invariants=[tf.TensorShape([2, 3])])
        r = tf.while_loop(lambda v: tf.constant(False), lambda v: v * 2.0, [x],
                          shape_invariants=[tf.TensorShape([None, None])])
        g = tf.get_default_graph()
        for name in ("while_1/Enter", "while_1/Merge", "while_1/Identity", "while_1/Exit"):
            self.assertEqual(g.get_operation_by_name(name).outputs[0].shape.as_list(), [None, None], name)
        self.assertEqual(r.shape.as_list(), [None, None])

    def testNestedWhile_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testNestedWhile_1."""
        n = tf.constant(0)

        def cpu_sum(s):
            _, r_s = tf.while_loop(lambda i, s: tf.less(i, 10), lambda i, s: (tf.add(i, 1), tf.add(i, s)), [n, s])
            return r_s
        r = tf.while_loop(lambda x: tf.less(x, 200), lambda x: tf.add(x, cpu_sum(n)), [n])
        self.assertEqual(self.run_(r), 225)

    def testWhileWithControl_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileWithControl_1."""
        n, r = tf.constant(0), tf.constant(0)

        def body(n_, r_):
            n_ = tf.add(n_, 1)
            with r_.graph.control_dependencies([r_]):
                r_ = tf.constant(12)
            return [n_, r_]
        res = tf.while_loop(lambda n_, r_: tf.less(n_, 10), body, [n, r], parallel_iterations=1)
        self.assertEqual(self.run_(res[1]), 12)

    def testWhileWithControl_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileWithControl_2."""
        r = tf.constant(0)

        def body(r_):
            with r_.graph.control_dependencies([r_]):
                r_ = tf.constant(12)
            return [r_]
        res = tf.while_loop(lambda r_: tf.less(r_, 10), body, [r], parallel_iterations=1)
        self.assertEqual(self.run_(res), 12)

    def testCondWhile_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondWhile_1."""
        n = tf.convert_to_tensor(0, name="n")
        r = tf.cond(tf.less(0, 1), lambda: tf.while_loop(lambda x: tf.less(x, 10), lambda x: tf.add(x, 1), [n]),
                    lambda: n)
        self.assertEqual(self.run_(r), 10)

    def testCondWhile_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondWhile_2."""
        n = tf.convert_to_tensor(0)
        r = tf.cond(tf.less(1, 0), lambda: tf.add(n, 1),
                    lambda: tf.while_loop(lambda x: tf.less(x, 10), lambda x: tf.add(x, 1), [n]))
        self.assertEqual(self.run_(r), 10)

    def testWhileCond_1(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileCond_1."""
        i = tf.convert_to_tensor(0, name="i")
        n = tf.convert_to_tensor(10, name="n")
        one = tf.convert_to_tensor(1, name="one")
        r = tf.while_loop(lambda x: tf.less(x, n),
                          lambda x: tf.cond(tf.constant(True), lambda: tf.add(x, one), lambda: tf.subtract(x, one)),
                          [i])
        self.assertEqual(self.run_(r), 10)

    def testWhileCond_2(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileCond_2."""
        n = tf.convert_to_tensor(0, name="n")
        r = tf.while_loop(lambda x: tf.less(x, 10),
                          lambda x: tf.cond(tf.constant(True), lambda: tf.add(x, 1), lambda: n), [n])
        self.assertEqual(self.run_(r), 10)

    def testWhileCond_3(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileCond_3."""
        n = tf.convert_to_tensor(0)
        r = tf.while_loop(lambda x: tf.less(x, 10),
                          lambda x: tf.cond(tf.less(0, 1), lambda: tf.add(x, 1), lambda: tf.subtract(x, 1)), [n])
        self.assertEqual(self.run_(r), 10)

    def testWhileUpdateVariable_4(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileUpdateVariable_4."""
        var_a = tf.Variable(0, name="a")
        var_b = tf.Variable(0, name="b")
        c = tf.constant(0, name="c")
        asn1 = tf.assign_add(var_a, 1, name="a_add")

        def loop_body(i):
            asn2 = tf.assign_add(var_b, asn1, name="b_add")
            with tf.control_dependencies([asn2]):
                return tf.add(i, 1, name="i_add")
        lpa = tf.while_loop(lambda i: tf.less(i, 10), loop_body, [c], parallel_iterations=1)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(var_b), 0)
            sess.run(lpa)
            self.assertEqual(sess.run(var_b), 10)

    def testLoopInUntakenBranchIsDead(self):
        """no TensorFlow counterpart; written for scopeviz: a while loop inside the untaken branch of a cond runs no
        iteration (its dead Exit reaches the cond's Merge) and the cond gives the other branch's value."""
        p = tf.placeholder(tf.bool, [])
        r = tf.cond(p, lambda: tf.while_loop(lambda k: k < 5, lambda k: k + 2, [tf.constant(0)]),
                    lambda: tf.constant(-1))
        with tf.Session() as sess:
            self.assertEqual(sess.run(r, {p: True}), 6)
            self.assertEqual(sess.run(r, {p: False}), -1)

    def testWhileGradientNotBuilt(self):
        """no TensorFlow counterpart; written for scopeviz: a gradient through tf.while_loop is not built yet and
        says so with TensorFlow's LookupError text, naming the loop's Exit."""
        v = tf.constant(2.0)
        r = tf.while_loop(lambda x: x < 100.0, lambda x: x * x, [v])
        with self.assertRaisesRegex(LookupError, "No gradient defined for operation 'while/Exit' \\(op type: Exit\\)"):
            tf.gradients(r, v)


class LogicalPowWhereTest(Case):
    """kernel_tests/cwise_ops_test.py and kernel_tests/where_op_test.py: the kernels that run now."""

    def testScalar(self):
        """kernel_tests/cwise_ops_test.py LogicalOpTest.testScalar."""
        data = [np.array([True]), np.array([False])]
        with tf.Session() as sess:
            for x in data:
                self.assertEqual(sess.run(tf.logical_not(x)).tolist(), np.logical_not(x).tolist())
            for x in data:
                for y in data:
                    for np_f, tf_f in ((np.logical_and, tf.logical_and), (np.logical_or, tf.logical_or),
                                       (np.logical_xor, tf.logical_xor)):
                        out = tf_f(x, y)
                        self.assertEqual(out.dtype, tf.bool)
                        self.assertEqual(sess.run(out).tolist(), np_f(x, y).tolist())

    def testLogicalNot(self):
        """adapted from kernel_tests/cwise_ops_test.py LogicalOpTest.testTensor: logical_not of a fixed 2x2 matrix
        only."""
        x = np.array([[True, False], [False, True]])
        self.assertEqual(self.run_(tf.logical_not(x)).tolist(), np.logical_not(x).tolist())

    def testLogicalXorNames(self):
        """no TensorFlow counterpart; written for scopeviz: logical_xor builds TF 1.15's LogicalOr, LogicalAnd,
        LogicalNot and the final LogicalAnd named LogicalXor."""
        tf.logical_xor(tf.constant(True), tf.constant(False))
        ops = [(o.name, o.type) for o in tf.get_default_graph().get_operations() if o.type.startswith("Logical")]
        self.assertEqual(ops, [("LogicalOr", "LogicalOr"), ("LogicalAnd", "LogicalAnd"), ("LogicalNot", "LogicalNot"),
                               ("LogicalXor", "LogicalAnd")])

    def testLogicalBroadcast(self):
        """adapted from kernel_tests/cwise_ops_test.py LogicalOpTest.testBCast: one broadcast shape pair ([2, 1] with
        [3]), logical_and only."""
        x = np.array([[True], [False]])
        y = np.array([True, False, True])
        self.assertEqual(self.run_(tf.logical_and(x, y)).tolist(), np.logical_and(x, y).tolist())

    def testPow(self):
        """adapted from kernel_tests/cwise_ops_test.py BinaryOpTest.testFloatBasic: only pow, float and int32."""
        self.assertTrue(np.allclose(self.run_(tf.pow(tf.constant([1.5, 2.0, 9.0]), tf.constant([2.0, 0.5, 0.5]))),
                                    [2.25, 2.0 ** 0.5, 3.0]))
        self.assertEqual(self.run_(tf.pow(tf.constant([2, 3, -2]), tf.constant([10, 0, 3]))).tolist(), [1024, 1, -8])

    def testUnaryMathKernels(self):
        """adapted from kernel_tests/cwise_ops_test.py UnaryOpTest.testFloatBasic: sin, cos, floor, ceil and
        round on fixed values against numpy (round is half to even, as np.round)."""
        x = np.array([-2.5, -1.5, -0.3, 0.0, 0.5, 1.5, 2.5, 3.7], dtype=np.float32)
        got = self.run_([tf.sin(x), tf.cos(x), tf.floor(x), tf.ceil(x), tf.round(x)])
        for g, want in zip(got, [np.sin(x), np.cos(x), np.floor(x), np.ceil(x), np.round(x)]):
            self.assertTrue(np.allclose(g, want, atol=1e-6), "%s vs %s" % (g, want))

    def testWhereOneArgument(self):
        """adapted from kernel_tests/where_op_test.py WhereOpTest.testBasicVec and testBasicMat: the coordinates of the
        true elements of a bool vector and matrix."""
        v = tf.where(tf.constant([False, True, False, True]))
        m = tf.where(tf.constant([[True, False], [False, True], [True, True]]))
        got = self.run_([v, m])
        self.assertEqual(got[0].tolist(), [[1], [3]])
        self.assertEqual(got[1].tolist(), [[0, 0], [1, 1], [2, 0], [2, 1]])
        self.assertEqual(got[1].dtype, np.int64)

    def testWhereNumeric(self):
        """adapted from kernel_tests/where_op_test.py WhereOpTest.testRandomInt: a fixed float matrix; non-zero is
        true."""
        got = self.run_(tf.where(tf.constant([[0.0, 2.5], [-1.0, 0.0]])))
        self.assertEqual(got.tolist(), np.argwhere(np.array([[0.0, 2.5], [-1.0, 0.0]])).tolist())


if __name__ == "__main__":
    unittest.main()
