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
SEED = int(os.environ.get("EXAMPLE_SEED", "7"))  # a different seed draws different batches

rng = np.random.RandomState(SEED)
centres = rng.randn(4, 16).astype(np.float32) * 0.7


def batch(n):
    y = rng.randint(0, 4, size=n)
    return centres[y] + rng.randn(n, 16).astype(np.float32), y.astype(np.int64)


x = tf.placeholder(tf.float32, [None, 16], name="x")
labels = tf.placeholder(tf.int64, [None], name="labels")
x_eval = tf.placeholder(tf.float32, [None, 16], name="x_eval")
labels_eval = tf.placeholder(tf.int64, [None], name="labels_eval")


def my_net(input, reuse):
    with tf.variable_scope("my_net", reuse=reuse):
        weights = tf.get_variable("weights", [input.shape[-1], 32], tf.float32,
                                  tf.truncated_normal_initializer(mean=0, stddev=0.1))
        biases = tf.get_variable("biases", [32], tf.float32, tf.constant_initializer(0.1))
        return tf.nn.relu(tf.matmul(input, weights) + biases)


def head(h, reuse):
    with tf.variable_scope("head", reuse=reuse):
        w = tf.get_variable("weights", [32, 4], initializer=tf.truncated_normal_initializer(stddev=0.1))
        b = tf.get_variable("biases", [4], initializer=tf.zeros_initializer())
        return tf.matmul(h, w) + b


# The training tower creates the variables; the eval tower (my_net_1, head_1) reuses them.
logits = head(my_net(x, reuse=False), reuse=False)
eval_logits = head(my_net(x_eval, reuse=True), reuse=True)


def accuracy_of(logits, labels):
    return tf.reduce_mean(tf.cast(tf.equal(tf.argmax(logits, 1), labels), tf.float32))


loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits))
accuracy = accuracy_of(logits, labels)
eval_accuracy = accuracy_of(eval_logits, labels_eval)

with tf.name_scope("summary"):
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("accuracy", accuracy)
    tf.summary.scalar("eval_accuracy", eval_accuracy)
    merged = tf.summary.merge_all()

global_step = tf.train.get_or_create_global_step()
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)

eval_xs, eval_ys = batch(512)
logdir = os.environ.get("SCOPEVIZ_LOGDIR", "logs")
with tf.Session() as sess, tf.summary.FileWriter(logdir, sess.graph) as writer:
    sess.run(tf.global_variables_initializer())
    for i in range(STEPS):
        xs, ys = batch(64)
        feed = {x: xs, labels: ys, x_eval: eval_xs, labels_eval: eval_ys}
        _, summary, step, acc = sess.run([train_op, merged, global_step, eval_accuracy], feed)
        writer.add_summary(summary, step)
        if i % 10 == 0:
            writer.flush()  # scopeviz shows each flush at once
        if i % 50 == 0:
            print("step %d eval accuracy %.3f" % (step, acc))
        if DELAY:
            time.sleep(DELAY)
    print("final eval accuracy %.3f" % acc)
