"""Conformance cases ported from TensorFlow 1.15's variable_scope_test.py and
ops_test.py (docs/scoping.md cites them), run against scopeviz.compat.v1.
Names and exception texts are compared exactly."""
import threading
import unittest

import numpy as np

import scopeviz.compat.v1 as tf


class ScopeTestCase(unittest.TestCase):
    def setUp(self):
        tf.reset_default_graph()


class GraphNamingTest(ScopeTestCase):
    """§3 unique_name and §4/§6 op naming (ops_test.py)."""

    def testUniqueNameSequence(self):  # §3.2
        g = tf.get_default_graph()
        self.assertEqual([g.unique_name("foo") for _ in range(3)], ["foo", "foo_1", "foo_2"])

    def testUniqueNameOfSuffixed(self):  # §3.2
        g = tf.get_default_graph()
        g.unique_name("foo"); g.unique_name("foo")
        self.assertEqual(g.unique_name("foo_1"), "foo_1_1")
        self.assertEqual(g.unique_name("foo_1"), "foo_1_2")
        self.assertEqual(g.unique_name("foo_1_2"), "foo_1_2_1")

    def testUniqueNameOutOfOrder(self):  # §3.2
        g = tf.get_default_graph()
        self.assertEqual(g.unique_name("foo_2"), "foo_2")
        self.assertEqual(g.unique_name("foo"), "foo")
        self.assertEqual(g.unique_name("foo"), "foo_1")
        self.assertEqual(g.unique_name("foo"), "foo_3")

    def testUniqueNameCaseInsensitive(self):  # §3.2
        g = tf.get_default_graph()
        self.assertEqual(g.unique_name("foo"), "foo")
        self.assertEqual(g.unique_name("Foo"), "Foo_1")

    def testUniqueNameNotMarked(self):  # §3.1
        g = tf.get_default_graph()
        self.assertEqual(g.unique_name("bar", mark_as_used=False), "bar")
        self.assertEqual(g.unique_name("bar"), "bar")
        self.assertEqual(g.unique_name("bar", mark_as_used=False), "bar_1")
        self.assertEqual(g.unique_name("bar"), "bar_1")

    def testNameScopeUniquified(self):  # §4
        g = tf.get_default_graph()
        with g.name_scope("foo") as s:
            self.assertEqual(s, "foo/")
        with g.name_scope("foo") as s:
            self.assertEqual(s, "foo_1/")

    def testNameScopeReentryByString(self):  # §4.2
        g = tf.get_default_graph()
        with g.name_scope("foo") as s:
            pass
        with g.name_scope(s) as s2:
            self.assertEqual(s2, "foo/")
            self.assertEqual(tf.constant(1.0).op.name, "foo/Const")

    def testNameScopeResetToRoot(self):  # §4.1
        g = tf.get_default_graph()
        with g.name_scope("a"):
            with g.name_scope(None) as s:
                self.assertEqual(s, "")
                self.assertEqual(tf.constant(1.0).op.name, "Const")
            with g.name_scope("") as s:
                self.assertEqual(s, "")

    def testOnlyFullPathRecorded(self):  # §3.2
        g = tf.get_default_graph()
        with g.name_scope("a/b"):
            pass
        with g.name_scope("a") as s:
            self.assertEqual(s, "a/")
            with g.name_scope("b") as s2:
                self.assertEqual(s2, "a/b_1/")

    def testOpAndScopeShareNamespace(self):  # §3.2
        tf.constant(1.0, name="c")
        with tf.name_scope("c") as s:
            self.assertEqual(s, "c_1/")

    def testInvalidScopeName(self):  # §2
        with self.assertRaises(ValueError) as cm:
            with tf.name_scope("_bad"):
                pass
        self.assertEqual(str(cm.exception), "'_bad' is not a valid scope name")

    def testNestedScopeMayStartWithUnderscore(self):  # §2
        with tf.name_scope("outer"):
            with tf.name_scope("_inner") as s:
                self.assertEqual(s, "outer/_inner/")

    def testColonIsInvalid(self):  # §2
        with self.assertRaises(ValueError) as cm:
            with tf.name_scope("foo:0"):
                pass
        self.assertEqual(str(cm.exception), "'foo:0' is not a valid scope name")

    def testDefaultNameIsNotString(self):  # §5.1
        a = tf.constant(1.0)
        with self.assertRaises(TypeError) as cm:
            tf.name_scope("x", [a])
        self.assertTrue(str(cm.exception).startswith("`default_name` type"))
        self.assertIn("You likely meant to pass this into the `values` kwarg.", str(cm.exception))

    def testEmptyStringBeatsDefault(self):  # §5.2
        with tf.name_scope("outer"):
            with tf.name_scope("", "dflt") as s:
                self.assertEqual(s, "")

    def testNoneNameWithValues(self):  # §5.3
        a = tf.constant(1.0)
        with self.assertRaises(ValueError) as cm:
            with tf.name_scope(None, None, [a]):
                pass
        self.assertEqual(str(cm.exception), "At least one of name (None) and default_name (None) must be provided.")

    def testDefaultNameUsed(self):  # §5.2
        with tf.name_scope(None, "dflt") as s:
            self.assertEqual(s, "dflt/")
        with tf.name_scope(None, "dflt") as s:
            self.assertEqual(s, "dflt_1/")

    def testValuesFromDifferentGraphs(self):  # §5.4
        a = tf.constant(1.0)
        with tf.Graph().as_default():
            b = tf.constant(2.0)
        with self.assertRaises(ValueError) as cm:
            with tf.name_scope("x", values=[a, b]):
                pass
        self.assertIn("must be from the same graph as", str(cm.exception))

    def testWrapperConstantChildren(self):  # §6.2
        x = tf.placeholder(tf.float32, name="x")
        y = tf.add(x, 1.0)
        self.assertEqual(y.op.name, "Add")
        self.assertEqual(y.op.inputs[1].op.name, "Add/y")

    def testOperatorConstantChildren(self):  # §6.3
        x = tf.placeholder(tf.float32, name="x")
        y = x + 1.0
        self.assertEqual(y.op.name, "add")
        self.assertEqual(y.op.inputs[1].op.name, "add/y")
        self.assertEqual(y.op.type, "AddV2")

    def testAddAfterOperatorCollides(self):  # §6.3
        x = tf.placeholder(tf.float32)
        self.assertEqual((x + x).op.name, "add")
        self.assertEqual(tf.add(x, x).op.name, "Add_1")

    def testOperatorAfterAddCollides(self):  # §6.3
        x = tf.placeholder(tf.float32)
        self.assertEqual(tf.add(x, x).op.name, "Add")
        self.assertEqual((x + x).op.name, "add_1")

    def testOperatorNames(self):  # §6.3
        x = tf.placeholder(tf.float32)
        self.assertEqual((x - x).op.name, "sub")
        self.assertEqual((x * x).op.name, "mul")
        self.assertEqual((x / x).op.name, "truediv")

    def testConstantDefaultNames(self):  # §6.3
        self.assertEqual(tf.constant(1.0).op.name, "Const")
        self.assertEqual(tf.constant(1.0).op.name, "Const_1")

    def testExplicitOpName(self):  # §6.2
        x = tf.placeholder(tf.float32)
        self.assertEqual(tf.identity(x, name="my_id").op.name, "my_id")
        self.assertEqual(tf.identity(x, name="my_id").op.name, "my_id_1")

    def testOpNamedAfterScope(self):  # §4, §6.1
        x = tf.placeholder(tf.float32)
        with tf.name_scope("bar") as scope:
            y = tf.identity(x, name=scope)
        self.assertEqual(y.op.name, "bar")

    def testTrailingSlashDuplicate(self):  # §6.2
        x = tf.placeholder(tf.float32)
        tf.add(x, x, name="x/")
        with self.assertRaises(ValueError) as cm:
            tf.add(x, x, name="x/")
        self.assertEqual(str(cm.exception), "Duplicate node name in graph: 'x'")

    def testCreateOpInvalidNodeName(self):  # §2
        g = tf.get_default_graph()
        with self.assertRaises(ValueError) as cm:
            g.create_op("NoOp", [], name="-invalid/")
        self.assertEqual(str(cm.exception), "'-invalid' is not a valid node name")

    def testGraphUsableAfterError(self):  # §11
        with self.assertRaises(ValueError):
            with tf.name_scope("_bad"):
                pass
        self.assertEqual(tf.constant(1.0).op.name, "Const")
        self.assertEqual(tf.get_default_graph().get_name_scope(), "")

    def testRandomUniformChildren(self):  # §6.3
        r = tf.get_default_graph()
        with tf.variable_scope("v"):
            tf.get_variable("w", [2, 2])
        names = [op.name for op in r.get_operations()]
        self.assertEqual(names[:7], ["v/w/Initializer/random_uniform/shape", "v/w/Initializer/random_uniform/min",
                                     "v/w/Initializer/random_uniform/max",
                                     "v/w/Initializer/random_uniform/RandomUniform",
                                     "v/w/Initializer/random_uniform/sub", "v/w/Initializer/random_uniform/mul",
                                     "v/w/Initializer/random_uniform"])


class VariableScopeTest(ScopeTestCase):
    """§7-§9 (variable_scope_test.py)."""

    def testGetVar(self):
        v = tf.get_variable("v", [1])
        self.assertEqual(v.name, "v:0")

    def testNameExists(self):  # §9.5
        tf.get_variable("v", [1])
        with self.assertRaises(ValueError) as cm:
            tf.get_variable("v", [1])
        self.assertTrue(str(cm.exception).startswith(
            "Variable v already exists, disallowed. Did you mean to set reuse=True or reuse=tf.AUTO_REUSE in "
            "VarScope? Originally defined at:"))

    def testNamelessStore(self):  # §9.2
        with tf.name_scope("a"):
            self.assertEqual(tf.get_variable("v", [1]).name, "v:0")

    def testVarScopeFullName(self):  # §9.2
        with tf.variable_scope("b"):
            with tf.name_scope("a"):
                self.assertEqual(tf.get_variable("w", [1]).name, "b/w:0")

    def testReuseMissing(self):  # §9.5
        with tf.variable_scope("s", reuse=True):
            with self.assertRaises(ValueError) as cm:
                tf.get_variable("w", [1])
        self.assertEqual(str(cm.exception),
                         "Variable s/w does not exist, or was not created with tf.get_variable(). Did you mean to "
                         "set reuse=tf.AUTO_REUSE in VarScope?")

    def testShareShapeMismatch(self):  # §9.5
        with tf.variable_scope("my_net"):
            tf.get_variable("weights", [2])
        with tf.variable_scope("my_net", reuse=True):
            with self.assertRaises(ValueError) as cm:
                tf.get_variable("weights", [3])
        self.assertEqual(str(cm.exception),
                         "Trying to share variable my_net/weights, but specified shape (3,) and found shape (2,).")

    def testShareDtypeMismatch(self):  # §9.5
        with tf.variable_scope("s"):
            tf.get_variable("i", [1], dtype=tf.int32)
        with tf.variable_scope("s", reuse=True):
            with self.assertRaises(ValueError) as cm:
                tf.get_variable("i", [1])
        self.assertEqual(str(cm.exception),
                         "Trying to share variable s/i, but specified dtype float32 and found dtype int32_ref.")

    def testConstantInitializerWithShape(self):  # §9.5
        with self.assertRaises(ValueError) as cm:
            tf.get_variable("c", [2], initializer=np.array([1.0, 2.0], np.float32))
        self.assertEqual(str(cm.exception), "If initializer is a constant, do not specify shape.")

    def testInitializerDtypeMismatch(self):  # §9.4
        with self.assertRaises(ValueError) as cm:
            tf.get_variable("c", initializer=np.array([1, 2], np.int32), dtype=tf.float32)
        self.assertEqual(str(cm.exception),
                         "Initializer type '<dtype: 'int32'>' and explicit dtype '<dtype: 'float32'>' don't match.")

    def testConstantInitializerValue(self):  # §9.6
        v = tf.get_variable("c", initializer=np.array([1.0, 2.0], np.float32))
        self.assertEqual(v.shape.as_list(), [2])
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            np.testing.assert_allclose(sess.run(v), [1.0, 2.0])

    def testIntDefaultInitializerIsZeros(self):  # §9.6
        v = tf.get_variable("i", [3], dtype=tf.int32)
        self.assertEqual(v.initializer.inputs[1].op.name, "i/Initializer/zeros")
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_array_equal(sess.run(v), [0, 0, 0])

    def testVariableOpsOrder(self):  # §9.7
        with tf.variable_scope("my_net"):
            tf.get_variable("weights", [784, 10])
        names = [(op.name, op.type) for op in tf.get_default_graph().get_operations()]
        self.assertEqual(names[-3:], [("my_net/weights", "VariableV2"), ("my_net/weights/Assign", "Assign"),
                                      ("my_net/weights/read", "Identity")])

    def testInitializerColocation(self):  # §9.7
        with tf.variable_scope("my_net"):
            v = tf.get_variable("weights", [2], initializer=tf.zeros_initializer())
        init = tf.get_default_graph().get_operation_by_name("my_net/weights/Initializer/zeros")
        self.assertEqual(init.get_attr("_class"), [b"loc:@my_net/weights"])

    def testVariableNameCollision(self):  # §9.8
        tf.constant(0.0, name="v")
        v = tf.get_variable("v", [1])
        self.assertEqual(v.name, "v_1:0")

    def testDifferentCaseVariables(self):  # §9.8
        tf.get_variable("v", [1])
        self.assertEqual(tf.get_variable("V", [1]).name, "V_1:0")

    def testCollections(self):  # §9.6
        v = tf.get_variable("v", [1])
        w = tf.get_variable("w", [1], trainable=False)
        self.assertEqual(tf.global_variables(), [v, w])
        self.assertEqual(tf.trainable_variables(), [v])

    def testVarScopeReuse(self):  # §8.4
        with tf.variable_scope("outer") as outer:
            with tf.variable_scope("tower") as tower:
                self.assertEqual(tower.reuse, False)
        with tf.variable_scope(outer, reuse=True):
            with tf.variable_scope("tower") as tower:
                self.assertEqual(tower.reuse, True)

    def testReuseInheritedCannotBeUndone(self):  # §8.4
        with tf.variable_scope("a", reuse=True):
            with tf.variable_scope("b", reuse=False) as b:
                self.assertEqual(b.reuse, True)

    def testAutoReuseInsideTrue(self):  # §8.4
        with tf.variable_scope("a", reuse=True):
            with tf.variable_scope("b", reuse=tf.AUTO_REUSE) as b:
                self.assertEqual(b.reuse, tf.AUTO_REUSE)

    def testObjectKeepsOwnReuse(self):  # §8.4
        with tf.variable_scope("a") as a:
            pass
        with tf.variable_scope("r", reuse=True):
            with tf.variable_scope(a) as a2:
                self.assertEqual(a2.reuse, False)

    def testReuseVariables(self):  # §7
        with tf.variable_scope("s") as s:
            v = tf.get_variable("v", [1])
            s.reuse_variables()
            self.assertIs(tf.get_variable("v", [1]), v)

    def testAutoReuseGetOrCreate(self):  # §9.5
        def f():
            with tf.variable_scope("s", reuse=tf.AUTO_REUSE):
                return tf.get_variable("v", [1])
        self.assertIs(f(), f())

    def testWorkedTable(self):  # §8.8
        with tf.variable_scope("foo") as a:
            self.assertEqual((a.name, a.original_name_scope), ("foo", "foo/"))
        with tf.variable_scope("foo") as b:
            self.assertEqual((b.name, b.original_name_scope), ("foo", "foo_1/"))
            self.assertEqual(tf.get_default_graph().get_name_scope(), "foo_1")
        with tf.variable_scope(a) as c:
            self.assertEqual((c.name, c.original_name_scope), ("foo", "foo/"))
            self.assertEqual(tf.get_default_graph().get_name_scope(), "foo_2")
        with tf.name_scope("n"):
            with tf.variable_scope(a):
                self.assertEqual(tf.get_default_graph().get_name_scope(), "n/foo")
        with tf.variable_scope("x"):
            with tf.variable_scope(a) as d:
                self.assertEqual(d.name, "foo")
                self.assertEqual(tf.get_default_graph().get_name_scope(), "x/foo")
        with tf.variable_scope(a, auxiliary_name_scope=False) as e:
            self.assertEqual(e.original_name_scope, "foo/")
            self.assertEqual(tf.get_default_graph().get_name_scope(), "")

    def testDefaultNameCounts(self):  # §8.6
        with tf.variable_scope(None, default_name="d") as d1:
            pass
        with tf.variable_scope(None, default_name="d") as d2:
            pass
        self.assertEqual((d1.name, d2.name), ("d", "d_1"))
        self.assertEqual((d1.original_name_scope, d2.original_name_scope), ("d/", "d_1/"))

    def testDefaultNameAfterObjectReentry(self):  # §8.6 (the spec's foo/bar example)
        with tf.variable_scope("foo") as foo:
            with tf.variable_scope(None, default_name="bar") as b1:
                pass
            with tf.variable_scope(None, default_name="bar") as b2:
                pass
        self.assertEqual((b1.name, b2.name), ("foo/bar", "foo/bar_1"))
        # Exiting the string scope "foo" reset its descendants' counters, so re-entering
        # by object gives "foo/bar" again while the name scope moves on.
        with tf.variable_scope(foo):
            with tf.variable_scope(None, default_name="bar") as b3:
                self.assertEqual(b3.name, "foo/bar")
                self.assertEqual(b3.original_name_scope, "foo_1/bar/")

    def testDefaultNameAfterStringParentExit(self):  # §8.6
        with tf.variable_scope("foo"):
            with tf.variable_scope(None, default_name="bar") as b1:
                pass
        with tf.variable_scope("foo"):
            with tf.variable_scope(None, default_name="bar") as b2:
                self.assertEqual(b2.name, "foo/bar")
                self.assertEqual(b2.original_name_scope, "foo_1/bar/")
        self.assertEqual(b1.name, "foo/bar")

    def testDefaultNameWithReuse(self):  # §8.1
        with self.assertRaises(ValueError) as cm:
            with tf.variable_scope(None, default_name="d", reuse=True):
                pass
        self.assertEqual(str(cm.exception), "reuse=True cannot be used without a name_or_scope")

    def testNoNameNoDefault(self):  # §8.1
        with self.assertRaises(TypeError) as cm:
            tf.variable_scope(None)
        self.assertEqual(str(cm.exception), "If default_name is None then name_or_scope is required")

    def testBadReuse(self):  # §8.1
        with self.assertRaises(ValueError) as cm:
            tf.variable_scope("s", reuse=1)
        self.assertEqual(str(cm.exception), "The reuse parameter must be True or False or None.")

    def testBadAuxiliary(self):  # §8.1
        with self.assertRaises(TypeError) as cm:
            tf.variable_scope("s", auxiliary_name_scope=1)
        self.assertEqual(str(cm.exception), "The auxiliary_name_scope must be `True` or `False`, while get 1")

    def testBadNameOrScopeType(self):  # §8.1
        with self.assertRaises(TypeError) as cm:
            with tf.variable_scope(3):
                pass
        self.assertEqual(str(cm.exception), "VariableScope: name_or_scope must be a string or VariableScope.")

    def testImproperNesting(self):  # §8.7
        a = tf.variable_scope("a")
        b = tf.variable_scope("b")
        a.__enter__()
        b.__enter__()
        with self.assertRaises(RuntimeError) as cm:
            a.__exit__(None, None, None)
        self.assertEqual(str(cm.exception), "Improper nesting of variable_scope.")
        b.__exit__(None, None, None)
        self.assertEqual(tf.get_variable_scope().name, "")
        self.assertEqual(tf.get_variable("after", [1]).name, "after:0")

    def testStringReentryOpsInNewNameScope(self):  # §14.2
        with tf.variable_scope("foo"):
            pass
        with tf.variable_scope("foo"):
            v = tf.get_variable("v", [1])
            c = tf.constant(1.0)
        self.assertEqual(v.name, "foo/v:0")
        self.assertEqual(c.op.name, "foo_1/Const")

    def testInvalidVariableScopeName(self):  # §2
        with self.assertRaises(ValueError) as cm:
            with tf.variable_scope("_"):
                pass
        self.assertEqual(str(cm.exception), "'_' is not a valid scope name")

    def testVariableInVariableScopeNotNameScope(self):  # §10
        with tf.variable_scope("foo"):
            pass
        with tf.variable_scope("foo"):
            v = tf.Variable(1.0, name="v")
        self.assertEqual(v.name, "foo_1/v:0")

    def testTfVariableNotInStore(self):  # §10
        tf.Variable(1.0, name="v")
        with tf.variable_scope("", reuse=True):
            with self.assertRaises(ValueError):
                tf.get_variable("v", [])

    def testTfVariableDefaultName(self):  # §10
        self.assertEqual(tf.Variable(1.0).name, "Variable:0")
        self.assertEqual(tf.Variable(1.0).name, "Variable_1:0")

    def testScopeInitializerInherited(self):  # §8.5
        with tf.variable_scope("s", initializer=tf.constant_initializer(0.3)):
            with tf.variable_scope("t"):
                v = tf.get_variable("v", [1])
        with tf.Session() as sess:
            sess.run(v.initializer)
            np.testing.assert_allclose(sess.run(v), [0.3], rtol=1e-6)

    def testScopeDtypeInherited(self):  # §8.5
        with tf.variable_scope("s", dtype=tf.float64):
            self.assertEqual(tf.get_variable("v", [1]).dtype, tf.float64.base_dtype._enum and tf.DType(102))

    def testGetCollectionPrefix(self):  # §7
        with tf.variable_scope("foo") as s:
            v = tf.get_variable("v", [1])
        with tf.variable_scope("foo_"):
            tf.get_variable("w", [1])
        self.assertEqual(s.global_variables(), [v])

    def testThreadStartsAtRoot(self):  # §13
        out = {}
        with tf.variable_scope("main") as main:
            graph = tf.get_default_graph()

            def work():
                with graph.as_default():
                    out["scope"] = tf.get_variable_scope().name
                    with tf.variable_scope(main):
                        with tf.variable_scope("foo"):
                            out["v"] = tf.get_variable("v", [1]).name
            t = threading.Thread(target=work)
            t.start()
            t.join()
        self.assertEqual(out["scope"], "")
        self.assertEqual(out["v"], "main/foo/v:0")


class SummaryNamingTest(ScopeTestCase):
    """§12 (summary_test.py)."""

    def testScalarTagInNameScope(self):
        x = tf.constant(1.0)
        with tf.name_scope("outer"):
            s1 = tf.summary.scalar("inner", x)
            s2 = tf.summary.scalar("inner", x)
        self.assertEqual(s1.op.name, "outer/inner")
        self.assertEqual(s2.op.name, "outer/inner_1")

    def testFamily(self):
        x = tf.constant(1.0)
        with tf.name_scope("outer"):
            s = tf.summary.scalar("inner", x, family="family")
        self.assertEqual(s.op.name, "outer/family/inner")

    def testMergeNames(self):
        x = tf.constant(1.0)
        s = tf.summary.scalar("a", x)
        self.assertEqual(tf.summary.merge([s]).op.name, "Merge/MergeSummary")
        self.assertEqual(tf.summary.merge([s]).op.name, "Merge_1/MergeSummary")
        self.assertEqual(tf.summary.merge([s], name="m").op.name, "m/m")

    def testMergeAllEmpty(self):
        self.assertIsNone(tf.summary.merge_all())

    def testCleanTag(self):
        x = tf.constant(1.0)
        self.assertEqual(tf.summary.scalar("name with spaces", x).op.name, "name_with_spaces")

    def testTutorialSummaries(self):
        loss = tf.constant(0.5)
        acc = tf.constant(0.9)
        with tf.name_scope("summary"):
            tf.summary.scalar("loss", loss)
            tf.summary.scalar("accuracy", acc)
            merged = tf.summary.merge_all()
        self.assertEqual(merged.op.name, "summary/Merge/MergeSummary")
        with tf.Session() as sess:
            data = sess.run(merged)
        self.assertIn(b"summary/loss", data)
        self.assertIn(b"summary/accuracy", data)


class SessionTest(ScopeTestCase):
    def testFeedPlaceholderError(self):
        x = tf.placeholder(tf.float32, [None, 64], name="x")
        y = x * 2.0
        with tf.Session() as sess:
            with self.assertRaises(tf.errors.InvalidArgumentError) as cm:
                sess.run(y)
        self.assertTrue(str(cm.exception.args[0]).startswith(
            "You must feed a value for placeholder tensor 'x' with dtype float and shape [?,64]"))

    def testUninitialized(self):
        with tf.variable_scope("my_net"):
            w = tf.get_variable("weights", [2])
        with tf.Session() as sess:
            with self.assertRaises(tf.errors.FailedPreconditionError) as cm:
                sess.run(w)
        self.assertTrue(str(cm.exception.args[0]).startswith("Attempting to use uninitialized value my_net/weights"))

    def testFeedShapeMismatch(self):
        x = tf.placeholder(tf.float32, [None, 64], name="x")
        with tf.Session() as sess:
            with self.assertRaises(ValueError) as cm:
                sess.run(x * 2.0, {x: np.zeros((2, 3))})
        self.assertEqual(str(cm.exception),
                         "Cannot feed value of shape (2, 3) for Tensor 'x:0', which has shape '(?, 64)'")

    def testFetchStructures(self):
        a = tf.constant(1.0)
        b = tf.constant([2, 3])
        with tf.Session() as sess:
            r = sess.run({"a": a, "l": [b, a]})
        self.assertEqual(r["a"], 1.0)
        np.testing.assert_array_equal(r["l"][0], [2, 3])

    def testGradientNames(self):
        with tf.variable_scope("my_net"):
            w = tf.get_variable("weights", [3, 2])
        x = tf.placeholder(tf.float32, [None, 3])
        loss = tf.reduce_mean(tf.matmul(x, w))
        g = tf.gradients(loss, [w])[0]
        self.assertTrue(g.op.name.startswith("gradients/"))
        names = [op.name for op in tf.get_default_graph().get_operations()]
        self.assertIn("gradients/MatMul_grad/MatMul_1", names)


if __name__ == "__main__":
    unittest.main()
