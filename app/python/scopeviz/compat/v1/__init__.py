"""TensorFlow 1.x's graph-mode API on the scopeviz engine.

Tutorial code runs unchanged except for its import::

    import scopeviz.compat.v1 as tf

Names, ``_1`` suffixes, reuse decisions and error texts are TensorFlow 1.15's
(they come from the C++ engine, which follows docs/scoping.md).
"""
import builtins as _builtins
import enum as _enum
import os as _os
import re as _re
import sys as _sys
import threading as _threading
import traceback as _traceback
import types as _types
import weakref as _weakref

_builtin_range = range

import numpy as _np

from scopeviz import _core
from scopeviz import _live_graph

# --------------------------------------------------------------------------- dtypes


class DType(object):
    """tf.DType: an element type (TensorFlow's DataType numbering)."""

    __slots__ = ("_enum",)

    def __init__(self, type_enum):
        self._enum = int(type_enum)

    @property
    def name(self):
        return _core.dtype_name(self._enum)

    @property
    def base_dtype(self):
        return DType(self._enum - 100) if self._enum > 100 else self

    @property
    def is_floating(self):
        return self.base_dtype._enum in (1, 2, 14, 19)

    @property
    def is_integer(self):
        return self.base_dtype._enum in (3, 4, 5, 6, 9, 17, 22, 23)

    @property
    def is_unsigned(self):
        return self.base_dtype._enum in (4, 17, 22, 23)

    @property
    def is_complex(self):
        return self.base_dtype._enum in (8, 18)

    @property
    def is_numpy_compatible(self):
        return self.base_dtype._enum not in (14, 20, 21)

    @property
    def real_dtype(self):
        return {8: float32, 18: float64}.get(self.base_dtype._enum, self.base_dtype)

    @property
    def is_quantized(self):
        return False

    @property
    def _is_ref_dtype(self):
        return self._enum > 100

    @property
    def _as_ref(self):
        return self if self._enum > 100 else DType(self._enum + 100)

    @property
    def size(self):
        return {1: 4, 2: 8, 3: 4, 4: 1, 5: 2, 6: 1, 7: 1, 8: 8, 9: 8, 10: 1, 14: 2, 17: 2, 18: 16, 19: 2, 22: 4,
                23: 8}.get(self.base_dtype._enum, 1)

    def _limit(self, which):
        if self.is_bool or self.base_dtype._enum in (7, 8, 18):
            raise TypeError("Cannot find %s value of %s." % ("minimum" if which == "min" else "maximum", self))
        if self.base_dtype._enum == 14:
            return float(-3.3895313892515355e+38 if which == "min" else 3.3895313892515355e+38)
        info = _np.finfo(self.as_numpy_dtype) if self.is_floating else _np.iinfo(self.as_numpy_dtype)
        return getattr(info, which)

    @property
    def min(self):
        return self._limit("min")

    @property
    def max(self):
        return self._limit("max")

    @property
    def is_bool(self):
        return self.base_dtype._enum == 10

    @property
    def as_numpy_dtype(self):
        return _ENUM_TO_NUMPY[self.base_dtype._enum]

    @property
    def as_datatype_enum(self):
        return self._enum

    def is_compatible_with(self, other):
        other = as_dtype(other)
        return self._enum in (other._enum, other.base_dtype._enum) or self.base_dtype._enum == other._enum

    def __eq__(self, other):
        if other is None:
            return False
        try:
            return self._enum == as_dtype(other)._enum
        except TypeError:
            return False

    def __ne__(self, other):
        return not self == other

    def __hash__(self):
        return self._enum

    def __repr__(self):
        return "tf." + self.name

    def __str__(self):
        return "<dtype: '%s'>" % self.name


float16 = half = DType(19)
float32 = DType(1)
float64 = double = DType(2)
int8 = DType(6)
int16 = DType(5)
int32 = DType(3)
int64 = DType(9)
uint8 = DType(4)
string = DType(7)
bool = DType(10)  # noqa: A001 (TensorFlow's name)
uint16 = DType(17)
uint32 = DType(22)
uint64 = DType(23)
bfloat16 = DType(14)
complex64 = DType(8)
complex128 = DType(18)
resource = DType(20)
variant = DType(21)
_ALL_DTYPES = (float16, float32, float64, bfloat16, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
               complex64, complex128, string, bool, resource, variant)
_ENUM_TO_NUMPY = {1: _np.float32, 2: _np.float64, 3: _np.int32, 4: _np.uint8, 5: _np.int16, 6: _np.int8,
                  7: _np.object_, 8: _np.complex64, 9: _np.int64, 10: _np.bool_, 14: _np.float32, 17: _np.uint16,
                  18: _np.complex128, 19: _np.float16, 22: _np.uint32, 23: _np.uint64}
_py_bool = __builtins__["bool"] if isinstance(__builtins__, dict) else __builtins__.bool

_NUMPY_TO_ENUM = {_np.dtype("float16"): 19, _np.dtype("float32"): 1, _np.dtype("float64"): 2,
                  _np.dtype("int8"): 6, _np.dtype("int16"): 5, _np.dtype("int32"): 3,
                  _np.dtype("int64"): 9, _np.dtype("uint8"): 4, _np.dtype("bool"): 10,
                  _np.dtype("uint16"): 17, _np.dtype("uint32"): 22, _np.dtype("uint64"): 23,
                  _np.dtype("complex64"): 8, _np.dtype("complex128"): 18, _np.dtype("object"): 7}


def as_dtype(type_value):
    """tf.as_dtype."""
    if isinstance(type_value, DType):
        return type_value
    if isinstance(type_value, int) and not isinstance(type_value, _py_bool):
        if type_value in [d._enum for d in _ALL_DTYPES] or type_value - 100 in [d._enum for d in _ALL_DTYPES]:
            return DType(type_value)
    if isinstance(type_value, str):
        for d in _ALL_DTYPES:
            if d.name == type_value:
                return d
            if d.name + "_ref" == type_value:
                return d._as_ref
        if type_value in ("float", "double", "half"):
            return {"float": float32, "double": float64, "half": float16}[type_value]
    if type_value is float:
        return float32
    if type_value is int:
        return int32
    if type_value is _py_bool:
        return bool
    if type_value is complex:
        return complex128
    if type_value in (_py_bytes, str):
        return string
    try:
        return DType(_NUMPY_TO_ENUM[_np.dtype(type_value)])
    except (TypeError, KeyError):
        pass
    raise TypeError("Cannot convert value %r to a TensorFlow DType." % (type_value,))


def _enum_or_none(dtype):
    return None if dtype is None else as_dtype(dtype)._enum


# --------------------------------------------------------------------------- shapes


class Dimension(object):
    """tf.Dimension: one (possibly unknown) dimension."""

    __slots__ = ("_value",)

    def __init__(self, value):
        self._value = None if value is None else int(value)

    @property
    def value(self):
        return self._value

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __eq__(self, other):
        other = other.value if isinstance(other, Dimension) else other
        if self._value is None or other is None:
            return None
        return self._value == other

    def __hash__(self):
        return hash(self._value)

    def __repr__(self):
        return "Dimension(%s)" % self._value

    def __str__(self):
        return "?" if self._value is None else str(self._value)


class TensorShape(object):
    """tf.TensorShape: a possibly partially known shape."""

    def __init__(self, dims):
        if dims is None:
            self._dims = None
        elif isinstance(dims, TensorShape):
            self._dims = None if dims._dims is None else list(dims._dims)
        else:
            self._dims = [None if d is None else int(d.value if isinstance(d, Dimension) else d) for d in dims]
            self._dims = [None if d is None else d for d in self._dims]

    @property
    def ndims(self):
        return None if self._dims is None else len(self._dims)

    @property
    def dims(self):
        return None if self._dims is None else [Dimension(d) for d in self._dims]

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d is not None for d in self._dims)

    def is_compatible_with(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(Dimension(d) for d in self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return Dimension(None) if not isinstance(key, _builtins.slice) else TensorShape(None)
        if isinstance(key, _builtins.slice):
            return TensorShape(self._dims[key])
        return Dimension(self._dims[key])

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        return not self == other

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        if len(self._dims) == 1:
            return "(%s,)" % ("?" if self._dims[0] is None else self._dims[0])
        return "(%s)" % ", ".join("?" if d is None else str(d) for d in self._dims)

    def __repr__(self):
        return "TensorShape(%s)" % (None if self._dims is None else [Dimension(d) for d in self._dims])


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def _shape_list(shape):
    """A shape argument as a list for the engine (None stays None)."""
    if shape is None:
        return None
    shape = as_shape(shape)
    return None if shape._dims is None else list(shape._dims)


# --------------------------------------------------------------------------- graphs


class GraphKeys(object):
    """tf.GraphKeys: standard collection names."""
    GLOBAL_VARIABLES = "variables"
    VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    REGULARIZATION_LOSSES = "regularization_losses"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    GLOBAL_STEP = "global_step"
    TRAIN_OP = "train_op"
    INIT_OP = "init_op"
    MODEL_VARIABLES = "model_variables"


class Graph(object):
    """tf.Graph."""

    def __init__(self, _core_graph=None):
        self._g = _core_graph if _core_graph is not None else _core.Graph()
        self._variables = {}
        self._scopes = {}
        self._python_collections = {}
        _graphs_by_core[id(self._g)] = self

    # -- naming
    def unique_name(self, name, mark_as_used=True):
        return self._g.unique_name(name, mark_as_used)

    def get_name_scope(self):
        return self._g.get_name_scope()

    def name_scope(self, name):
        """Graph.name_scope: "" or None resets to root, a trailing '/' re-enters absolutely."""
        return _GraphNameScope(self, name)

    def as_default(self):
        return _DefaultGraphContext(self)

    # -- ops and tensors
    @property
    def seed(self):
        return self._g.seed

    @seed.setter
    def seed(self, value):
        self._g.seed = value

    def get_operations(self):
        return [_core_op(self, i) for i in _builtin_range(self._g.num_ops)]

    # -- fetching and feeding (tf.cond and tf.while_loop mark their inner ops)
    def prevent_fetching(self, op):
        self.__dict__.setdefault("_unfetchable", set()).add(op._id)

    def is_fetchable(self, tensor_or_op):
        op = tensor_or_op.op if isinstance(tensor_or_op, Tensor) else tensor_or_op
        return op._id not in self.__dict__.get("_unfetchable", ())

    def prevent_feeding(self, tensor):
        self.__dict__.setdefault("_unfeedable", set()).add((tensor.op._id, tensor.value_index))

    def is_feedable(self, tensor):
        return (tensor.op._id, tensor.value_index) not in self.__dict__.get("_unfeedable", ())

    def get_operation_by_name(self, name):
        i = self._g.find_op(name)
        if i < 0:
            raise KeyError("The name %r refers to an Operation not in the graph." % (name,))
        return _core_op(self, i)

    def get_tensor_by_name(self, name):
        op_name, _, index = name.rpartition(":")
        if not op_name:
            raise ValueError("The name %r looks a like an Operation name, not a Tensor." % (name,))
        return self.get_operation_by_name(op_name).outputs[int(index)]

    def as_graph_element(self, obj):
        if isinstance(obj, str):
            return self.get_tensor_by_name(obj) if ":" in obj else self.get_operation_by_name(obj)
        return obj

    def create_op(self, op_type, inputs, dtypes=None, input_types=None, name=None, attrs=None):
        """Graph.create_op: with `dtypes`, the op's outputs are those (shapes unknown) and the type need
        not be registered; the name is uniquified under the name scope unless it ends in '/'."""
        if dtypes is not None:
            return self._g.create_op_outputs(op_type, name or op_type, [_t(i) for i in inputs], {},
                                             [(as_dtype(d)._enum, None) for d in dtypes], [])
        return self._g.create_op(op_type, name or "", [_t(i) for i in inputs], dict(attrs or {}))

    # -- collections
    def get_collection(self, name, scope=None):
        items = list(self._g.collection(name)) + list(self._python_collections.get(name, []))
        items = [self._wrap_item(i) for i in items]
        if scope is None:
            return items
        regex = _re.compile(scope)
        return [i for i in items if hasattr(i, "name") and regex.match(i.name)]

    def get_collection_ref(self, name):
        return self._python_collections.setdefault(name, [])

    def add_to_collection(self, name, value):
        if isinstance(value, Variable):
            self._g.add_variable_to_collection(name, value._v)
        elif isinstance(value, _core.Tensor):
            self._g.add_to_collection(name, value)
        else:
            self._python_collections.setdefault(name, []).append(value)

    def add_to_collections(self, names, value):
        for n in ([names] if isinstance(names, str) else names):
            self.add_to_collection(n, value)

    def get_all_collection_keys(self):
        return sorted(set(self._g.collection_keys()) | set(self._python_collections))

    def _wrap_item(self, item):
        if isinstance(item, _core._Variable):
            return _wrap_variable(self, item)
        return item

    def finalize(self):
        pass

    @property
    def _trace(self):
        return self._g.trace()


# Engine graph (by id of its wrapper, which the Python Graph holds) -> Python Graph.
# Weak: after reset_default_graph() an unreferenced graph is freed with its ops.
_graphs_by_core = _weakref.WeakValueDictionary()


class _GraphNameScope(object):
    def __init__(self, graph, name):
        self._graph, self._name = graph, name

    def __enter__(self):
        self._ns = _core.NameScope(self._graph._g, self._name or "", None, False, True)
        return self._ns.scope

    def __exit__(self, *exc):
        self._ns.close()
        return False


class _ThreadGraphs(_threading.local):
    def __init__(self):
        self.stack = []


_thread_graphs = _ThreadGraphs()
_global_default_graph = [None]


def get_default_graph():
    """tf.get_default_graph()."""
    if _thread_graphs.stack:
        return _thread_graphs.stack[-1]
    if _global_default_graph[0] is None:
        _global_default_graph[0] = Graph()
    return _global_default_graph[0]


def reset_default_graph():
    """tf.reset_default_graph()."""
    if _thread_graphs.stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you need a cleared "
                             "graph, exit the nesting and create a new graph.")
    _global_default_graph[0] = Graph()


class _DefaultGraphContext(object):
    def __init__(self, graph):
        self._graph = graph

    def __enter__(self):
        _thread_graphs.stack.append(self._graph)
        return self._graph

    def __exit__(self, *exc):
        # The graph this context pushed, wherever it now is (TF restores the outer default).
        stack = _thread_graphs.stack
        for i in _builtin_range(len(stack) - 1, -1, -1):
            if stack[i] is self._graph:
                del stack[i]
                break
        return False


def _graph_of(value):
    if isinstance(value, Variable):
        return _graphs_by_core.get(id(value._v.graph))
    if isinstance(value, (_core.Tensor, _core.Operation)):
        return value.graph  # already the Python Graph (see Tensor.graph below)
    return None


def _get_graph_from_inputs(values):
    graph = None
    first = None
    for v in values or []:
        g = _graph_of(v)
        if g is None:
            continue
        if graph is None:
            graph, first = g, v
        elif g is not graph:
            raise ValueError("%s must be from the same graph as %s." % (_describe(v), _describe(first)))
    return graph or get_default_graph()


def _describe(v):
    return "Tensor(\"%s\")" % v.name if hasattr(v, "name") else repr(v)


def _core_op(graph, op_id):
    return _core.op(graph._g, op_id)


def _py_graph(core_graph):
    g = _graphs_by_core.get(id(core_graph))
    if g is None or g._g is not core_graph:
        # The Python Graph was freed while an engine tensor or op kept its engine graph
        # alive: wrap that graph again (the Python-side variable and collection records are gone).
        g = Graph(core_graph)
    return g


# --------------------------------------------------------------------------- tensors and ops
# Tensors and Operations are engine objects; their Python-facing API is added here.

Tensor = _core.Tensor
Operation = _core.Operation


def _tensor_dtype(self):
    return DType(self._dtype_enum)


def _tensor_shape(self):
    return TensorShape(self._shape_list)


def _tensor_repr(self):
    return "<tf.Tensor '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)


Tensor.dtype = property(_tensor_dtype)
Tensor.shape = property(_tensor_shape)
Tensor.get_shape = _tensor_shape
Tensor.__repr__ = _tensor_repr
Tensor.__str__ = _tensor_repr
_core_tensor_graph = _core.Tensor.graph
Tensor.graph = property(lambda self: _py_graph(_core_tensor_graph.fget(self)))
_core_op_graph = _core.Operation.graph
Operation.graph = property(lambda self: _py_graph(_core_op_graph.fget(self)))
Operation.values = lambda self: tuple(self.outputs)
Operation.node_def = property(lambda self: None)


def _default_core_graph():
    """The engine graph of get_default_graph(); the engine calls it only when no argument names a graph."""
    return get_default_graph()._g


# Op creation is the hot path of graph building: the engine picks the graph from the
# arguments itself (TF's _get_graph_from_inputs, same error text) and builds the op in
# one call, so the Python side only unwraps Variables.
def _binop(which, reverse=False):
    if reverse:
        def f(self, other):
            return _core.binary_operator_auto(which, _t(other), self, _default_core_graph)
    else:
        def f(self, other):
            return _core.binary_operator_auto(which, self, _t(other), _default_core_graph)
    return f


def _matmul_op(reverse=False):
    def f(self, other):
        a, b = (other, self) if reverse else (self, other)
        return matmul(a, b)
    return f


for _cls in (Tensor,):
    _cls.__add__ = _binop("add")
    _cls.__radd__ = _binop("add", True)
    _cls.__sub__ = _binop("sub")
    _cls.__rsub__ = _binop("sub", True)
    _cls.__mul__ = _binop("mul")
    _cls.__rmul__ = _binop("mul", True)
    _cls.__truediv__ = _binop("truediv")
    _cls.__rtruediv__ = _binop("truediv", True)
    _cls.__matmul__ = _matmul_op()
    _cls.__rmatmul__ = _matmul_op(True)
    _cls.__neg__ = lambda self: negative(self)


def _t(value):
    """The engine-level value of an argument (Variables read through their snapshot)."""
    if isinstance(value, Variable):
        return value._v
    return value


# --------------------------------------------------------------------------- variables


class Variable(object):
    """tf.Variable (a TF1 reference variable)."""

    def __init__(self, initial_value=None, trainable=True, collections=None, validate_shape=True,
                 caching_device=None, name=None, variable_def=None, dtype=None, expected_shape=None,
                 import_scope=None, constraint=None, use_resource=None, synchronization=None,
                 aggregation=None, shape=None, _core_variable=None, _graph=None):
        if _core_variable is not None:
            self._v, self._graph = _core_variable, _graph
            return
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        self._graph = get_default_graph()
        if isinstance(initial_value, _Initializer):
            init, shp = initial_value._core, _shape_list(shape)
        elif callable(initial_value):
            init, shp = initial_value(), None
        else:
            init, shp = initial_value, None
        if isinstance(init, Variable):
            init = init.value()
        if isinstance(init, Tensor) and dtype is not None and as_dtype(dtype) != init.dtype.base_dtype:
            init = cast(init, dtype)
        self._v = _core.make_variable(self._graph._g, init, shp, _enum_or_none(dtype), name or "",
                                      _py_bool(trainable))
        self._graph._variables[self._v._index] = self

    @property
    def _info(self):
        return self._v._info

    @property
    def name(self):
        return self._info["op"].name + ":0"

    @property
    def op(self):
        return self._info["op"]

    @property
    def graph(self):
        return self._graph

    @property
    def dtype(self):
        return DType(self._info["dtype"] + 100)

    @property
    def shape(self):
        return TensorShape(self._info["shape"])

    def get_shape(self):
        return self.shape

    @property
    def initializer(self):
        return self._info["assign"]

    @property
    def initial_value(self):
        return self._info["initial_value"]

    @property
    def trainable(self):
        return self._info["trainable"]

    def value(self):
        return self._info["read"]

    def read_value(self):
        return self._info["read"]

    def _ref(self):
        return self._info["ref"]

    def eval(self, session=None):
        return (session or get_default_session()).run(self)

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return assign(self, value, use_locking=use_locking, name=name)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return assign_add(self, delta, use_locking=use_locking, name=name)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return assign_sub(self, delta, use_locking=use_locking, name=name)

    def load(self, value, session=None):
        (session or get_default_session()).run(self.initializer, {self.initial_value: value})

    def __repr__(self):
        return "<tf.Variable '%s' shape=%s dtype=%s>" % (self.name, self.shape, self.dtype.name)

    def __eq__(self, other):
        return isinstance(other, Variable) and self._v == other._v

    def __hash__(self):
        return hash(self._v)

    __add__ = lambda self, o: self.value() + o
    __radd__ = lambda self, o: o + self.value()
    __sub__ = lambda self, o: self.value() - o
    __rsub__ = lambda self, o: o - self.value()
    __mul__ = lambda self, o: self.value() * o
    __rmul__ = lambda self, o: o * self.value()
    __truediv__ = lambda self, o: self.value() / o
    __rtruediv__ = lambda self, o: o / self.value()
    __matmul__ = lambda self, o: matmul(self, o)
    __rmatmul__ = lambda self, o: matmul(o, self)
    __neg__ = lambda self: negative(self)


VariableV1 = RefVariable = Variable


def _wrap_variable(graph, core_variable):
    v = graph._variables.get(core_variable._index)
    if v is None:
        v = Variable(_core_variable=core_variable, _graph=graph)
        graph._variables[core_variable._index] = v
    return v


# --------------------------------------------------------------------------- initializers


class _Initializer(object):
    """Base of the tf.*_initializer classes: callable like TensorFlow's."""

    dtype = float32

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = as_dtype(dtype or self.dtype)
        g = get_default_graph()
        # Build through a throwaway variable-free path: the engine's initializer in the current scope.
        return _core.init_build(g._g, self._core, list(as_shape(shape).as_list()), dtype._enum)


class zeros_initializer(_Initializer):
    def __init__(self, dtype=float32):
        self.dtype, self._core = as_dtype(dtype), _core.init_zeros()


class ones_initializer(_Initializer):
    def __init__(self, dtype=float32):
        self.dtype, self._core = as_dtype(dtype), _core.init_ones()


class constant_initializer(_Initializer):
    def __init__(self, value=0, dtype=float32, verify_shape=False):
        self.value, self.dtype, self._core = value, as_dtype(dtype), _core.init_constant(value)


class truncated_normal_initializer(_Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)
        self._core = _core.init_truncated_normal(float(mean), float(stddev), seed)


class random_normal_initializer(_Initializer):
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=float32):
        self.mean, self.stddev, self.seed, self.dtype = mean, stddev, seed, as_dtype(dtype)
        self._core = _core.init_random_normal(float(mean), float(stddev), seed)


class random_uniform_initializer(_Initializer):
    def __init__(self, minval=0, maxval=None, seed=None, dtype=float32):
        maxval = 1.0 if maxval is None else maxval
        self.minval, self.maxval, self.seed, self.dtype = minval, maxval, seed, as_dtype(dtype)
        self._core = _core.init_random_uniform(float(minval), float(maxval), seed)


class glorot_uniform_initializer(_Initializer):
    def __init__(self, seed=None, dtype=float32):
        self.seed, self.dtype = seed, as_dtype(dtype)
        self._core = _core.init_glorot_uniform(seed)


initializers = _types.SimpleNamespace(
    zeros=zeros_initializer, ones=ones_initializer, constant=constant_initializer,
    truncated_normal=truncated_normal_initializer, random_normal=random_normal_initializer,
    random_uniform=random_uniform_initializer, glorot_uniform=glorot_uniform_initializer)
keras = _types.SimpleNamespace(initializers=initializers)


# --------------------------------------------------------------------------- scopes


class _ReuseMode(_enum.Enum):
    """Mode for variable access within a variable scope."""
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE
_REUSE_TO_CORE = {None: 0, False: 1, True: 2, AUTO_REUSE: 3}
_REUSE_FROM_CORE = {0: None, 1: False, 2: True, 3: AUTO_REUSE}


class VariableScope(object):
    """tf.VariableScope: what `with tf.variable_scope(...) as scope` yields."""

    def __init__(self, core_scope, graph):
        self._s, self._graph = core_scope, graph

    @property
    def name(self):
        return self._s.name

    @property
    def original_name_scope(self):
        return self._s.original_name_scope

    @property
    def reuse(self):
        return _REUSE_FROM_CORE[self._s.reuse]

    @property
    def dtype(self):
        return DType(self._s.dtype)

    @property
    def initializer(self):
        return getattr(self, "_py_initializer", None)

    def reuse_variables(self):
        self._s.reuse_variables()

    @property
    def regularizer(self):
        return getattr(self, "_regularizer", None)

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_initializer(self, initializer):
        self._py_initializer = initializer
        self._s.set_initializer(initializer._core if initializer is not None else None)

    def set_dtype(self, dtype):
        self._s.set_dtype(as_dtype(dtype)._enum)

    def get_variable(self, var_store, name, *args, **kwargs):
        with variable_scope(self):
            return get_variable(name, *args, **kwargs)

    def get_collection(self, name):
        scope = self.name + "/" if self.name else ""
        return self._graph.get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def __eq__(self, other):
        return isinstance(other, VariableScope) and self._s is other._s

    def __hash__(self):
        return id(self._s)

    def __repr__(self):
        return "<tf.VariableScope '%s'>" % self.name


def _wrap_scope(graph, core_scope):
    key = id(core_scope)
    entry = graph._scopes.get(key)
    if entry is None or entry._s is not core_scope:
        entry = VariableScope(core_scope, graph)
        graph._scopes[key] = entry
    return entry


def get_variable_scope():
    """tf.get_variable_scope(): the current VariableScope object."""
    g = get_default_graph()
    return _wrap_scope(g, _core.current_variable_scope(g._g))


_PACKAGE_MARK = "scopeviz" + _os.sep


def _caller_source(depth=3):
    """file:line of the innermost caller outside scopeviz (the `with` statement's line), then of up to
    depth-1 of its own callers, joined by ';': the trace's source field (core/io/trace_text.h)."""
    # Walks frames directly: traceback.extract_stack() reads source lines of the whole stack.
    frame = _sys._getframe(2)  # skip this function and __enter__
    frames = []
    while frame is not None and len(frames) < depth:
        filename = frame.f_code.co_filename
        if _PACKAGE_MARK not in filename:
            frames.append("%s:%d" % (filename, frame.f_lineno))
        frame = frame.f_back
    return ";".join(frames)


def _user_stack(limit):
    """traceback.format_list of the `limit` innermost caller frames outside scopeviz."""
    frames = []
    frame = _sys._getframe(2)  # skip this function and its caller (get_variable)
    while frame is not None and len(frames) < limit:
        if _PACKAGE_MARK not in frame.f_code.co_filename:
            frames.append((frame, frame.f_lineno))
        frame = frame.f_back
    return _traceback.StackSummary.extract(iter(frames)).format()


class variable_scope(object):
    """tf.variable_scope (TF 1.x semantics: docs/scoping.md §8)."""

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None, regularizer=None,
                 caching_device=None, partitioner=None, custom_getter=None, reuse=None, dtype=None,
                 use_resource=None, constraint=None, auxiliary_name_scope=True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if reuse is False:
            reuse = None  # False and None mean "inherit" since TF 1.1
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, _py_bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get {}".format(
                auxiliary_name_scope))
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError("Passed a custom_getter which is not callable: %s" % custom_getter)
        self._name_or_scope, self._default_name, self._values = name_or_scope, default_name, values
        self._initializer, self._reuse, self._dtype = initializer, reuse, dtype
        self._regularizer = regularizer
        self._aux = auxiliary_name_scope
        self._graph = _get_graph_from_inputs(values) if values else get_default_graph()

    def __enter__(self):
        nos = self._name_or_scope
        if nos is not None and not isinstance(nos, (str, VariableScope)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        core_nos = nos._s if isinstance(nos, VariableScope) else nos
        init = self._initializer._core if isinstance(self._initializer, _Initializer) else None
        outer = get_variable_scope() if self._graph is get_default_graph() else None
        self._vs = _core.VariableScope(self._graph._g, core_nos, self._default_name, _REUSE_TO_CORE[self._reuse],
                                       init, _enum_or_none(self._dtype), self._aux, _caller_source())
        scope = _wrap_scope(self._graph, self._vs.scope)
        # Regularizers live on the scope objects (TF's VariableScope): a new scope takes its parent's,
        # re-entering a scope object takes that object's; an explicit one overrides either.
        if self._regularizer is not None:
            scope._regularizer = self._regularizer
        elif isinstance(nos, VariableScope):
            scope._regularizer = nos.regularizer
        elif "_regularizer" not in scope.__dict__ and outer is not None:
            scope._regularizer = outer.regularizer
        if self._initializer is not None:
            scope._py_initializer = self._initializer
        elif isinstance(nos, VariableScope):
            scope._py_initializer = nos.initializer
        return scope

    def __exit__(self, *exc):
        self._vs.close()
        return False


variable_op_scope = variable_scope


class name_scope(object):
    """tf.name_scope (v1): name, default_name, values (docs/scoping.md §5)."""

    def __init__(self, name, default_name=None, values=None):
        if default_name is not None and not isinstance(default_name, str):
            raise TypeError("`default_name` type (%s) is not a string type. You likely meant to pass this into "
                            "the `values` kwarg." % type(default_name))
        self._name, self._default_name, self._values = name, default_name, values

    def __enter__(self):
        g = _get_graph_from_inputs(self._values) if self._values else get_default_graph()
        if self._name is None and self._default_name is None and self._values is not None:
            raise ValueError("At least one of name (None) and default_name (None) must be provided.")
        self._ns = _core.NameScope(g._g, self._name, self._default_name, self._values is not None,
                                   source=_caller_source())
        return self._ns.scope

    def __exit__(self, *exc):
        self._ns.close()
        return False


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None, trainable=None,
                 collections=None, caching_device=None, partitioner=None, validate_shape=True, use_resource=None,
                 custom_getter=None, constraint=None, synchronization=None, aggregation=None):
    """tf.get_variable (docs/scoping.md §9)."""
    g = get_default_graph()
    core_init, initial = None, None
    if initializer is None:
        scope_init = get_variable_scope().initializer
        if scope_init is not None and not isinstance(scope_init, _Initializer):
            initializer = scope_init  # a Tensor or value given to variable_scope(initializer=...)
    if isinstance(initializer, dict) or (initializer is not None and not callable(initializer) and
                                         not isinstance(initializer, (Tensor, Variable)) and
                                         _np.asarray(initializer).dtype == object and
                                         not isinstance(initializer, (str, _py_bytes))):
        raise TypeError("Failed to convert object of type %s to Tensor. Contents: %s. Consider casting elements to "
                        "a supported type." % (type(initializer), initializer))
    if isinstance(initializer, type) and issubclass(initializer, _Initializer):
        initializer = initializer()
    if isinstance(initializer, _Initializer):
        core_init = initializer._core
        if dtype is None and initializer.dtype is not None and initializer.dtype != float32:
            dtype = initializer.dtype
    elif initializer is not None and not callable(initializer):
        initial = _t(initializer)
    elif initializer is not None:
        if shape is not None and as_shape(shape).is_fully_defined():
            initial = initializer(_shape_list(shape), dtype=dtype if dtype is None else as_dtype(dtype),
                                  partition_info=None)
        elif _takes_no_required_args(initializer):
            initial = initializer()
        else:
            raise ValueError("The initializer passed is not valid. It should be a callable with no arguments and "
                             "the shape should not be provided or an instance of `tf.keras.initializers.*' and "
                             "`shape` should be fully defined.")
        if not isinstance(initial, (Tensor, Variable)):
            initial = _np.asarray(initial)
        initial = _t(initial)
        if shape is not None and not isinstance(initial, Tensor):
            shape = None
    defined_at = "".join(_user_stack(5))
    before = g._g.num_variables()
    with init_scope():  # variable_scope.py: the variable and its initializer ignore outer control dependencies
        core_var = _core.get_variable(g._g, name, _shape_list(shape), _enum_or_none(dtype), core_init, initial,
                                      trainable, collections, False, defined_at, _caller_source())
    v = _wrap_variable(g, core_var)
    if g._g.num_variables() != before:
        _regularize(g, v, regularizer if regularizer is not None else get_variable_scope().regularizer)
    return v


def _takes_no_required_args(fn):
    import inspect
    try:
        spec = inspect.getfullargspec(fn)
    except TypeError:
        return True
    args = list(spec.args)
    if inspect.ismethod(fn) or (not inspect.isfunction(fn) and hasattr(fn, "__call__") and args[:1] == ["self"]):
        args = args[1:]
    return len(args) == len(spec.defaults or ())


def _regularize(g, v, regularizer):
    """_VariableStore._get_single_variable: the regularizer's loss, made next to the new variable
    (colocated, in '<var>/Regularizer/', outside control dependencies), into REGULARIZATION_LOSSES."""
    if not regularizer:
        return
    with colocate_with(v.op):
        with name_scope(v.op.name + "/Regularizer/"):
            with init_scope():
                loss = regularizer(v)
    if loss is not None:
        if isinstance(loss, Variable):
            loss = loss.value()
        g.add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


def get_local_variable(name, shape=None, dtype=None, initializer=None, **kwargs):
    g = get_default_graph()
    core_init = initializer._core if isinstance(initializer, _Initializer) else None
    core_var = _core.get_variable(g._g, name, _shape_list(shape), _enum_or_none(dtype), core_init, None, False,
                                  kwargs.get("collections"), True, "", _caller_source())
    return _wrap_variable(g, core_var)


def get_collection(key, scope=None):
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    get_default_graph().add_to_collections(names, value)


def global_variables(scope=None):
    return get_collection(GraphKeys.GLOBAL_VARIABLES, scope)


all_variables = global_variables


def trainable_variables(scope=None):
    return get_collection(GraphKeys.TRAINABLE_VARIABLES, scope)


def local_variables(scope=None):
    return get_collection(GraphKeys.LOCAL_VARIABLES, scope)


def set_random_seed(seed):
    get_default_graph().seed = seed


# --------------------------------------------------------------------------- ops


def _g(*values):
    """The engine graph for an op's arguments (TF's _get_graph_from_inputs)."""
    return _core.graph_of_inputs([_t(v) for v in values], _default_core_graph)


def placeholder(dtype, shape=None, name=None):
    return _core.placeholder(get_default_graph()._g, as_dtype(dtype)._enum, _shape_list(shape), name or "")


def _check_literal(value, dtype):
    """make_tensor_proto's _AssertCompatible: a literal must fit the requested dtype's kind."""
    d = as_dtype(dtype).base_dtype
    for v in _flat_values(value):
        if isinstance(v, (Tensor, Variable)):
            return
        bad = False
        if d.is_integer:
            bad = isinstance(v, (float, complex, str, _py_bytes)) and not isinstance(v, _np.integer)
        elif d.is_floating:
            bad = isinstance(v, (complex, str, _py_bytes))
        elif d.is_bool:
            bad = not isinstance(v, (_py_bool, _np.bool_))
        elif d == string:
            bad = not isinstance(v, (str, _py_bytes))
        if bad:
            raise TypeError("Expected %s, got %r of type '%s' instead." % (d.name, v, type(v).__name__))


def _flat_values(value):
    if isinstance(value, (list, tuple)):
        for x in value:
            for y in _flat_values(x):
                yield y
    elif isinstance(value, _np.ndarray):
        return
    else:
        yield value


def constant(value, dtype=None, shape=None, name="Const", verify_shape=False):
    if dtype is not None:
        _check_literal(value, dtype)
    if verify_shape and shape is not None and list(_np.shape(value)) != list(shape):
        raise TypeError("Expected Tensor's shape: %s, got %s." % (tuple(shape), tuple(_np.shape(value))))
    return _core.constant(get_default_graph()._g, value, _enum_or_none(dtype), _shape_list(shape), name or "Const")


def _unary(op_type, arg="x"):
    def op(x, name=None):
        return _core.apply_unary(op_type, name or "", arg, _t(x), _default_core_graph)
    op.__name__ = op_type
    return op


def _binary(op_type):
    def op(x, y, name=None):
        return _core.apply_binary(op_type, name or "", _t(x), _t(y), _default_core_graph)
    op.__name__ = op_type
    return op


identity = _unary("Identity", "input")
square = _unary("Square")
negative = _unary("Neg")
neg = negative
exp = _unary("Exp")
log = _unary("Log")
sqrt = _unary("Sqrt")
abs = _unary("Abs")  # noqa: A001
sigmoid = _unary("Sigmoid")
tanh = _unary("Tanh")
add = _binary("Add")
multiply = _binary("Mul")
subtract = _binary("Sub")
maximum = _binary("Maximum")
minimum = _binary("Minimum")
equal = _binary("Equal")
greater = _binary("Greater")
squared_difference = _binary("SquaredDifference")
realdiv = _binary("RealDiv")


def divide(x, y, name=None):
    if name is not None:
        return _core.apply_op(_g(x, y), "RealDiv", name, [("x", _t(x)), ("y", _t(y))], {})
    return _core.binary_operator_auto("truediv", _t(x), _t(y), _default_core_graph)


truediv = divide


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False, a_is_sparse=False,
           b_is_sparse=False, name=None):
    return _core.matmul(_g(a, b), _t(a), _t(b), _py_bool(transpose_a or adjoint_a),
                        _py_bool(transpose_b or adjoint_b), name or "")


def reshape(tensor, shape, name=None):
    return _core.reshape(_g(tensor, shape), _t(tensor), shape if isinstance(shape, Tensor) else list(shape),
                         name or "")


def _reduce(which):
    def op(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None, keep_dims=None):
        axis = axis if axis is not None else reduction_indices
        keep = keepdims if keepdims is not None else keep_dims
        return _core.reduce(_g(input_tensor), which, _t(input_tensor), axis, _py_bool(keep), name or "")
    return op


reduce_mean = _reduce("mean")
reduce_sum = _reduce("sum")


def argmax(input, axis=None, name=None, dimension=None, output_type=int64):  # noqa: A002
    axis = axis if axis is not None else (dimension if dimension is not None else 0)
    return _core.argmax(_g(input), _t(input), int(axis), as_dtype(output_type)._enum, name or "")


arg_max = argmax


def cast(x, dtype, name=None):
    return _core.cast(_g(x), _t(x), as_dtype(dtype)._enum, name or "")


def to_float(x, name="ToFloat"):
    return cast(x, float32, name=name)


def shape(input, name=None, out_type=int32):  # noqa: A002
    return _core.shape_op(_g(input), _t(input), as_dtype(out_type)._enum, name or "")


def zeros(shape, dtype=float32, name=None):
    return constant(_np.zeros(shape), dtype=dtype, name=name or "zeros")


def ones(shape, dtype=float32, name=None):
    return constant(_np.ones(shape), dtype=dtype, name=name or "ones")


def no_op(name=None):
    return _core.no_op(get_default_graph()._g, name or "")


def group(*inputs, **kwargs):
    name = kwargs.get("name")
    ids = [i._id for i in inputs if i is not None]
    return _core.group(get_default_graph()._g, ids, name or "")


def global_variables_initializer():
    return _core.global_variables_initializer(get_default_graph()._g)


initialize_all_variables = global_variables_initializer


def _nn_relu(features, name=None):
    return _core.apply_op(_g(features), "Relu", name or "", [("features", _t(features))], {})


def _nn_softmax(logits, axis=None, name=None):
    return _core.apply_op(_g(logits), "Softmax", name or "", [("logits", _t(logits))], {})


def _nn_bias_add(value, bias, data_format=None, name=None):
    return _core.apply_op(_g(value, bias), "BiasAdd", name or "", [("value", _t(value)), ("bias", _t(bias))], {})


def _nn_sparse_xent(_sentinel=None, labels=None, logits=None, name=None):
    if _sentinel is not None:
        raise ValueError("Only call `sparse_softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    return _core.sparse_softmax_xent(_g(labels, logits), _t(labels), _t(logits), name or "")


def _nn_xent_v2(_sentinel=None, labels=None, logits=None, axis=-1, name=None, dim=None):
    return _nn_mod.softmax_cross_entropy_with_logits_v2(_sentinel, labels=labels, logits=logits, axis=axis, name=name,
                                                        dim=dim)


def _nn_xent_v1(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    return _nn_mod.softmax_cross_entropy_with_logits(_sentinel, labels=labels, logits=logits, dim=dim, name=name,
                                                     axis=axis)


nn = _types.SimpleNamespace(relu=_nn_relu, sigmoid=sigmoid, tanh=tanh, softmax=_nn_softmax, bias_add=_nn_bias_add,
                            sparse_softmax_cross_entropy_with_logits=_nn_sparse_xent,
                            softmax_cross_entropy_with_logits_v2=_nn_xent_v2,
                            softmax_cross_entropy_with_logits=_nn_xent_v1)
math = _types.SimpleNamespace(add=add, multiply=multiply, subtract=subtract, divide=divide, square=square,
                              reduce_mean=reduce_mean, reduce_sum=reduce_sum, argmax=argmax, equal=equal,
                              sigmoid=sigmoid, tanh=tanh, exp=exp, log=log, sqrt=sqrt, maximum=maximum)


# --------------------------------------------------------------------------- summaries


def _summary_scalar(name, tensor, collections=None, family=None):
    return _core.summary_scalar(_g(tensor), name, _t(tensor), collections, family)


def _summary_histogram(name, values, collections=None, family=None):
    return _core.summary_histogram(_g(values), name, _t(values), collections, family)


def _summary_image(name, tensor, max_outputs=3, collections=None, family=None):
    """tf.summary.image: uint8, float32/64 images [batch, height, width, 1|3|4]; tags name/image/N."""
    return _core.summary_image(_g(tensor), name, _t(tensor), int(max_outputs), collections, family)


def _summary_audio(name, tensor, sample_rate, max_outputs=3, collections=None, family=None):
    """tf.summary.audio: float32 clips [batch, frames(, channels)] in [-1, 1]; tags name/audio/N."""
    if isinstance(tensor, (list, tuple, _np.ndarray)):
        tensor = _np.asarray(tensor, dtype=_np.float32)  # the op's input is float32, as TF converts it
    if isinstance(sample_rate, (int, float, _np.number)):
        sample_rate = float(sample_rate)
    return _core.summary_audio(_g(tensor, sample_rate), name, _t(tensor), _t(sample_rate), int(max_outputs),
                               collections, family)


def _summary_text(name, tensor, collections=None):
    """tf.summary.text: a TensorSummaryV2 of a string Tensor with the text plugin's metadata."""
    if not isinstance(tensor, (Tensor, Variable)):
        raise AttributeError("'%s' object has no attribute 'dtype'" % type(tensor).__name__)
    return _core.summary_text(_g(tensor), name, _t(tensor), collections)


def _summary_merge(inputs, collections=None, name=None):
    return _core.summary_merge(_g(*inputs), list(inputs), collections, name or "")


def _summary_merge_all(key=GraphKeys.SUMMARIES, scope=None, name=None):
    return _core.summary_merge_all(get_default_graph()._g, key, scope, name or "")


summary = _types.SimpleNamespace(scalar=_summary_scalar, histogram=_summary_histogram, image=_summary_image,
                                 audio=_summary_audio, text=_summary_text, merge=_summary_merge,
                                 merge_all=_summary_merge_all)


# --------------------------------------------------------------------------- sessions


class _ThreadSessions(_threading.local):
    def __init__(self):
        self.stack = []


_thread_sessions = _ThreadSessions()


def get_default_session():
    """tf.get_default_session(): the innermost `with Session()` of this thread, or None."""
    return _thread_sessions.stack[-1] if _thread_sessions.stack else None


def _fetch_key(item, graph):
    """(kind, engine object) for one fetch: a tensor to fetch or an op to run."""
    if isinstance(item, str):
        item = graph.as_graph_element(item)
    if isinstance(item, Variable):
        return ("tensor", item.value())
    if isinstance(item, Tensor):
        return ("tensor", item)
    if isinstance(item, Operation):
        return ("op", item)
    raise TypeError("Fetch argument %r has invalid type %r, must be a string or Tensor. (Can not convert a %s "
                    "into a Tensor or Operation.)" % (item, type(item), type(item).__name__))


class Session(object):
    """tf.Session: runs the pruned subgraph its fetches need, on the CPU."""

    def __init__(self, target="", graph=None, config=None):
        self._graph = graph or get_default_graph()
        self._s = _core.Session(self._graph._g)
        self._closed = False

    @property
    def graph(self):
        return self._graph

    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        tensors, targets = [], []

        def collect(f):
            if isinstance(f, (list, tuple)) and not hasattr(f, "_fields"):
                return [collect(x) for x in f]
            if isinstance(f, tuple):  # namedtuple
                return [collect(x) for x in f]
            if isinstance(f, dict):
                return {k: collect(v) for k, v in f.items()}
            kind, obj = _fetch_key(f, self._graph)
            op = obj if kind == "op" else obj.op
            if not self._graph.is_fetchable(op):
                raise ValueError("Operation %r has been marked as not fetchable." % op.name)
            if kind == "op":
                targets.append(obj._id)
                return None
            tensors.append(obj)
            return len(tensors) - 1

        plan = collect(fetches)
        feeds = []
        for k, v in (feed_dict or {}).items():
            if isinstance(k, str):
                k = self._graph.as_graph_element(k)
            if isinstance(k, Variable):
                k = k.value()
            if not isinstance(k, Tensor):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                                "Python scalars, strings, lists, numpy ndarrays, or TensorHandles.")
            if not self._graph.is_feedable(k):
                raise ValueError("Tensor %s may not be fed." % k)
            if isinstance(v, (Tensor, Variable)):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable feed values include "
                                "Python scalars, strings, lists, numpy ndarrays, or TensorHandles. For reference, "
                                "the tensor object was %s which was passed to the feed with key %s." % (v, k))
            feeds.append((k, v))
        values = self._s.run(tensors, feeds, targets)

        def build(p, f):
            if isinstance(f, dict):
                return {k: build(p[k], f[k]) for k in f}
            if isinstance(f, (list, tuple)) and not isinstance(f, str):
                items = [build(pi, fi) for pi, fi in zip(p, f)]
                if hasattr(f, "_fields"):
                    return type(f)(*items)
                return type(f)(items) if isinstance(f, tuple) else items
            return None if p is None else values[p]

        return build(plan, fetches)

    def close(self):
        self._closed = True

    def as_default(self):
        return _DefaultSessionContext(self)

    def __enter__(self):
        _thread_sessions.stack.append(self)
        return self

    def __exit__(self, *exc):
        if _thread_sessions.stack and _thread_sessions.stack[-1] is self:
            _thread_sessions.stack.pop()
        self.close()
        return False


InteractiveSession = Session


class _DefaultSessionContext(object):
    def __init__(self, session):
        self._session = session

    def __enter__(self):
        _thread_sessions.stack.append(self._session)
        return self._session

    def __exit__(self, *exc):
        _thread_sessions.stack.pop()
        return False


def _tensor_eval(self, feed_dict=None, session=None):
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is registered. Use `with "
                         "sess.as_default()` or pass an explicit session to `eval(session=sess)`")
    return session.run(self, feed_dict)


def _op_run(self, feed_dict=None, session=None):
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot execute operation using `run()`: No default session is registered. Use `with "
                         "sess.as_default():` or pass an explicit session to `run(session=sess)`")
    session.run(self, feed_dict)


Tensor.eval = _tensor_eval
Operation.run = _op_run

errors = _types.SimpleNamespace(OpError=_core.OpError, InvalidArgumentError=_core.InvalidArgumentError,
                                FailedPreconditionError=_core.FailedPreconditionError,
                                CancelledError=_core.CancelledError)


# --------------------------------------------------------------------------- gradients and training


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False, gate_gradients=False,
              aggregation_method=None, stop_gradients=None, unconnected_gradients=None):
    """tf.gradients: gradient ops under TensorFlow's names (gradients/<op>_grad/...)."""
    ys = list(ys) if isinstance(ys, (list, tuple)) else [ys]
    xs_list = list(xs) if isinstance(xs, (list, tuple)) else [xs]
    g = _get_graph_from_inputs(ys + xs_list)
    ys = [y.value() if isinstance(y, Variable) else y for y in ys]
    if grad_ys is not None and not isinstance(grad_ys, (list, tuple)):
        grad_ys = [grad_ys]
    return _core.gradients(g._g, ys, [_t(x) for x in xs_list], grad_ys, name or "gradients")


class Optimizer(object):
    """Base of the tf.train optimizers."""

    GATE_NONE, GATE_OP, GATE_GRAPH = 0, 1, 2

    def _build(self, graph):
        raise NotImplementedError

    def _core_for(self, graph):
        if getattr(self, "_graph", None) is not graph:
            self._graph, self._opt = graph, self._build(graph)
        return self._opt

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None):
        g = _get_graph_from_inputs([loss])
        pairs = self._core_for(g).compute_gradients(loss, None if var_list is None else [_t(v) for v in var_list])
        return [(grad, _wrap_variable(g, var)) for grad, var in pairs]

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        grads_and_vars = list(grads_and_vars)
        g = _get_graph_from_inputs([v for _, v in grads_and_vars])
        pairs = [(grad, _t(var)) for grad, var in grads_and_vars]
        return self._core_for(g).apply_gradients(g._g, pairs, None if global_step is None else _t(global_step),
                                                 name or "")

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP, aggregation_method=None,
                 colocate_gradients_with_ops=False, name=None, grad_loss=None):
        g = _get_graph_from_inputs([loss])
        return self._core_for(g).minimize(loss, None if global_step is None else _t(global_step),
                                          None if var_list is None else [_t(v) for v in var_list], name or "")

    def get_slot(self, var, name):
        return None if getattr(self, "_opt", None) is None else self._wrap_slot(var, self._opt.get_slot(_t(var), name))

    def _wrap_slot(self, var, core_var):
        return None if core_var is None else _wrap_variable(var.graph, core_var)

    def get_slot_names(self):
        return [] if getattr(self, "_opt", None) is None else self._opt.get_slot_names()

    def get_name(self):
        return self._name


class GradientDescentOptimizer(Optimizer):
    def __init__(self, learning_rate, use_locking=False, name="GradientDescent"):
        self._lr, self._locking, self._name = learning_rate, use_locking, name

    def _build(self, graph):
        return _core.gradient_descent(graph._g, _t(self._lr), self._locking, self._name)


class MomentumOptimizer(Optimizer):
    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum", use_nesterov=False):
        self._lr, self._momentum, self._locking, self._name = learning_rate, momentum, use_locking, name
        self._nesterov = use_nesterov

    def _build(self, graph):
        return _core.momentum(graph._g, _t(self._lr), _t(self._momentum), self._locking, self._name, self._nesterov)


class AdamOptimizer(Optimizer):
    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08, use_locking=False, name="Adam"):
        self._lr, self._b1, self._b2, self._eps = learning_rate, beta1, beta2, epsilon
        self._locking, self._name = use_locking, name

    def _build(self, graph):
        return _core.adam(graph._g, _t(self._lr), float(self._b1), float(self._b2), float(self._eps), self._locking,
                          self._name)


def _get_or_create_global_step(graph=None):
    g = graph or get_default_graph()
    return _wrap_variable(g, _core.get_or_create_global_step(g._g))


def _get_global_step(graph=None):
    g = graph or get_default_graph()
    v = _core.get_global_step(g._g)
    return None if v is None else _wrap_variable(g, v)


train = _types.SimpleNamespace(
    Optimizer=Optimizer, GradientDescentOptimizer=GradientDescentOptimizer, MomentumOptimizer=MomentumOptimizer,
    AdamOptimizer=AdamOptimizer, get_or_create_global_step=_get_or_create_global_step,
    get_global_step=_get_global_step, create_global_step=_get_or_create_global_step)


# --------------------------------------------------------------------------- FileWriter


class FileWriter(object):
    """tf.summary.FileWriter: writes TensorBoard event files.

    Without a logdir it writes to $SCOPEVIZ_LOGDIR, the directory scopeviz follows
    when it runs the script; every logdir is announced to scopeviz so it can follow it live."""

    def __init__(self, logdir=None, graph=None, max_queue=10, flush_secs=120, graph_def=None, filename_suffix=None,
                 session=None):
        if logdir is None:
            logdir = _os.environ.get("SCOPEVIZ_LOGDIR")
            if not logdir:
                raise TypeError("__init__() missing 1 required positional argument: 'logdir'")
        self._logdir = _os.path.abspath(str(logdir))
        self._w = _core.EventWriter(self._logdir, filename_suffix or "")
        self._w.set_flush_secs(float(flush_secs))
        self._closed = False
        if _os.environ.get("SCOPEVIZ_ANNOUNCE"):
            _sys.stderr.write("\x1b[scopeviz] logdir=%s\n" % self._logdir)
            _sys.stderr.flush()
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        return self._logdir

    def _check(self):
        if self._closed:
            _sys.stderr.write("Attempting to use a closed FileWriter. The operation will be a noop unless the "
                              "FileWriter is explicitly reopened.\n")
            return False
        return True

    def add_summary(self, summary, global_step=None):
        if not self._check():
            return
        if hasattr(summary, "SerializeToString"):
            summary = summary.SerializeToString()
        if isinstance(summary, _np.ndarray):
            summary = summary.item()
        self._w.add_summary(_py_bytes(summary), int(global_step or 0))

    def add_graph(self, graph, global_step=None, graph_def=None):
        if not self._check():
            return
        if graph is not None and graph_def is not None:
            raise ValueError("Please pass only graph, or graph_def (deprecated), but not both.")
        if graph is not None:
            if not isinstance(graph, Graph):
                raise TypeError("The passed graph must be an instance of `Graph` or the deprecated `GraphDef`")
            self._w.add_graph(graph._g, int(global_step or 0))
        elif graph_def is not None:
            self._w.add_graph_def_bytes(_py_bytes(graph_def), int(global_step or 0))
        self._w.flush()

    def add_scalar(self, tag, value, global_step=None):
        if self._check():
            self._w.add_scalar(tag, float(value), int(global_step or 0))

    def flush(self):
        if not self._closed:
            self._w.flush()

    def close(self):
        if not self._closed:
            self._w.close()
            self._closed = True

    def reopen(self):
        if self._closed:
            self._w = _core.EventWriter(self._logdir, "")
            self._closed = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


_py_bytes = __builtins__["bytes"] if isinstance(__builtins__, dict) else __builtins__.bytes
summary.FileWriter = FileWriter


# --------------------------------------------------------------------------- the graph, handed to scopeviz


def _live_graphs():
    # valuerefs() copies the references in one step, so another thread may call this while graphs come and go.
    return [g for g in (r() for r in _graphs_by_core.valuerefs()) if g is not None]


# --------------------------------------------------------------------------- API areas in their own modules

from scopeviz.compat.v1 import _graph_ext  # noqa: E402
from scopeviz.compat.v1 import _array_ops  # noqa: E402
from scopeviz.compat.v1 import _nn as _nn_mod  # noqa: E402
from scopeviz.compat.v1 import _layers as _layers_mod  # noqa: E402
from scopeviz.compat.v1 import _control_flow  # noqa: E402
from scopeviz.compat.v1 import _train_saver  # noqa: E402

_graph_ext.install()
has_default_graph = _graph_ext.has_default_graph
control_dependencies = _graph_ext.control_dependencies
colocate_with = _graph_ext.colocate_with
init_scope = _graph_ext.init_scope
convert_to_tensor = _graph_ext.convert_to_tensor
for _name in ("concat", "stack", "pack", "unstack", "unpack", "split", "tile", "expand_dims", "squeeze", "transpose",
              "gather", "one_hot", "where", "range", "fill", "zeros_like", "ones_like", "random_normal",
              "truncated_normal", "random_uniform", "assign", "assign_add", "assign_sub", "less", "less_equal",
              "greater_equal", "not_equal", "pow", "mod", "floormod", "floordiv", "logical_and", "logical_or",
              "logical_not", "logical_xor", "div_no_nan", "rsqrt", "reciprocal", "floor", "ceil", "round", "sign", "sin", "cos", "stop_gradient"):
    globals()[_name] = getattr(_array_ops, _name)
add_n = _nn_mod.add_n
size = _nn_mod.size
rank = _nn_mod.rank
no_regularizer = _nn_mod.no_regularizer
cond = _control_flow.cond
while_loop = _control_flow.while_loop
make_template = _layers_mod.make_template
random = _types.SimpleNamespace(normal=random_normal, uniform=random_uniform, truncated_normal=truncated_normal,
                                set_random_seed=set_random_seed)
nn.conv2d = _nn_mod.conv2d
nn.max_pool = _nn_mod.max_pool
nn.avg_pool = _nn_mod.avg_pool
nn.dropout = _nn_mod.dropout
nn.l2_loss = _nn_mod.l2_loss
nn.embedding_lookup = _nn_mod.embedding_lookup
nn.batch_normalization = _layers_mod.batch_normalization_op
nn.moments = _layers_mod.moments
nn.sigmoid_cross_entropy_with_logits = getattr(nn, "sigmoid_cross_entropy_with_logits", None)
layers = _types.SimpleNamespace(
    Layer=_layers_mod.Layer, Dense=_layers_mod.Dense, Conv2D=_layers_mod.Conv2D,
    MaxPooling2D=_layers_mod.MaxPooling2D, AveragePooling2D=_layers_mod.AveragePooling2D,
    Dropout=_layers_mod.Dropout, Flatten=_layers_mod.Flatten, BatchNormalization=_layers_mod.BatchNormalization,
    dense=_layers_mod.dense, conv2d=_layers_mod.conv2d, max_pooling2d=_layers_mod.max_pooling2d,
    average_pooling2d=_layers_mod.average_pooling2d, dropout=_layers_mod.dropout, flatten=_layers_mod.flatten,
    batch_normalization=_layers_mod.batch_normalization)
losses = _types.SimpleNamespace(
    Reduction=_nn_mod.Reduction, compute_weighted_loss=_nn_mod.compute_weighted_loss,
    mean_squared_error=_nn_mod.mean_squared_error, absolute_difference=_nn_mod.absolute_difference,
    softmax_cross_entropy=_nn_mod.softmax_cross_entropy,
    sparse_softmax_cross_entropy=_nn_mod.sparse_softmax_cross_entropy, add_loss=_nn_mod.add_loss,
    get_losses=_nn_mod.get_losses, get_regularization_losses=_nn_mod.get_regularization_losses,
    get_regularization_loss=_nn_mod.get_regularization_loss, get_total_loss=_nn_mod.get_total_loss)
keras.regularizers = _types.SimpleNamespace(l1=_nn_mod.l1, l2=_nn_mod.l2, l1_l2=_nn_mod.l1_l2, L1L2=_nn_mod._L1L2)
train.Saver = _train_saver.Saver
train.latest_checkpoint = _train_saver.latest_checkpoint
train.export_meta_graph = _train_saver.export_meta_graph
train.import_meta_graph = _train_saver.import_meta_graph
export_meta_graph = _train_saver.export_meta_graph
import_meta_graph = _train_saver.import_meta_graph
math.pow = pow
math.less = less
math.logical_and = logical_and
math.logical_or = logical_or
math.logical_not = logical_not
math.logical_xor = logical_xor
math.div_no_nan = div_no_nan
slice = _array_ops.slice_  # noqa: A001  (tf.slice; the builtin stays reachable as _builtins.slice)
math.add_n = add_n
uint16, uint32, uint64 = uint16, uint32, uint64

_live_graph.start(_live_graphs, lambda: _global_default_graph[0])
