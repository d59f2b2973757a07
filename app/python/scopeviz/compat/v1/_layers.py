"""tf.layers (the TF 1.x functional layers over tf.layers.Layer) and tf.make_template.

A layer's variable scope is opened lazily on first call with default_name = its snake-case
class name ("dense", "dense_1", ...; layers/base.py _set_scope), or its given name, reused
with reuse=True; its ops live in that scope's original name scope."""
import re as _re

from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import tf


def _to_snake_case(name):
    intermediate = _re.sub("(.)([A-Z][a-z0-9]+)", r"\1_\2", name)
    insecure = _re.sub("([a-z])([A-Z])", r"\1_\2", intermediate).lower()
    if insecure[0] != "_":
        return insecure
    return "private" + insecure


def _unique_object_name(name):
    """keras backend.unique_object_name(name) with zero_based=False over the default graph's uid map."""
    g = tf().get_default_graph()
    uids = g.__dict__.setdefault("_layer_object_name_uids", {})
    uids[name] = uids.get(name, 0) + 1
    return "%s_%d" % (name, uids[name])


class Layer(object):
    """tf.layers.Layer (graph mode)."""

    def __init__(self, trainable=True, name=None, dtype=None, _scope=None, _reuse=None, **kwargs):
        t = tf()
        self.trainable = trainable
        self.built = False
        self._reuse = _reuse
        self._scope = None
        self._dtype = None if dtype is None else t.as_dtype(dtype)
        self._trainable_weights, self._non_trainable_weights = [], []
        self._losses, self._updates = [], []
        # layers/base.py _init_set_name: an unnamed layer (or one given a VariableScope) is named by
        # backend.unique_object_name(snake-case class name, zero_based=False): a per-graph counter that
        # starts at 1 ("dense_1", "dense_2", ...), whatever named layers exist. The variable scope is
        # chosen later, on the first call (_set_scope), from the base name: the first unnamed Dense is
        # named dense_1 and its variables live under dense/.
        if isinstance(name, t.VariableScope):
            self._scope = name
            self._base_name = name.name
            self._name = _unique_object_name(_to_snake_case(type(self).__name__))
        elif name:
            self._name = self._base_name = name
        else:
            self._base_name = _to_snake_case(type(self).__name__)
            self._name = _unique_object_name(self._base_name)
        self._call_scope = None

    @property
    def name(self):
        return self._name

    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError("No name available for layer scope because the layer \"" + self._name +
                             "\" has not been used yet. The scope name  is determined the first time the layer "
                             "instance is called. You must therefore call the layer before querying `scope_name`.")
        return self._scope.name

    @property
    def trainable_weights(self):
        return list(self._trainable_weights) if self.trainable else []

    trainable_variables = trainable_weights

    @property
    def non_trainable_weights(self):
        return list(self._non_trainable_weights) if self.trainable else \
            list(self._trainable_weights) + list(self._non_trainable_weights)

    @property
    def weights(self):
        return self.trainable_weights + self.non_trainable_weights

    variables = weights

    @property
    def losses(self):
        return list(self._losses)

    @property
    def updates(self):
        return list(self._updates)

    def _set_scope(self, scope=None):
        t = tf()
        if self._scope is None:
            if self._reuse:
                with t.variable_scope(scope if scope is not None else self._base_name) as captured:
                    self._scope = captured
            else:
                with t.variable_scope(scope, default_name=self._base_name) as captured:
                    self._scope = captured

    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None, trainable=True,
                   constraint=None, **kwargs):
        t = tf()
        dtype = t.as_dtype(dtype or self._dtype or t.float32)
        graph = t.get_default_graph()
        reuse = self.built or self._reuse
        with t.variable_scope(self._scope, reuse=reuse, auxiliary_name_scope=False):
            with t.name_scope(self._scope.original_name_scope):
                before = graph._g.num_variables()
                v = t.get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                                   trainable=trainable and self.trainable)
                created = graph._g.num_variables() != before
                if regularizer is not None and created:
                    with t.name_scope(name + "/Regularizer"):
                        loss = regularizer(v)
                    if loss is not None:
                        self._losses.append(loss)
                        graph.add_to_collection("regularization_losses", loss)
        if trainable and self.trainable:
            self._trainable_weights.append(v)
        else:
            self._non_trainable_weights.append(v)
        return v

    add_variable = add_weight

    def build(self, input_shape):
        self.built = True

    def call(self, inputs, **kwargs):
        return inputs

    def __call__(self, inputs, *args, **kwargs):
        t = tf()
        self._set_scope(kwargs.pop("scope", None))
        with t.variable_scope(self._scope, reuse=self._reuse, auxiliary_name_scope=False) as scope:
            self._current_scope = scope
            with t.name_scope(self._scope.original_name_scope):
                if not self.built:
                    in_t = inputs if _u.is_tensor_like(inputs) else _u.convert_to_tensor(inputs)
                    self._check_input(in_t)
                    self.build(in_t.shape)
                    self.built = True
                    inputs = in_t
                outputs = self.call(inputs, *args, **kwargs)
        return outputs

    apply = __call__

    def _check_input(self, inputs):
        pass


def _activation(fn, x):
    return x if fn is None else fn(x)


class Dense(Layer):
    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super(Dense, self).__init__(trainable=trainable, name=name, **kwargs)
        self.units = int(units)
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer

    def _check_input(self, inputs):
        s = inputs.shape
        if s.ndims is not None and s.ndims < 2:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: : expected min_ndim=2, found "
                             "ndim=%d. Full shape received: %s" % (self.name, s.ndims, list(s.as_list())))

    def build(self, input_shape):
        t = tf()
        last = input_shape[-1].value if input_shape.ndims else None
        if last is None:
            raise ValueError("The last dimension of the inputs to `Dense` should be defined. Found `None`.")
        self.kernel = self.add_weight("kernel", shape=[last, self.units], initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer)
        self.bias = self.add_weight("bias", shape=[self.units], initializer=self.bias_initializer or
                                    t.zeros_initializer(), regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        t = tf()
        if inputs.shape.ndims is not None and inputs.shape.ndims > 2:
            raise NotImplementedError("tf.layers.dense on inputs of rank > 2 (tensordot) is not supported by "
                                      "scopeviz")
        outputs = t.matmul(inputs, self.kernel)
        if self.use_bias:
            outputs = t.nn.bias_add(outputs, self.bias)
        return _activation(self.activation, outputs)


class Conv2D(Layer):
    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format="channels_last",
                 dilation_rate=(1, 1), activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=None, kernel_regularizer=None, bias_regularizer=None,
                 activity_regularizer=None, kernel_constraint=None, bias_constraint=None, trainable=True,
                 name=None, **kwargs):
        super(Conv2D, self).__init__(trainable=trainable, name=name, **kwargs)
        pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
        self.filters, self.kernel_size, self.strides = int(filters), pair(kernel_size), pair(strides)
        self.padding = padding.lower()
        if self.padding not in ("valid", "same"):
            raise ValueError("The `padding` argument must be one of \"valid\", \"same\" (or \"causal\", only for "
                             "`Conv1D). Received: " + str(padding))
        if data_format != "channels_last":
            raise NotImplementedError("scopeviz supports data_format='channels_last' only")
        self.dilation_rate = pair(dilation_rate)
        self.activation, self.use_bias = activation, use_bias
        self.kernel_initializer, self.bias_initializer = kernel_initializer, bias_initializer
        self.kernel_regularizer, self.bias_regularizer = kernel_regularizer, bias_regularizer

    def _check_input(self, inputs):
        s = inputs.shape
        if s.ndims is not None and s.ndims != 4:
            raise ValueError("Input 0 of layer %s is incompatible with the layer: expected ndim=4, found ndim=%d. "
                             "Full shape received: %s" % (self.name, s.ndims, list(s.as_list())))

    def build(self, input_shape):
        t = tf()
        channels = input_shape[-1].value
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. Found `None`.")
        self.kernel = self.add_weight("kernel", shape=list(self.kernel_size) + [channels, self.filters],
                                      initializer=self.kernel_initializer, regularizer=self.kernel_regularizer)
        self.bias = self.add_weight("bias", shape=[self.filters], initializer=self.bias_initializer or
                                    t.zeros_initializer(), regularizer=self.bias_regularizer) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        t = tf()
        outputs = t.nn.conv2d(inputs, self.kernel, strides=[1, self.strides[0], self.strides[1], 1],
                              padding=self.padding.upper(), dilations=[1, self.dilation_rate[0],
                                                                       self.dilation_rate[1], 1])
        if self.use_bias:
            outputs = t.nn.bias_add(outputs, self.bias, data_format="NHWC")
        return _activation(self.activation, outputs)


class _Pooling2D(Layer):
    _fn = None

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last", name=None, **kwargs):
        super(_Pooling2D, self).__init__(name=name, **kwargs)
        pair = lambda v: (v, v) if isinstance(v, int) else tuple(v)  # noqa: E731
        self.pool_size, self.strides, self.padding = pair(pool_size), pair(strides), padding.lower()

    def call(self, inputs):
        t = tf()
        fn = t.nn.max_pool if self._fn == "max" else t.nn.avg_pool
        return fn(inputs, ksize=[1, self.pool_size[0], self.pool_size[1], 1],
                  strides=[1, self.strides[0], self.strides[1], 1], padding=self.padding.upper())


class MaxPooling2D(_Pooling2D):
    _fn = "max"


class AveragePooling2D(_Pooling2D):
    _fn = "avg"


class Dropout(Layer):
    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super(Dropout, self).__init__(name=name, **kwargs)
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        t = tf()
        if isinstance(training, bool) or training is None:
            if training:
                return t.nn.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed, rate=self.rate)
            return t.identity(inputs)
        return t.cond(training, lambda: t.nn.dropout(inputs, noise_shape=self.noise_shape, seed=self.seed,
                                                     rate=self.rate),
                      lambda: t.identity(inputs))


class Flatten(Layer):
    def call(self, inputs):
        t = tf()
        first = t.shape(inputs)[0]
        dims = inputs.shape.as_list() if inputs.shape.ndims is not None else None
        rest = None
        if dims is not None and all(d is not None for d in dims[1:]):
            rest = 1
            for d in dims[1:]:
                rest *= d
        # array_ops.reshape(inputs, (first, -1)): the tuple is packed inside the Reshape wrapper's scope.
        with t.name_scope("Reshape") as scope:
            with t.name_scope("shape") as shape_scope:
                minus_one = t.constant(-1, name="1")
            shape = t.stack([first, minus_one], name=shape_scope)
        return _u.make_op("Reshape", scope, [("tensor", inputs, None), ("shape", shape, None)],
                          lambda ins: {"T": _u.T(ins[0].dtype), "Tshape": _u.T(ins[1].dtype)},
                          lambda n, ins: [(ins[0].dtype.base_dtype, [None if dims is None else dims[0], rest])]
                          ).outputs[0]


class BatchNormalization(Layer):
    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=None, gamma_initializer=None, moving_mean_initializer=None,
                 moving_variance_initializer=None, beta_regularizer=None, gamma_regularizer=None,
                 trainable=True, name=None, **kwargs):
        super(BatchNormalization, self).__init__(trainable=trainable, name=name, **kwargs)
        self.axis, self.momentum, self.epsilon, self.center, self.scale = axis, momentum, epsilon, center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer

    def build(self, input_shape):
        t = tf()
        ndims = input_shape.ndims
        axis = self.axis % ndims
        param = input_shape[axis].value
        if param is None:
            raise ValueError("Input has undefined `axis` dimension. Input shape: ", input_shape)
        shape = [param]
        self.gamma = self.add_weight("gamma", shape, initializer=self.gamma_initializer or t.ones_initializer(),
                                     regularizer=self.gamma_regularizer) if self.scale else None
        self.beta = self.add_weight("beta", shape, initializer=self.beta_initializer or t.zeros_initializer(),
                                    regularizer=self.beta_regularizer) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", shape, initializer=self.moving_mean_initializer or
                                           t.zeros_initializer(), trainable=False)
        self.moving_variance = self.add_weight("moving_variance", shape, initializer=self.moving_variance_initializer
                                               or t.ones_initializer(), trainable=False)
        self.built = True

    def call(self, inputs, training=False):
        """layers/normalization.py BatchNormalization.call (the non-fused path): moving statistics when
        training is False, else the batch's moments and two AssignMovingAvg updates in UPDATE_OPS."""
        t = tf()
        ndims = inputs.shape.ndims
        axis = self.axis % ndims
        reduction_axes = [i for i in range(ndims) if i != axis]
        broadcast_shape = [1] * ndims
        broadcast_shape[axis] = inputs.shape[axis].value

        def _broadcast(v):
            if v is not None and v.shape.ndims != ndims and reduction_axes != list(range(ndims - 1)):
                return t.reshape(v, broadcast_shape)
            return v

        scale, offset = _broadcast(self.gamma), _broadcast(self.beta)
        if training is False or training is None:
            mean, variance = self.moving_mean, self.moving_variance
        elif training is True:
            mean, variance = moments(inputs, reduction_axes)
            for var, value in ((self.moving_mean, mean), (self.moving_variance, variance)):
                update = self._assign_moving_average(var, value)
                self._updates.append(update)
                t.add_to_collection(t.GraphKeys.UPDATE_OPS, update)
        else:
            raise NotImplementedError("tf.layers.batch_normalization with a Tensor `training` (tf.cond over the "
                                      "moments) is not supported by scopeviz")
        return batch_normalization_op(inputs, _broadcast(mean), _broadcast(variance), offset, scale, self.epsilon)

    def _assign_moving_average(self, variable, value):
        t = tf()
        with t.name_scope(None, "AssignMovingAvg", [variable, value]) as scope:
            with t.colocate_with(variable):
                decay = t.constant(1.0 - self.momentum, name="decay")
                update_delta = (variable - value) * decay
                return t.assign_sub(variable, update_delta, name=scope)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """tf.nn.moments: moments/mean, moments/StopGradient, moments/SquaredDifference, moments/variance,
    then moments/Squeeze and moments/Squeeze_1 unless keep_dims."""
    t = tf()
    keep = bool(keep_dims if keep_dims is not None else keepdims)
    g = _u.graph_of(x)
    with g.as_default(), t.name_scope(name, "moments", [x, axes]):
        mean = t.reduce_mean(x, axes, keepdims=True, name="mean")
        variance = t.reduce_mean(t.squared_difference(x, t.stop_gradient(mean)), axes, keepdims=True,
                                 name="variance")
        if not keep:
            mean = t.squeeze(mean, axes)
            variance = t.squeeze(variance, axes)
        return mean, variance


def batch_normalization_op(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """tf.nn.batch_normalization: the batchnorm/ arithmetic."""
    t = tf()
    g = _u.graph_of(x, mean, variance, offset, scale)
    with g.as_default(), t.name_scope(name, "batchnorm", [x, mean, variance, scale, offset]):
        inv = t.rsqrt(variance + variance_epsilon)
        if scale is not None:
            inv *= scale
        return x * t.cast(inv, x.dtype) + t.cast(offset - mean * inv if offset is not None else -mean * inv,
                                                 x.dtype)


def _functional(cls, *ctor_args):
    def layer(inputs, *args, **kwargs):
        name = kwargs.pop("name", None)
        reuse = kwargs.pop("reuse", None)
        call_kwargs = {}
        if "training" in kwargs:
            call_kwargs["training"] = kwargs.pop("training")
        obj = cls(*args, name=name, _reuse=reuse, **kwargs)
        return obj(inputs, **call_kwargs)
    layer.__name__ = cls.__name__.lower()
    return layer


dense = _functional(Dense)
conv2d = _functional(Conv2D)
max_pooling2d = _functional(MaxPooling2D)
average_pooling2d = _functional(AveragePooling2D)
flatten = _functional(Flatten)


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    return Dropout(rate=rate, noise_shape=noise_shape, seed=seed, name=name)(inputs, training=training)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=None, gamma_initializer=None, moving_mean_initializer=None,
                        moving_variance_initializer=None, beta_regularizer=None, gamma_regularizer=None,
                        beta_constraint=None, gamma_constraint=None, training=False, trainable=True, name=None,
                        reuse=None, renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    layer = BatchNormalization(axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
                               beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                               moving_mean_initializer=moving_mean_initializer,
                               moving_variance_initializer=moving_variance_initializer,
                               beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
                               trainable=trainable, name=name, _reuse=reuse)
    return layer(inputs, training=training)


# --------------------------------------------------------------------------- make_template


def _unique_variable_scope(prefix):
    """variable_scope._get_unique_variable_scope: prefix, or prefix_N not yet opened."""
    t = tf()
    current = t.get_variable_scope().name
    used = {e["variable_scope"] for e in t.get_default_graph()._g.trace() if e["kind"] == "enter_variable_scope"}
    name = current + "/" + prefix if current else prefix
    if name not in used:
        return prefix
    idx = 1
    while "%s_%d" % (name, idx) in used:
        idx += 1
    return "%s_%d" % (prefix, idx)


class Template(object):
    """tf.make_template's result: the first call creates variables, later calls reuse them."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None, custom_getter=None):
        t = tf()
        if name is None:
            raise ValueError("name cannot be None.")
        self._func, self._name, self._unique_name = func, name, unique_name
        self._variables_created = False
        if create_scope_now:
            with t.variable_scope(unique_name or _unique_variable_scope(name), auxiliary_name_scope=False) as vs:
                self._variable_scope = vs
        else:
            self._variable_scope = None

    @property
    def name(self):
        return self._name

    @property
    def variable_scope(self):
        return self._variable_scope

    @property
    def variable_scope_name(self):
        return self._variable_scope.name if self._variable_scope else None

    @property
    def variables_created(self):
        return self._variables_created

    @property
    def trainable_variables(self):
        if not self._variables_created:
            return []
        return tf().trainable_variables(self.variable_scope_name + "/")

    @property
    def global_variables(self):
        if not self._variables_created:
            return []
        return tf().global_variables(self.variable_scope_name + "/")

    variables = global_variables

    def _call_func(self, args, kwargs):
        t = tf()
        g = t.get_default_graph()
        trainable_at_start = len(t.trainable_variables())
        result = self._func(*args, **kwargs)
        if self._variables_created:
            trainable = t.trainable_variables()
            if trainable_at_start != len(trainable):
                raise ValueError("Trainable variable created when calling a template after the first time, "
                                 "perhaps you used tf.Variable when you meant tf.get_variable: %s"
                                 % (trainable[trainable_at_start:],))
        else:
            self._variables_created = True
        return result

    def __call__(self, *args, **kwargs):
        t = tf()
        if self._variable_scope:
            with t.variable_scope(self._variable_scope, reuse=True if self._variables_created else None):
                return self._call_func(args, kwargs)
        with t.variable_scope(self._unique_name, self._name) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)


def make_template(name_, func_, create_scope_now_=False, unique_name_=None, custom_getter_=None, **kwargs):
    import functools
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    return Template(name_, func_, create_scope_now=create_scope_now_, unique_name=unique_name_,
                    custom_getter=custom_getter_)
