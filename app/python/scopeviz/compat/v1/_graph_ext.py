"""Graph-level API of TensorFlow 1.15's ops.py beyond naming: control dependencies, colocation
groups (`_class: loc:@v`), init_scope, has_default_graph, convert_to_tensor and the Operation
and Tensor methods teaching code calls."""
import contextlib as _contextlib

from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import tf


def has_default_graph():
    """tf.get_default_graph() is the global graph unless a `with g.as_default()` is open."""
    return len(tf()._thread_graphs.stack) >= 1


def _as_op(x):
    t = tf()
    if isinstance(x, t.Variable):
        return x.op
    if isinstance(x, t.Tensor):
        return x.op
    if isinstance(x, t.Operation):
        return x
    raise TypeError("Can not convert a %s into a Tensor or Operation." % type(x).__name__)


@_contextlib.contextmanager
def _graph_control_dependencies(graph, control_inputs):
    """Graph.control_dependencies: None clears the outer ones; otherwise they accumulate."""
    g = graph._g
    saved = list(g._control_dependencies)
    if control_inputs is None:
        g._control_dependencies = []
    else:
        ids = list(saved)
        for c in control_inputs:
            if isinstance(c, (list, tuple)):
                raise TypeError("Control input must be Operation or Tensor: %s" % (c,))
            op = _as_op(c)
            if op.graph is not graph:
                raise ValueError("Control input must be from the same graph as the op: %s" % op.name)
            if op._id not in ids:
                ids.append(op._id)
        g._control_dependencies = ids
    try:
        yield
    finally:
        g._control_dependencies = saved


def control_dependencies(control_inputs):
    """tf.control_dependencies."""
    t = tf()
    if control_inputs:
        g = _u.graph_of(*[c.op if isinstance(c, t.Variable) else c for c in control_inputs
                          if isinstance(c, (t.Tensor, t.Variable))])
        if not any(isinstance(c, (t.Tensor, t.Variable)) for c in control_inputs):
            ops = [c for c in control_inputs if isinstance(c, t.Operation)]
            g = ops[0].graph if ops else t.get_default_graph()
    else:
        g = t.get_default_graph()
    return _graph_control_dependencies(g, control_inputs)


def colocation_groups(op):
    """Operation.colocation_groups(): the `loc:@` entries of `_class`, else [b"loc:@<own name>"]."""
    try:
        classes = op.get_attr("_class")
    except ValueError:
        classes = []
    groups = [c for c in classes if c.startswith(b"loc:@")]
    return groups if groups else [("loc:@%s" % op.name).encode()]


@_contextlib.contextmanager
def _graph_colocate_with(graph, op, ignore_existing=False):
    g = graph._g
    saved = g._colocation
    if op is None:
        if not ignore_existing:
            raise ValueError("Trying to reset colocation (op is None) but ignore_existing is not True")
        g._colocation = ""
    else:
        op = _as_op(op)
        g._colocation = colocation_groups(op)[0].decode()
    try:
        yield
    finally:
        g._colocation = saved


def colocate_with(op, ignore_existing=False):
    """tf.colocate_with (ops.colocate_with): new ops get `_class: loc:@<op's group>`."""
    t = tf()
    g = _as_op(op).graph if op is not None else t.get_default_graph()
    return _graph_colocate_with(g, op, ignore_existing)


@_contextlib.contextmanager
def init_scope():
    """tf.init_scope: outside control dependencies (graph mode: the outermost graph stays default)."""
    g = tf().get_default_graph()
    with _graph_control_dependencies(g, None):
        yield


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None, dtype_hint=None):
    return _u.convert_to_tensor(value, dtype=dtype, name=name, preferred_dtype=preferred_dtype or dtype_hint)


def _set_shape(tensor, shape):
    """Tensor.set_shape: merges; TF's text when incompatible (the engine keeps its own static shape)."""
    t = tf()
    if not tensor.shape.is_compatible_with(shape):
        raise ValueError("Dimensions %s and %s are not compatible" % (tensor.shape, t.as_shape(shape)))


def _consumers(tensor):
    g = tensor.graph
    return [op for op in g.get_operations() if any(i == tensor for i in op.inputs)]


def install():
    """Adds the methods above to Graph, Operation and Tensor."""
    t = tf()
    t.Graph.control_dependencies = lambda self, control_inputs: _graph_control_dependencies(self, control_inputs)
    t.Graph.colocate_with = lambda self, op, ignore_existing=False: _graph_colocate_with(self, op, ignore_existing)
    t.Operation.colocation_groups = colocation_groups
    t.Tensor.set_shape = _set_shape
    t.Tensor.consumers = _consumers
    t.Tensor.__lt__ = lambda self, other: t.less(self, other)
    t.Tensor.__le__ = lambda self, other: t.less_equal(self, other)
    t.Tensor.__gt__ = lambda self, other: t.greater(self, other)
    t.Tensor.__ge__ = lambda self, other: t.greater_equal(self, other)
    t.Tensor.__getitem__ = _slice_tensor
    t.Tensor.__pow__ = lambda self, other: t.pow(self, other)
    t.Tensor.__mod__ = lambda self, other: t.mod(self, other)
    t.Tensor.__floordiv__ = lambda self, other: t.floordiv(self, other)
    t.Tensor.__and__ = lambda self, other: t.logical_and(self, other)
    t.Tensor.__or__ = lambda self, other: t.logical_or(self, other)
    t.Tensor.__invert__ = lambda self: t.logical_not(self)
    t.Tensor.__abs__ = lambda self: t.abs(self)
    t.Tensor.__hash__ = t.Tensor.__hash__
    t.Tensor.__iter__ = _tensor_iter
    t.Tensor.__bool__ = _tensor_bool
    t.Tensor.__len__ = _tensor_len


def _tensor_iter(self):
    raise TypeError("Tensor objects are only iterable when eager execution is enabled. To iterate over this "
                    "tensor use tf.map_fn.")


def _tensor_bool(self):
    raise TypeError("Using a `tf.Tensor` as a Python `bool` is not allowed. Use `if t is not None:` instead of "
                    "`if t:` to test if a tensor is defined, and use TensorFlow ops such as tf.cond to execute "
                    "subgraphs conditioned on the value of a tensor.")


def _tensor_len(self):
    raise TypeError("len is not well defined for symbolic Tensors. (%s) Please call `x.shape` rather than "
                    "`len(x)` for shape information." % self.name)


def _slice_tensor(tensor, key):
    """Tensor.__getitem__: StridedSlice named "strided_slice" with its begin/end/strides Consts."""
    t = tf()
    import numpy as np
    if not isinstance(key, tuple):
        key = (key,)
    begin, end, strides = [], [], []
    begin_mask = end_mask = shrink = new_axis = ellipsis = 0
    for i, k in enumerate(key):
        if isinstance(k, slice):
            begin.append(0 if k.start is None else k.start)
            end.append(0 if k.stop is None else k.stop)
            strides.append(1 if k.step is None else k.step)
            if k.start is None:
                begin_mask |= 1 << i
            if k.stop is None:
                end_mask |= 1 << i
        elif k is Ellipsis:
            begin.append(0)
            end.append(0)
            strides.append(1)
            ellipsis |= 1 << i
        elif k is None:
            begin.append(0)
            end.append(0)
            strides.append(1)
            new_axis |= 1 << i
        else:
            begin.append(k)
            end.append(k + 1 if not _u.is_tensor_like(k) else k + 1)
            strides.append(1)
            shrink |= 1 << i
    s = _u.shape_of(tensor)

    def infer(op_name, ins):
        if s is None or ellipsis or new_axis:
            return [(ins[0].dtype.base_dtype, None)]
        out = []
        for i, d in enumerate(s):
            if i >= len(key):
                out.append(d)
                continue
            k = key[i]
            if shrink & (1 << i):
                continue
            if d is None or any(_u.is_tensor_like(x) for x in (k.start, k.stop, k.step)):
                out.append(None)
            else:
                out.append(len(__builtins__["range"](d)[k]) if isinstance(__builtins__, dict) else
                           len(__builtins__.range(d)[k]))
        return [(ins[0].dtype.base_dtype, out)]

    g = _u.graph_of(tensor)
    with g.as_default(), t.name_scope(None, "strided_slice", [tensor] + begin + end + strides) as scope:
        b = t.stack(begin, name="stack") if any(_u.is_tensor_like(x) for x in begin) else \
            t.constant(np.asarray(begin, np.int32), name="stack")
        e = t.stack(end, name="stack_1") if any(_u.is_tensor_like(x) for x in end) else \
            t.constant(np.asarray(end, np.int32), name="stack_1")
        st = t.constant(np.asarray(strides, np.int32), name="stack_2")
        op = _u.make_op("StridedSlice", scope, [("input", tensor, None), ("begin", b, None), ("end", e, None),
                                                ("strides", st, None)],
                        lambda ins: {"T": _u.T(ins[0].dtype), "Index": _u.T(ins[1].dtype),
                                     "begin_mask": ("int", begin_mask), "end_mask": ("int", end_mask),
                                     "ellipsis_mask": ("int", ellipsis), "new_axis_mask": ("int", new_axis),
                                     "shrink_axis_mask": ("int", shrink)}, infer)
        return op.outputs[0]
