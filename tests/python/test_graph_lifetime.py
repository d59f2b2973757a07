"""Graph lifetime: the module keeps no graph alive on its own. After
reset_default_graph() the old graph, with its ops, variables, scopes and
collections, is freed as soon as user code drops it."""
import gc
import unittest
import weakref

import scopeviz.compat.v1 as tf


class GraphLifetimeTest(unittest.TestCase):
    def testResetDefaultGraphFreesTheOldGraph(self):
        tf.reset_default_graph()
        g = tf.get_default_graph()
        with tf.variable_scope("net"):
            w = tf.get_variable("w", [2, 2])
            y = tf.matmul(w, w)
        with tf.name_scope("summary"):
            tf.summary.scalar("loss", tf.reduce_sum(y))
        old = weakref.ref(g)
        del g, w, y
        tf.reset_default_graph()
        gc.collect()
        self.assertIsNone(old())
        self.assertIsNotNone(tf.get_default_graph())

    def testAnExplicitGraphIsFreedWhenDropped(self):
        g = tf.Graph()
        with g.as_default():
            tf.constant(1.0, name="c")
        old = weakref.ref(g)
        del g
        gc.collect()
        self.assertIsNone(old())

    def testTensorOutlivingItsGraphStillNamesIt(self):
        tf.reset_default_graph()
        x = tf.constant(1.0, name="x")
        tf.reset_default_graph()
        gc.collect()
        self.assertEqual(x.name, "x:0")
        self.assertEqual(x.graph.get_operation_by_name("x").name, "x")
        self.assertIsNot(x.graph, tf.get_default_graph())


if __name__ == "__main__":
    unittest.main()
