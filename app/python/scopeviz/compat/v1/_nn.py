"""tf.nn (conv2d, pools, dropout, l2_loss, embedding_lookup), tf.losses and the regularizers,
with TensorFlow 1.15's op names (nn_ops.py, embedding_ops.py, losses_impl.py)."""
import math as _math
import numbers as _numbers

import numpy as _np

from scopeviz import _core
from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import T, tf


def _four(v, name):
    if isinstance(v, int):
        return [1, v, v, 1]
    v = list(v)
    if len(v) == 1:
        return [1, v[0], v[0], 1]
    if len(v) == 2:
        return [1, v[0], v[1], 1]
    if len(v) != 4:
        raise ValueError("%s should be of length 1, 2 or 4. Received: %s of length %d" % (name, v, len(v)))
    return v


def _window_out(size, k, stride, padding, dilation=1):
    if size is None:
        return None
    if padding == "SAME":
        return -(-size // stride)
    eff = (k - 1) * dilation + 1
    return max(-(-(size - eff + 1) // stride), 0)


def _check_padding(padding, op_type):
    if padding not in ("SAME", "VALID"):
        raise ValueError("Value for attr 'padding' of \"%s\" is not in the list of allowed values: \"SAME\", "
                         "\"VALID\"\n\t; NodeDef: {{node %s}}; Op<name=%s>" % (padding, op_type, op_type))


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True, data_format="NHWC",  # noqa: A002
           dilations=(1, 1, 1, 1), name=None, filters=None):
    """tf.nn.conv2d: Conv2D (NHWC)."""
    filter = filters if filter is None else filter
    if filter is None:
        raise ValueError("filter and filters cannot both be None")
    if padding is None:
        raise TypeError("conv2d() missing required argument 'padding'")
    padding = padding.upper() if isinstance(padding, str) else padding
    _check_padding(padding, "Conv2D")
    strides, dilations = _four(strides, "strides"), _four(dilations, "dilations")

    def infer(op_name, ins):
        x, f = _u.shape_of(ins[0]), _u.shape_of(ins[1])
        if x is not None and len(x) != 4:
            _u.fail(op_name, "Conv2D", ins, "Shape must be rank 4 but is rank %d" % len(x))
        if f is not None and len(f) != 4:
            _u.fail(op_name, "Conv2D", ins, "Shape must be rank 4 but is rank %d" % len(f))
        if x is None or f is None:
            return [(ins[0].dtype.base_dtype, None if x is None and f is None else [None] * 4)]
        if x[3] is not None and f[2] is not None and x[3] != f[2]:
            _u.fail(op_name, "Conv2D", ins, "Depth of input (%d) is not a multiple of input depth of filter (%d)"
                    % (x[3], f[2]))
        return [(ins[0].dtype.base_dtype, [x[0], _window_out(x[1], f[0], strides[1], padding, dilations[1]),
                                           _window_out(x[2], f[1], strides[2], padding, dilations[2]), f[3]])]

    op = _u.make_op("Conv2D", name, [("input", input, None), ("filter", filter, None)],
                    lambda ins: {"T": T(ins[0].dtype), "strides": _u.ints_attr(strides),
                                 "use_cudnn_on_gpu": ("bool", bool(use_cudnn_on_gpu)), "padding": ("string", padding),
                                 "explicit_paddings": ("ints", []), "data_format": ("string", data_format),
                                 "dilations": _u.ints_attr(dilations)}, infer)
    return op.outputs[0]


def _pool(op_type, default_name):
    def pool(value, ksize, strides, padding, data_format="NHWC", name=None, input=None):  # noqa: A002
        t = tf()
        value = input if value is None else value
        ksize, strides = _four(ksize, "ksize"), _four(strides, "strides")
        padding = padding.upper() if isinstance(padding, str) else padding
        _check_padding(padding, op_type)
        g = _u.graph_of(value)
        with g.as_default(), t.name_scope(name, default_name, [value]) as scope:
            value = _u.convert_to_tensor(value, name="input")

            def infer(op_name, ins):
                x = _u.shape_of(ins[0])
                if x is None:
                    return [(ins[0].dtype.base_dtype, [None] * 4)]
                if len(x) != 4:
                    _u.fail(op_name, op_type, ins, "Shape must be rank 4 but is rank %d" % len(x))
                return [(ins[0].dtype.base_dtype, [x[0], _window_out(x[1], ksize[1], strides[1], padding),
                                                   _window_out(x[2], ksize[2], strides[2], padding), x[3]])]

            op = _u.make_op(op_type, scope, [("input", value, None)],
                            lambda ins: {"T": T(ins[0].dtype), "ksize": _u.ints_attr(ksize),
                                         "strides": _u.ints_attr(strides), "padding": ("string", padding),
                                         "data_format": ("string", data_format)}, infer)
            return op.outputs[0]
    return pool


max_pool = _pool("MaxPool", "MaxPool")
avg_pool = _pool("AvgPool", "AvgPool")


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """tf.nn.dropout (v1): keep_prob or rate; x * (1/keep) * Cast(random_uniform >= rate)."""
    t = tf()
    if keep_prob is not None:
        if rate is not None:
            raise ValueError("Cannot specify both 'rate' and 'keep_prob'")
        try:
            rate = 1. - keep_prob
        except TypeError:
            raise ValueError("keep_prob must be a floating point number or Tensor (got %r)" % keep_prob)
    if rate is None:
        raise ValueError("You must provide a rate to dropout.")
    g = _u.graph_of(x, rate)
    with g.as_default(), t.name_scope(name, "dropout", [x]) as scope:
        x = _u.convert_to_tensor(x, name="x")
        if not x.dtype.is_floating:
            raise ValueError("x has to be a floating point tensor since it's going to be scaled. Got a %s tensor "
                             "instead." % x.dtype)
        if isinstance(rate, _numbers.Real):
            if not (0 <= rate < 1):
                raise ValueError("rate must be a scalar tensor or a float in the range [0, 1), got %g" % rate)
            if rate == 0:
                return x
        rate = _u.convert_to_tensor(rate, dtype=x.dtype, name="rate")
        shape = t.shape(x) if noise_shape is None else noise_shape
        random_tensor = t.random_uniform(shape, seed=seed, dtype=x.dtype)
        keep = 1 - rate
        scale = 1 / keep
        keep_mask = random_tensor >= rate
        ret = x * scale * t.cast(keep_mask, x.dtype)
        return ret


def l2_loss(t, name=None):
    """tf.nn.l2_loss: L2Loss (a scalar)."""
    return _u.make_op("L2Loss", name, [("t", t, None)], lambda ins: {"T": T(ins[0].dtype)},
                      lambda n, ins: [(ins[0].dtype.base_dtype, [])]).outputs[0]


def embedding_lookup(params, ids, partition_strategy="mod", name=None, validate_indices=True, max_norm=None):
    """tf.nn.embedding_lookup over one params tensor: GatherV2 colocated with it, then Identity."""
    t = tf()
    if isinstance(params, (list, tuple)):
        if not params:
            raise ValueError("Need at least one param")
        if len(params) > 1:
            raise NotImplementedError("embedding_lookup over partitioned params is not supported by scopeviz")
        params = params[0]
    g = _u.graph_of(params, ids)
    with g.as_default(), t.name_scope(name, "embedding_lookup", [params, ids]) as scope:
        p = params.value() if isinstance(params, t.Variable) else _u.convert_to_tensor(params, name="params")
        ids = _u.convert_to_tensor(ids, name="ids")
        with t.colocate_with(p):
            result = t.gather(p, ids, name=scope)
        return t.identity(result)


# --------------------------------------------------------------------------- losses


class Reduction(object):
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE, cls.SUM_OVER_NONZERO_WEIGHTS,
                cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError("Invalid Reduction Key %s." % key)


def _assert_broadcastable(weights, values):
    """weights_broadcast_ops.assert_broadcastable, its static part: a scalar weight is
    `assert_broadcastable/static_scalar_check_success`; other shapes are not checked. Returns the
    weights tensor and the check op (or None)."""
    t = tf()
    with t.name_scope(None, "assert_broadcastable", (weights, values)):
        with t.name_scope(None, "weights", (weights,)) as ws:
            w = _u.convert_to_tensor(weights, name=ws)
        w_static = _u.shape_of(w)
        check = t.no_op(name="static_scalar_check_success") if w_static is not None and len(w_static) == 0 else None
    return w, check


def _broadcast_weights(weights, values):
    """weights_broadcast_ops.broadcast_weights: weights itself when both shapes are fully known and compatible,
    else weights * ones_like(values) named after the broadcast_weights scope."""
    t = tf()
    with t.name_scope(None, "broadcast_weights", (weights, values)) as scope:
        ws, vs = weights.shape, values.shape
        if ws.is_fully_defined() and vs.is_fully_defined() and ws.is_compatible_with(vs):
            return weights
        weights, check = _assert_broadcastable(weights, values)
        with t.control_dependencies([check] if check is not None else []):
            return t.multiply(weights, t.ones_like(values), name=scope)


def _num_present(losses, weights):
    """losses_impl._num_present: the number of elements whose (broadcast) weight is not zero."""
    t = tf()
    with t.name_scope(None, "num_present", (losses, weights)) as scope:
        weights = t.cast(weights, t.float32)
        present = t.where(t.equal(weights, 0.0), t.zeros_like(weights), t.ones_like(weights))
        present = _broadcast_weights(present, losses)
        return t.reduce_sum(present, name=scope)


def _num_elements(losses):
    t = tf()
    with t.name_scope(None, "num_elements", [losses]) as scope:
        return t.cast(t.size(losses, name=scope), losses.dtype)


def _safe_mean(losses, num_present):
    """losses_impl._safe_mean: reduce_sum(losses) / num_present, 0 where num_present is 0 (div_no_nan)."""
    t = tf()
    return t.div_no_nan(t.reduce_sum(losses), num_present, name="value")


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection="losses",
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """losses_impl.compute_weighted_loss (TF 1.15): the weighted sum, divided by div_no_nan "value"."""
    t = tf()
    Reduction.validate(reduction)
    g = _u.graph_of(losses, weights)
    with g.as_default(), t.name_scope(scope, "weighted_loss", (losses, weights)):
        w, check = _assert_broadcastable(weights, losses)
        with t.control_dependencies([check] if check is not None else []):
            losses = _u.convert_to_tensor(losses)
            input_dtype = losses.dtype.base_dtype
            losses = t.cast(losses, t.float32)
            w = t.cast(w, t.float32)
            weighted = t.multiply(losses, w)
            if reduction == Reduction.NONE:
                loss = weighted
            else:
                loss = t.reduce_sum(weighted)
                if reduction == Reduction.MEAN:
                    loss = _safe_mean(loss, t.reduce_sum(t.multiply(t.ones_like(losses), w)))
                elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                    loss = _safe_mean(loss, _num_present(losses, w))
                elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                    loss = _safe_mean(loss, _num_elements(losses))
            loss = t.cast(loss, input_dtype)
            if loss_collection:
                g.add_to_collection(loss_collection, loss)
            return loss


def _pointwise_loss(default_name, fn):
    """mean_squared_error / absolute_difference: both cast to float32, check shapes, weigh fn(p, l)."""
    def loss(labels, predictions, weights=1.0, scope=None, loss_collection="losses",
             reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
        t = tf()
        if labels is None:
            raise ValueError("labels must not be None.")
        if predictions is None:
            raise ValueError("predictions must not be None.")
        g = _u.graph_of(predictions, labels, weights)
        with g.as_default(), t.name_scope(scope, default_name, (predictions, labels, weights)) as scope:
            predictions = t.cast(predictions, t.float32)
            labels = t.cast(labels, t.float32)
            if not predictions.shape.is_compatible_with(labels.shape):
                raise ValueError("Shapes %s and %s are incompatible" % (predictions.shape, labels.shape))
            return compute_weighted_loss(fn(predictions, labels), weights, scope, loss_collection, reduction)
    loss.__name__ = default_name
    return loss


mean_squared_error = _pointwise_loss("mean_squared_error", lambda p, l: tf().squared_difference(p, l))
absolute_difference = _pointwise_loss("absolute_difference", lambda p, l: tf().abs(tf().subtract(p, l)))


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection="losses", reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    t = tf()
    if onehot_labels is None:
        raise ValueError("onehot_labels must not be None.")
    if logits is None:
        raise ValueError("logits must not be None.")
    g = _u.graph_of(logits, onehot_labels, weights)
    with g.as_default(), t.name_scope(scope, "softmax_cross_entropy_loss", (logits, onehot_labels, weights)) as scope:
        logits = _u.convert_to_tensor(logits)
        onehot_labels = t.cast(onehot_labels, logits.dtype)
        if not logits.shape.is_compatible_with(onehot_labels.shape):
            raise ValueError("Shapes %s and %s are incompatible" % (logits.shape, onehot_labels.shape))
        if label_smoothing > 0:
            n = t.cast(t.shape(onehot_labels)[-1], logits.dtype)
            onehot_labels = onehot_labels * (1 - label_smoothing) + label_smoothing / n
        onehot_labels = t.stop_gradient(onehot_labels, name="labels_stop_gradient")
        losses = t.nn.softmax_cross_entropy_with_logits_v2(labels=onehot_labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None, loss_collection="losses",
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    t = tf()
    if labels is None:
        raise ValueError("labels must not be None.")
    if logits is None:
        raise ValueError("logits must not be None.")
    g = _u.graph_of(logits, labels, weights)
    with g.as_default(), t.name_scope(scope, "sparse_softmax_cross_entropy_loss", (logits, labels, weights)) as scope:
        losses = t.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits, name="xentropy")
        return compute_weighted_loss(losses, weights, scope, loss_collection, reduction)


def add_loss(loss, loss_collection="losses"):
    if loss_collection:
        _u.graph_of(loss).add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection="losses"):
    return tf().get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    return tf().get_collection("regularization_losses", scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    t = tf()
    losses = get_regularization_losses(scope)
    if losses:
        return t.add_n(losses, name=name)
    return t.constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    return tf().add_n(losses, name=name)


# --------------------------------------------------------------------------- regularizers


class _L1L2(object):
    """tf.keras.regularizers.L1L2: l1 * sum(|x|) + l2 * sum(x^2), started from 0."""

    def __init__(self, l1=0., l2=0.):
        self.l1, self.l2 = float(l1), float(l2)

    def __call__(self, x):
        t = tf()
        if not self.l1 and not self.l2:
            return t.constant(0.)
        regularization = 0.
        if self.l1:
            regularization += self.l1 * t.reduce_sum(t.abs(x))
        if self.l2:
            regularization += self.l2 * t.reduce_sum(t.square(x))
        return regularization

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


def l1(l=0.01):  # noqa: E741
    return _L1L2(l1=l)


def l2(l=0.01):  # noqa: E741
    return _L1L2(l2=l)


def l1_l2(l1=0.01, l2=0.01):  # noqa: F811
    return _L1L2(l1=l1, l2=l2)


def no_regularizer(_):
    """tf.no_regularizer: use to disable a scope's regularizer."""
    return None


def add_n(inputs, name=None):
    t = tf()
    if not inputs or not isinstance(inputs, (list, tuple)):
        raise ValueError("inputs must be a list of at least one Tensor/IndexedSlices with the same dtype and shape")
    inputs = [_u.convert_to_tensor(i) for i in inputs]
    if len(inputs) == 1:
        return t.identity(inputs[0], name=name)

    def infer(op_name, ins):
        shape = None
        for i in ins:
            s = _u.shape_of(i)
            if s is not None:
                shape = s if shape is None else [a if a is not None else b for a, b in zip(shape, s)]
        return [(ins[0].dtype.base_dtype, shape)]

    n = len(inputs)
    return _u.make_op("AddN", name, [("inputs", _u.ListArg(list(inputs)), None)],
                      lambda ins: {"N": ("int", n), "T": T(ins[0].dtype)}, infer).outputs[0]


def size(input, name=None, out_type=None):  # noqa: A002
    t = tf()
    out_type = out_type or t.int32
    s = _u.shape_of(input) if _u.is_tensor_like(input) else list(_np.shape(input))
    g = _u.graph_of(input)
    with g.as_default(), t.name_scope(name, "Size", [input]) as scope:
        if s is not None and None not in s:
            return t.constant(int(_np.prod(s)), dtype=out_type, name=scope)
        return _u.make_op("Size", scope, [("input", input, None)],
                          {"T": T(input.dtype), "out_type": T(out_type)}, lambda n, ins: [(out_type, [])]).outputs[0]


def _ensure_xent_args(name, sentinel, labels, logits):
    """nn_ops._ensure_xent_args: named arguments only, both given."""
    if sentinel is not None:
        raise ValueError("Only call `%s` with named arguments (labels=..., logits=..., ...)" % name)
    if labels is None or logits is None:
        raise ValueError("Both labels and logits must be provided.")


def _flatten_outer_dims(logits):
    """nn_ops._flatten_outer_dims: Rank, Shape, Sub, Slice, concat, Reshape to [-1, last]; the static shape
    [product, last] when the outer dimensions are known."""
    t = tf()
    r = rank(logits)
    last_dim_size = t.slice(t.shape(logits), [t.subtract(r, 1)], [1])
    shape = _u.shape_of(logits)
    static = None
    if shape is not None:
        static = [None, None]
        if None not in shape[:-1]:
            static = [int(_np.prod(shape[:-1])), shape[-1]]
    from scopeviz.compat.v1._array_ops import reshape_to
    return reshape_to(logits, t.concat([[-1], last_dim_size], 0), static)


def softmax_cross_entropy_with_logits_v2(_sentinel=None, labels=None, logits=None, axis=None, name=None, dim=None):
    """nn_ops.softmax_cross_entropy_with_logits_v2_helper (TF 1.15): labels and logits flattened to matrices, the
    SoftmaxCrossEntropyWithLogits kernel named after the scope itself, the cost reshaped back (Reshape_2)."""
    t = tf()
    _ensure_xent_args("softmax_cross_entropy_with_logits_v2", _sentinel, labels, logits)
    axis = dim if axis is None else axis
    axis = -1 if axis is None else axis
    g = _u.graph_of(labels, logits)
    with g.as_default(), t.name_scope(name, "softmax_cross_entropy_with_logits", [logits, labels]) as scope:
        logits = _u.convert_to_tensor(logits, name="logits")
        labels = _u.convert_to_tensor(labels, name="labels")
        if logits.dtype.base_dtype in (t.float16, t.bfloat16):
            logits = t.cast(logits, t.float32)
        labels = t.cast(labels, logits.dtype.base_dtype)
        shape = _u.shape_of(logits)
        if axis not in (-1,) and not (shape is not None and axis == len(shape) - 1):
            raise NotImplementedError("softmax_cross_entropy_with_logits: only the last axis is supported, got axis=%r"
                                      % (axis,))
        input_rank = rank(logits)
        input_shape = t.shape(logits)
        precise_logits = _flatten_outer_dims(logits)
        labels = _flatten_outer_dims(labels)
        rows = _u.shape_of(precise_logits)
        rows = None if rows is None else rows[0]

        def infer(op_name, ins):
            s = _u.shape_of(ins[0])
            return [(ins[0].dtype.base_dtype, [rows]), (ins[0].dtype.base_dtype, [rows, None if s is None else s[1]])]
        kernel = _u.make_op("SoftmaxCrossEntropyWithLogits", scope, [("features", precise_logits, None),
                                                                     ("labels", labels, None)],
                            lambda ins: {"T": T(ins[0].dtype)}, infer)
        output_shape = t.slice(input_shape, [0], [t.subtract(input_rank, 1)])
        from scopeviz.compat.v1._array_ops import reshape_to
        return reshape_to(kernel.outputs[0], output_shape, None if shape is None else shape[:-1])


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1, name=None, axis=None):
    """tf.nn.softmax_cross_entropy_with_logits (v1): labels_stop_gradient under
    softmax_cross_entropy_with_logits_sg/, then the v2 ops in that same scope."""
    t = tf()
    _ensure_xent_args("softmax_cross_entropy_with_logits", _sentinel, labels, logits)
    g = _u.graph_of(labels, logits)
    with g.as_default(), t.name_scope(name, "softmax_cross_entropy_with_logits_sg", [logits, labels]) as scope:
        labels = t.stop_gradient(labels, name="labels_stop_gradient")
    return softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits, axis=axis if axis is not None else dim,
                                                name=scope)


def rank(input, name=None):  # noqa: A002
    t = tf()
    s = _u.shape_of(input) if _u.is_tensor_like(input) else list(_np.shape(input))
    g = _u.graph_of(input)
    with g.as_default(), t.name_scope(name, "Rank", [input]) as scope:
        if s is not None:
            return t.constant(len(s), dtype=t.int32, name=scope)
        return _u.make_op("Rank", scope, [("input", input, None)], {"T": T(input.dtype)},
                          lambda n, ins: [(t.int32, [])]).outputs[0]
