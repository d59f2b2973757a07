"""Python-level cost of building ops with scopeviz.compat.v1.

Builds about N ops with tf.add inside nested variable and name scopes (the
same workload as op_cost_workload() in python_bench.cpp does in C++) and
prints one line per figure, "<name> <value>", for scopeviz_bench_python:

    ops <number of ops created>
    python_op_cost_us <microseconds of CPU time per op>
    python_operator_cost_us <the same with `x + y` instead of tf.add>

Usage: python3 op_cost.py [N] [--profile]
"""
import cProfile
import pstats
import sys
import time

import scopeviz.compat.v1 as tf

OPS_PER_LEAF = 100


def build(target, use_operator=False):
    """Adds ops until the default graph holds `target` more; returns the number added."""
    g = tf.get_default_graph()
    x = tf.placeholder(tf.float32, [4], name="x")
    start = g._g.num_ops
    i = 0
    while g._g.num_ops - start < target:
        # Depth 4: two variable scopes (re-entered by string, so their name scopes
        # get _N suffixes) alternating with two name scopes.
        with tf.variable_scope("block%d" % (i % 4)):
            with tf.name_scope("layer"):
                with tf.variable_scope("unit%d" % (i % 2), reuse=tf.AUTO_REUSE):
                    with tf.name_scope("ops"):
                        y = x
                        if use_operator:
                            for _ in range(OPS_PER_LEAF):
                                y = y + x
                        else:
                            for _ in range(OPS_PER_LEAF):
                                y = tf.add(y, x)
        i += 1
    return g._g.num_ops - start


def measure(target, use_operator=False):
    tf.reset_default_graph()
    build(1000, use_operator)  # warm-up: imports, first-call caches
    tf.reset_default_graph()
    t0 = time.process_time()
    n = build(target, use_operator)
    t1 = time.process_time()
    return n, (t1 - t0) / n * 1e6


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    target = int(args[0]) if args else 100000
    if "--profile" in sys.argv:
        tf.reset_default_graph()
        profile = cProfile.Profile()
        profile.runcall(build, target)
        pstats.Stats(profile).sort_stats("tottime").print_stats(20)
        return
    n, us = measure(target)
    print("ops %d" % n)
    print("python_op_cost_us %.4f" % us)
    _, us_operator = measure(target, use_operator=True)
    print("python_operator_cost_us %.4f" % us_operator)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
