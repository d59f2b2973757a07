"""Cases for the API breadth of scopeviz.compat.v1 (issue 17), most of them rewritten (not copied) from
TensorFlow 1.15's own Python tests. TF cases that need eager mode, GPUs or distribution strategies are not ported.

Every case's docstring says where it comes from, in one of three forms (paths are relative to
tensorflow/python/ in the TensorFlow repository):
  "<file> <Class>.<method>."                       the case checks the same behaviour as that TF test method;
  "adapted from <file> <Class>.<method>: <what>."  that TF method exists, and the case checks a different or an
                                                    extra aspect, said after the colon;
  "no TensorFlow counterpart; written for scopeviz: <behaviour>."  no TF test method covering it was found.
The cited methods were checked by name against TensorFlow's test sources of the 1.x era (the r1.15 branch itself
could not be checked out whole); the cases of ArrayOpNamesTest carry their citation in ARRAY_OP_NAMES."""
import os
import tempfile
import unittest

import numpy as np

import scopeviz.compat.v1 as tf


def op_names(graph=None):
    return [o.name for o in (graph or tf.get_default_graph()).get_operations()]


class Case(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()


# --------------------------------------------------------------------------- variable_scope_test.py


class VariableScopeTest(Case):
    """tensorflow/python/kernel_tests/variable_scope_test.py"""

    def testVarScopeRegularizer(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer."""
        init = tf.constant_initializer(0.3)

        def regularizer1(v):
            return tf.reduce_mean(v) + 0.1

        def regularizer2(v):
            return tf.reduce_mean(v) + 0.2

        with tf.variable_scope("tower3", regularizer=regularizer1) as tower:
            with tf.variable_scope("foo", initializer=init):
                v = tf.get_variable("v", [])
            with tf.variable_scope(tower, initializer=init) as vs:
                u = tf.get_variable("u", [])
                vs.set_regularizer(regularizer2)
                w = tf.get_variable("w", [])
                tf.get_variable("x", [], regularizer=tf.no_regularizer)
                with tf.variable_scope("baz", regularizer=tf.no_regularizer):
                    tf.get_variable("y", [])
                vs.set_regularizer(tf.no_regularizer)
                tf.get_variable("z", [])
                losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
                self.assertEqual(3, len(losses))
                with tf.Session() as sess:
                    sess.run(tf.variables_initializer([u, w, v]) if hasattr(tf, "variables_initializer")
                             else tf.global_variables_initializer())
                    self.assertAlmostEqual(float(sess.run(losses[0])), 0.4, places=5)
                    self.assertAlmostEqual(float(sess.run(losses[1])), 0.4, places=5)
                    self.assertAlmostEqual(float(sess.run(losses[2])), 0.5, places=5)
            with tf.variable_scope("foo", reuse=True):
                tf.get_variable("v", [])
                self.assertEqual(3, len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)))

    def testRegularizerOpNames(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer: checks the loss
        op's name (s/v/Regularizer/...) and its colocation with the variable, which TF's test does not."""
        with tf.variable_scope("s", regularizer=lambda t: tf.reduce_sum(t, name="r")):
            tf.get_variable("v", [2])
        loss = tf.losses.get_regularization_losses()[0]
        self.assertEqual(loss.name, "s/v/Regularizer/r:0")
        self.assertEqual(loss.op.colocation_groups(), [b"loc:@s/v"])

    def testRegularizerOnGetVariableOnly(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer: a regularizer
        passed to get_variable outside any regularized scope; one loss only."""
        tf.get_variable("a", [1], regularizer=lambda t: tf.reduce_sum(t))
        tf.get_variable("b", [1])
        self.assertEqual(len(tf.losses.get_regularization_losses()), 1)

    def testRegularizerReturningNone(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer: a regularizer
        that returns None adds no loss (TF's test has no such regularizer)."""
        tf.get_variable("a", [1], regularizer=lambda t: None)
        self.assertEqual(tf.losses.get_regularization_losses(), [])

    def testRegularizerNotInheritedByNewScopeOfSameNameOutside(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer: re-entering a
        scope by name (AUTO_REUSE) does not bring back the regularizer it was first opened with."""
        with tf.variable_scope("a", regularizer=lambda t: tf.reduce_sum(t)):
            pass
        with tf.variable_scope("a", reuse=tf.AUTO_REUSE):
            tf.get_variable("w", [1])
        self.assertEqual(tf.losses.get_regularization_losses(), [])

    def testRegularizerInheritedByChildScope(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeRegularizer: a child scope
        inherits the regularizer; checks the loss name a/b/w/Regularizer/Sum:0."""
        with tf.variable_scope("a", regularizer=lambda t: tf.reduce_sum(t)):
            with tf.variable_scope("b"):
                tf.get_variable("w", [1])
        self.assertEqual([l.name for l in tf.losses.get_regularization_losses()], ["a/b/w/Regularizer/Sum:0"])

    def testGetRegularizationLossSum(self):
        """adapted from ops/losses/util_test.py LossesUtilTest.testGetRegularizationLoss: checks that the sum is an
        AddN named total_regularization_loss, not its value."""
        tf.get_variable("a", [1], regularizer=lambda t: tf.reduce_sum(t))
        tf.get_variable("b", [1], regularizer=lambda t: tf.reduce_sum(t))
        total = tf.losses.get_regularization_loss()
        self.assertEqual(total.op.type, "AddN")
        self.assertEqual(total.name, "total_regularization_loss:0")

    def testInitFromNonTensorValue(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testInitFromNonTensorValue."""
        v = tf.get_variable("v", initializer=4, dtype=tf.int32)
        w = tf.get_variable("w", initializer=np.array([1, 2, 3]), dtype=tf.int64)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(v), 4)
            self.assertEqual(list(sess.run(w)), [1, 2, 3])

    def testInitFromNonTensorValueFloatList(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testInitFromNonTensorValue: a Python
        float list gives a float32 variable of shape [2]."""
        v = tf.get_variable("v", initializer=[1.0, 2.0])
        self.assertEqual(v.shape.as_list(), [2])
        self.assertEqual(v.dtype.base_dtype, tf.float32)

    def testInitFromNumpyFloat64(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testInitFromNonTensorValue: a float64
        numpy array gives a float64 variable."""
        v = tf.get_variable("v", initializer=np.zeros([2, 2]))
        self.assertEqual(v.dtype.base_dtype, tf.float64)

    def testGetVariableWithInitializerWhichTakesNoArgs(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testGetVariableWithInitializerWhichTakesNoArgs."""
        v = tf.get_variable("foo", initializer=lambda: [2])
        self.assertEqual(v.name, "foo:0")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(list(sess.run(v)), [2])

    def testGetVariableWithInitializerWhichTakesOptionalArgs(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testGetVariableWithInitializerWhichTakesOptionalArgs."""
        v = tf.get_variable("foo", initializer=lambda x=True: [2 if x else 3])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(list(sess.run(v)), [2])

    def testGetVariableWithInitializerWhichTakesUnprovidedArgsAndNoShape(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testGetVariableWithInitializerWhichTakesUnprovidedArgsAndNoShape."""
        with self.assertRaisesRegex(ValueError, "The initializer passed is not valid. It should be a callable "
                                                "with no arguments and the shape should not be provided"):
            tf.get_variable("foo", initializer=lambda x: [2])

    def testGetVariableWithInitializerClassAndShape(self):
        """adapted from
        kernel_tests/variable_scope_test.py VariableScopeTest.testGetVariableWithInitializerWhichTakesUnprovidedArgsAndNoShape:
        with a shape given, an initializer taking (shape, dtype, partition_info) is accepted."""
        v = tf.get_variable("foo", shape=[2], initializer=lambda shape, dtype=None, partition_info=None:
                            np.ones(shape, np.float32))
        self.assertEqual(v.shape.as_list(), [2])

    def testVariableFromTensor(self):
        """adapted from kernel_tests/variables_test.py VariablesTestCase.testInitializationOrder: a tf.Variable from a
        Tensor expression; checks initial_value's name, the v/Assign op and the value."""
        x = tf.constant([1.0, 2.0], name="x")
        v = tf.Variable(x * 2, name="v")
        self.assertEqual(v.shape.as_list(), [2])
        self.assertEqual(v.initial_value.name, "mul:0")
        self.assertIn("v/Assign", op_names())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(list(sess.run(v)), [2.0, 4.0])

    def testVariableFromVariable(self):
        """kernel_tests/variables_test.py VariablesTestCase.testInitializationOrder."""
        a = tf.Variable([3.0], name="a")
        b = tf.Variable(a.initialized_value() if hasattr(a, "initialized_value") else a.initial_value, name="b")
        self.assertEqual(b.name, "b:0")
        self.assertEqual(b.shape.as_list(), [1])

    def testVariableFromCallable(self):
        """adapted from kernel_tests/variables_test.py VariablesTestCase.testInitializerFunction: only the shape of a
        Variable built from a callable initial value."""
        v = tf.Variable(lambda: tf.constant([5.0]), name="c")
        self.assertEqual(v.shape.as_list(), [1])

    def testVarScopeGetOrCreateReuse(self):
        """adapted from kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeGetOrCreateReuse: checks
        that the second AUTO_REUSE entry returns the same variable and the Assign ops' names, not values."""
        def test_value(value):
            x = tf.constant(value)
            with tf.variable_scope("testVarScopeGetOrCreateReuse_bar", reuse=tf.AUTO_REUSE):
                _ = tf.assign(tf.get_variable("var", []), x)
            with tf.variable_scope("testVarScopeGetOrCreateReuse_bar", reuse=tf.AUTO_REUSE):
                return tf.get_variable("var", [])
        a = test_value(42.)
        b = test_value(13.)
        self.assertIs(a, b)
        self.assertEqual([o.name for o in tf.get_default_graph().get_operations() if o.type == "Assign"][-2:],
                         ["testVarScopeGetOrCreateReuse_bar/Assign", "testVarScopeGetOrCreateReuse_bar_2/Assign"])


class VariableScopeMethodsTest(Case):
    """tensorflow/python/kernel_tests/variable_scope_test.py, VariableScopeTest methods in graph mode."""

    def evaluate(self, t):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(t)

    def testVarScopeInitializer(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeInitializer."""
        init = tf.constant_initializer(0.3)
        with tf.variable_scope("tower0") as tower:
            with tf.variable_scope("foo", initializer=init):
                v = tf.get_variable("v", [])
            with tf.variable_scope(tower, initializer=init):
                w = tf.get_variable("w", [])
        self.assertAlmostEqual(float(self.evaluate(v)), 0.3, places=6)
        self.assertAlmostEqual(float(self.evaluate(w)), 0.3, places=6)

    def testVarScopeDType(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeDType."""
        with tf.variable_scope("tower2") as tower:
            with tf.variable_scope("foo", dtype=tf.float16):
                v = tf.get_variable("v", [])
                self.assertEqual(v.dtype.base_dtype, tf.float16)
            with tf.variable_scope(tower, dtype=tf.float16):
                w = tf.get_variable("w", [])
                self.assertEqual(w.dtype.base_dtype, tf.float16)

    def testInitFromNonTensorValueDictQuirk(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testInitFromNonTensorValue."""
        with self.assertRaises(TypeError):
            tf.get_variable("x4", initializer={})

    def testInitFromNonInitializer(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testInitFromNonInitializer."""
        types = [tf.int8, tf.uint8, tf.int16, tf.uint16, tf.int32, tf.int64, tf.bool]
        pairs = []
        for i, dtype in enumerate(types):
            x = tf.get_variable(name="xx%d" % i, shape=(3, 4), dtype=dtype)
            y = tf.get_variable(name="yy%d" % i, shape=(3, 4), dtype=dtype,
                                initializer=tf.zeros_initializer(dtype=dtype))
            self.assertEqual(x.dtype.base_dtype, dtype)
            pairs.append((x, y))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for x, y in pairs:
                self.assertEqual(sess.run(x.value()).tolist(), sess.run(y.value()).tolist())

    def testInitializeFromValue(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testInitializeFromValue."""
        init = tf.constant(0.1)
        w = tf.get_variable("v", initializer=init)
        with self.assertRaisesRegex(ValueError, "shape"):
            tf.get_variable("u", [1], initializer=init)
        with tf.variable_scope("foo", initializer=init):
            v = tf.get_variable("v")
        self.assertAlmostEqual(float(self.evaluate(w)), 0.1, places=6)
        self.assertAlmostEqual(float(self.evaluate(v)), 0.1, places=6)
        init = tf.constant(1, dtype=tf.int32)
        t = tf.get_variable("t", initializer=init)
        self.assertEqual(t.dtype.base_dtype, tf.int32)
        with self.assertRaisesRegex(ValueError, "don't match"):
            tf.get_variable("s", initializer=init, dtype=tf.float64)

    def testControlDeps(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testControlDeps."""
        v0 = tf.get_variable("v0", [1], initializer=tf.constant_initializer(0))
        with tf.control_dependencies([v0.value()]):
            v1 = tf.get_variable("v1", [1], initializer=tf.constant_initializer(1))
            add = v1 + v0
        with tf.Session() as sess:
            with self.assertRaisesRegex(tf.errors.OpError, "uninitialized"):
                sess.run(v0)
            sess.run(v1.initializer)
            self.assertEqual(1, sess.run(v1))
            with self.assertRaisesRegex(tf.errors.OpError, "uninitialized"):
                sess.run(add)
            sess.run(v0.initializer)
            sess.run(add)

    def testGetVariableScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testGetVariableScope."""
        init = tf.constant_initializer(0.3)
        with tf.variable_scope("bar"):
            self.assertIsNone(tf.get_variable_scope().initializer)
            tf.get_variable_scope().set_initializer(init)
            v = tf.get_variable("v", [])
            tf.get_variable_scope().reuse_variables()
            with self.assertRaises(ValueError):
                tf.get_variable("w", [1])
        self.assertIsNone(tf.get_variable_scope().initializer)
        self.assertAlmostEqual(float(self.evaluate(v)), 0.3, places=6)

    def testVarScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScope."""
        with tf.variable_scope("tower4") as tower:
            self.assertEqual(tower.name, "tower4")
            with tf.name_scope("scope") as sc:
                self.assertEqual(sc, "tower4/scope/")
        with tf.variable_scope("tower5"):
            with tf.variable_scope("bar") as bar:
                self.assertEqual(bar.name, "tower5/bar")
                with tf.name_scope("scope") as sc:
                    self.assertEqual(sc, "tower5/bar/scope/")
        with tf.variable_scope("tower6"):
            with tf.variable_scope(tower, reuse=True) as tower_shared:
                self.assertEqual(tower_shared.name, "tower4")
                with tf.name_scope("scope") as sc:
                    self.assertEqual(sc, "tower6/tower4/scope/")

    def testVarScopeNameScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeNameScope."""
        with tf.name_scope("testVarScopeNameScope1"):
            with tf.variable_scope("tower") as tower:
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope1/tower/scope2/")
            with tf.variable_scope(tower):
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope1/tower_1/scope2/")
            with tf.variable_scope("tower"):
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope1/tower_2/scope2/")
        with tf.name_scope("testVarScopeNameScope2"):
            with tf.variable_scope("tower"):
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope2/tower/scope2/")
            with tf.variable_scope(tower):
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope2/tower_1/scope2/")
        root = tf.get_variable_scope()
        with tf.name_scope("testVarScopeNameScope3"):
            with tf.variable_scope(root):
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "testVarScopeNameScope3/scope2/")

    def testVarScopeOriginalNameScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeOriginalNameScope."""
        with tf.name_scope("scope1"):
            with tf.variable_scope("tower") as tower:
                self.assertEqual(tower.original_name_scope, "scope1/tower/")
                with tf.name_scope("scope2") as sc2:
                    self.assertEqual(sc2, "scope1/tower/scope2/")
        with tf.name_scope("scope2"):
            with tf.variable_scope(tower) as tower1:
                self.assertEqual(tower1.original_name_scope, "scope1/tower/")
                with tf.name_scope("foo") as sc2:
                    self.assertEqual(sc2, "scope2/tower/foo/")
            with tf.name_scope(tower.original_name_scope):
                with tf.name_scope("bar") as sc3:
                    self.assertEqual(sc3, "scope1/tower/bar/")
        with tf.name_scope("scope2"):
            with tf.variable_scope(tower):
                with tf.name_scope(tower.original_name_scope):
                    with tf.name_scope("bar") as sc3:
                        self.assertEqual(sc3, "scope1/tower/bar_1/")

    def testVarScopeObjectReuse(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeObjectReuse."""
        # (reuse of the scope object, then reuse True / False on re-entry): True sticks, False does not.
        for created_with, expected in ((True, [True, True, True]), (False, [False, True, False])):
            with tf.variable_scope("jump", reuse=created_with) as scope:
                vs = scope
            got = []
            for reuse in (None, True, False):
                with tf.variable_scope(vs, reuse=reuse) as jump:
                    got.append(bool(jump.reuse))
            self.assertEqual(got, expected)

    def testVarOpScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScope."""
        with tf.name_scope("testVarOpScope1"):
            with tf.variable_scope("tower", "default", []):
                self.assertEqual(tf.get_variable("w", []).name, "tower/w:0")
                with tf.name_scope("testVarOpScope2") as sc2:
                    self.assertEqual(sc2, "testVarOpScope1/tower/testVarOpScope2/")
            with tf.variable_scope("tower", "default", []):
                with self.assertRaises(ValueError):
                    tf.get_variable("w", [])
                with tf.name_scope("testVarOpScope2") as sc2:
                    self.assertEqual(sc2, "testVarOpScope1/tower_1/testVarOpScope2/")
        with tf.name_scope("testVarOpScope2"):
            with tf.variable_scope(None, "default", []):
                self.assertEqual(tf.get_variable("w", []).name, "default/w:0")
                with tf.name_scope("testVarOpScope2") as sc2:
                    self.assertEqual(sc2, "testVarOpScope2/default/testVarOpScope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(tf.get_variable("w", []).name, "default_1/w:0")
                with tf.name_scope("testVarOpScope2") as sc2:
                    self.assertEqual(sc2, "testVarOpScope2/default_1/testVarOpScope2/")

    def testVarOpScopeUniqueNamesInterleavedSubstringScopes(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeUniqueNamesInterleavedSubstringScopes."""
        expected = ["defaultScope1/layer/w:0", "defaultScope1_1/layer/w:0", "defaultScope/layer/w:0",
                    "defaultScope1_2/layer/w:0"]
        for default, want in zip(["defaultScope1", "defaultScope1", "defaultScope", "defaultScope1"], expected):
            with tf.variable_scope(None, default):
                with tf.variable_scope(None, "layer"):
                    self.assertEqual(tf.get_variable("w", []).name, want)


def _w(name="w"):
    """The name of get_variable(name, []) in the current scope."""
    return tf.get_variable(name, []).name


def _ns(name="scope2"):
    """The name scope a `with name_scope(name)` opens here."""
    with tf.name_scope(name) as scope:
        return scope


def _c(name="c"):
    return tf.constant([], name=name).name


class VariableScopeOuterScopeTest(Case):
    """tensorflow/python/kernel_tests/variable_scope_test.py, VariableScopeTest methods (outer scopes,
    default names, auxiliary name scopes), graph mode."""

    def testVarOpScopeUniqueNamesWithJump(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeUniqueNamesWithJump."""
        with tf.variable_scope("default") as default:
            with tf.variable_scope(None, "layer"):
                self.assertEqual(_w(), "default/layer/w:0")
            with tf.variable_scope(None, "layer"):
                self.assertEqual(_w(), "default/layer_1/w:0")
            with tf.variable_scope(default):
                pass
            with tf.variable_scope(None, "layer"):
                self.assertEqual(_w(), "default/layer_2/w:0")

    def testVarOpScopeReuse(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeReuse."""
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope("tower", "default", []):
                self.assertEqual(_w(), "outer/tower/w:0")
                self.assertEqual(_ns(), "outer/tower/scope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer/default/scope2/")
        with tf.variable_scope(outer, reuse=True) as outer:
            with tf.variable_scope("tower", "default", []):
                self.assertEqual(_w(), "outer/tower/w:0")
                self.assertEqual(_ns(), "outer_1/tower/scope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_1/default/scope2/")

    def testVarScopeGetVar(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeGetVar."""
        with tf.variable_scope("root"):
            with tf.variable_scope("towerA") as tower_a:
                va = tf.get_variable("v", [1])
                self.assertEqual(va.name, "root/towerA/v:0")
            with tf.variable_scope(tower_a, reuse=True):
                self.assertIs(tf.get_variable("v", [1]), va)
            with tf.variable_scope("towerB"):
                self.assertEqual(tf.get_variable("v", [1]).name, "root/towerB/v:0")
            with self.assertRaises(ValueError):
                with tf.variable_scope("towerA"):
                    tf.get_variable("v", [1])
            with tf.variable_scope("towerA", reuse=True):
                self.assertIs(tf.get_variable("v", [1]), va)
            with tf.variable_scope("foo"):
                with tf.variable_scope("bar"):
                    self.assertEqual(tf.get_variable("v", [1]).name, "root/foo/bar/v:0")
                    with tf.variable_scope(tower_a, reuse=True):
                        self.assertIs(tf.get_variable("v", [1]), va)
            with self.assertRaises(ValueError):
                with tf.variable_scope(tower_a, reuse=True):
                    with tf.variable_scope("baz"):
                        tf.get_variable("v", [1])
            with self.assertRaises(ValueError) as exc:
                with tf.variable_scope(tower_a, reuse=True):
                    tf.get_variable("v", [2])
            self.assertIn("shape", str(exc.exception))
            with self.assertRaises(ValueError) as exc:
                with tf.variable_scope(tower_a, reuse=True):
                    tf.get_variable("v", [1], dtype=tf.int32)
            self.assertIn("dtype", str(exc.exception))

    def testVarScopeOuterScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeOuterScope."""
        with tf.variable_scope("outer") as outer:
            pass
        with tf.variable_scope(outer):
            self.assertEqual(_w(), "outer/w:0")
            self.assertEqual(_ns(), "outer_1/scope2/")
            with tf.variable_scope("default"):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_1/default/scope2/")
        with tf.variable_scope(outer, reuse=True):
            self.assertEqual(_w(), "outer/w:0")
            self.assertEqual(_ns(), "outer_2/scope2/")
            with tf.variable_scope("default", reuse=True):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_2/default/scope2/")

    def testVarScopeNestedOuterScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarScopeNestedOuterScope."""
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope(outer):
                self.assertEqual(_w(), "outer/w:0")
                self.assertEqual(_ns(), "outer/outer/scope2/")
            with tf.variable_scope("default"):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer/default/scope2/")
            with tf.variable_scope(outer, reuse=True):
                self.assertEqual(_w(), "outer/w:0")
                self.assertEqual(_ns(), "outer/outer_1/scope2/")
            with tf.variable_scope("default", reuse=True):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer/default_1/scope2/")

    def testVarOpScopeReuseParam(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeReuseParam."""
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope("tower", "default", []):
                self.assertEqual(_w(), "outer/tower/w:0")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
        with tf.variable_scope(outer) as outer:
            with tf.variable_scope("tower", "default", reuse=True):
                self.assertEqual(_w(), "outer/tower/w:0")
                self.assertEqual(_ns(), "outer_1/tower/scope2/")
            outer.reuse_variables()
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_1/default/scope2/")

    def testVarOpScopeReuseError(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeReuseError."""
        with self.assertRaises(ValueError):
            with tf.variable_scope(None, "default", reuse=True):
                _w()

    def testVarOpScopeOuterScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeOuterScope."""
        with tf.variable_scope("outer") as outer:
            pass
        with tf.variable_scope(outer, "default", []):
            self.assertEqual(_w(), "outer/w:0")
            self.assertEqual(_ns(), "outer_1/scope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_1/default/scope2/")
        with tf.variable_scope(outer, "default", reuse=True):
            self.assertEqual(_w(), "outer/w:0")
            self.assertEqual(_ns(), "outer_2/scope2/")
            outer.reuse_variables()
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_2/default/scope2/")

    def testVarOpScopeNestedOuterScope(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testVarOpScopeNestedOuterScope."""
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope(outer, "default", []):
                self.assertEqual(_w(), "outer/w:0")
                self.assertEqual(_ns(), "outer/outer/scope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer/default/scope2/")
        with tf.variable_scope(outer, "default", reuse=True):
            self.assertEqual(_w(), "outer/w:0")
            self.assertEqual(_ns(), "outer_1/scope2/")
            with tf.variable_scope(None, "default", []):
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_ns(), "outer_1/default/scope2/")

    def testBasicWhenAuxiliaryNameScopeIsFalse(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testBasicWhenAuxiliaryNameScopeIsFalse."""
        with tf.variable_scope("scope", auxiliary_name_scope=False) as scope:
            self.assertEqual(scope.original_name_scope, "")
            self.assertEqual(_w(), "scope/w:0")
            self.assertEqual(_c(), "c:0")
        with tf.variable_scope(scope, auxiliary_name_scope=False):
            self.assertEqual(scope.original_name_scope, "")
            self.assertEqual(_w("w1"), "scope/w1:0")
            self.assertEqual(_c("c1"), "c1:0")
        with tf.name_scope("scope"):
            self.assertEqual(_c(), "scope/c:0")
        with tf.variable_scope("outer"):
            with tf.variable_scope("inner", auxiliary_name_scope=False) as inner:
                self.assertEqual(inner.original_name_scope, "outer/")
                self.assertEqual(_w(), "outer/inner/w:0")
                self.assertEqual(_c(), "outer/c:0")
            with tf.variable_scope(inner, auxiliary_name_scope=False) as inner1:
                self.assertEqual(inner1.original_name_scope, "outer/")
                self.assertEqual(_w("w1"), "outer/inner/w1:0")
                self.assertEqual(_c("c1"), "outer/c1:0")
            with tf.name_scope("inner"):
                self.assertEqual(_c(), "outer/inner/c:0")

    def testCreatedByDefaultNameWhenAuxiliaryNameScopeIsFalse(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testCreatedByDefaultNameWhenAuxiliaryNameScopeIsFalse."""
        with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as scope:
            self.assertEqual(scope.original_name_scope, "")
            self.assertEqual(_w(), "default/w:0")
            self.assertEqual(_c(), "c:0")
        with tf.name_scope("default"):
            self.assertEqual(_c(), "default/c:0")
        with tf.variable_scope("outer"):
            with tf.variable_scope(None, default_name="default", auxiliary_name_scope=False) as inner:
                self.assertEqual(inner.original_name_scope, "outer/")
                self.assertEqual(_w(), "outer/default/w:0")
                self.assertEqual(_c(), "outer/c:0")
            with tf.name_scope("default"):
                self.assertEqual(_c(), "outer/default/c:0")

    def testReenterRootScopeWhenAuxiliaryNameScopeIsFalse(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testReenterRootScopeWhenAuxiliaryNameScopeIsFalse."""
        root_scope = tf.get_variable_scope()
        with tf.variable_scope(root_scope, auxiliary_name_scope=False) as scope:
            self.assertEqual(scope.original_name_scope, "")
            self.assertEqual(_w(), "w:0")
            self.assertEqual(_c(), "c:0")
        with tf.variable_scope("outer"):
            with tf.variable_scope(root_scope, auxiliary_name_scope=False) as inner:
                self.assertEqual(inner.original_name_scope, "")
                self.assertEqual(_w("w1"), "w1:0")
                self.assertEqual(_c("c1"), "outer/c1:0")

    def testAuxiliaryNameScopeIsInvalid(self):
        """kernel_tests/variable_scope_test.py VariableScopeTest.testAuxiliaryNameScopeIsInvalid."""
        with self.assertRaisesRegex(TypeError, "auxiliary_name_scope"):
            with tf.variable_scope(None, default_name="scope", auxiliary_name_scope="invalid"):
                pass
        with self.assertRaisesRegex(TypeError, "auxiliary_name_scope"):
            with tf.variable_scope("scope", auxiliary_name_scope="invalid"):
                pass


# --------------------------------------------------------------------------- dtypes (dtypes_test.py, constant_op_test.py)


class DTypeTest(Case):
    """tensorflow/python/framework/dtypes_test.py, kernel_tests/constant_op_test.py and the tests named per case."""

    def testInvalidTypeName(self):
        """adapted from framework/dtypes_test.py TypesTest.testStringConversion: only its last check, as_dtype of an
        unknown name raises TypeError (TypesTest.testInvalid uses DT_INVALID instead)."""
        with self.assertRaises(TypeError):
            tf.as_dtype("not_a_type")

    def testCompleteDtypeList(self):
        """adapted from framework/dtypes_test.py TypesTest.testAllTypesConvertibleToDType: converts the TF1 dtypes by
        name and compares with the module attributes, rather than every DataType enum."""
        for name in ("float16", "float32", "float64", "bfloat16", "int8", "int16", "int32", "int64", "uint8",
                     "uint16", "uint32", "uint64", "complex64", "complex128", "string", "bool"):
            self.assertEqual(tf.as_dtype(name).name, name)
            self.assertIs(getattr(tf, name) == tf.as_dtype(name), True)

    def testNumpyConversion(self):
        """adapted from framework/dtypes_test.py TypesTest.testNumpyConversion: also float16/uint32/uint64 and the
        reverse as_numpy_dtype."""
        for np_t, d in ((np.float16, tf.float16), (np.uint16, tf.uint16), (np.uint32, tf.uint32),
                        (np.uint64, tf.uint64), (np.complex64, tf.complex64), (np.complex128, tf.complex128),
                        (np.int8, tf.int8), (np.bool_, tf.bool)):
            self.assertEqual(tf.as_dtype(np_t), d)
            if d != tf.bool:
                self.assertIs(d.as_numpy_dtype, np_t)

    def testIsInteger(self):
        """framework/dtypes_test.py TypesTest.testIsInteger."""
        for d in (tf.uint8, tf.uint16, tf.uint32, tf.uint64, tf.int8, tf.int16, tf.int32, tf.int64):
            self.assertTrue(d.is_integer)
        for d in (tf.float16, tf.bfloat16, tf.complex64, tf.string, tf.bool):
            self.assertFalse(d.is_integer)

    def testIsFloating(self):
        """framework/dtypes_test.py TypesTest.testIsFloating."""
        for d in (tf.float16, tf.bfloat16, tf.float32, tf.float64):
            self.assertTrue(d.is_floating)
        self.assertFalse(tf.complex64.is_floating)

    def testIsComplex(self):
        """framework/dtypes_test.py TypesTest.testIsComplex."""
        self.assertTrue(tf.complex64.is_complex)
        self.assertTrue(tf.complex128.is_complex)
        self.assertFalse(tf.float32.is_complex)

    def testIsUnsigned(self):
        """framework/dtypes_test.py TypesTest.testIsUnsigned."""
        for d in (tf.uint8, tf.uint16, tf.uint32, tf.uint64):
            self.assertTrue(d.is_unsigned)
        self.assertFalse(tf.int8.is_unsigned)

    def testMinMax(self):
        """framework/dtypes_test.py TypesTest.testMinMax."""
        self.assertEqual(tf.uint16.max, 65535)
        self.assertEqual(tf.int8.min, -128)
        self.assertEqual(tf.uint64.min, 0)
        with self.assertRaises(TypeError):
            tf.bool.min

    def testRealDtype(self):
        """framework/dtypes_test.py TypesTest.testRealDtype."""
        self.assertEqual(tf.complex64.real_dtype, tf.float32)
        self.assertEqual(tf.complex128.real_dtype, tf.float64)
        self.assertEqual(tf.int32.real_dtype, tf.int32)

    def testFloat16Literal(self):
        """adapted from kernel_tests/constant_op_test.py ConstantTest.testFloat: a float16 Python literal; checks the
        Const's dtype and value attr instead of a session run."""
        c = tf.constant(1.5, dtype=tf.float16)
        self.assertEqual(c.dtype, tf.float16)
        self.assertEqual(c.op.get_attr("value"), np.float16(1.5))

    def testFloat16List(self):
        """adapted from kernel_tests/constant_op_test.py ConstantTest.testFloat: a float16 list; checks the Const's
        value attr."""
        c = tf.constant([0.5, 2.0], dtype=tf.float16)
        self.assertEqual(list(c.op.get_attr("value")), [np.float16(0.5), np.float16(2.0)])

    def testUnsignedConstants(self):
        """adapted from kernel_tests/constant_op_test.py ConstantTest.testInt64: uint16/uint32/uint64 constants;
        checks dtype and the numpy type of the value attr."""
        for d, np_t in ((tf.uint16, np.uint16), (tf.uint32, np.uint32), (tf.uint64, np.uint64)):
            c = tf.constant([1, 2], dtype=d)
            self.assertEqual(c.dtype, d)
            self.assertEqual(c.op.get_attr("value").dtype, np_t)

    def testComplexConstant(self):
        """adapted from kernel_tests/constant_op_test.py ConstantTest.testComplex64 and ConstantTest.testComplex128:
        checks the dtype only."""
        c = tf.constant(np.array([1 + 2j], dtype=np.complex64))
        self.assertEqual(c.dtype, tf.complex64)
        c = tf.constant([1 + 2j], dtype=tf.complex128)
        self.assertEqual(c.dtype, tf.complex128)

    def testBFloat16Constant(self):
        """adapted from kernel_tests/cast_op_test.py CastOpTest.testBfloat16: the values of a bfloat16 Const instead
        of a float32 -> bfloat16 -> float32 cast round trip."""
        c = tf.constant([1.0, 0.5], dtype=tf.bfloat16)
        self.assertEqual(c.dtype, tf.bfloat16)
        self.assertEqual(list(c.op.get_attr("value")), [1.0, 0.5])

    def testFloatToIntIsRejected(self):
        """adapted from framework/ops_test.py OperationTest.testConvertToInvalidTensorType: tf.constant(1.5,
        dtype=int32) instead of convert_to_tensor([1.23], dtype=int64); checks TF's message text."""
        with self.assertRaisesRegex(TypeError, r"Expected int32, got 1.5 of type 'float' instead."):
            tf.constant(1.5, dtype=tf.int32)

    def testStringToFloatIsRejected(self):
        """adapted from framework/ops_test.py OperationTest.testConvertToInvalidTensorType: a str converted to
        float32; checks TF's message text."""
        with self.assertRaisesRegex(TypeError, r"Expected float32, got 'a' of type 'str' instead."):
            tf.constant("a", dtype=tf.float32)

    def testBoolPlaceholders(self):
        """adapted from framework/dtypes_test.py TypesTest.testAllTypesConstructible: placeholders of several numeric
        dtypes keep their dtype."""
        for d in (tf.uint16, tf.uint32, tf.uint64, tf.bfloat16, tf.complex64, tf.float16, tf.int8):
            p = tf.placeholder(d, [2])
            self.assertEqual(p.dtype, d)

    def testVariableOfFloat16(self):
        """no TensorFlow counterpart; written for scopeviz: get_variable from a float16 constant initializer makes a
        float16 variable (variable_scope.get_variable's dtype inference)."""
        v = tf.get_variable("h", initializer=tf.constant([1.0], dtype=tf.float16))
        self.assertEqual(v.dtype.base_dtype, tf.float16)


# --------------------------------------------------------------------------- ops_test.py


class OpsGraphTest(Case):
    """tensorflow/python/framework/ops_test.py"""

    def testDefaultGraph(self):
        """adapted from framework/ops_test.py GraphTest.testDefaultGraph: also checks has_default_graph before, inside
        and after."""
        orig = tf.get_default_graph()
        self.assertFalse(tf.has_default_graph())
        g0 = tf.Graph()
        ctx = g0.as_default()
        self.assertIs(tf.get_default_graph(), orig)
        with ctx as g:
            self.assertIs(g, g0)
            self.assertIs(tf.get_default_graph(), g0)
            with tf.Graph().as_default() as g1:
                self.assertTrue(tf.has_default_graph())
                self.assertIs(tf.get_default_graph(), g1)
            self.assertIs(tf.get_default_graph(), g0)
        self.assertIs(tf.get_default_graph(), orig)
        self.assertFalse(tf.has_default_graph())

    def testNestedSameGraph(self):
        """adapted from framework/ops_test.py GraphTest.testDefaultGraph: the same graph entered twice; each exit
        restores."""
        g = tf.Graph()
        with g.as_default():
            with g.as_default():
                self.assertIs(tf.get_default_graph(), g)
            self.assertIs(tf.get_default_graph(), g)
        self.assertIsNot(tf.get_default_graph(), g)

    def testColocationGroupsDefault(self):
        """framework/ops_test.py ColocationGroupTest.testBasic."""
        a = tf.constant([2.0], name="a")
        self.assertEqual(a.op.colocation_groups(), [b"loc:@a"])

    def testColocateWith(self):
        """framework/ops_test.py ColocationGroupTest.testBasic."""
        a = tf.constant([2.0], name="a")
        with tf.colocate_with(a.op):
            b = tf.constant(3.0)
        c = tf.constant(4.0)
        self.assertEqual([b"loc:@a"], b.op.colocation_groups())
        self.assertEqual([b"loc:@a"], a.op.colocation_groups())
        self.assertEqual([b"loc:@Const_1"], c.op.colocation_groups())
        self.assertEqual(b.op.get_attr("_class"), [b"loc:@a"])

    def testColocateWithTensor(self):
        """adapted from framework/ops_test.py ColocationGroupTest.testBasic: colocate_with is given the Tensor a
        instead of a.op."""
        a = tf.constant([2.0], name="a")
        with tf.colocate_with(a):
            b = tf.constant(3.0)
        self.assertEqual([b"loc:@a"], b.op.colocation_groups())

    def testColocateWithReset(self):
        """framework/ops_test.py ColocationGroupTest.testColocateWithReset."""
        a = tf.constant([2.0], name="a")
        with tf.colocate_with(a.op):
            with tf.colocate_with(None, ignore_existing=True):
                b = tf.constant(3.0, name="b")
        self.assertEqual([b"loc:@b"], b.op.colocation_groups())

    def testVariableColocation(self):
        """adapted from kernel_tests/variables_test.py VariablesTestCase.testInitializerFunctionDevicePlacement: a
        get_variable's own op and its v/read op are in group loc:@v (no device)."""
        v = tf.get_variable("v", [1])
        self.assertEqual(tf.get_default_graph().get_operation_by_name("v/read").colocation_groups(), [b"loc:@v"])
        self.assertEqual(v.op.colocation_groups(), [b"loc:@v"])

    def testAssignColocatedWithVariable(self):
        """adapted from kernel_tests/variables_test.py VariablesTestCase.testColocation: the assign op is colocated
        with its variable (loc:@v); no device check."""
        v = tf.get_variable("v", [1])
        a = tf.assign(v, [2.0])
        self.assertEqual(a.op.colocation_groups(), [b"loc:@v"])

    def testControlDependencies(self):
        """framework/ops_test.py ControlDependenciesTest.testBasic."""
        a = tf.constant(1.0, name="a")
        with tf.control_dependencies([a]):
            b = tf.constant(2.0, name="b")
        c = tf.constant(3.0, name="c")
        self.assertEqual([o.name for o in b.op.control_inputs], ["a"])
        self.assertEqual(c.op.control_inputs, [])

    def testControlDependenciesNested(self):
        """framework/ops_test.py ControlDependenciesTest.testNested."""
        a = tf.constant(1.0, name="a")
        b = tf.constant(1.0, name="b")
        with tf.control_dependencies([a]):
            with tf.control_dependencies([b]):
                c = tf.constant(2.0, name="c")
        self.assertEqual(sorted(o.name for o in c.op.control_inputs), ["a", "b"])

    def testControlDependenciesClear(self):
        """framework/ops_test.py ControlDependenciesTest.testClear."""
        a = tf.constant(1.0, name="a")
        with tf.control_dependencies([a]):
            with tf.control_dependencies(None):
                b = tf.constant(2.0, name="b")
        self.assertEqual(b.op.control_inputs, [])

    def testControlDependenciesFromOtherGraph(self):
        """adapted from framework/ops_test.py ControlDependenciesTest.testBasic: a control input from another graph
        raises ValueError."""
        g = tf.Graph()
        with g.as_default():
            a = tf.constant(1.0)
        with self.assertRaises(ValueError):
            with tf.get_default_graph().control_dependencies([a]):
                pass

    def testConvertToTensorDtypeMismatch(self):
        """adapted from framework/ops_test.py OperationTest.testConvertToTensorFromInvalidTensor: checks TF's message
        text as well."""
        a = tf.constant(1.0, name="a")
        with self.assertRaisesRegex(ValueError, "Tensor conversion requested dtype int32 for Tensor with dtype "
                                                "float32"):
            tf.convert_to_tensor(a, dtype=tf.int32)

    def testConvertToTensorLiteral(self):
        """adapted from kernel_tests/constant_op_test.py AsTensorTest.testAsTensorForNonTensorInput: a list literal
        with a name; checks the tensor name and int32 dtype."""
        t = tf.convert_to_tensor([1, 2], name="lit")
        self.assertEqual(t.name, "lit:0")
        self.assertEqual(t.dtype, tf.int32)

    def testTensorIsNotIterable(self):
        """framework/ops_test.py TensorAndShapeTest.testIterable."""
        with self.assertRaisesRegex(TypeError, "only iterable when eager"):
            iter(tf.constant([1, 2]))

    def testTensorBool(self):
        """no TensorFlow counterpart; written for scopeviz: bool() of a graph Tensor raises TypeError with TF's
        message (ops.Tensor.__bool__)."""
        with self.assertRaisesRegex(TypeError, "Using a `tf.Tensor` as a Python `bool` is not allowed"):
            bool(tf.constant(True))

    def testNameScopeOfConcat(self):
        """no TensorFlow counterpart; written for scopeviz: a second tf.concat gets a uniquified concat_1 scope and
        concat_1/axis (array_ops.concat naming)."""
        a = tf.constant([1.0])
        tf.concat([a, a], 0)
        tf.concat([a, a], 0)
        self.assertIn("concat_1", op_names())
        self.assertIn("concat_1/axis", op_names())


class OpsNameScopeMethodsTest(Case):
    """tensorflow/python/framework/ops_test.py NameStackTest, NameTest and NameScopeTest methods."""

    def testBasics(self):
        """framework/ops_test.py NameStackTest.testBasics."""
        g = tf.Graph()
        for name, want in (("foo", "foo"), ("foo", "foo_1"), ("foo", "foo_2"), ("foo_1", "foo_1_1"),
                           ("foo_1", "foo_1_2"), ("foo_1_2", "foo_1_2_1")):
            self.assertEqual(want, g.unique_name(name, mark_as_used=False))
            self.assertEqual(want, g.unique_name(name))
        with g.name_scope("bar"):
            self.assertEqual("bar/foo", g.unique_name("foo", mark_as_used=False))
            self.assertEqual("bar/foo", g.unique_name("foo"))
            self.assertEqual("bar/foo_1", g.unique_name("foo"))
            with g.name_scope(None):
                self.assertEqual("foo_3", g.unique_name("foo", mark_as_used=False))
                self.assertEqual("foo_3", g.unique_name("foo"))
            with g.name_scope("baz"):
                self.assertEqual("bar/baz/foo", g.unique_name("foo"))
                self.assertEqual("bar/baz/foo_1", g.unique_name("foo"))
            with g.name_scope("baz"):
                self.assertEqual("bar/baz_1/foo", g.unique_name("foo"))
                self.assertEqual("bar/baz_1/foo_1", g.unique_name("foo"))
        with g.name_scope("quux"):
            self.assertEqual("quux/foo", g.unique_name("foo"))
        with g.name_scope("bar"):
            with g.name_scope("baz"):
                self.assertEqual("bar_1/baz/foo", g.unique_name("foo"))
        self.assertEqual("foo_4", g.unique_name("foo", mark_as_used=False))
        self.assertEqual("foo_4", g.unique_name("foo"))
        self.assertEqual("bar_2", g.unique_name("bar", mark_as_used=False))
        self.assertEqual("bar_2", g.unique_name("bar"))

    def testNameAndVariableScope(self):
        """framework/ops_test.py NameStackTest.testNameAndVariableScope."""
        g = tf.get_default_graph()
        with g.name_scope("l0"):
            with tf.variable_scope("l1"):
                with g.name_scope("l1") as scope:
                    self.assertEqual("l0/l1/l1/", scope)
                    self.assertEqual("l0/l1/l1/foo", g.unique_name("foo", mark_as_used=False))
                    self.assertEqual("l0/l1/l1/foo", g.unique_name("foo"))
                with g.name_scope("l2") as scope:
                    self.assertEqual("l0/l1/l2/", scope)
                    self.assertEqual("l0/l1/l2/foo", g.unique_name("foo"))

    def testOutOfOrderUniqueName(self):
        """framework/ops_test.py NameStackTest.testOutOfOrderUniqueName."""
        g = tf.Graph()
        self.assertEqual(["foo_2", "foo", "foo_1", "foo_3"], [g.unique_name(n) for n in ("foo_2", "foo", "foo", "foo")])

    def testInvalidNameRaisesError(self):
        """framework/ops_test.py NameStackTest.testInvalidNameRaisesError."""
        g = tf.Graph()
        with g.name_scope(""):
            pass
        with g.name_scope("foo/"):
            with g.name_scope("_bar"):
                pass
        with self.assertRaises(ValueError):
            with g.name_scope("foo:0"):
                pass
        with self.assertRaises(ValueError):
            with g.name_scope("_bar"):
                pass

    def testGenerateName(self):
        """framework/ops_test.py NameTest.testGenerateName."""
        g = tf.Graph()
        op0 = g.create_op("const", [], [tf.float32, tf.float32])
        self.assertEqual("const", op0.name)
        self.assertEqual("const:0", op0.outputs[0].name)
        self.assertEqual("const:1", op0.outputs[1].name)
        op1 = g.create_op("const", [], [tf.float32])
        self.assertEqual("const_1", op1.name)
        self.assertEqual("const_1:0", op1.outputs[0].name)
        op2 = g.create_op("const", [], [tf.float32], name="my_op")
        self.assertEqual("my_op", op2.name)

    def testNameScope(self):
        """framework/ops_test.py NameTest.testNameScope."""
        g = tf.Graph()
        with g.name_scope("foo") as foo:
            self.assertEqual("foo/", foo)
            with g.name_scope("foo2") as foo2:
                self.assertEqual("foo/foo2/", foo2)
            with g.name_scope(None) as empty1:
                self.assertEqual("", empty1)
                with g.name_scope("foo3") as foo3:
                    self.assertEqual("foo3/", foo3)
            with g.name_scope("") as empty2:
                self.assertEqual("", empty2)
        self.assertEqual("const", g.create_op("const", [], [tf.float32]).name)
        with g.name_scope("bar") as scope:
            self.assertEqual("bar/const", g.create_op("const", [], [tf.float32]).name)
            self.assertEqual("bar/const_1", g.create_op("const", [], [tf.float32]).name)
            self.assertEqual("bar", g.create_op("const", [], [tf.float32], name=scope).name)
        with g.name_scope("baz") as scope:
            with g.name_scope("quux"):
                self.assertEqual("baz/quux/const", g.create_op("const", [], [tf.float32]).name)
            with g.name_scope(scope):
                self.assertEqual("baz/const", g.create_op("const", [], [tf.float32]).name)
                self.assertEqual("baz", g.create_op("const", [], [tf.float32], name=scope).name)
                self.assertEqual("trailing", g.create_op("const", [], [tf.float32], name="trailing/").name)
        with g.name_scope("bar"):
            self.assertEqual("bar_1/const", g.create_op("const", [], [tf.float32]).name)
        with g.name_scope("bar/"):
            self.assertEqual("bar/const_2", g.create_op("const", [], [tf.float32]).name)

    def testGetNameScope(self):
        """framework/ops_test.py NameScopeTest.testGetNameScope."""
        with tf.Graph().as_default() as g:
            with tf.name_scope("scope1"):
                with tf.name_scope("scope2"):
                    with tf.name_scope("scope3"):
                        self.assertEqual("scope1/scope2/scope3", g.get_name_scope())
                    self.assertEqual("scope1/scope2", g.get_name_scope())
                self.assertEqual("scope1", g.get_name_scope())
            self.assertEqual("", g.get_name_scope())

    def testOneOutput(self):
        """framework/ops_test.py OutputTypesTest.testOneOutput."""
        op = tf.constant(12, dtype=tf.uint16).op
        self.assertEqual([tf.uint16], [o.dtype for o in op.outputs])

    def testThreeOutputs(self):
        """adapted from framework/ops_test.py OutputTypesTest.testThreeOutputs: also checks the three output shapes."""
        a = tf.constant("abc", dtype=tf.string, shape=[5, 30])
        split0, _, _ = tf.split(a, [4, 15, 11], 1)
        self.assertEqual([tf.string] * 3, [o.dtype for o in split0.op.outputs])
        self.assertEqual([[5, 4], [5, 15], [5, 11]], [o.shape.as_list() for o in split0.op.outputs])


# --------------------------------------------------------------------------- template_test.py


def _linear(x, output_size):
    w = tf.get_variable("w", [x.shape[1].value, output_size], initializer=tf.zeros_initializer())
    b = tf.get_variable("b", [output_size], initializer=tf.zeros_initializer())
    return tf.matmul(x, w) + b


def _var_scoped_function():
    return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


def _internally_var_scoped_function(scope_name):
    with tf.variable_scope(scope_name):
        return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())


class TemplateTest(Case):
    """tensorflow/python/kernel_tests/template_test.py"""

    def test_end_to_end(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_end_to_end: checks that two calls share w and
        b by name instead of training a line."""
        x = tf.placeholder(tf.float32, [None, 3])
        lin = tf.make_template("linear", _linear, output_size=2)
        lin(x)
        lin(x)
        self.assertEqual(sorted(v.name for v in tf.trainable_variables()), ["linear/b:0", "linear/w:0"])

    def test_template_shares_variables(self):
        """kernel_tests/template_test.py TemplateTest.test_template_with_name."""
        tmpl1 = tf.make_template("s1", _var_scoped_function)
        tmpl2 = tf.make_template("s1", _var_scoped_function)
        v1 = tmpl1()
        v2 = tmpl1()
        v3 = tmpl2()
        self.assertIs(v1, v2)
        self.assertIsNot(v1, v3)
        self.assertEqual("s1/dummy:0", v1.name)
        self.assertEqual("s1_1/dummy:0", v3.name)

    def test_same_unique_name_raise_error(self):
        """kernel_tests/template_test.py TemplateTest.test_same_unique_name_raise_error."""
        tmpl1 = tf.make_template("_", _var_scoped_function, unique_name_="s1")
        tmpl1()
        tmpl2 = tf.make_template("_", _var_scoped_function, unique_name_="s1")
        with self.assertRaisesRegex(ValueError, "Variable s1/dummy already exists, disallowed.*"):
            tmpl2()

    def test_unique_name_and_reuse(self):
        """kernel_tests/template_test.py TemplateTest.test_unique_name_and_reuse."""
        tmpl1 = tf.make_template("_", _var_scoped_function, unique_name_="s1")
        v1 = tmpl1()
        v2 = tmpl1()
        tf.get_variable_scope().reuse_variables()
        tmpl2 = tf.make_template("_", _var_scoped_function, unique_name_="s1")
        v3 = tmpl2()
        self.assertIs(v1, v2)
        self.assertIs(v1, v3)
        self.assertEqual("s1/dummy:0", v1.name)

    def test_template_in_scope(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_template_in_scope: the second call of tmpl1 is
        made under 'scope' again instead of 'scope2'."""
        tmpl1 = tf.make_template("s1", _var_scoped_function)
        tmpl2 = tf.make_template("s1", _var_scoped_function)
        with tf.variable_scope("scope"):
            v1 = tmpl1()
            v3 = tmpl2()
        with tf.variable_scope("scope"):
            v2 = tmpl1()
        self.assertIs(v1, v2)
        self.assertIsNot(v1, v3)
        self.assertEqual("scope/s1/dummy:0", v1.name)
        self.assertEqual("scope/s1_1/dummy:0", v3.name)

    def test_template_with_internal_reuse(self):
        """kernel_tests/template_test.py TemplateTest.test_template_with_internal_reuse."""
        tmpl1 = tf.make_template("s1", _internally_var_scoped_function)
        tmpl2 = tf.make_template("s1", _internally_var_scoped_function)
        v1 = tmpl1("test")
        v2 = tmpl1("test")
        v3 = tmpl2("test")
        self.assertIs(v1, v2)
        self.assertIsNot(v1, v3)
        self.assertEqual("s1/test/dummy:0", v1.name)
        self.assertEqual("s1_1/test/dummy:0", v3.name)
        with self.assertRaises(ValueError):
            tmpl1("not_test")

    def test_template_without_name(self):
        """kernel_tests/template_test.py TemplateTest.test_template_without_name."""
        with self.assertRaisesRegex(ValueError, "name cannot be None."):
            tf.make_template(None, _var_scoped_function)

    def test_make_template(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_make_template: one template with a bound
        kwarg; checks that the variable scope is made on the first call."""
        tmpl = tf.make_template("s1", _internally_var_scoped_function, scope_name="test")
        self.assertIsNone(tmpl.variable_scope)
        v1 = tmpl()
        self.assertEqual("s1/test/dummy:0", v1.name)
        self.assertEqual(tmpl.variable_scope.name, "s1")

    def test_enforces_no_extra_trainable_variables(self):
        """kernel_tests/template_test.py TemplateTest.test_enforces_no_extra_trainable_variables."""
        def variable_getter():
            return tf.Variable([1.0], name="extra")
        tmpl = tf.make_template("s", variable_getter)
        tmpl()
        with self.assertRaisesRegex(ValueError, "Trainable variable created when calling a template after the "
                                                "first time"):
            tmpl()

    def test_permits_extra_non_trainable_variables(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_permits_extra_non_trainable_variables: the
        function returns the new non-trainable Variable itself, so the two calls return different objects."""
        def variable_getter():
            return tf.Variable([1.0], name="extra", trainable=False)
        tmpl = tf.make_template("s", variable_getter)
        self.assertIsNot(tmpl(), tmpl())

    def test_internal_variable_reuse(self):
        """kernel_tests/template_test.py TemplateTest.test_internal_variable_reuse."""
        def nested():
            with tf.variable_scope("nested") as vs:
                v1 = tf.get_variable("x", initializer=tf.zeros_initializer(), shape=[])
            with tf.variable_scope(vs, reuse=True):
                v2 = tf.get_variable("x")
            self.assertIs(v1, v2)
            return v1
        tmpl1 = tf.make_template("s1", nested)
        tmpl2 = tf.make_template("s1", nested)
        v1 = tmpl1()
        v2 = tmpl1()
        v3 = tmpl2()
        self.assertIs(v1, v2)
        self.assertIsNot(v1, v3)
        self.assertEqual("s1/nested/x:0", v1.name)
        self.assertEqual("s1_1/nested/x:0", v3.name)

    def test_template_ops_names(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_name_scopes_for_variable_scopes: a
        deferred-scope template (create_scope_now_=False); each call's ops get a fresh name scope."""
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        lin = tf.make_template("linear", _linear, output_size=2)
        y1 = lin(x)
        y2 = lin(x)
        self.assertEqual(y1.name, "linear/add:0")
        self.assertEqual(y2.name, "linear_1/add:0")

    def test_trainable_variables_property(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_trainable_variables: one template, before and
        after its call, with the variable's name."""
        tmpl = tf.make_template("s1", _var_scoped_function)
        self.assertEqual(tmpl.trainable_variables, [])
        tmpl()
        self.assertEqual([v.name for v in tmpl.trainable_variables], ["s1/dummy:0"])

    def test_create_scope_now(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_immediate_scope_creation: one template with
        create_scope_now_=True."""
        tmpl = tf.make_template("s1", _var_scoped_function, create_scope_now_=True)
        self.assertEqual(tmpl.variable_scope.name, "s1")
        self.assertEqual(tmpl().name, "s1/dummy:0")


class TemplateMethodsTest(Case):
    """tensorflow/python/kernel_tests/template_test.py, TemplateTest methods rewritten for the graph-mode API."""

    def test_nested_templates(self):
        """kernel_tests/template_test.py TemplateTest.test_nested_templates."""
        def nested_template():
            nested1 = tf.make_template("nested", _var_scoped_function)
            nested2 = tf.make_template("nested", _var_scoped_function)
            v1 = nested1()
            v2 = nested2()
            self.assertIsNot(v1, v2)
            return v2
        tmpl1 = tf.make_template("s1", nested_template)
        tmpl2 = tf.make_template("s1", nested_template)
        v1 = tmpl1()
        v2 = tmpl1()
        v3 = tmpl2()
        self.assertIs(v1, v2)
        self.assertIsNot(v1, v3)
        self.assertEqual("s1/nested_1/dummy:0", v1.name)
        self.assertEqual("s1_1/nested_1/dummy:0", v3.name)

    def test_immediate_scope_creation(self):
        """kernel_tests/template_test.py TemplateTest.test_immediate_scope_creation."""
        with tf.variable_scope("ctor_scope"):
            tmpl_immed = tf.make_template("a", _var_scoped_function, True)
            tmpl_defer = tf.make_template("b", _var_scoped_function, False)
        with tf.variable_scope("call_scope"):
            inner_imm_var = tmpl_immed()
            inner_defer_var = tmpl_defer()
        outer_imm_var = tmpl_immed()
        outer_defer_var = tmpl_defer()
        self.assertIsNot(inner_imm_var, inner_defer_var)
        self.assertIs(outer_imm_var, inner_imm_var)
        self.assertIs(outer_defer_var, inner_defer_var)
        self.assertEqual("ctor_scope/a/dummy:0", inner_imm_var.name)
        self.assertEqual("call_scope/b/dummy:0", inner_defer_var.name)

    def test_scope_access(self):
        """kernel_tests/template_test.py TemplateTest.test_scope_access."""
        with tf.variable_scope("foo"):
            ta = tf.make_template("bar", _var_scoped_function, True)
            tb = tf.make_template("bar", _var_scoped_function, True)
        self.assertEqual(ta.variable_scope.name, "foo/bar")
        self.assertEqual(tb.variable_scope.name, "foo/bar_1")
        with tf.variable_scope("foo_2"):
            tc = tf.make_template("blah", _var_scoped_function, False)
        self.assertIsNone(tc.variable_scope)
        tc()
        self.assertEqual(tc.variable_scope.name, "blah")

    def test_fails_gracefully(self):
        """kernel_tests/template_test.py TemplateTest.test_fails_gracefully."""
        for create_scope_now in (True, False):
            def module_function_with_one_arg(inputs):
                w = tf.get_variable("w", shape=[1], initializer=tf.zeros_initializer())
                return inputs * w
            templatized = tf.make_template("f1", module_function_with_one_arg, create_scope_now_=create_scope_now)
            data = tf.zeros(1)
            try:
                templatized(data, is_training=True)
            except TypeError:
                pass
            self.assertFalse(templatized.variables_created)
            templatized(data)
            self.assertTrue(templatized.variables_created)

    def test_name_scopes_for_variable_scopes(self):
        """kernel_tests/template_test.py TemplateTest.test_name_scopes_for_variable_scopes."""
        def linear_module(x, output_size):
            w = tf.get_variable("w", shape=[x.get_shape()[1], output_size], initializer=tf.zeros_initializer())
            b = tf.get_variable("b", shape=[output_size], initializer=tf.zeros_initializer())
            return (tf.matmul(x, w) + b), w

        def make_linear_module(output_size, name):
            return tf.make_template(name, linear_module, output_size=output_size, create_scope_now_=True)
        inputs = tf.ones((3, 4))
        linear1 = make_linear_module(output_size=2, name="foo")
        outputs_a, w1 = linear1(inputs)
        outputs_b, _ = linear1(inputs)
        self.assertEqual("foo", linear1.variable_scope.name)
        self.assertEqual("foo/w:0", w1.name)
        self.assertEqual("foo/add:0", outputs_a.name)
        self.assertEqual("foo_1/add:0", outputs_b.name)
        linear2 = make_linear_module(output_size=2, name="foo")
        outputs_c, w2 = linear2(inputs)
        outputs_d, _ = linear2(inputs)
        self.assertEqual("foo_1", linear2.variable_scope.name)
        self.assertEqual("foo_1/w:0", w2.name)
        self.assertEqual("foo_1_1/add:0", outputs_c.name)
        self.assertEqual("foo_1_2/add:0", outputs_d.name)

    def test_global_variables(self):
        """kernel_tests/template_test.py TemplateTest.test_global_variables."""
        def function_with_create(trainable):
            tf.Variable(0, trainable=trainable)
            return tf.get_variable("dummy", shape=[1], initializer=tf.zeros_initializer())
        with tf.variable_scope("foo"):
            ta = tf.make_template("bar", _var_scoped_function, True)
            tb = tf.make_template("s", function_with_create, trainable=False)
        self.assertEqual([], ta.global_variables)
        self.assertEqual([], tb.global_variables)
        ta()
        tb()
        self.assertEqual(1, len(ta.global_variables))
        self.assertEqual(2, len(tb.global_variables))

    def test_trainable_variables(self):
        """adapted from kernel_tests/template_test.py TemplateTest.test_trainable_variables: also checks the name of
        ta's variable."""
        with tf.variable_scope("foo2"):
            ta = tf.make_template("bar", _var_scoped_function, True)
            tb = tf.make_template("bar", _var_scoped_function, True)
        self.assertEqual([], ta.trainable_variables)
        self.assertEqual([], tb.trainable_variables)
        ta()
        tb()
        self.assertEqual(1, len(ta.trainable_variables))
        self.assertEqual(1, len(tb.trainable_variables))
        self.assertEqual("foo2/bar/dummy:0", ta.trainable_variables[0].name)


# --------------------------------------------------------------------------- layers (core_test.py, convolutional_test.py, pooling_test.py, normalization_test.py)


class DenseTest(Case):
    """tensorflow/python/layers/core_test.py"""

    def testDenseProperties(self):
        """adapted from layers/core_test.py DenseTest.testDenseProperties: the properties part; the auto-naming
        part is testDenseAutoNamingAfterNamedLayer."""
        dense = tf.layers.Dense(2, activation=tf.nn.relu, name="my_dense")
        self.assertEqual(dense.units, 2)
        self.assertEqual(dense.activation, tf.nn.relu)
        self.assertEqual(dense.name, "my_dense")

    def testDenseAutoNamingAfterNamedLayer(self):
        """adapted from layers/core_test.py DenseTest.testDenseProperties: its auto-naming part only (unnamed
        layers are numbered by keras' per-graph backend.unique_object_name, from 1)."""
        tf.layers.Dense(2, activation=tf.nn.relu, name="my_dense")
        dense = tf.layers.Dense(2, activation=tf.nn.relu)
        dense.apply(tf.random_uniform((5, 2)))
        self.assertEqual(dense.name, "dense_1")
        dense = tf.layers.Dense(2, activation=tf.nn.relu)
        dense.apply(tf.random_uniform((5, 2)))
        self.assertEqual(dense.name, "dense_2")

    def testUnnamedLayerNameAndScope(self):
        """no TensorFlow counterpart; written for scopeviz: TF 1.15's two naming rules side by side: the first
        unnamed Dense of a graph is named dense_1 (object-name counter) while its variables live under dense/
        (variable_scope default_name), the second is dense_2 under dense_1/; a new graph starts again at 1."""
        a = tf.layers.Dense(1)
        a.apply(tf.ones((1, 2)))
        b = tf.layers.Dense(1)
        b.apply(tf.ones((1, 2)))
        self.assertEqual((a.name, a.kernel.name), ("dense_1", "dense/kernel:0"))
        self.assertEqual((b.name, b.kernel.name), ("dense_2", "dense_1/kernel:0"))
        tf.reset_default_graph()
        self.assertEqual(tf.layers.Dense(1).name, "dense_1")

    def testCall(self):
        """adapted from layers/core_test.py DenseTest.testCall: also checks the output op name my_dense/Relu."""
        dense = tf.layers.Dense(2, activation=tf.nn.relu, name="my_dense")
        inputs = tf.random_uniform((5, 4), seed=1)
        outputs = dense(inputs)
        self.assertListEqual([5, 2], outputs.shape.as_list())
        self.assertEqual([v.name for v in dense.variables], ["my_dense/kernel:0", "my_dense/bias:0"])
        self.assertEqual(dense.kernel.name, "my_dense/kernel:0")
        self.assertEqual(dense.bias.name, "my_dense/bias:0")
        self.assertEqual(outputs.op.name, "my_dense/Relu")

    def testNoBias(self):
        """layers/core_test.py DenseTest.testNoBias."""
        dense = tf.layers.Dense(2, use_bias=False, name="my_dense")
        dense(tf.random_uniform((5, 2), seed=1))
        self.assertEqual([v.name for v in dense.variables], ["my_dense/kernel:0"])
        self.assertIsNone(dense.bias)

    def testNonTrainable(self):
        """layers/core_test.py DenseTest.testNonTrainable."""
        dense = tf.layers.Dense(2, trainable=False, name="my_dense")
        dense(tf.random_uniform((5, 2), seed=1))
        self.assertEqual(len(dense.non_trainable_variables if hasattr(dense, "non_trainable_variables")
                             else dense.non_trainable_weights), 2)
        self.assertEqual(dense.trainable_variables, [])
        self.assertEqual(tf.trainable_variables(), [])

    def testOutputShape(self):
        """adapted from layers/core_test.py DenseTest.testOutputShape: the rank-2 case only."""
        dense = tf.layers.Dense(7, activation=tf.nn.relu, name="my_dense")
        outputs = dense(tf.random_uniform((5, 3), seed=1))
        self.assertEqual(outputs.shape.as_list(), [5, 7])

    def testCallOnPlaceHolder(self):
        """layers/core_test.py DenseTest.testCallOnPlaceHolder."""
        inputs = tf.placeholder(tf.float32, shape=[None, None])
        dense = tf.layers.Dense(4, name="my_dense")
        with self.assertRaisesRegex(ValueError, "The last dimension of the inputs to `Dense` should be defined. "
                                                "Found `None`."):
            dense(inputs)

    def testActivation(self):
        """layers/core_test.py DenseTest.testActivation."""
        inputs = tf.random_uniform((5, 3), seed=1)
        outputs = tf.layers.Dense(2, activation=tf.nn.relu, name="dense1")(inputs)
        self.assertEqual(outputs.op.name, "dense1/Relu")
        outputs = tf.layers.Dense(2, name="dense2")(inputs)
        self.assertEqual(outputs.op.name, "dense2/BiasAdd")

    def testKernelRegularizer(self):
        """layers/core_test.py DenseTest.testKernelRegularizer."""
        regularizer = lambda x: tf.reduce_sum(x) * 1e-3  # noqa: E731
        dense = tf.layers.Dense(2, name="my_dense", kernel_regularizer=regularizer)
        dense(tf.random_uniform((5, 3), seed=1))
        loss_keys = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        self.assertEqual(len(loss_keys), 1)
        self.assertEqual(dense.losses, loss_keys)

    def testBiasRegularizer(self):
        """layers/core_test.py DenseTest.testBiasRegularizer."""
        regularizer = lambda x: tf.reduce_sum(x) * 1e-3  # noqa: E731
        dense = tf.layers.Dense(2, name="my_dense", bias_regularizer=regularizer)
        dense(tf.random_uniform((5, 3), seed=1))
        self.assertEqual(len(tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)), 1)

    def testFunctionalDense(self):
        """layers/core_test.py DenseTest.testFunctionalDense."""
        inputs = tf.random_uniform((5, 3), seed=1)
        outputs = tf.layers.dense(inputs, 2, activation=tf.nn.relu, name="my_dense")
        self.assertEqual(len(tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES)), 2)
        self.assertEqual(outputs.op.name, "my_dense/Relu")

    def testFunctionalDenseTwice(self):
        """adapted from layers/core_test.py DenseTest.testFunctionalDenseTwice: checks the variable names dense/ and
        dense_1/ instead of counts in the store."""
        inputs = tf.random_uniform((5, 3), seed=1)
        tf.layers.dense(inputs, 2)
        self.assertEqual(len(tf.global_variables()), 2)
        tf.layers.dense(inputs, 2)
        self.assertEqual([v.name for v in tf.global_variables()],
                         ["dense/kernel:0", "dense/bias:0", "dense_1/kernel:0", "dense_1/bias:0"])

    def testFunctionalDenseTwiceReuse(self):
        """layers/core_test.py DenseTest.testFunctionalDenseTwiceReuse."""
        inputs = tf.random_uniform((5, 3), seed=1)
        tf.layers.dense(inputs, 2, name="my_dense")
        vars1 = tf.trainable_variables()
        tf.layers.dense(inputs, 2, name="my_dense", reuse=True)
        self.assertEqual(vars1, tf.trainable_variables())

    def testFunctionalDenseTwiceReuseFromScope(self):
        """layers/core_test.py DenseTest.testFunctionalDenseTwiceReuseFromScope."""
        with tf.variable_scope("scope"):
            inputs = tf.random_uniform((5, 3), seed=1)
            tf.layers.dense(inputs, 2, name="my_dense")
            vars1 = tf.trainable_variables()
        with tf.variable_scope("scope", reuse=True):
            tf.layers.dense(inputs, 2, name="my_dense")
            vars2 = tf.trainable_variables()
        self.assertEqual(vars1, vars2)

    def testFunctionalDenseInitializerFromScope(self):
        """layers/core_test.py DenseTest.testFunctionalDenseInitializerFromScope."""
        with tf.variable_scope("scope", initializer=tf.ones_initializer()):
            inputs = tf.random_uniform((5, 3), seed=1)
            tf.layers.dense(inputs, 2)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            weights = tf.trainable_variables()
            self.assertEqual(weights[0].name, "scope/dense/kernel:0")
            self.assertTrue(np.all(sess.run(weights[0]) == 1.0))
            self.assertTrue(np.all(sess.run(weights[1]) == 0.0))

    def testFunctionalDenseInScope(self):
        """layers/core_test.py DenseTest.testFunctionalDenseInScope."""
        with tf.variable_scope("test"):
            tf.layers.dense(tf.random_uniform((5, 3), seed=1), 2, name="my_dense")
        with tf.variable_scope("test1") as scope:
            tf.layers.dense(tf.random_uniform((5, 3), seed=1), 2, name=scope)
        with tf.variable_scope("test2"):
            tf.layers.dense(tf.random_uniform((5, 3), seed=1), 2)
        names = [v.name for v in tf.global_variables()]
        self.assertIn("test/my_dense/kernel:0", names)
        self.assertIn("test1/kernel:0", names)
        self.assertIn("test2/dense/kernel:0", names)

    def testComputeOutputShapeRank1Error(self):
        """adapted from layers/core_test.py DenseTest.testComputeOutputShape: calls the layer on a rank-1 tensor
        instead of compute_output_shape."""
        with self.assertRaises(ValueError):
            tf.layers.dense(tf.constant([1.0, 2.0]), 2)

    def testDenseOpNames(self):
        """adapted from layers/core_test.py DenseTest.testCall: the MatMul, BiasAdd and kernel initializer op names."""
        tf.layers.dense(tf.placeholder(tf.float32, [None, 3]), 2)
        names = op_names()
        self.assertIn("dense/MatMul", names)
        self.assertIn("dense/BiasAdd", names)
        self.assertIn("dense/kernel/Initializer/random_uniform", names)

    def testDenseTrainsAndRuns(self):
        """adapted from layers/core_test.py DenseTest.testEagerExecution: graph mode and a [1, 2] input; ones kernel
        initializer gives [[3.0]]."""
        x = tf.constant([[1.0, 2.0]])
        y = tf.layers.dense(x, 1, kernel_initializer=tf.ones_initializer())
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(y).tolist(), [[3.0]])


class DropoutFlattenTest(Case):
    """tensorflow/python/layers/core_test.py"""

    def testDropoutProperties(self):
        """layers/core_test.py DropoutTest.testDropoutProperties."""
        dp = tf.layers.Dropout(0.5, name="dropout")
        self.assertEqual(dp.rate, 0.5)
        self.assertEqual(dp.noise_shape, None)
        dp(tf.ones(()))
        self.assertEqual(dp.name, "dropout")

    def testBooleanLearningPhase(self):
        """adapted from layers/core_test.py DropoutTest.testBooleanLearningPhase: training=False only; checks the op
        is dropout/Identity."""
        inputs = tf.ones((5, 3))
        out = tf.layers.dropout(inputs, 0.5, training=False)
        self.assertEqual(out.op.type, "Identity")
        self.assertEqual(out.op.name, "dropout/Identity")

    def testDropoutTrainingNames(self):
        """adapted from layers/core_test.py DropoutTest.testBooleanLearningPhase: training=True only; checks the
        nn.dropout op names inside the layer scope."""
        out = tf.layers.dropout(tf.ones((5, 3)), 0.5, training=True)
        names = op_names()
        self.assertIn("dropout/dropout/GreaterEqual", names)
        self.assertIn("dropout/dropout/random_uniform/RandomUniform", names)
        self.assertEqual(out.shape.as_list(), [5, 3])

    def testFunctionalDropoutTwice(self):
        """no TensorFlow counterpart; written for scopeviz: two functional tf.layers.dropout calls get the scopes
        dropout and dropout_1 (base layer naming)."""
        tf.layers.dropout(tf.ones((2,)), training=False)
        tf.layers.dropout(tf.ones((2,)), training=False)
        self.assertIn("dropout_1/Identity", op_names())

    def testFlatten(self):
        """adapted from layers/core_test.py FlattenTest.testCreateFlatten: the [None, 2, 3] case; also the op name
        flatten/Reshape."""
        x = tf.placeholder(tf.float32, [None, 2, 3])
        y = tf.layers.flatten(x)
        self.assertEqual(y.shape.as_list(), [None, 6])
        self.assertEqual(y.op.name, "flatten/Reshape")

    def testFlatten4D(self):
        """adapted from layers/core_test.py FlattenTest.testCreateFlatten: a rank-4 input of shape [3, 2, 2, 4]
        flattens to [3, 16] (TF's second case uses (1, 2, 3, 2))."""
        y = tf.layers.flatten(tf.placeholder(tf.float32, [3, 2, 2, 4]))
        self.assertEqual(y.shape.as_list(), [3, 16])

    def testFlattenNames(self):
        """adapted from layers/core_test.py FlattenTest.testCreateFlatten: the Shape, strided_slice and Reshape op
        names."""
        tf.layers.flatten(tf.placeholder(tf.float32, [None, 2, 3]))
        names = op_names()
        for n in ("flatten/Shape", "flatten/strided_slice", "flatten/Reshape/shape", "flatten/Reshape"):
            self.assertIn(n, names)


class Conv2DTest(Case):
    """tensorflow/python/layers/convolutional_test.py"""

    def testCreateConv2D(self):
        """layers/convolutional_test.py ConvTest.testCreateConv2D."""
        images = tf.random_uniform((5, 7, 9, 4), seed=1)
        layer = tf.layers.Conv2D(32, [3, 3], activation=tf.nn.relu)
        output = layer.apply(images)
        self.assertEqual(output.op.name, "conv2d/Relu")
        self.assertListEqual(output.shape.as_list(), [5, 5, 7, 32])
        self.assertListEqual(layer.kernel.shape.as_list(), [3, 3, 4, 32])
        self.assertListEqual(layer.bias.shape.as_list(), [32])

    def testCreateConv2DSame(self):
        """adapted from layers/convolutional_test.py ConvTest.testConv2DPaddingSame: a 3x3 kernel and 8 filters."""
        images = tf.random_uniform((5, 7, 9, 4), seed=1)
        out = tf.layers.conv2d(images, 8, 3, padding="same")
        self.assertListEqual(out.shape.as_list(), [5, 7, 9, 8])

    def testUnknownInputChannels(self):
        """layers/convolutional_test.py ConvTest.testUnknownInputChannels."""
        images = tf.placeholder(tf.float32, (5, 7, 9, None))
        with self.assertRaisesRegex(ValueError, "The channel dimension of the inputs should be defined. "
                                                "Found `None`."):
            tf.layers.Conv2D(32, [3, 3]).apply(images)

    def testConv2DPaddingSame(self):
        """layers/convolutional_test.py ConvTest.testConv2DPaddingSame."""
        images = tf.random_uniform((5, 7, 9, 32), seed=1)
        out = tf.layers.conv2d(images, 64, images.shape[1:3].as_list(), padding="same")
        self.assertListEqual(out.shape.as_list(), [5, 7, 9, 64])

    def testCreateConvWithStrides(self):
        """layers/convolutional_test.py ConvTest.testCreateConvWithStrides."""
        images = tf.random_uniform((5, 6, 8, 3), seed=1)
        out = tf.layers.conv2d(images, 32, [3, 3], strides=(2, 2), padding="same")
        self.assertListEqual(out.shape.as_list(), [5, 3, 4, 32])
        out = tf.layers.conv2d(images, 32, [3, 3], strides=(2, 1), padding="same")
        self.assertListEqual(out.shape.as_list(), [5, 3, 8, 32])

    def testInvalidPadding(self):
        """no TensorFlow counterpart; written for scopeviz: tf.layers.Conv2D refuses an unknown padding with TF's
        message (conv_utils.normalize_padding)."""
        with self.assertRaisesRegex(ValueError, "The `padding` argument must be one of"):
            tf.layers.Conv2D(32, 3, padding="full")

    def testFunctionalConv2DReuse(self):
        """layers/convolutional_test.py ConvTest.testFunctionalConv2DReuse."""
        images = tf.random_uniform((5, 7, 9, 3), seed=1)
        tf.layers.conv2d(images, 32, [3, 3], name="conv1")
        self.assertEqual(len(tf.trainable_variables()), 2)
        tf.layers.conv2d(images, 32, [3, 3], name="conv1", reuse=True)
        self.assertEqual(len(tf.trainable_variables()), 2)

    def testFunctionalConv2DReuseFromScope(self):
        """layers/convolutional_test.py ConvTest.testFunctionalConv2DReuseFromScope."""
        with tf.variable_scope("scope"):
            images = tf.random_uniform((5, 7, 9, 3), seed=1)
            tf.layers.conv2d(images, 32, [3, 3], name="conv1")
            self.assertEqual(len(tf.trainable_variables()), 2)
        with tf.variable_scope("scope", reuse=True):
            tf.layers.conv2d(images, 32, [3, 3], name="conv1")
            self.assertEqual(len(tf.trainable_variables()), 2)

    def testFunctionalConv2DNoReuse(self):
        """adapted from layers/convolutional_test.py ConvTest.testFunctionalConv2DNoReuse: also checks the name
        conv2d_1/kernel."""
        images = tf.random_uniform((5, 7, 9, 3), seed=1)
        tf.layers.conv2d(images, 32, [3, 3])
        self.assertEqual(len(tf.trainable_variables()), 2)
        tf.layers.conv2d(images, 32, [3, 3])
        self.assertEqual(len(tf.trainable_variables()), 4)
        self.assertEqual(tf.trainable_variables()[2].name, "conv2d_1/kernel:0")

    def testConv2DKernelRegularizer(self):
        """layers/convolutional_test.py ConvTest.testConv2DKernelRegularizer."""
        images = tf.random_uniform((5, 7, 9, 3), seed=1)
        reg = lambda x: 0.1 * tf.reduce_sum(x)  # noqa: E731
        layer = tf.layers.Conv2D(32, [3, 3], kernel_regularizer=reg)
        layer.apply(images)
        loss_keys = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        self.assertEqual(len(loss_keys), 1)
        self.assertEqual(layer.losses, loss_keys)

    def testConv2DNoBias(self):
        """layers/convolutional_test.py ConvTest.testConv2DNoBias."""
        layer = tf.layers.Conv2D(32, [3, 3], activation=tf.nn.relu, use_bias=False)
        output = layer.apply(tf.random_uniform((5, 7, 9, 4), seed=1))
        self.assertEqual(output.op.name, "conv2d/Relu")
        self.assertIsNone(layer.bias)

    def testConv2DOps(self):
        """adapted from layers/convolutional_test.py ConvTest.testCreateConv2D: the Conv2D and BiasAdd op names under
        conv2d/."""
        tf.layers.conv2d(tf.placeholder(tf.float32, [None, 8, 8, 1]), 4, 3)
        self.assertIn("conv2d/Conv2D", op_names())
        self.assertIn("conv2d/BiasAdd", op_names())

    def testRank3Refused(self):
        """no TensorFlow counterpart; written for scopeviz: tf.layers.conv2d refuses a rank-3 input ('expected ndim=4,
        found ndim=3', the layer's InputSpec check)."""
        with self.assertRaisesRegex(ValueError, "expected ndim=4, found ndim=3"):
            tf.layers.conv2d(tf.placeholder(tf.float32, [None, 8, 8]), 4, 3)


class PoolingTest(Case):
    """tensorflow/python/layers/pooling_test.py"""

    def testCreateMaxPooling2D(self):
        """adapted from layers/pooling_test.py PoolingTest.testCreateMaxPooling2D: also the op name
        max_pooling2d/MaxPool."""
        images = tf.random_uniform((5, 7, 9, 4), seed=1)
        output = tf.layers.MaxPooling2D([2, 2], strides=2).apply(images)
        self.assertListEqual(output.shape.as_list(), [5, 3, 4, 4])
        self.assertEqual(output.op.name, "max_pooling2d/MaxPool")

    def testCreateAveragePooling2D(self):
        """layers/pooling_test.py PoolingTest.testCreateAveragePooling2D."""
        images = tf.random_uniform((5, 7, 9, 4), seed=1)
        output = tf.layers.AveragePooling2D([2, 2], strides=2).apply(images)
        self.assertListEqual(output.shape.as_list(), [5, 3, 4, 4])

    def testCreateMaxPooling2DWithPaddingSame(self):
        """adapted from layers/pooling_test.py PoolingTest.testMaxPooling2DPaddingSame: pool size 2 instead of the
        image's height and width."""
        images = tf.random_uniform((5, 7, 9, 4), seed=1)
        output = tf.layers.max_pooling2d(images, 2, 2, padding="same")
        self.assertListEqual(output.shape.as_list(), [5, 4, 5, 4])

    def testFunctionalMaxPoolingTwice(self):
        """no TensorFlow counterpart; written for scopeviz: two functional max_pooling2d calls get the scopes
        max_pooling2d and max_pooling2d_1."""
        images = tf.random_uniform((5, 8, 8, 4), seed=1)
        tf.layers.max_pooling2d(images, 2, 2)
        out = tf.layers.max_pooling2d(images, 2, 2)
        self.assertEqual(out.op.name, "max_pooling2d_1/MaxPool")


class BatchNormTest(Case):
    """tensorflow/python/layers/normalization_test.py"""

    def testCreateBN(self):
        """adapted from layers/normalization_test.py BNTest.testCreateBN: axis=1 on a rank-3 input; checks the
        variable names as well as counts."""
        bn = tf.layers.BatchNormalization(axis=1)
        bn.apply(tf.random_uniform((5, 4, 3), seed=1), training=False)
        self.assertEqual([v.name for v in bn.variables], [
            "batch_normalization/gamma:0", "batch_normalization/beta:0", "batch_normalization/moving_mean:0",
            "batch_normalization/moving_variance:0"])
        self.assertEqual([v.name for v in bn.trainable_variables], ["batch_normalization/gamma:0",
                                                                     "batch_normalization/beta:0"])
        self.assertEqual(len(tf.trainable_variables()), 2)
        self.assertEqual(len(tf.global_variables()), 4)

    def testCreateBNNoScaleCenter(self):
        """adapted from layers/normalization_test.py BNTest.testCreateBN: center=False, scale=False leaves only the
        two moving statistics."""
        bn = tf.layers.BatchNormalization(axis=1, center=False, scale=False)
        bn.apply(tf.random_uniform((5, 4, 3), seed=1), training=False)
        self.assertEqual(len(bn.trainable_variables), 0)
        self.assertEqual(len(bn.variables), 2)

    def testFunctionalReuse(self):
        """layers/normalization_test.py BNTest.testFunctionalReuse."""
        inputs = tf.random_uniform((5, 4, 3), seed=1)
        tf.layers.batch_normalization(inputs, axis=-1, name="bn")
        tf.layers.batch_normalization(inputs, axis=-1, name="bn", reuse=True)
        self.assertEqual(len(tf.global_variables()), 4)

    def testFunctionalNoReuse(self):
        """adapted from layers/normalization_test.py BNTest.testFunctionalNoReuse: also checks the name
        batch_normalization_1/gamma."""
        inputs = tf.random_uniform((5, 4, 3), seed=1)
        tf.layers.batch_normalization(inputs)
        tf.layers.batch_normalization(inputs)
        self.assertEqual(len(tf.global_variables()), 8)
        self.assertEqual(tf.global_variables()[4].name, "batch_normalization_1/gamma:0")

    def testTrainingUpdatesAndNames(self):
        """adapted from layers/normalization_test.py BNTest.testCreateBN: training=True; checks the moments and
        AssignMovingAvg op names, the two UPDATE_OPS and one moving-mean update."""
        x = tf.placeholder(tf.float32, [None, 3])
        bn = tf.layers.BatchNormalization(momentum=0.5)
        y = bn.apply(x, training=True)
        names = op_names()
        for n in ("batch_normalization/moments/mean", "batch_normalization/moments/StopGradient",
                  "batch_normalization/moments/SquaredDifference", "batch_normalization/moments/variance",
                  "batch_normalization/moments/Squeeze", "batch_normalization/moments/Squeeze_1",
                  "batch_normalization/AssignMovingAvg/decay", "batch_normalization/AssignMovingAvg",
                  "batch_normalization/AssignMovingAvg_1"):
            self.assertIn(n, names)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        self.assertEqual(len(updates), 2)
        self.assertEqual(updates[0].op.colocation_groups(), [b"loc:@batch_normalization/moving_mean"])
        data = np.array([[1.0, 2.0, 3.0], [3.0, 6.0, 9.0]], np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            out, _ = sess.run([y, updates], {x: data})
            np.testing.assert_allclose(out[:, 0], [-1.0, 1.0], atol=1e-2)
            np.testing.assert_allclose(sess.run(bn.moving_mean), [1.0, 2.0, 3.0], atol=1e-6)

    def testTrainingGradients(self):
        """no TensorFlow counterpart; written for scopeviz: a dense network with batch normalization in training mode
        trains (its loss falls)."""
        x = tf.placeholder(tf.float32, [None, 3])
        h = tf.layers.batch_normalization(tf.layers.dense(x, 4), training=True)
        loss = tf.reduce_mean(tf.square(tf.layers.dense(h, 1)))
        step = tf.train.GradientDescentOptimizer(0.1).minimize(loss)
        data = np.random.RandomState(0).rand(8, 3).astype(np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, {x: data})
            for _ in range(20):
                sess.run(step, {x: data})
            self.assertLess(sess.run(loss, {x: data}), first)

    def testInferenceNames(self):
        """adapted from layers/normalization_test.py BNTest.testCreateBN: the batchnorm/ arithmetic op names at
        inference."""
        tf.layers.batch_normalization(tf.placeholder(tf.float32, [None, 3]))
        names = op_names()
        for n in ("batch_normalization/batchnorm/add", "batch_normalization/batchnorm/Rsqrt",
                  "batch_normalization/batchnorm/mul", "batch_normalization/batchnorm/add_1"):
            self.assertIn(n, names)


# --------------------------------------------------------------------------- array ops, nn ops, control flow, saver


ARRAY_OP_NAMES = [
    # (citation, builder, op name, op type, shape). TF's tests check the values these ops compute; the cases
    # built from this table check only the op's name, type and static shape, hence "adapted from".
    ("adapted from kernel_tests/concat_op_test.py ConcatOpTest.testConcatTuple",
     lambda: tf.concat([tf.ones([2, 3]), tf.ones([2, 3])], 0),
     "concat", "ConcatV2", [4, 3]),
    ("no TensorFlow counterpart; written for scopeviz (concat of a one-element list)",
     lambda: tf.concat([tf.ones([2, 3])], 1), "concat",
     "Identity", [2, 3]),
    ("adapted from kernel_tests/stack_op_test.py StackOpTest.testSimple",
     lambda: tf.stack([tf.ones([2]), tf.ones([2])], axis=1), "stack",
     "Pack", [2, 2]),
    ("adapted from kernel_tests/stack_op_test.py StackOpTest.testConst",
     lambda: tf.stack([[1, 2], [3, 4]]), "stack", "Const", [2, 2]),
    ("adapted from kernel_tests/unstack_op_test.py UnstackOpTest.testSimple",
     lambda: tf.unstack(tf.ones([3, 2]))[0], "unstack", "Unpack",
     [2]),
    ("adapted from kernel_tests/split_op_test.py SplitOpTest.testSplitCols",
     lambda: tf.split(tf.ones([4, 6]), 2, 1)[1], "split", "Split",
     [4, 3]),
    ("adapted from kernel_tests/split_op_test.py SplitOpTest.testSpecialCasesVariable",
     lambda: tf.split(tf.ones([4, 6]), [1, 5], 1)[1],
     "split", "SplitV", [4, 5]),
    ("adapted from kernel_tests/shape_ops_test.py TileTest.testSimple",
     lambda: tf.tile(tf.ones([2, 3]), [2, 2]), "Tile", "Tile", [4, 6]),
    ("adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testExpandDims",
     lambda: tf.expand_dims(tf.ones([2, 3]), -1), "ExpandDims",
     "ExpandDims", [2, 3, 1]),
    ("adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testSqueeze",
     lambda: tf.squeeze(tf.ones([1, 2, 1])), "Squeeze", "Squeeze",
     [2]),
    ("adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testSqueezeSpecificDimension",
     lambda: tf.squeeze(tf.ones([1, 2, 1]), [0]), "Squeeze", "Squeeze", [2, 1]),
    ("adapted from kernel_tests/transpose_op_test.py TransposeTest.testTransposeShapes",
     lambda: tf.transpose(tf.ones([2, 3, 4])), "transpose",
     "Transpose", [4, 3, 2]),
    ("adapted from kernel_tests/transpose_op_test.py TransposeTest.testPermType",
     lambda: tf.transpose(tf.ones([2, 3, 4]), [0, 2, 1]),
     "transpose", "Transpose", [2, 4, 3]),
    ("adapted from kernel_tests/gather_op_test.py GatherTest.testScalar1D",
     lambda: tf.gather(tf.ones([5, 3]), [0, 2]), "GatherV2",
     "GatherV2", [2, 3]),
    ("adapted from kernel_tests/one_hot_op_test.py OneHotTest.testFloatBasic",
     lambda: tf.one_hot([0, 1, 2], 4), "one_hot", "OneHot", [3, 4]),
    ("adapted from kernel_tests/one_hot_op_test.py OneHotTest.testFloatBasic (axis=0)",
     lambda: tf.one_hot([0, 1], 3, axis=0), "one_hot", "OneHot", [3, 2]),
    ("adapted from kernel_tests/where_op_test.py WhereOpTest.testBasicVec",
     lambda: tf.where(tf.constant([True, False])), "Where", "Where",
     [None, 1]),
    ("adapted from kernel_tests/where_op_test.py WhereOpTest.testThreeArgument",
     lambda: tf.where(tf.constant([True]), tf.ones([1]),
                                                                          tf.zeros([1])), "Select", "Select", [1]),
    ("adapted from kernel_tests/init_ops_test.py RangeTest.testBasic",
     lambda: tf.range(5), "range", "Range", [5]),
    ("adapted from kernel_tests/init_ops_test.py RangeTest.testLimitOnly",
     lambda: tf.range(2, 11, 3), "range", "Range", [3]),
    ("adapted from kernel_tests/constant_op_test.py FillTest.testFillFloat",
     lambda: tf.fill([2, 3], 1.5), "Fill", "Fill", [2, 3]),
    ("adapted from kernel_tests/constant_op_test.py ZerosLikeTest.testZerosLikeCPU",
     lambda: tf.zeros_like(tf.ones([2, 3])), "zeros_like",
     "Const", [2, 3]),
    ("adapted from kernel_tests/constant_op_test.py ZerosLikeTest.testZerosLikePartialShape",
     lambda: tf.zeros_like(tf.placeholder(tf.float32, [None, 2])), "zeros_like", "ZerosLike", [None, 2]),
    ("adapted from kernel_tests/constant_op_test.py OnesLikeTest.testOnesLike",
     lambda: tf.ones_like(tf.ones([2, 3])), "ones_like", "Fill",
     [2, 3]),
    ("adapted from kernel_tests/random/random_ops_test.py RandomShapeTest.testRandomNormal",
     lambda: tf.random_normal([2, 3]), "random_normal", "Add",
     [2, 3]),
    ("adapted from kernel_tests/random/random_ops_test.py RandomShapeTest.testTruncatedNormal",
     lambda: tf.truncated_normal([4]), "truncated_normal",
     "Add", [4]),
    ("adapted from kernel_tests/random/random_ops_test.py RandomShapeTest.testRandomUniform",
     lambda: tf.random_uniform([3, 1]), "random_uniform", "Add",
     [3, 1]),
    ("adapted from ops/nn_test.py L2LossTest.testL2Loss",
     lambda: tf.nn.l2_loss(tf.ones([2, 3])), "L2Loss", "L2Loss", []),
    ("adapted from kernel_tests/conv_ops_test.py Conv2DTest.testConv2D1x1Filter",
     lambda: tf.nn.conv2d(
        tf.ones([1, 4, 4, 3]), tf.ones([1, 1, 3, 2]), [1, 1, 1, 1], "VALID"), "Conv2D", "Conv2D", [1, 4, 4, 2]),
    ("adapted from kernel_tests/conv_ops_test.py Conv2DTest.testConv2D2x2FilterStride2",
     lambda: tf.nn.conv2d(
        tf.ones([1, 5, 5, 3]), tf.ones([2, 2, 3, 2]), [1, 2, 2, 1], "VALID"), "Conv2D", "Conv2D", [1, 2, 2, 2]),
    ("adapted from kernel_tests/pooling_ops_test.py PoolingTest.testMaxPoolValidPadding",
     lambda: tf.nn.max_pool(
        tf.ones([1, 3, 3, 3]), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"), "MaxPool", "MaxPool", [1, 1, 1, 3]),
    ("adapted from kernel_tests/pooling_ops_test.py PoolingTest.testAvgPoolSamePadding",
     lambda: tf.nn.avg_pool(
        tf.ones([1, 2, 4, 3]), [1, 2, 2, 1], [1, 2, 2, 1], "SAME"), "AvgPool", "AvgPool", [1, 1, 2, 3]),
    ("adapted from ops/math_ops_test.py AddNTest.testPartials",
     lambda: tf.add_n([tf.ones([2]), tf.ones([2]), tf.ones([2])]), "AddN",
     "AddN", [2]),
]


def _make_array_case(entry):
    source, build, name, op_type, shape = entry

    def test(self):
        t = build()
        self.assertEqual(t.op.name, name)
        self.assertEqual(t.op.type, op_type)
        self.assertEqual(t.shape.as_list(), shape)
    test.__doc__ = "%s: op %s (%s), shape %s." % (source, name, op_type, shape)
    return test


class ArrayOpNamesTest(Case):
    """Op names, types and static shapes of array, random and nn ops; each case cites the TF kernel test it is
    adapted from (see ARRAY_OP_NAMES)."""


for _k, _entry in enumerate(ARRAY_OP_NAMES):
    setattr(ArrayOpNamesTest, "test_%02d_%s" % (_k, _entry[2].replace("/", "_")), _make_array_case(_entry))


class ArrayOpErrorsTest(Case):
    """Shape errors of array ops with TF's texts."""

    def testConcatRankMismatch(self):
        """adapted from kernel_tests/concat_op_test.py ConcatOpTest.testShapeError: its rank-mismatch case; checks
        TF's message text."""
        with self.assertRaisesRegex(ValueError, "Shape must be rank 2 but is rank 1 for 'concat' \\(op: 'ConcatV2'\\)"):
            tf.concat([tf.ones([2, 3]), tf.ones([2])], 0)

    def testConcatDimMismatch(self):
        """adapted from kernel_tests/concat_op_test.py ConcatOpTest.testShapeError: its non-concat-dimension case;
        checks TF's message text."""
        with self.assertRaisesRegex(ValueError, "Dimension 1 in both shapes must be equal, but are 3 and 4"):
            tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], 0)

    def testStackAxisOutOfRange(self):
        """kernel_tests/stack_op_test.py StackOpTest.testDimOutOfRange."""
        t = [tf.placeholder(tf.float32, [2]), tf.placeholder(tf.float32, [2])]
        with self.assertRaisesRegex(ValueError, r"axis = 2 not in \[-2, 2\)"):
            tf.stack(t, axis=2)

    def testUnstackCannotInferNum(self):
        """kernel_tests/unstack_op_test.py UnstackOpTest.testCannotInferNumFromUnknownShape."""
        x = tf.placeholder(np.float32)
        with self.assertRaisesRegex(ValueError, r"Cannot infer num from shape <unknown>"):
            tf.unstack(x)

    def testSplitNotDivisible(self):
        """no TensorFlow counterpart; written for scopeviz: tf.split into 4 of a length-6 dimension raises 'Dimension
        size must be evenly divisible by 4 but is 6' (Split's shape function)."""
        with self.assertRaisesRegex(ValueError, "Dimension size must be evenly divisible by 4 but is 6"):
            tf.split(tf.ones([6]), 4)

    def testExpandDimsOutOfRange(self):
        """adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testExpandDimsErrors: dim 5 on a rank-3 tensor;
        checks TF's message text."""
        with self.assertRaisesRegex(ValueError, r"dim 5 not in the interval \[-4, 3\]"):
            tf.expand_dims(tf.ones([2, 3, 4]), 5)

    def testSqueezeNonOne(self):
        """adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testSqueezeOnlyOnes: squeezing a dimension of size
        2; checks TF's message text."""
        with self.assertRaisesRegex(ValueError, "Can not squeeze dim\\[1\\], expected a dimension of 1, got 2"):
            tf.squeeze(tf.ones([1, 2]), [1])

    def testTransposePermRank(self):
        """adapted from kernel_tests/transpose_op_test.py TransposeTest.testError: a perm longer than the rank; checks
        TF's message text."""
        with self.assertRaisesRegex(ValueError, "Dimension must be 2 but is 3"):
            tf.transpose(tf.ones([2, 3]), [0, 1, 2])

    def testRangeDeltaZero(self):
        """no TensorFlow counterpart; written for scopeviz: tf.range with delta 0 raises 'Requires delta != 0' at
        graph construction (Range's shape function; TF checks this message only in its C++ shape-function tests)."""
        with self.assertRaisesRegex(ValueError, "Requires delta != 0"):
            tf.range(0, 5, 0)

    def testConvDepthMismatch(self):
        """adapted from kernel_tests/conv_ops_test.py Conv2DTest.testOpEdgeCases: a different edge case, input depth
        not a multiple of the filter's."""
        with self.assertRaisesRegex(ValueError, "Depth of input \\(3\\) is not a multiple of input depth of filter "
                                                "\\(4\\) for 'Conv2D'"):
            tf.nn.conv2d(tf.ones([1, 4, 4, 3]), tf.ones([2, 2, 4, 1]), [1, 1, 1, 1], "SAME")

    def testConvBadPadding(self):
        """adapted from kernel_tests/conv_ops_test.py Conv2DTest.testOpEdgeCases: a different edge case, padding
        'FULL' refused by the attr check."""
        with self.assertRaisesRegex(ValueError, "Value for attr 'padding' of \"FULL\" is not in the list of allowed"):
            tf.nn.conv2d(tf.ones([1, 4, 4, 3]), tf.ones([2, 2, 3, 1]), [1, 1, 1, 1], "FULL")

    def testDropoutNeedsRate(self):
        """adapted from ops/nn_test.py DropoutTest.testInvalidKeepProb: rate=1.0 through the rate argument; checks
        TF's message text."""
        with self.assertRaisesRegex(ValueError, "rate must be a scalar tensor or a float in the range \\[0, 1\\), "
                                                "got 1"):
            tf.nn.dropout(tf.ones([2]), rate=1.0)

    def testDropoutIntInput(self):
        """adapted from ops/nn_test.py DropoutTest.testDropoutWithIntegerInputs: checks TF's message text."""
        with self.assertRaisesRegex(ValueError, "x has to be a floating point tensor"):
            tf.nn.dropout(tf.constant([1, 2]), rate=0.5)

    def testDropoutRateZeroIsIdentity(self):
        """adapted from ops/nn_test.py DropoutTest.testNoDropoutFast: rate=0.0 instead of keep_prob=1; x itself comes
        back."""
        x = tf.ones([2])
        self.assertIs(tf.nn.dropout(x, rate=0.0), x)

    def testAssignNeedsRef(self):
        """no TensorFlow counterpart; written for scopeviz: tf.assign on a non-ref tensor raises TypeError with TF's
        message (state_ops.assign)."""
        with self.assertRaisesRegex(TypeError, "'Assign' Op requires that input 'ref' be a mutable tensor"):
            tf.assign(tf.ones([1]), [2.0])

    def testSelectTypeMismatch(self):
        """no TensorFlow counterpart; written for scopeviz: three-argument tf.where with x and y of different dtypes
        raises TypeError."""
        with self.assertRaises(TypeError):
            tf.where(tf.constant([True]), tf.ones([1]), tf.constant([1]))


def _numpy_conv(x, f, stride, same):
    n, h, w, c = x.shape
    kh, kw, _, oc = f.shape
    if same:
        oh, ow = -(-h // stride), -(-w // stride)
        ph = max((oh - 1) * stride + kh - h, 0) // 2
        pw = max((ow - 1) * stride + kw - w, 0) // 2
    else:
        oh, ow, ph, pw = (h - kh) // stride + 1, (w - kw) // stride + 1, 0, 0
    xp = np.zeros((n, h + 2 * kh, w + 2 * kw, c))
    xp[:, ph:ph + h, pw:pw + w] = x
    out = np.zeros((n, oh, ow, oc))
    for i in range(oh):
        for j in range(ow):
            patch = xp[:, i * stride:i * stride + kh, j * stride:j * stride + kw, :]
            out[:, i, j, :] = np.tensordot(patch, f, axes=([1, 2, 3], [0, 1, 2]))
    return out


class KernelValuesTest(Case):
    """Values of the kernels behind tf.nn and the array ops (conv_ops_test.py, pooling_ops_test.py,
    nn_test.py, concat_op_test.py, stack_op_test.py, array_ops_test.py StridedSliceTest)."""

    def run_(self, t, feed=None):
        with tf.Session() as sess:
            return sess.run(t, feed)

    def testConv2DValid(self):
        """kernel_tests/conv_ops_test.py Conv2DTest.testConv2D2x2Filter."""
        x = np.random.RandomState(0).rand(2, 5, 6, 3)
        f = np.random.RandomState(1).rand(2, 2, 3, 4)
        got = self.run_(tf.nn.conv2d(tf.constant(x), tf.constant(f), [1, 1, 1, 1], "VALID"))
        np.testing.assert_allclose(got, _numpy_conv(x, f, 1, False), rtol=1e-10)

    def testConv2DSameStride2(self):
        """adapted from kernel_tests/conv_ops_test.py Conv2DTest.testConv2D2x2FilterStride2Same: a 3x3 filter, checked
        against a direct numpy sum."""
        x = np.random.RandomState(2).rand(1, 5, 5, 2)
        f = np.random.RandomState(3).rand(3, 3, 2, 2)
        got = self.run_(tf.nn.conv2d(tf.constant(x), tf.constant(f), [1, 2, 2, 1], "SAME"))
        np.testing.assert_allclose(got, _numpy_conv(x, f, 2, True), rtol=1e-10)

    def testConv2DGradients(self):
        """adapted from kernel_tests/conv_ops_test.py Conv2DTest.testInputGradientValidPaddingStrideOne: SAME padding,
        both gradients, checked by finite differences; also the backprop op types and name."""
        x0 = np.random.RandomState(4).rand(1, 4, 4, 2)
        f0 = np.random.RandomState(5).rand(3, 3, 2, 2)

        def loss(x, f):
            return tf.reduce_sum(tf.square(tf.nn.conv2d(tf.constant(x), tf.constant(f), [1, 1, 1, 1], "SAME")))
        x, f = tf.constant(x0), tf.constant(f0)
        out = tf.reduce_sum(tf.square(tf.nn.conv2d(x, f, [1, 1, 1, 1], "SAME")))
        gx, gf = tf.gradients(out, [x, f])
        self.assertEqual(gx.op.type, "Conv2DBackpropInput")
        self.assertEqual(gf.op.type, "Conv2DBackpropFilter")
        self.assertEqual(gx.op.name, "gradients/Conv2D_grad/Conv2DBackpropInput")
        GX, GF, O = self.run_([gx, gf, out])
        eps = 1e-6
        for arr, g, idx in ((x0, GX, (0, 1, 2, 1)), (f0, GF, (2, 0, 1, 0))):
            bumped = arr.copy()
            bumped[idx] += eps
            tf.reset_default_graph()
            o = self.run_(loss(bumped, f0) if arr is x0 else loss(x0, bumped))
            self.assertAlmostEqual((o - O) / eps, g[idx], places=3)

    def testMaxPoolValues(self):
        """kernel_tests/pooling_ops_test.py PoolingTest.testMaxPoolValidPadding."""
        x = np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1)
        got = self.run_(tf.nn.max_pool(tf.constant(x), [1, 2, 2, 1], [1, 2, 2, 1], "VALID"))
        self.assertEqual(got.reshape(-1).tolist(), [5.0, 7.0, 13.0, 15.0])

    def testMaxPoolGrad(self):
        """kernel_tests/pooling_ops_test.py PoolingTest.testMaxPoolGrad."""
        x = tf.constant(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
        g = tf.gradients(tf.reduce_sum(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "VALID")), x)[0]
        self.assertEqual(g.op.type, "MaxPoolGrad")
        got = self.run_(g).reshape(4, 4)
        self.assertEqual(got[1].tolist(), [0.0, 1.0, 0.0, 1.0])
        self.assertEqual(got.sum(), 4.0)

    def testAvgPoolSameExcludesPadding(self):
        """kernel_tests/pooling_ops_test.py PoolingTest.testAvgPoolSamePadding."""
        x = np.array([[1.0, 2.0, 3.0]], dtype=np.float32).reshape(1, 1, 3, 1)
        got = self.run_(tf.nn.avg_pool(tf.constant(x), [1, 1, 2, 1], [1, 1, 2, 1], "SAME"))
        self.assertEqual(got.reshape(-1).tolist(), [1.5, 3.0])

    def testL2LossValueAndGrad(self):
        """adapted from ops/nn_test.py L2LossTest.testL2Loss and L2LossTest.testGradient: the analytic gradient (x)
        instead of the gradient checker."""
        x = tf.constant([1.0, 2.0, 3.0])
        l = tf.nn.l2_loss(x)
        g = tf.gradients(l, x)[0]
        v, gv = self.run_([l, g])
        self.assertAlmostEqual(float(v), 7.0)
        self.assertEqual(gv.tolist(), [1.0, 2.0, 3.0])

    def testConcatValues(self):
        """kernel_tests/concat_op_test.py ConcatOpTest.testHStack."""
        got = self.run_(tf.concat([tf.constant([[1, 2]]), tf.constant([[3, 4]])], 1))
        self.assertEqual(got.tolist(), [[1, 2, 3, 4]])

    def testStackValues(self):
        """kernel_tests/stack_op_test.py StackOpTest.testSimple."""
        a = tf.placeholder(tf.float32, [2])
        got = self.run_(tf.stack([a, a * 2], axis=1), {a: [1.0, 2.0]})
        self.assertEqual(got.tolist(), [[1.0, 2.0], [2.0, 4.0]])

    def testStridedSliceValues(self):
        """adapted from kernel_tests/array_ops_test.py StridedSliceTest.testShrink: also a plain slice and a reversed
        stride."""
        x = tf.constant(np.arange(12).reshape(3, 4).astype(np.int32))
        self.assertEqual(self.run_(x[1]).tolist(), [4, 5, 6, 7])
        self.assertEqual(self.run_(x[:, 1:3]).tolist(), [[1, 2], [5, 6], [9, 10]])
        self.assertEqual(self.run_(x[::-1, 0]).tolist(), [8, 4, 0])

    def testTransposeValues(self):
        """adapted from kernel_tests/transpose_op_test.py TransposeTest.testSimple: a rank-3 perm and the default
        (reversed) perm."""
        x = np.arange(24).reshape(2, 3, 4).astype(np.float32)
        np.testing.assert_array_equal(self.run_(tf.transpose(tf.constant(x), [1, 2, 0])), x.transpose(1, 2, 0))
        np.testing.assert_array_equal(self.run_(tf.transpose(tf.constant(x))), x.T)

    def testSqueezeValues(self):
        """kernel_tests/shape_ops_test.py ShapeOpsTest.testSqueeze."""
        self.assertEqual(self.run_(tf.squeeze(tf.constant([[[1], [2]]]))).tolist(), [1, 2])

    def testUnstackValues(self):
        """adapted from kernel_tests/unstack_op_test.py UnstackOpTest.testSimple: along axis 1."""
        x = np.arange(6).reshape(2, 3).astype(np.int32)
        got = self.run_(tf.unstack(tf.constant(x), axis=1))
        self.assertEqual([g.tolist() for g in got], [[0, 3], [1, 4], [2, 5]])

    def testSplitValues(self):
        """kernel_tests/split_op_test.py SplitOpTest.testSplitCols and SplitOpTest.testSpecialCasesVariable."""
        x = tf.constant(np.arange(12).reshape(2, 6).astype(np.float32))
        a, b = self.run_(tf.split(x, 2, 1))
        self.assertEqual(a.tolist(), [[0, 1, 2], [6, 7, 8]])
        c, d = self.run_(tf.split(x, [1, -1], 1))
        self.assertEqual(c.tolist(), [[0], [6]])
        self.assertEqual(d.shape, (2, 5))

    def testGatherValues(self):
        """adapted from kernel_tests/gather_op_test.py GatherTest.testScalar1D: also a gather along axis 1."""
        params = tf.constant([[1, 2], [3, 4], [5, 6]])
        self.assertEqual(self.run_(tf.gather(params, [2, 0])).tolist(), [[5, 6], [1, 2]])
        self.assertEqual(self.run_(tf.gather(params, [1], axis=1)).tolist(), [[2], [4], [6]])

    def testGatherOutOfRange(self):
        """kernel_tests/gather_op_test.py GatherTest.testBadIndicesCPU."""
        with self.assertRaisesRegex(tf.errors.InvalidArgumentError, r"indices\[1\] = 7 is not in \[0, 3\)"):
            self.run_(tf.gather(tf.constant([1, 2, 3]), [0, 7]))

    def testEmbeddingLookupValues(self):
        """adapted from kernel_tests/embedding_ops_test.py EmbeddingLookupTest.testSimpleSharded: one unsharded
        variable; checks the looked-up rows."""
        emb = tf.get_variable("emb", initializer=np.arange(8).reshape(4, 2).astype(np.float32))
        got = self.run_init(tf.nn.embedding_lookup(emb, [3, 1]))
        self.assertEqual(got.tolist(), [[6.0, 7.0], [2.0, 3.0]])

    def testOneHotValues(self):
        """adapted from kernel_tests/one_hot_op_test.py OneHotTest.testFloatBasic: also axis=0."""
        self.assertEqual(self.run_(tf.one_hot([0, 2], 3)).tolist(), [[1, 0, 0], [0, 0, 1]])
        self.assertEqual(self.run_(tf.one_hot([0, 2], 3, axis=0)).tolist(), [[1, 0], [0, 0], [0, 1]])

    def testEmbeddingLookupTrains(self):
        """adapted from kernel_tests/embedding_ops_test.py EmbeddingLookupTest.testGradientsEmbeddingLookup: checks
        the UnsortedSegmentSum gradient's values and one SGD step instead of the gradient checker."""
        emb = tf.get_variable("emb", initializer=np.zeros((4, 2), np.float32))
        out = tf.reduce_sum(tf.nn.embedding_lookup(emb, [1, 3, 1]))
        g = tf.gradients(out, emb)[0]
        self.assertEqual(g.op.type, "UnsortedSegmentSum")
        self.assertEqual(self.run_init(g).tolist(), [[0, 0], [2, 2], [0, 0], [1, 1]])
        step = tf.train.GradientDescentOptimizer(0.5).minimize(out)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(step)
            self.assertEqual(sess.run(emb).tolist(), [[0, 0], [-1, -1], [0, 0], [-0.5, -0.5]])

    def testSqueezeGradient(self):
        """adapted from kernel_tests/shape_ops_test.py ShapeOpsTest.testSqueezeGradient: checks the gradient's shape,
        not its error."""
        x = tf.constant(np.ones((1, 3, 1), np.float32))
        g = tf.gradients(tf.reduce_sum(tf.squeeze(x) * 2.0), x)[0]
        self.assertEqual(self.run_(g).shape, (1, 3, 1))

    def run_init(self, t):
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            return sess.run(t)

    def testSmallCnnTrains(self):
        """no TensorFlow counterpart; written for scopeviz: a tf.layers CNN (conv2d, max_pooling2d, flatten, dropout,
        dense, sparse softmax loss) trains with Adam (its loss falls)."""
        tf.set_random_seed(1)
        x = tf.placeholder(tf.float32, [None, 8, 8, 1])
        y = tf.placeholder(tf.int32, [None])
        h = tf.layers.conv2d(x, 4, 3, padding="same", activation=tf.nn.relu)
        h = tf.layers.flatten(tf.layers.max_pooling2d(h, 2, 2))
        logits = tf.layers.dense(tf.layers.dropout(h, 0.1, training=True), 2)
        loss = tf.losses.sparse_softmax_cross_entropy(y, logits)
        step = tf.train.AdamOptimizer(0.05).minimize(loss)
        rng = np.random.RandomState(0)
        X = rng.rand(64, 8, 8, 1).astype(np.float32)
        Y = (X[:, :4].mean(axis=(1, 2, 3)) > X[:, 4:].mean(axis=(1, 2, 3))).astype(np.int32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            first = sess.run(loss, {x: X, y: Y})
            for _ in range(60):
                sess.run(step, {x: X, y: Y})
            self.assertLess(sess.run(loss, {x: X, y: Y}), first)


class NamesTest(Case):
    """Composite op names (nn_ops.py, embedding_ops.py, state_ops.py) as TF 1.15 builds them."""

    def testDropoutNames(self):
        """adapted from ops/nn_test.py DropoutTest.testDropout: the op names of the dropout/ composite."""
        tf.nn.dropout(tf.placeholder(tf.float32, [2, 3]), keep_prob=0.5)
        names = op_names()
        for n in ("dropout/rate", "dropout/Shape", "dropout/random_uniform/RandomUniform", "dropout/sub",
                  "dropout/truediv", "dropout/GreaterEqual", "dropout/mul", "dropout/Cast", "dropout/mul_1"):
            self.assertIn(n, names)

    def testEmbeddingLookupNames(self):
        """adapted from kernel_tests/embedding_ops_test.py EmbeddingLookupTest.testSimpleSharded: one shard; checks
        the GatherV2 op, its colocation and the output Identity."""
        params = tf.get_variable("emb", [10, 4])
        out = tf.nn.embedding_lookup(params, [1, 2])
        self.assertEqual(out.op.name, "embedding_lookup/Identity")
        g = tf.get_default_graph().get_operation_by_name("embedding_lookup")
        self.assertEqual(g.type, "GatherV2")
        self.assertEqual(g.colocation_groups(), [b"loc:@emb"])
        self.assertEqual(out.shape.as_list(), [2, 4])

    def testAssignNames(self):
        """adapted from kernel_tests/variables_test.py VariablesTestCase.testAssignments: the op types
        Assign/AssignAdd/AssignSub and their colocation with the variable."""
        v = tf.get_variable("v", [2])
        for f, t in ((tf.assign, "Assign"), (tf.assign_add, "AssignAdd"), (tf.assign_sub, "AssignSub")):
            op = f(v, [1.0, 1.0])
            self.assertEqual(op.op.type, t)
            self.assertEqual(op.op.colocation_groups(), [b"loc:@v"])

    def testAssignRuns(self):
        """kernel_tests/variables_test.py VariablesTestCase.testAssignments."""
        v = tf.get_variable("v", initializer=[1.0, 2.0])
        add = tf.assign_add(v, [1.0, 1.0])
        sub = tf.assign_sub(v, [0.5, 0.5])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertEqual(sess.run(add).tolist(), [2.0, 3.0])
            self.assertEqual(sess.run(sub).tolist(), [1.5, 2.5])

    def testAssignValidateShape(self):
        """no TensorFlow counterpart; written for scopeviz: tf.assign (validate_shape=True) of a value of another
        shape raises ValueError (state_ops.assign)."""
        v = tf.get_variable("v", [2])
        with self.assertRaises(ValueError):
            tf.assign(v, [1.0, 2.0, 3.0])

    def testRandomOpsRun(self):
        """kernel_tests/random/random_ops_test.py RandomUniformTest.testRange."""
        u = tf.random_uniform([100], minval=2.0, maxval=3.0, seed=3)
        with tf.Session() as sess:
            vals = sess.run(u)
        self.assertTrue(np.all(vals >= 2.0) and np.all(vals < 3.0))

    def testRandomUniformIntNeedsMax(self):
        """no TensorFlow counterpart; written for scopeviz: random_uniform of an integer dtype without maxval raises
        'Must specify maxval for integer dtype'."""
        with self.assertRaisesRegex(ValueError, "Must specify maxval for integer dtype"):
            tf.random_uniform([2], dtype=tf.int32)

    def testRandomNormalNames(self):
        """adapted from kernel_tests/random/random_ops_test.py RandomShapeTest.testRandomNormal: the op names of the
        random_normal/ composite."""
        tf.random_normal([2])
        names = op_names()
        for n in ("random_normal/shape", "random_normal/mean", "random_normal/stddev",
                  "random_normal/RandomStandardNormal", "random_normal/mul", "random_normal"):
            self.assertIn(n, names)


class LossesTest(Case):
    """tensorflow/python/kernel_tests/losses_test.py, and loss behaviour it does not test."""

    def testMeanSquaredErrorNames(self):
        """adapted from kernel_tests/losses_test.py MeanSquaredErrorTest.testAllCorrectNoLossWeight: the
        mean_squared_error/ op names and the LOSSES collection."""
        loss = tf.losses.mean_squared_error(tf.ones([2, 3]), tf.zeros([2, 3]))
        names = op_names()
        self.assertIn("mean_squared_error/SquaredDifference", names)
        self.assertIn("mean_squared_error/assert_broadcastable/static_scalar_check_success", names)
        self.assertEqual(loss.op.name, "mean_squared_error/value")
        self.assertEqual(tf.losses.get_losses(), [loss])

    def testMeanSquaredErrorValue(self):
        """adapted from kernel_tests/losses_test.py MeanSquaredErrorTest.testNonZeroLoss: different data (expected
        2.0)."""
        loss = tf.losses.mean_squared_error(tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 2.0]]))
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), 2.0, places=5)

    def testMeanSquaredErrorShapeMismatch(self):
        """no TensorFlow counterpart; written for scopeviz: mean_squared_error of [2, 3] labels and [3, 2] predictions
        raises ValueError."""
        with self.assertRaises(ValueError):
            tf.losses.mean_squared_error(tf.ones([2, 3]), tf.ones([3, 2]))

    def testSoftmaxNames(self):
        """adapted from kernel_tests/losses_test.py SoftmaxCrossEntropyLossTest.testNoneWeightRaisesValueError: checks
        the softmax_cross_entropy_loss/ op names instead."""
        tf.losses.softmax_cross_entropy(tf.ones([2, 3]), tf.ones([2, 3]))
        names = op_names()
        self.assertIn("softmax_cross_entropy_loss/labels_stop_gradient", names)
        self.assertIn("softmax_cross_entropy_loss/xentropy", names)

    def testSparseSoftmaxValue(self):
        """adapted from kernel_tests/losses_test.py SparseSoftmaxCrossEntropyLossTest.testAllCorrectInt32Labels: also
        the op name sparse_softmax_cross_entropy_loss/xentropy/xentropy."""
        logits = tf.constant([[10.0, 0.0, 0.0], [0.0, 10.0, 0.0]])
        loss = tf.losses.sparse_softmax_cross_entropy(tf.constant([0, 1]), logits)
        with tf.Session() as sess:
            self.assertAlmostEqual(float(sess.run(loss)), 0.0, places=3)
        self.assertIn("sparse_softmax_cross_entropy_loss/xentropy/xentropy", op_names())

    def testNoneLabels(self):
        """no TensorFlow counterpart; written for scopeviz: mean_squared_error(None, ...) raises 'labels must not be
        None.' (losses_impl)."""
        with self.assertRaisesRegex(ValueError, "labels must not be None."):
            tf.losses.mean_squared_error(None, tf.ones([1]))

    def testInvalidReduction(self):
        """no TensorFlow counterpart; written for scopeviz: compute_weighted_loss with an unknown reduction raises
        'Invalid Reduction Key' (Reduction.validate)."""
        with self.assertRaisesRegex(ValueError, "Invalid Reduction Key"):
            tf.losses.compute_weighted_loss(tf.ones([2]), reduction="nope")

    def testL2Regularizer(self):
        """no TensorFlow counterpart; written for scopeviz: tf.keras.regularizers.l2(0.5) as a get_variable
        regularizer gives 0.5 * sum(v ** 2)."""
        reg = tf.keras.regularizers.l2(0.5)
        v = tf.get_variable("v", initializer=[1.0, 2.0], regularizer=reg)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            self.assertAlmostEqual(float(sess.run(tf.losses.get_regularization_loss())), 2.5, places=5)

    def testTotalLoss(self):
        """no TensorFlow counterpart; written for scopeviz: get_total_loss of one loss and one regularization loss is
        named total_loss (losses util.get_total_loss)."""
        tf.get_variable("v", [1], regularizer=lambda t: tf.reduce_sum(t))
        tf.losses.mean_squared_error(tf.ones([2]), tf.zeros([2]))
        self.assertEqual(tf.losses.get_total_loss().name, "total_loss:0")


class ControlFlowTest(Case):
    """tensorflow/python/kernel_tests/control_flow_ops_py_test.py (v1 control flow, graph names)"""

    def testCondNames(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_1: the cond/ op names
        (Switch, pivots, pred_id, branch ops, Merge)."""
        x = tf.placeholder(tf.float32, [2], name="x")
        p = tf.placeholder(tf.bool, [], name="p")
        r = tf.cond(p, lambda: tf.add(x, 1.0), lambda: tf.square(x))
        names = op_names()
        for n in ("cond/Switch", "cond/switch_t", "cond/switch_f", "cond/pred_id", "cond/Add", "cond/Add/Switch",
                  "cond/Square", "cond/Square/Switch", "cond/Merge"):
            self.assertIn(n, names)
        self.assertEqual(r.op.name, "cond/Merge")
        self.assertEqual(r.shape.as_list(), [2])

    def testCondCaptureIsSwitchOfPredId(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCond_1: a captured input enters
        its branch through Switch(x, pred_id)."""
        x = tf.placeholder(tf.float32, [2], name="x")
        tf.cond(tf.placeholder(tf.bool, []), lambda: tf.add(x, 1.0), lambda: x)
        sw = tf.get_default_graph().get_operation_by_name("cond/Add/Switch")
        self.assertEqual([i.name for i in sw.inputs], ["x:0", "cond/pred_id:0"])
        add = tf.get_default_graph().get_operation_by_name("cond/Add")
        self.assertEqual(add.inputs[0].name, "cond/Add/Switch:1")

    def testCondConstGetsPivot(self):
        """no TensorFlow counterpart; written for scopeviz: a Const built in a cond branch gets a control input from
        the branch pivot cond/switch_t (CondContext)."""
        x = tf.placeholder(tf.float32, [], name="x")
        tf.cond(tf.placeholder(tf.bool, []), lambda: tf.constant(1.0, name="one"), lambda: x)
        one = tf.get_default_graph().get_operation_by_name("cond/one")
        self.assertEqual([c.name for c in one.control_inputs], ["cond/switch_t"])

    def testCondPythonBool(self):
        """kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondBool."""
        with self.assertRaisesRegex(TypeError, "pred must not be a Python bool"):
            tf.cond(True, lambda: tf.constant(1), lambda: tf.constant(2))

    def testCondNotCallable(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testCondMissingArg1: a non-callable
        true_fn instead of a missing one; checks TF's message text."""
        with self.assertRaisesRegex(TypeError, "true_fn must be callable."):
            tf.cond(tf.placeholder(tf.bool, []), 1, lambda: 2)

    def testCondTwice(self):
        """no TensorFlow counterpart; written for scopeviz: a second tf.cond gets the scope cond_1."""
        p = tf.placeholder(tf.bool, [])
        tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(2))
        r = tf.cond(p, lambda: tf.constant(1), lambda: tf.constant(2))
        self.assertEqual(r.op.name, "cond_1/Merge")

    def testWhileNames(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_1: the while/ op names."""
        i = tf.constant(0, name="i")
        n = tf.constant(10, name="n")
        r = tf.while_loop(lambda i: tf.less(i, n), lambda i: tf.add(i, 1), [i])
        names = op_names()
        for x in ("while/Enter", "while/Merge", "while/Less", "while/Less/Enter", "while/LoopCond",
                  "while/Switch", "while/Identity", "while/Add", "while/NextIteration", "while/Exit"):
            self.assertIn(x, names)
        self.assertEqual(r.op.name, "while/Exit")

    def testWhileBackEdge(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhile_1: Merge's inputs are the
        Enter and the NextIteration; the frame name."""
        i = tf.constant(0)
        tf.while_loop(lambda i: i < 10, lambda i: i + 1, [i])
        m = tf.get_default_graph().get_operation_by_name("while/Merge")
        self.assertEqual([x.name for x in m.inputs], ["while/Enter:0", "while/NextIteration:0"])
        e = tf.get_default_graph().get_operation_by_name("while/Enter")
        self.assertEqual(e.get_attr("frame_name"), b"while/while_context")

    def testWhileTwoVars(self):
        """adapted from kernel_tests/control_flow_ops_py_test.py ControlFlowTest.testWhileWithRefs_1: two non-ref loop
        variables; checks one Enter and one Exit per loop variable instead of ref dtypes."""
        i, s = tf.constant(0), tf.constant(0.0)
        r = tf.while_loop(lambda i, s: i < 3, lambda i, s: (i + 1, s + 2.0), [i, s])
        self.assertEqual([t.op.name for t in r], ["while/Exit", "while/Exit_1"])
        self.assertIn("while/Enter_1", op_names())

    def testWhileBodyMismatch(self):
        """no TensorFlow counterpart; written for scopeviz: while_loop whose body returns two values for one loop
        variable raises TF's 'Number of inputs and outputs of body must match loop_vars' ValueError."""
        i = tf.constant(0)
        with self.assertRaisesRegex(ValueError, "Number of inputs and outputs of body must match loop_vars: 1, 2"):
            tf.while_loop(lambda i: i < 3, lambda i: (i + 1, i), [i])

    def testWhileNotCallable(self):
        """no TensorFlow counterpart; written for scopeviz: while_loop with a non-callable cond raises TypeError 'cond
        must be callable.'."""
        with self.assertRaisesRegex(TypeError, "cond must be callable."):
            tf.while_loop(1, lambda i: i, [tf.constant(0)])


class SaverTest(Case):
    """tensorflow/python/training/saver_test.py"""

    def testSaveOpNames(self):
        """adapted from training/saver_test.py SaverTest.testBasic: the op names of a V2 saver's save/ scope."""
        tf.get_variable("v0", initializer=10.0)
        tf.get_variable("v1", initializer=20.0)
        tf.train.Saver()
        names = op_names()
        for n in ("save/filename/input", "save/filename", "save/Const", "save/SaveV2", "save/SaveV2/tensor_names",
                  "save/SaveV2/shape_and_slices", "save/control_dependency", "save/RestoreV2",
                  "save/RestoreV2/tensor_names", "save/RestoreV2/shape_and_slices", "save/Assign",
                  "save/Assign_1", "save/restore_all"):
            self.assertIn(n, names)

    def testSaverDefNames(self):
        """adapted from training/saver_test.py SaverTest.testBasic: the SaverDef's filename, save and restore names."""
        tf.get_variable("v0", [1])
        saver = tf.train.Saver()
        self.assertEqual(saver.saver_def["filename_tensor_name"], "save/Const:0")
        self.assertEqual(saver.saver_def["save_tensor_name"], "save/control_dependency:0")
        self.assertEqual(saver.saver_def["restore_op_name"], "save/restore_all")

    def testSecondSaver(self):
        """no TensorFlow counterpart; written for scopeviz: a second tf.train.Saver builds its ops under save_1/."""
        tf.get_variable("v0", [1])
        tf.train.Saver()
        tf.train.Saver()
        self.assertIn("save_1/SaveV2", op_names())

    def testSortedTensorNames(self):
        """no TensorFlow counterpart; written for scopeviz: the SaveV2 tensor_names are in variable-name order
        (saver.py's saveable ordering)."""
        tf.get_variable("b", [1])
        tf.get_variable("a", [1])
        tf.train.Saver()
        names = tf.get_default_graph().get_operation_by_name("save/SaveV2/tensor_names").get_attr("value")
        self.assertEqual(list(names), [b"a", b"b"])

    def testNoVariables(self):
        """no TensorFlow counterpart; written for scopeviz: tf.train.Saver() with no variables raises 'No variables to
        save' (no SaverTest.testNoVariables was found in saver_test.py)."""
        with self.assertRaisesRegex(ValueError, "No variables to save"):
            tf.train.Saver()

    def testAllowEmpty(self):
        """training/saver_test.py SaverTest.testAllowEmpty."""
        saver = tf.train.Saver(allow_empty=True)
        with tf.Session() as sess:
            self.assertIsNone(saver.save(sess, os.path.join(tempfile.mkdtemp(), "x")))

    def testSaveRestoreValues(self):
        """adapted from training/saver_test.py SaverTest.testBasic: also checks latest_checkpoint."""
        v0 = tf.get_variable("v0", initializer=10.0)
        v1 = tf.get_variable("v1", initializer=20.0)
        saver = tf.train.Saver()
        d = tempfile.mkdtemp()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, os.path.join(d, "model"))
            self.assertEqual(tf.train.latest_checkpoint(d), path)
            sess.run([tf.assign(v0, 1.0), tf.assign(v1, 2.0)])
            saver.restore(sess, path)
            self.assertEqual(sess.run([v0, v1]), [10.0, 20.0])

    def testRestoreMissing(self):
        """training/saver_test.py SaverTest.testInvalidPath."""
        tf.get_variable("v0", [1])
        saver = tf.train.Saver()
        with tf.Session() as sess:
            with self.assertRaisesRegex(ValueError, "The passed save_path is not a valid checkpoint"):
                saver.restore(sess, "/nonexistent/model")


class MetaGraphTest(Case):
    """tensorflow/python/framework/meta_graph_test.py and training/saver_test.py MetaGraphTest."""

    def testExportImportWithScope(self):
        """adapted from training/saver_test.py MetaGraphTest.testImportIntoNamescope: export then
        import_meta_graph(import_scope=...); checks op names and the rewritten colocation, no training."""
        tf.get_variable("v", [2])
        tf.add(tf.constant(1.0, name="a"), 2.0, name="out")
        path = os.path.join(tempfile.mkdtemp(), "m.meta")
        tf.train.export_meta_graph(path)
        tf.reset_default_graph()
        tf.train.import_meta_graph(path, import_scope="imported")
        names = op_names()
        self.assertIn("imported/out", names)
        self.assertIn("imported/v/read", names)
        read = tf.get_default_graph().get_operation_by_name("imported/v/read")
        self.assertEqual(read.colocation_groups(), [b"loc:@imported/v"])
        self.assertEqual(read.inputs[0].name, "imported/v:0")

    def testExportImportNoScope(self):
        """adapted from framework/meta_graph_test.py SimpleMetaGraphTest.testNoVariables: an in-memory MetaGraphDef of
        one constant; checks that the op names survive the round trip."""
        tf.constant(1.0, name="a")
        data = tf.train.export_meta_graph()
        tf.reset_default_graph()
        tf.train.import_meta_graph(data)
        self.assertEqual(op_names(), ["a"])

    def testImportCollections(self):
        """adapted from training/saver_test.py MetaGraphTest.testAddCollectionDef: only the variables collection,
        restored under an import scope."""
        tf.get_variable("v", [2])
        data = tf.train.export_meta_graph()
        tf.reset_default_graph()
        tf.train.import_meta_graph(data, import_scope="s")
        self.assertEqual([getattr(v, "name", None) for v in tf.get_collection("variables")], ["s/v:0"])

    def testImportMetaGraphRestores(self):
        """adapted from training/saver_test.py MetaGraphTest.testImportIntoNamescope: no import scope; the returned
        saver restores the values."""
        v = tf.get_variable("v", initializer=[1.0, 2.0])
        tf.multiply(v, 2.0, name="out")
        saver = tf.train.Saver()
        d = tempfile.mkdtemp()
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            path = saver.save(sess, os.path.join(d, "model"))
        tf.reset_default_graph()
        imported = tf.train.import_meta_graph(path + ".meta")
        self.assertIsNotNone(imported)
        with tf.Session() as sess:
            imported.restore(sess, path)
            self.assertEqual(sess.run("out:0").tolist(), [2.0, 4.0])

    def testImportMissingFile(self):
        """no TensorFlow counterpart; written for scopeviz: import_meta_graph of a missing file raises IOError."""
        with self.assertRaises(IOError):
            tf.train.import_meta_graph("/nonexistent/x.meta")

    def testImportUnparseableFile(self):
        """no TensorFlow counterpart; written for scopeviz after framework/meta_graph.py read_meta_graph_file: a file
        that is neither a binary nor a text MetaGraphDef raises IOError 'Cannot parse file <path>: <line:column>...',
        and the default graph is left as it was."""
        tf.constant(1.0, name="kept")
        path = os.path.join(tempfile.mkdtemp(), "broken.meta")
        with open(path, "w") as f:
            f.write("meta_info_def { no_such_field: 1 }")
        with self.assertRaises(IOError) as ctx:
            tf.train.import_meta_graph(path)
        self.assertTrue(str(ctx.exception).startswith("Cannot parse file %s: 1:" % path), str(ctx.exception))
        self.assertIn('"tensorflow.MetaGraphDef.MetaInfoDef" has no field named "no_such_field"', str(ctx.exception))
        self.assertEqual(op_names(), ["kept"])

    def testExportedMetaInfoAndSaverDef(self):
        """no TensorFlow counterpart; written for scopeviz: the exported MetaGraphDef, read with the tests' own wire
        reader, holds tensorflow_version 1.15.0 in MetaInfoDef field 5 and the saver's names and max_to_keep in
        SaverDef (field 3), where TensorFlow's reader looks for them."""
        import sys
        sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
        import tfrecord_wire as w
        tf.get_variable("v", [2])
        saver = tf.train.Saver(max_to_keep=7)
        top = w.fields(tf.train.export_meta_graph(saver=saver))
        info = w.fields(w.first(top, 1, 2))
        self.assertEqual(w.first(info, 5, 2), b"1.15.0")
        self.assertEqual(w.every(info, 4, 2), [])  # no tags
        saver_def = w.fields(w.first(top, 3, 2))
        self.assertEqual(w.first(saver_def, 3, 2), b"save/restore_all")
        self.assertEqual(w.first(saver_def, 4, 0), 7)
        keys = [w.first(w.fields(entry), 1, 2) for entry in w.every(top, 4, 2)]
        self.assertIn(b"variables", keys)


if __name__ == "__main__":
    unittest.main()
