"""TensorBoard's mnist_with_summaries tutorial (TensorFlow 1.x), on synthetic digits.

The graph is the tutorial's: input/x-input and input/y-input, an image
summary of the input under input_reshape, two dense layers layer1 and layer2
(weights and biases with mean/stddev/max/min scalars and a histogram under
"summaries", pre-activation and activation histograms), cross_entropy,
train (Adam) and accuracy, with train/ and test/ FileWriters: every tenth step
is a test step. Two summaries are added so that every kind is written: an
audio clip (a tone scaled by the accuracy) and a Markdown text.

Differences from the tutorial: the data are synthetic 28x28 "digits" (a bar
per class plus noise) instead of the MNIST download; the layers are smaller;
there is no dropout (scopeviz.compat.v1 has no tf.nn.dropout yet); and the
variables start from numpy values (tf.truncated_normal is not there either).
Max/min scalars are written when tf.reduce_max/reduce_min exist.

    /usr/bin/python3 resources/examples/mnist_with_summaries.py [LOGDIR]

writes LOGDIR/train and LOGDIR/test ($SCOPEVIZ_LOGDIR or ./logs by default).
EXAMPLE_STEPS sets the number of steps (default 30).
"""
import os
import sys

import numpy as np
import scopeviz.compat.v1 as tf

STEPS = int(os.environ.get("EXAMPLE_STEPS", "30"))
HIDDEN = 32
BATCH = 50
SIDE = 28
rng = np.random.RandomState(15)


def synthetic_digits(n):
    """n images [n, 784] in [0, 1]: class k is a bright bar at row 2 + 2k, plus noise."""
    labels = rng.randint(0, 10, size=n)
    images = rng.uniform(0.0, 0.3, size=(n, SIDE, SIDE)).astype(np.float32)
    for i, k in enumerate(labels):
        images[i, 2 + 2 * k:4 + 2 * k, 4:24] = 1.0
    return images.reshape(n, SIDE * SIDE), labels.astype(np.int64)


with tf.name_scope("input"):
    x = tf.placeholder(tf.float32, [None, SIDE * SIDE], name="x-input")
    y_ = tf.placeholder(tf.int64, [None], name="y-input")

with tf.name_scope("input_reshape"):
    image_shaped_input = tf.reshape(x, [-1, SIDE, SIDE, 1])
    tf.summary.image("input", image_shaped_input, 3)


def weight_variable(shape):
    initial = np.clip(rng.normal(0.0, 0.1, size=shape), -0.2, 0.2).astype(np.float32)
    return tf.Variable(initial)


def bias_variable(shape):
    return tf.Variable(np.full(shape, 0.1, dtype=np.float32))


def variable_summaries(var):
    """Mean, stddev, max, min and a histogram of a tensor, under 'summaries'."""
    with tf.name_scope("summaries"):
        mean = tf.reduce_mean(var)
        tf.summary.scalar("mean", mean)
        with tf.name_scope("stddev"):
            stddev = tf.sqrt(tf.reduce_mean(tf.square(var - mean)))
        tf.summary.scalar("stddev", stddev)
        if hasattr(tf, "reduce_max") and hasattr(tf, "reduce_min"):
            tf.summary.scalar("max", tf.reduce_max(var))
            tf.summary.scalar("min", tf.reduce_min(var))
        tf.summary.histogram("histogram", var)


def nn_layer(input_tensor, input_dim, output_dim, layer_name, act=tf.nn.relu):
    with tf.name_scope(layer_name):
        with tf.name_scope("weights"):
            weights = weight_variable([input_dim, output_dim])
            variable_summaries(weights)
        with tf.name_scope("biases"):
            biases = bias_variable([output_dim])
            variable_summaries(biases)
        with tf.name_scope("Wx_plus_b"):
            preactivate = tf.matmul(input_tensor, weights) + biases
            tf.summary.histogram("pre_activations", preactivate)
        activations = act(preactivate, name="activation")
        tf.summary.histogram("activations", activations)
        return activations


hidden1 = nn_layer(x, SIDE * SIDE, HIDDEN, "layer1")
y = nn_layer(hidden1, HIDDEN, 10, "layer2", act=tf.identity)

with tf.name_scope("cross_entropy"):
    diff = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y_, logits=y)
    with tf.name_scope("total"):
        cross_entropy = tf.reduce_mean(diff)
tf.summary.scalar("cross_entropy", cross_entropy)

with tf.name_scope("train"):
    train_step = tf.train.AdamOptimizer(0.01).minimize(cross_entropy)

with tf.name_scope("accuracy"):
    with tf.name_scope("correct_prediction"):
        correct_prediction = tf.equal(tf.argmax(y, 1), y_)
    with tf.name_scope("accuracy"):
        accuracy = tf.reduce_mean(tf.cast(correct_prediction, tf.float32))
tf.summary.scalar("accuracy", accuracy)

# Not in the tutorial: one audio clip and one text, so the log holds every kind.
with tf.name_scope("sound"):
    t = np.arange(800, dtype=np.float32) / 8000.0
    tone = tf.constant((0.5 * np.sin(2 * np.pi * 440.0 * t))[None, :].astype(np.float32), name="sine")
    tf.summary.audio("tone", tone * accuracy, 8000, max_outputs=1)
with tf.name_scope("notes"):
    tf.summary.text("about", tf.constant("**Synthetic** digits: a bar per class, 28x28, plus noise."))

merged = tf.summary.merge_all()

logdir = sys.argv[1] if len(sys.argv) > 1 else os.environ.get("SCOPEVIZ_LOGDIR", "logs")
test_xs, test_ys = synthetic_digits(200)
with tf.Session() as sess:
    train_writer = tf.summary.FileWriter(os.path.join(logdir, "train"), sess.graph)
    test_writer = tf.summary.FileWriter(os.path.join(logdir, "test"))
    sess.run(tf.global_variables_initializer())
    for i in range(STEPS):
        if i % 10 == 0:  # test-set accuracy
            summary, acc = sess.run([merged, accuracy], feed_dict={x: test_xs, y_: test_ys})
            test_writer.add_summary(summary, i)
            print("Accuracy at step %s: %s" % (i, acc))
        else:
            xs, ys = synthetic_digits(BATCH)
            summary, _ = sess.run([merged, train_step], feed_dict={x: xs, y_: ys})
            train_writer.add_summary(summary, i)
    train_writer.close()
    test_writer.close()
