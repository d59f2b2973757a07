"""Building ops whose shapes the Python layer infers, the way TensorFlow 1.15's generated
wrappers do: `with name_scope(name or OpType) as scope:`, literal arguments become Consts
named after the argument inside that scope, then the op is created under the scope's name.

Op types without a shape function in the engine (ConcatV2, Conv2D, Switch, ...) are built
here with their outputs given; a Session cannot run those that have no kernel and says so
("No OpKernel was registered to support Op 'Conv2D' ...")."""
import numbers as _numbers

import numpy as _np

from scopeviz import _core


def tf():
    """The compat.v1 module (imported lazily: it imports this one while it loads)."""
    from scopeviz.compat import v1
    return v1


def T(dtype):
    """A type attr."""
    return ("type", tf().as_dtype(dtype).base_dtype._enum)


def is_tensor_like(v):
    t = tf()
    return isinstance(v, (t.Tensor, t.Variable))


def graph_of(*values):
    """TF's _get_graph_from_inputs over the Tensors and Variables among values (nested lists too)."""
    flat = []

    def walk(v):
        if isinstance(v, (list, tuple)):
            for x in v:
                walk(x)
        elif is_tensor_like(v):
            flat.append(v)
    walk(list(values))
    return tf()._get_graph_from_inputs(flat)


def convert_to_tensor(value, dtype=None, name=None, preferred_dtype=None):
    """tf.convert_to_tensor: Tensors pass through (dtype checked), Variables read, literals become Consts."""
    t = tf()
    if isinstance(value, t.Variable):
        value = value.value()
    if isinstance(value, t.Tensor):
        if dtype is not None and not t.as_dtype(dtype).is_compatible_with(value.dtype.base_dtype):
            raise ValueError("Tensor conversion requested dtype %s for Tensor with dtype %s: %r"
                             % (t.as_dtype(dtype).name, value.dtype.base_dtype.name, value))
        return value
    if isinstance(value, (list, tuple)) and any(is_tensor_like(v) for v in _flatten(value)):
        return tf().stack(list(value), name=name or "packed")
    if dtype is None and preferred_dtype is not None:
        try:
            return t.constant(value, dtype=preferred_dtype, name=name or "Const")
        except (TypeError, ValueError):
            pass
    return t.constant(value, dtype=dtype, name=name or "Const")


def _flatten(v):
    if isinstance(v, (list, tuple)):
        for x in v:
            for y in _flatten(x):
                yield y
    else:
        yield v


def const_value(tensor):
    """The value of a tensor known at graph-building time (a Const, or the Shape of a fully known
    tensor), else None: what TF's constant_value() answers for shape functions."""
    t = tf()
    if isinstance(tensor, t.Variable) or not isinstance(tensor, t.Tensor):
        return None if isinstance(tensor, t.Variable) else _np.asarray(tensor)
    op = tensor.op
    if op.type == "Const":
        return _np.asarray(op.get_attr("value"))
    if op.type == "Shape":
        s = op.inputs[0].shape
        if s.is_fully_defined():
            return _np.asarray(s.as_list(), dtype=_np.int32)
    if op.type == "Pack":
        vals = [const_value(i) for i in op.inputs]
        if all(v is not None for v in vals):
            return _np.stack(vals)
    return None


def shape_of(tensor):
    """The static shape as a list (None entries unknown), or None for unknown rank."""
    s = tensor.shape
    return None if s.ndims is None else s.as_list()


def fail(op_name, op_type, inputs, message):
    """TF's shape-function error: "<message> for '<op>' (op: '<type>') with input shapes: [..], [..]."."""
    def fmt(t):
        s = shape_of(t)
        return "?" if s is None else "[" + ",".join("?" if d is None else str(d) for d in s) + "]"
    raise ValueError("%s for '%s' (op: '%s') with input shapes: %s." % (message, op_name, op_type,
                                                                        ", ".join(fmt(i) for i in inputs)))


def make_op(op_type, name, inputs, attrs, infer, graph=None, wrapper=True, control_inputs=()):
    """Creates one op as a generated wrapper does and returns the Operation.

    inputs: [(arg name, value, dtype or None)] in op order; a ListArg value is a list argument (N).
    attrs: {name: (kind, value)}, or a callable of the converted inputs returning that dict.
    infer: callable(op name, converted input tensors flat) -> [(DType, shape list or None)].
    """
    t = tf()
    g = graph or graph_of(*[v for _, v, _ in inputs])
    with g.as_default(), g.name_scope(name or op_type) as scope:
        flat = []
        for arg, value, dtype in inputs:
            if isinstance(value, ListArg):
                for k, v in enumerate(value):
                    flat.append(convert_to_tensor(v, dtype=dtype, name="%s_%d" % (arg, k)))
            else:
                flat.append(convert_to_tensor(value, dtype=dtype, name=arg))
        op_name = scope[:-1]
        outs = infer(op_name, flat)
        a = attrs(flat) if callable(attrs) else attrs
        return g._g.create_op_outputs(op_type, scope, [t._t(x) for x in flat], a,
                                      [(t.as_dtype(d)._enum, s) for d, s in outs],
                                      [c._id for c in control_inputs])


class ListArg(list):
    """A list argument of an op (N inputs: ConcatV2's values, Pack, AddN, Merge), not a list literal."""


def out(op, k=0):
    return op.outputs[k]


def ints_attr(values):
    return ("ints", [int(v) for v in values])


def is_real(v):
    return isinstance(v, _numbers.Real) and not isinstance(v, bool)
