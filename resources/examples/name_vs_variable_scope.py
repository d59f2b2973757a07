"""name_scope against variable_scope, for get_variable and for ordinary ops.

get_variable names come from the variable scope alone: a name_scope around it
changes nothing. Ordinary ops (and tf.Variable) take the name scope.
"""
import scopeviz.compat.v1 as tf

with tf.name_scope("ns"):
    v1 = tf.get_variable("v1", [1])        # v1:0  - name_scope ignored
    c1 = tf.constant(1.0, name="c1")        # ns/c1

with tf.variable_scope("vs"):
    v2 = tf.get_variable("v2", [1])        # vs/v2:0
    c2 = tf.constant(1.0, name="c2")        # vs/c2 - variable_scope opens a name scope too

with tf.variable_scope("vs", reuse=True):
    v2_again = tf.get_variable("v2", [1])  # the same variable
    c3 = tf.constant(1.0, name="c3")        # vs_1/c3 - a new name scope

with tf.variable_scope("vs"):
    with tf.name_scope("inner"):
        v3 = tf.get_variable("v3", [1])    # vs/v3:0
        t = tf.Variable(1.0, name="t")      # vs_2/inner/t:0 - tf.Variable follows the name scope

for obj in (v1, c1, v2, c2, v2_again, c3, v3, t):
    print("%-10s %s" % (type(obj).__name__, obj.name))
print("v2 is v2_again:", v2 is v2_again)
