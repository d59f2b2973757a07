"""Logging loss and accuracy for TensorBoard (or scopeviz) while training.

The summaries sit under name_scope("summary"), so their tags are
summary/loss and summary/accuracy; merge_all() collects both into one op.
Run it inside scopeviz to watch the curves move:
    scopeviz resources/examples/summaries_training.py
Outside scopeviz it writes to ./logs (or $SCOPEVIZ_LOGDIR).
"""
import os
import time

import numpy as np
import scopeviz.compat.v1 as tf

STEPS = int(os.environ.get("EXAMPLE_STEPS", "400"))
DELAY = float(os.environ.get("EXAMPLE_DELAY", "0.02"))

rng = np.random.RandomState(7)
centres = rng.randn(4, 16).astype(np.float32) * 2.0


def batch(n):
    y = rng.randint(0, 4, size=n)
    return centres[y] + rng.randn(n, 16).astype(np.float32), y.astype(np.int64)


x = tf.placeholder(tf.float32, [None, 16], name="x")
labels = tf.placeholder(tf.int64, [None], name="labels")


def my_net(input, reuse):
    with tf.variable_scope("my_net", reuse=reuse):
        weights = tf.get_variable("weights", [input.shape[-1], 32], tf.float32,
                                  tf.truncated_normal_initializer(mean=0, stddev=0.1))
        biases = tf.get_variable("biases", [32], tf.float32, tf.constant_initializer(0.1))
        return tf.nn.relu(tf.matmul(input, weights) + biases)


with tf.variable_scope("head"):
    w = tf.get_variable("weights", [32, 4], initializer=tf.truncated_normal_initializer(stddev=0.1))
    b = tf.get_variable("biases", [4], initializer=tf.zeros_initializer())
    logits = tf.matmul(my_net(x, reuse=False), w) + b

loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))

with tf.name_scope("summary"):
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    merged = tf.summary.merge_all()

global_step = tf.train.get_or_create_global_step()
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)

logdir = os.environ.get("SCOPEVIZ_LOGDIR", "logs")
with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
    sess.run(tf.global_variables_initializer())
    for i in range(STEPS):
        xs, ys = batch(64)
        _, summary, step, acc = sess.run([train_op, merged, global_step, accuracy], {x: xs, labels: ys})
        writer.add_summary(summary, step)
        if i % 50 == 0:
            writer.flush()
            print("step %d accuracy %.3f" % (step, acc))
        if DELAY:
            time.sleep(DELAY)
    print("final accuracy %.3f" % acc)
