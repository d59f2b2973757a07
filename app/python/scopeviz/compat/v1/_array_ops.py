"""Array ops, random ops and assignments of TensorFlow 1.15 (array_ops.py, random_ops.py,
state_ops.py): op names, shapes and error texts as TensorFlow builds them."""
import numpy as _np

from scopeviz import _core
from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import T, tf

_builtin_range = range


def _dims(shape):
    return None if shape is None else list(shape)


def _axis(axis, rank, what="axis"):
    if rank is None:
        return None
    a = int(axis)
    if a < -rank or a >= rank:
        raise ValueError("%s = %d not in [%d, %d)" % (what, a, -rank, rank))
    return a % rank


# --------------------------------------------------------------------------- concat / stack / split


def concat(values, axis, name="concat"):
    """tf.concat: ConcatV2 (Identity of the one value when there is only one)."""
    t = tf()
    if not isinstance(values, (list, tuple)):
        values = [values]
    if len(values) == 1:
        g = _u.graph_of(*values)
        with g.as_default(), t.name_scope(name) as scope:
            _u.convert_to_tensor(axis, name="concat_dim", dtype=t.int32)
            return t.identity(values[0], name=scope)

    def infer(op_name, ins):
        vals, ax = ins[:-1], _u.const_value(ins[-1])
        shapes = [_u.shape_of(v) for v in vals]
        dtype = vals[0].dtype.base_dtype
        for v in vals[1:]:
            if v.dtype.base_dtype != dtype:
                raise TypeError("Tensors in list passed to 'values' of 'ConcatV2' Op have types [%s] that don't "
                                "all match." % ", ".join(x.dtype.base_dtype.name for x in vals))
        known = [s for s in shapes if s is not None]
        if not known or ax is None:
            return [(dtype, None if not known else [None] * len(known[0]))]
        rank = len(known[0])
        a = int(ax)
        if a < -rank or a >= rank:
            _u.fail(op_name, "ConcatV2", ins, "Shape must be at least rank %d but is rank %d" % (a + 1 if a >= 0
                                                                                                else -a, rank))
        a %= rank
        result = list(known[0])
        result[a] = 0
        for s in shapes:
            if s is None:
                result[a] = None
                continue
            if len(s) != rank:
                _u.fail(op_name, "ConcatV2", ins, "Shape must be rank %d but is rank %d" % (rank, len(s)))
            for i in _builtin_range(rank):
                if i == a:
                    result[a] = None if (result[a] is None or s[i] is None) else result[a] + s[i]
                elif result[i] is None:
                    result[i] = s[i]
                elif s[i] is not None and s[i] != result[i]:
                    _u.fail(op_name, "ConcatV2", ins, "Dimension %d in both shapes must be equal, but are %d and %d. "
                            "Shapes are [%s] and [%s]." % (i, result[i], s[i], ",".join(map(str, known[0])),
                                                            ",".join(map(str, s))))
        return [(dtype, result)]

    n = len(values)
    op = _u.make_op("ConcatV2", name, [("values", _u.ListArg(list(values)), None), ("axis", axis, t.int32)],
                    lambda ins: {"N": ("int", n), "T": T(ins[0].dtype), "Tidx": T(ins[-1].dtype)}, infer)
    return op.outputs[0]


def stack(values, axis=0, name="stack"):
    """tf.stack: a Const for constant lists at axis 0, else Pack."""
    t = tf()
    if axis == 0 and not any(_u.is_tensor_like(v) for v in _u._flatten(values)):
        return t.constant(values, name=name)
    first = _u.convert_to_tensor(values[0], name=name) if not _u.is_tensor_like(values[0]) else values[0]
    shape0 = _u.shape_of(first)
    if shape0 is not None:
        expanded = len(shape0) + 1
        if axis < -expanded or axis >= expanded:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -expanded, expanded))

    def infer(op_name, ins):
        shape = None
        for i in ins:
            s = _u.shape_of(i)
            if s is None:
                continue
            if shape is None:
                shape = list(s)
            elif len(s) != len(shape):
                _u.fail(op_name, "Pack", ins, "Shapes must be equal rank, but are %d and %d" % (len(shape), len(s)))
            else:
                for k, (a, b) in enumerate(zip(shape, s)):
                    if a is not None and b is not None and a != b:
                        _u.fail(op_name, "Pack", ins, "Dimension %d in both shapes must be equal, but are %d and %d. "
                                "Shapes are [%s] and [%s]." % (k, a, b, ",".join(map(str, shape)),
                                                                ",".join(map(str, s))))
                    shape[k] = a if a is not None else b
        if shape is None:
            return [(ins[0].dtype.base_dtype, None)]
        a = axis % (len(shape) + 1)
        return [(ins[0].dtype.base_dtype, shape[:a] + [len(ins)] + shape[a:])]

    n = len(values)
    vals = [first] + list(values[1:])
    op = _u.make_op("Pack", name, [("values", _u.ListArg(vals), first.dtype.base_dtype)],
                    lambda ins: {"N": ("int", n), "T": T(ins[0].dtype), "axis": ("int", int(axis))}, infer)
    return op.outputs[0]


pack = stack


def unstack(value, num=None, axis=0, name="unstack"):
    """tf.unstack: Unpack with `num` outputs."""
    value = _u.convert_to_tensor(value) if not _u.is_tensor_like(value) else value
    shape = _u.shape_of(value)
    if num is None:
        if shape is None:
            raise ValueError("Cannot infer num from shape %s" % value.shape)
        a = axis % len(shape) if -len(shape) <= axis < len(shape) else None
        if a is None:
            raise ValueError("axis = %d not in [%d, %d)" % (axis, -len(shape), len(shape)))
        num = shape[a]
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % value.shape)

    def infer(op_name, ins):
        s = _u.shape_of(ins[0])
        if s is None:
            return [(ins[0].dtype.base_dtype, None)] * num
        a = axis % len(s)
        return [(ins[0].dtype.base_dtype, s[:a] + s[a + 1:])] * num

    op = _u.make_op("Unpack", name, [("value", value, None)],
                    lambda ins: {"num": ("int", int(num)), "T": T(ins[0].dtype), "axis": ("int", int(axis))}, infer)
    return list(op.outputs)


unpack = unstack


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """tf.split: Split (an int count) or SplitV (sizes)."""
    t = tf()
    value = _u.convert_to_tensor(value) if not _u.is_tensor_like(value) else value
    if isinstance(num_or_size_splits, int):
        n = num_or_size_splits

        def infer(op_name, ins):
            s, ax = _u.shape_of(ins[1]), _u.const_value(ins[0])
            if s is None or ax is None:
                return [(ins[1].dtype.base_dtype, None if s is None else [None] * len(s))] * n
            a = int(ax) % len(s)
            d = s[a]
            if d is not None and d % n != 0:
                _u.fail(op_name, "Split", ins, "Dimension size must be evenly divisible by %d but is %d" % (n, d))
            return [(ins[1].dtype.base_dtype, s[:a] + [None if d is None else d // n] + s[a + 1:])] * n

        op = _u.make_op("Split", name, [("split_dim", axis, t.int32), ("value", value, None)],
                        lambda ins: {"num_split": ("int", n), "T": T(ins[1].dtype)}, infer)
        return list(op.outputs)
    sizes = list(num_or_size_splits) if not _u.is_tensor_like(num_or_size_splits) else None
    if sizes is None:
        if num is None:
            raise ValueError("Cannot infer num from shape %s" % num_or_size_splits.shape)
        n = num
    else:
        n = len(sizes)

    def infer_v(op_name, ins):
        s = _u.shape_of(ins[0])
        ax = _u.const_value(ins[2])
        if s is None or ax is None or sizes is None:
            return [(ins[0].dtype.base_dtype, None if s is None else [None] * len(s))] * n
        a = int(ax) % len(s)
        total = s[a]
        known = [x for x in sizes if x != -1]
        if total is not None and -1 not in sizes and sum(sizes) != total:
            _u.fail(op_name, "SplitV", ins, "Determined shape must either match input shape along split_dim "
                    "exactly if fully specified, or be less than the size of the input along split_dim if not "
                    "fully specified.  Got: %d" % sum(sizes))
        outs = []
        for x in sizes:
            d = x if x != -1 else (None if total is None else total - sum(known))
            outs.append((ins[0].dtype.base_dtype, s[:a] + [d] + s[a + 1:]))
        return outs

    op = _u.make_op("SplitV", name, [("value", value, None), ("size_splits", num_or_size_splits, t.int32),
                                     ("split_dim", axis, t.int32)],
                    lambda ins: {"num_split": ("int", n), "T": T(ins[0].dtype), "Tlen": T(ins[1].dtype)}, infer_v)
    return list(op.outputs)


# --------------------------------------------------------------------------- shape manipulation


def tile(input, multiples, name=None):  # noqa: A002
    t = tf()

    def infer(op_name, ins):
        s, m = _u.shape_of(ins[0]), _u.const_value(ins[1])
        if s is None:
            return [(ins[0].dtype.base_dtype, None)]
        if m is None:
            return [(ins[0].dtype.base_dtype, [None] * len(s))]
        m = list(_np.asarray(m).reshape(-1))
        if len(m) != len(s):
            _u.fail(op_name, "Tile", ins, "Shape must be rank %d but is rank %d" % (1, 1) if False else
                    "Dimension must be %d but is %d" % (len(s), len(m)))
        return [(ins[0].dtype.base_dtype, [None if d is None else d * int(k) for d, k in zip(s, m)])]

    op = _u.make_op("Tile", name, [("input", input, None), ("multiples", multiples, t.int32)],
                    lambda ins: {"T": T(ins[0].dtype), "Tmultiples": T(ins[1].dtype)}, infer)
    return op.outputs[0]


def expand_dims(input, axis=None, name=None, dim=None):  # noqa: A002
    t = tf()
    if axis is None and dim is None:
        raise ValueError("Must specify an axis argument to tf.expand_dims()")
    if axis is not None and dim is not None:
        raise ValueError("Cannot specify both 'axis' and 'dim'")
    axis = axis if axis is not None else dim

    def infer(op_name, ins):
        s, a = _u.shape_of(ins[0]), _u.const_value(ins[1])
        if s is None or a is None:
            return [(ins[0].dtype.base_dtype, None)]
        a = int(_np.asarray(a).reshape(-1)[0])
        r = len(s)
        if a < -1 - r or a > r:
            _u.fail(op_name, "ExpandDims", ins, "dim %d not in the interval [%d, %d]." % (a, -1 - r, r))
        if a < 0:
            a += r + 1
        return [(ins[0].dtype.base_dtype, s[:a] + [1] + s[a:])]

    op = _u.make_op("ExpandDims", name, [("input", input, None), ("dim", axis, t.int32)],
                    lambda ins: {"T": T(ins[0].dtype), "Tdim": T(ins[1].dtype)}, infer)
    return op.outputs[0]


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    if axis is not None and squeeze_dims is not None:
        raise ValueError("Cannot specify both 'squeeze_dims' and 'axis'")
    axis = axis if axis is not None else squeeze_dims
    if isinstance(axis, int):
        axis = [axis]
    axis = list(axis or [])

    def infer(op_name, ins):
        s = _u.shape_of(ins[0])
        if s is None:
            return [(ins[0].dtype.base_dtype, None)]
        r = len(s)
        wanted = set()
        for a in axis:
            if a < -r or a >= r:
                _u.fail(op_name, "Squeeze", ins, "Tried to squeeze dim index %d for tensor with %d dimensions." % (a, r))
            wanted.add(a % r)
        result = []
        for i, d in enumerate(s):
            if (i in wanted) if wanted else d == 1:
                if d is not None and d != 1:
                    _u.fail(op_name, "Squeeze", ins, "Can not squeeze dim[%d], expected a dimension of 1, got %d"
                            % (i, d))
                continue
            if not wanted and d is None:
                return [(ins[0].dtype.base_dtype, None)]
            result.append(d)
        return [(ins[0].dtype.base_dtype, result)]

    op = _u.make_op("Squeeze", name, [("input", input, None)],
                    lambda ins: {"T": T(ins[0].dtype), "squeeze_dims": _u.ints_attr(axis)}, infer)
    return op.outputs[0]


def transpose(a, perm=None, name="transpose", conjugate=False):
    t = tf()
    g = _u.graph_of(a)
    with g.as_default(), t.name_scope(name, "transpose", [a]) as scope:
        if not _u.is_tensor_like(a):
            a = _u.convert_to_tensor(a, name="a")
        if perm is None:
            s = _u.shape_of(a)
            if s is None:
                raise NotImplementedError("tf.transpose of a tensor of unknown rank without perm")
            perm = list(_builtin_range(len(s) - 1, -1, -1))

        def infer(op_name, ins):
            s, p = _u.shape_of(ins[0]), _u.const_value(ins[1])
            if s is None or p is None:
                return [(ins[0].dtype.base_dtype, None if s is None else [None] * len(s))]
            p = [int(x) for x in _np.asarray(p).reshape(-1)]
            if len(p) != len(s):
                _u.fail(op_name, "Transpose", ins, "Dimension must be %d but is %d" % (len(s), len(p)))
            return [(ins[0].dtype.base_dtype, [s[k] for k in p])]

        op = _u.make_op("ConjugateTranspose" if conjugate else "Transpose", scope,
                        [("x", a, None), ("perm", _np.asarray(perm, dtype=_np.int32)
                                          if not _u.is_tensor_like(perm) else perm, t.int32)],
                        lambda ins: {"T": T(ins[0].dtype), "Tperm": T(ins[1].dtype)}, infer)
        return op.outputs[0]


def gather(params, indices, validate_indices=None, name=None, axis=None, batch_dims=0):
    t = tf()
    axis = 0 if axis is None else axis

    def infer(op_name, ins):
        p, i, a = _u.shape_of(ins[0]), _u.shape_of(ins[1]), _u.const_value(ins[2])
        if p is None or i is None or a is None:
            return [(ins[0].dtype.base_dtype, None)]
        a = int(a)
        if a < -len(p) or a >= len(p):
            _u.fail(op_name, "GatherV2", ins, "Shape must be at least rank %d but is rank %d" % (
                a + 1 if a >= 0 else -a, len(p)))
        a %= len(p)
        return [(ins[0].dtype.base_dtype, p[:a] + i + p[a + 1:])]

    op = _u.make_op("GatherV2", name, [("params", params, None), ("indices", indices, None), ("axis", axis, t.int32)],
                    lambda ins: {"Tparams": T(ins[0].dtype), "Tindices": T(ins[1].dtype), "Taxis": T(ins[2].dtype),
                                 "batch_dims": ("int", int(batch_dims))}, infer)
    return op.outputs[0]


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    t = tf()
    g = _u.graph_of(indices, depth, on_value, off_value)
    with g.as_default(), t.name_scope(name, "one_hot", [indices, depth, on_value, off_value, axis, dtype]) as scope:
        on_exists, off_exists = on_value is not None, off_value is not None
        on_dtype = _u.convert_to_tensor(on_value).dtype.base_dtype if on_exists and not _u.is_tensor_like(on_value) \
            else (on_value.dtype.base_dtype if on_exists else None)
        off_dtype = off_value.dtype.base_dtype if off_exists and _u.is_tensor_like(off_value) else None
        dtype = t.as_dtype(dtype) if dtype is not None else (on_dtype or off_dtype or t.float32)
        if not on_exists:
            on_value = _u.convert_to_tensor(True if dtype == t.bool else 1, dtype, name="on_value")
            on_dtype = dtype
        elif not _u.is_tensor_like(on_value):
            on_value = _u.convert_to_tensor(on_value, dtype, name="on_value")
        if not off_exists:
            off_value = _u.convert_to_tensor(False if dtype == t.bool else 0, dtype, name="off_value")
        elif not _u.is_tensor_like(off_value):
            off_value = _u.convert_to_tensor(off_value, dtype, name="off_value")
        if on_value.dtype.base_dtype != off_value.dtype.base_dtype:
            raise TypeError("dtype {0} of on_value does not match dtype {1} of off_value".format(
                on_value.dtype.base_dtype, off_value.dtype.base_dtype))
        ax = -1 if axis is None else int(axis)

        def infer(op_name, ins):
            s, d = _u.shape_of(ins[0]), _u.const_value(ins[1])
            if s is None:
                return [(ins[2].dtype.base_dtype, None)]
            d = None if d is None else int(d)
            a = len(s) if ax == -1 else ax
            return [(ins[2].dtype.base_dtype, s[:a] + [d] + s[a:])]

        op = _u.make_op("OneHot", scope, [("indices", indices, None), ("depth", depth, t.int32),
                                          ("on_value", on_value, None), ("off_value", off_value, None)],
                        lambda ins: {"T": T(ins[2].dtype), "TI": T(ins[0].dtype), "axis": ("int", ax)}, infer)
        return op.outputs[0]


def where(condition, x=None, y=None, name=None):
    t = tf()
    if x is None and y is None:
        g = _u.graph_of(condition)
        with g.as_default(), t.name_scope(name, "Where", [condition]) as scope:
            condition = _u.convert_to_tensor(condition, preferred_dtype=t.bool, name="condition")

            def infer(op_name, ins):
                s = _u.shape_of(ins[0])
                return [(t.int64, [None, None if s is None else len(s)])]

            op = _u.make_op("Where", scope, [("input", condition, None)], lambda ins: {"T": T(ins[0].dtype)}, infer)
            return op.outputs[0]
    if x is None or y is None:
        raise ValueError("x and y must both be non-None or both be None.")

    def infer_select(op_name, ins):
        if ins[1].dtype.base_dtype != ins[2].dtype.base_dtype:
            raise TypeError("Input 'e' of 'Select' Op has type %s that does not match type %s of argument 't'."
                            % (ins[2].dtype.base_dtype.name, ins[1].dtype.base_dtype.name))
        c, a, b = _u.shape_of(ins[0]), _u.shape_of(ins[1]), _u.shape_of(ins[2])
        if a is not None and b is not None:
            if len(a) != len(b) or any(p is not None and q is not None and p != q for p, q in zip(a, b)):
                _u.fail(op_name, "Select", ins, "Dimensions must be equal, but are %s and %s" % (
                    a[0] if a else 0, b[0] if b else 0) if len(a) == len(b) else
                    "Shapes must be equal rank, but are %d and %d" % (len(a), len(b)))
            merged = [p if p is not None else q for p, q in zip(a, b)]
        else:
            merged = a if a is not None else b
        return [(ins[1].dtype.base_dtype, merged)]

    op = _u.make_op("Select", name, [("condition", condition, t.bool), ("t", x, None), ("e", y, None)],
                    lambda ins: {"T": T(ins[1].dtype)}, infer_select)
    return op.outputs[0]


def range(start, limit=None, delta=1, dtype=None, name="range"):  # noqa: A001
    t = tf()
    if limit is None:
        start, limit = 0, start
    g = _u.graph_of(start, limit, delta)
    with g.as_default(), t.name_scope(name, "Range", [start, limit, delta]) as scope:
        start = _u.convert_to_tensor(start, dtype=dtype, name="start")
        limit = _u.convert_to_tensor(limit, dtype=dtype, name="limit")
        delta = _u.convert_to_tensor(delta, dtype=dtype, name="delta")
        if dtype is None:
            order = [t.int32, t.int64, t.float32, t.float64]
            inferred = max([x.dtype.base_dtype for x in (start, limit, delta)], key=order.index)
            start, limit, delta = [t.cast(x, inferred) for x in (start, limit, delta)]

        def infer(op_name, ins):
            s, l, d = [_u.const_value(x) for x in ins]
            if d is not None and float(d) == 0:
                _u.fail(op_name, "Range", ins, "Requires delta != 0")
            if s is None or l is None or d is None:
                return [(ins[0].dtype.base_dtype, [None])]
            n = int(_np.ceil((float(l) - float(s)) / float(d)))
            return [(ins[0].dtype.base_dtype, [max(n, 0)])]

        op = _u.make_op("Range", scope, [("start", start, None), ("limit", limit, None), ("delta", delta, None)],
                        lambda ins: {"Tidx": T(ins[0].dtype)}, infer)
        return op.outputs[0]


def fill(dims, value, name=None):
    t = tf()
    v = value if _u.is_tensor_like(value) else None
    if v is None:
        v_dtype = None
    return _core.apply_op(_u.graph_of(dims, value)._g, "Fill", name or "", [("dims", _u.convert_to_tensor(
        dims, dtype=t.int32, name="dims") if False else _fill_input(dims)), ("value", t._t(value))], {})


def _fill_input(dims):
    t = tf()
    if _u.is_tensor_like(dims):
        return t._t(dims)
    return _np.asarray(dims, dtype=_np.int32)


def zeros_like(tensor, dtype=None, name=None, optimize=True):
    return _like(tensor, dtype, name, optimize, 0, "zeros_like")


def ones_like(tensor, dtype=None, name=None, optimize=True):
    return _like(tensor, dtype, name, optimize, 1, "ones_like")


def _like(tensor, dtype, name, optimize, one, default_name):
    """zeros_like (a Const of the known shape, else ZerosLike) and ones_like (Shape, Const, Fill)."""
    t = tf()
    g = _u.graph_of(tensor)
    with g.as_default(), t.name_scope(name, default_name, [tensor]) as scope:
        tensor = _u.convert_to_tensor(tensor, name="tensor")
        dtype = t.as_dtype(dtype) if dtype is not None else tensor.dtype.base_dtype
        s = _u.shape_of(tensor)
        known = s is not None and all(d is not None for d in s)
        if one == 0:
            if optimize and known:
                return t.constant(_np.zeros(s), dtype=dtype, name=scope)
            if dtype != tensor.dtype.base_dtype:
                return _core.apply_op(g._g, "Fill", scope, [("dims", t._t(t.shape(tensor))), ("value", t._t(
                    t.constant(0, dtype=dtype)))], {})
            return _core.apply_op(g._g, "ZerosLike", scope, [("x", t._t(tensor))], {})
        shape = t.constant(s, dtype=t.int32, name="Shape") if optimize and known else t.shape(tensor)
        return _core.apply_op(g._g, "Fill", scope, [("dims", shape), ("value", t.constant(
            True if dtype == t.bool else one, dtype=dtype))], {})


# --------------------------------------------------------------------------- random


def _random(which, default_name):
    def op(shape, a=0.0, b=1.0, dtype=None, seed=None, name=None):
        t = tf()
        dtype = t.as_dtype(dtype or t.float32)
        if which == "uniform" and b is None:
            if dtype.is_floating:
                b = 1
            else:
                raise ValueError("Must specify maxval for integer dtype %r" % dtype)
        if _u.is_tensor_like(shape) or any(_u.is_tensor_like(x) for x in (a, b)):
            return _random_dynamic(which, default_name, shape, a, b, dtype, seed, name)
        return _core.random_op(t.get_default_graph()._g, which, [int(d) for d in shape], float(a), float(b),
                               dtype._enum, seed, name or "")
    return op


_random_normal = _random("normal", "random_normal")
_truncated_normal = _random("truncated", "truncated_normal")
_random_uniform = _random("uniform", "random_uniform")


def random_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
    return _random_normal(shape, mean, stddev, dtype, seed, name)


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=None, seed=None, name=None):
    return _truncated_normal(shape, mean, stddev, dtype, seed, name)


def random_uniform(shape, minval=0, maxval=None, dtype=None, seed=None, name=None):
    return _random_uniform(shape, minval, maxval, dtype, seed, name)


def _random_dynamic(which, default_name, shape, a, b, dtype, seed, name):
    """The composites of random_ops.py when the shape or a parameter is a Tensor."""
    t = tf()
    g = _u.graph_of(shape, a, b)
    with g.as_default(), t.name_scope(name, default_name, [shape, a, b]) as scope:
        shape_t = shape if _u.is_tensor_like(shape) else t.constant(list(shape), dtype=t.int32, name="shape")
        names = ("min", "max") if which == "uniform" else ("mean", "stddev")
        a_t = _u.convert_to_tensor(a, dtype=dtype, name=names[0])
        b_t = _u.convert_to_tensor(b, dtype=dtype, name=names[1])
        seed1, seed2 = _core.random_seeds(g._g, seed)
        kind = {"normal": "RandomStandardNormal", "truncated": "TruncatedNormal", "uniform": "RandomUniform"}[which]
        rnd = _core.apply_op(g._g, kind, "", [("shape", t._t(shape_t))],
                             {"dtype": dtype._enum, "seed": int(seed1), "seed2": int(seed2)})
        if which == "uniform":
            return t.add(rnd * (b_t - a_t), a_t, name=scope)
        return t.add(rnd * b_t, a_t, name=scope)


# --------------------------------------------------------------------------- assignments


def _assign_op(op_type, default_locking):
    def op(ref, value, use_locking=None, name=None, validate_shape=None):
        t = tf()
        if not isinstance(ref, t.Variable) and not (isinstance(ref, t.Tensor) and ref.dtype._enum > 100):
            raise TypeError("'%s' Op requires that input 'ref' be a mutable tensor (e.g.: a tf.Variable)"
                            % op_type)
        r = ref._ref() if isinstance(ref, t.Variable) else ref
        attrs = {"use_locking": bool(default_locking if use_locking is None else use_locking)}
        if op_type == "Assign" and validate_shape is not None:
            attrs["validate_shape"] = bool(validate_shape)
        return _core.apply_op(r.graph._g, op_type, name or "", [("ref", r), ("value", t._t(value))], attrs)
    op.__name__ = op_type
    return op


assign = _assign_op("Assign", True)
assign_add = _assign_op("AssignAdd", False)
assign_sub = _assign_op("AssignSub", False)


# --------------------------------------------------------------------------- element-wise ops without an engine shape function


def _broadcast(op_type, out_dtype=None):
    def infer(op_name, ins):
        a, b = _u.shape_of(ins[0]), _u.shape_of(ins[1])
        if ins[0].dtype.base_dtype != ins[1].dtype.base_dtype:
            raise TypeError("Input 'y' of '%s' Op has type %s that does not match type %s of argument 'x'."
                            % (op_type, ins[1].dtype.base_dtype.name, ins[0].dtype.base_dtype.name))
        dtype = out_dtype or ins[0].dtype.base_dtype
        if a is None or b is None:
            return [(dtype, None)]
        r = max(len(a), len(b))
        a, b = [1] * (r - len(a)) + a, [1] * (r - len(b)) + b
        out = []
        for x, y in zip(a, b):
            if x == 1:
                out.append(y)
            elif y == 1:
                out.append(x)
            elif x is None or y is None:
                out.append(x if y is None else y)
            elif x != y:
                _u.fail(op_name, op_type, ins, "Dimensions must be equal, but are %d and %d" % (x, y))
            else:
                out.append(x)
        return [(dtype, out)]
    return infer


def _binary_generic(op_type, out_bool=False, default_name=None):
    def op(x, y, name=None):
        t = tf()
        first = x if _u.is_tensor_like(x) else (y if _u.is_tensor_like(y) else None)
        dtype = first.dtype.base_dtype if first is not None else None
        r = _u.make_op(op_type, name or default_name, [("x", x, dtype), ("y", y, dtype)],
                       lambda ins: {"T": T(ins[0].dtype)}, _broadcast(op_type, t.bool if out_bool else None))
        return r.outputs[0]
    op.__name__ = op_type
    return op


less = _binary_generic("Less", True)
less_equal = _binary_generic("LessEqual", True)
greater_equal = _binary_generic("GreaterEqual", True)
not_equal = _binary_generic("NotEqual", True)
pow = _binary_generic("Pow")  # noqa: A001
floormod = mod = _binary_generic("FloorMod")
floordiv = _binary_generic("FloorDiv")


def slice_(input_, begin, size, name=None):
    """tf.slice: Slice (scope "Slice"; a begin or size list holding Tensors is packed as Slice/begin, Slice/size)."""
    t = tf()

    def infer(op_name, ins):
        shape = _u.shape_of(ins[0])
        b, z = _u.const_value(ins[1]), _u.const_value(ins[2])
        n = _u.shape_of(ins[2])
        rank = len(shape) if shape is not None else (n[0] if n else None)
        if z is None:
            return [(ins[0].dtype.base_dtype, None if rank is None else [None] * rank)]
        dims = []
        for k, d in enumerate(_np.asarray(z).reshape(-1).tolist()):
            if d != -1:
                dims.append(int(d))
            else:
                known = shape is not None and shape[k] is not None and b is not None
                dims.append(shape[k] - int(_np.asarray(b).reshape(-1)[k]) if known else None)
        return [(ins[0].dtype.base_dtype, dims)]
    return _u.make_op("Slice", name or "Slice", [("input", input_, None), ("begin", begin, t.int32),
                                                 ("size", size, t.int32)],
                      lambda ins: {"T": T(ins[0].dtype), "Index": T(ins[1].dtype)}, infer).outputs[0]


def reshape_to(tensor, shape, static_shape, name="Reshape"):
    """array_ops.reshape(tensor, shape) whose result TF then gives `static_shape` with set_shape (a shape
    computed at run time, e.g. by _flatten_outer_dims): the Reshape op built with that static shape."""
    return _u.make_op("Reshape", name, [("tensor", tensor, None), ("shape", shape, None)],
                      lambda ins: {"T": T(ins[0].dtype), "Tshape": T(ins[1].dtype)},
                      lambda n, ins: [(ins[0].dtype.base_dtype, static_shape)]).outputs[0]


def div_no_nan(x, y, name=None):
    """tf.math.div_no_nan (TF 1.15 math_ops): DivNoNan named after its scope "div_no_nan"; 0 where y is 0."""
    t = tf()
    g = _u.graph_of(x, y)
    with g.as_default(), t.name_scope(name, "div_no_nan", [x, y]) as scope:
        x = _u.convert_to_tensor(x, name="x")
        y = _u.convert_to_tensor(y, name="y", dtype=x.dtype.base_dtype)
        return _u.make_op("DivNoNan", scope, [("x", x, None), ("y", y, None)], lambda ins: {"T": T(ins[0].dtype)},
                          _broadcast("DivNoNan")).outputs[0]


def _logical(op_type):
    def op(x, y, name=None):
        t = tf()
        r = _u.make_op(op_type, name, [("x", x, t.bool), ("y", y, t.bool)], {}, _broadcast(op_type))
        return r.outputs[0]
    return op


logical_and = _logical("LogicalAnd")
logical_or = _logical("LogicalOr")


def logical_xor(x, y, name="LogicalXor"):
    """tf.math.logical_xor as TF 1.15's math_ops builds it: (x | y) & ~(x & y) under LogicalXor/."""
    return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


def logical_not(x, name=None):
    t = tf()
    return _u.make_op("LogicalNot", name, [("x", x, t.bool)], {},
                      lambda n, ins: [(t.bool, _u.shape_of(ins[0]))]).outputs[0]


def _unary_generic(op_type):
    def op(x, name=None):
        return _u.make_op(op_type, name, [("x", x, None)], lambda ins: {"T": T(ins[0].dtype)},
                          lambda n, ins: [(ins[0].dtype.base_dtype, _u.shape_of(ins[0]))]).outputs[0]
    op.__name__ = op_type
    return op


rsqrt = _unary_generic("Rsqrt")
reciprocal = _unary_generic("Reciprocal")
floor = _unary_generic("Floor")
ceil = _unary_generic("Ceil")
round = _unary_generic("Round")  # noqa: A001
sign = _unary_generic("Sign")
sin = _unary_generic("Sin")
cos = _unary_generic("Cos")
stop_gradient = _unary_generic("StopGradient")
