"""TensorFlow 1.x's "Sharing variables" guide: one image filter, two calls, one set of variables.

conv_relu creates "weights" and "biases" in whatever variable scope is open; my_image_filter
opens conv1/ and conv2/; the second call re-enters model/ with reuse=True, so it builds new ops
(under model_1/) on the same variables."""
import scopeviz.compat.v1 as tf


def conv_relu(input, kernel_shape, bias_shape):  # noqa: A002 (the guide's name)
    # Create variable named "weights".
    weights = tf.get_variable("weights", kernel_shape, initializer=tf.random_normal_initializer())
    # Create variable named "biases".
    biases = tf.get_variable("biases", bias_shape, initializer=tf.constant_initializer(0.0))
    conv = tf.nn.conv2d(input, weights, strides=[1, 1, 1, 1], padding="SAME")
    return tf.nn.relu(conv + biases)


def my_image_filter(input_images):
    with tf.variable_scope("conv1"):
        # Variables created here will be named "conv1/weights", "conv1/biases".
        relu1 = conv_relu(input_images, [5, 5, 32, 32], [32])
    with tf.variable_scope("conv2"):
        # Variables created here will be named "conv2/weights", "conv2/biases".
        return conv_relu(relu1, [5, 5, 32, 32], [32])


input1 = tf.random_normal([1, 10, 10, 32])
input2 = tf.random_normal([1, 20, 20, 32])

with tf.variable_scope("model"):
    output1 = my_image_filter(input1)
with tf.variable_scope("model", reuse=True):
    output2 = my_image_filter(input2)

# The guide's other ways to share: calling scope.reuse_variables(), and re-entering by scope object.
with tf.variable_scope("model2") as scope:
    output3 = my_image_filter(input1)
    scope.reuse_variables()
    output4 = my_image_filter(input2)

with tf.variable_scope("model3") as scope:
    output5 = my_image_filter(input1)
with tf.variable_scope(scope, reuse=True):
    output6 = my_image_filter(input2)

writer = tf.summary.FileWriter(graph=tf.get_default_graph()) if __import__("os").environ.get("SCOPEVIZ_LOGDIR") \
    else None
for v in tf.global_variables():
    print(v.name, v.shape)
for out in (output1, output2, output3, output4, output5, output6):
    print(out.name, out.shape)
if writer is not None:
    writer.close()
