"""Calling one network function twice shares its variables.

my_net() creates `weights` and `biases` with get_variable inside
variable_scope("my_net", reuse=reuse). The first call creates them; the second
call, with reuse=True, finds the same variables. Its ops land in a new name
scope (my_net_1/), but they read my_net/weights and my_net/biases.
Open it with: scopeviz resources/examples/shared_network.py
"""
import numpy as np
import scopeviz.compat.v1 as tf


def my_net(input, reuse):
    with tf.variable_scope("my_net", reuse=reuse):
        weights = tf.get_variable("weights", [input.shape[-1], 16], tf.float32,
                                  tf.truncated_normal_initializer(mean=0, stddev=0.1))
        biases = tf.get_variable("biases", [16], tf.float32, tf.constant_initializer(0.1))
        output = tf.nn.relu(tf.matmul(input, weights) + biases)
    return output


left = tf.placeholder(tf.float32, [None, 8], name="left")
right = tf.placeholder(tf.float32, [None, 8], name="right")
out_left = my_net(left, reuse=False)
out_right = my_net(right, reuse=True)

print("variables:", [v.name for v in tf.global_variables()])
print("first call: ", out_left.name)
print("second call:", out_right.name)

tf.summary.FileWriter(graph=tf.get_default_graph()).close() if "SCOPEVIZ_LOGDIR" in __import__("os").environ else None

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    batch = np.ones((2, 8), np.float32)
    a, b = sess.run([out_left, out_right], {left: batch, right: batch})
    print("same input, same weights, same output:", bool(np.allclose(a, b)))
