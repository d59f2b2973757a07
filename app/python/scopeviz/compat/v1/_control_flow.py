"""tf.cond and tf.while_loop as TensorFlow 1.15 builds them (control_flow_ops.py, v1 control flow):
cond/Switch, cond/switch_t, cond/switch_f, cond/pred_id, the branches' ops with their captured
inputs switched in (cond/<op>/Switch), cond/Merge; while/Enter, while/Merge, while/LoopCond,
while/Switch, while/Identity, the body, while/NextIteration, while/Exit.

A Session runs these graphs with TensorFlow's dataflow semantics (dead values through the untaken
Switch output, Merge forwarding its first live input, frames and iterations for Enter, NextIteration
and Exit): core/exec/dataflow.h."""
from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import T, tf


def _switch(data, pred, name=None):
    op = _u.make_op("RefSwitch" if data.dtype._enum > 100 else "Switch", name or "Switch",
                    [("data", data, None), ("pred", pred, None)], lambda ins: {"T": T(ins[0].dtype)},
                    lambda n, ins: [(ins[0].dtype, _u.shape_of(ins[0]))] * 2)
    return op.outputs[0], op.outputs[1]


def _merge_shape(ins):
    """TF's MergeShape: the inputs' common rank, each dimension known where all inputs agree on it."""
    out = _u.shape_of(ins[0])
    for x in ins[1:]:
        s = _u.shape_of(x)
        if out is None or s is None or len(s) != len(out):
            return None
        out = [a if a == b else None for a, b in zip(out, s)]
    return out


def _merge(inputs, name=None):
    op = _u.make_op("Merge", name or "Merge", [("inputs", _u.ListArg(list(inputs)), None)],
                    lambda ins: {"T": T(ins[0].dtype), "N": ("int", len(ins))},
                    lambda n, ins: [(ins[0].dtype.base_dtype, _merge_shape(ins)), (tf().int32, [])])
    return op.outputs[0], op.outputs[1]


def _enter(data, frame_name, is_constant, parallel_iterations=10, name=None, shape=None):
    """Enter; `shape` (a TensorShape) is the loop variable's shape invariant (_SetShapeInvariants), else the
    input's shape (use_input_shape)."""
    out_shape = (lambda ins: _u.shape_of(ins[0])) if shape is None else \
        (lambda ins: None if shape.ndims is None else shape.as_list())
    op = _u.make_op("Enter", name or "Enter", [("data", data, None)],
                    lambda ins: {"T": T(ins[0].dtype), "frame_name": ("string", frame_name),
                                 "is_constant": ("bool", bool(is_constant)),
                                 "parallel_iterations": ("int", int(parallel_iterations))},
                    lambda n, ins: [(ins[0].dtype.base_dtype, out_shape(ins))])
    return op.outputs[0]


def _shape_less_than_or_equal(shape1, shape2):
    """control_flow_ops._ShapeLessThanOrEqual: shape1 is at least as specific as shape2."""
    if shape2.ndims is None:
        return True
    if shape1.ndims != shape2.ndims:
        return False
    return all(d2 is None or d1 == d2 for d1, d2 in zip(shape1.as_list(), shape2.as_list()))


def _shape_invariants(loop_list, shape_invariants):
    """_SetShapeInvariants' checks: one TensorShape per loop variable, each no more specific than the variable."""
    t = tf()
    if shape_invariants is None:
        return [None] * len(loop_list)
    flat = list(shape_invariants) if isinstance(shape_invariants, (list, tuple)) else [shape_invariants]
    if len(flat) != len(loop_list):
        raise ValueError("The two structures don't have the same number of elements. First structure: %d, second "
                         "structure: %d." % (len(loop_list), len(flat)))
    if not all(isinstance(s, t.TensorShape) for s in flat):
        raise ValueError("`shapes` must be a (possibly nested) list of shapes.")
    for inp, shape in zip(loop_list, flat):
        if not _shape_less_than_or_equal(inp.shape, shape):
            raise ValueError("The shape invariant specified for %s is not compatible with the initial shape of the "
                             "loop variable. It enters the loop with shape %s, but the specified shape invariant is "
                             "%s." % (inp.name, inp.shape, shape))
    return flat


def _simple(op_type, x, name=None):
    op = _u.make_op(op_type, name or op_type, [("data" if op_type != "LoopCond" else "input", x, None)],
                    (lambda ins: {"T": T(ins[0].dtype)}) if op_type != "LoopCond" else {},
                    lambda n, ins: [(ins[0].dtype.base_dtype, _u.shape_of(ins[0]))])
    return op.outputs[0]


def _capture(graph, start, internal, make_capture, pivot_op, loop=False):
    """TF's ControlFlowContext.AddOp for every op made since `start`: external inputs are replaced by
    a capture made in the consumer's name scope (one per external tensor), input-less ops get a control
    input from the pivot. In a loop (WhileContext._MaybeAddControlDependency) so does an op without
    control inputs whose inputs are all loop-constant Enters: otherwise it would run once more in the
    iteration whose LoopCond is false."""
    t = tf()
    end = graph._g.num_ops
    created = {}
    for op_id in range(start, end):
        op = t._core_op(graph, op_id)
        if op_id in internal:
            continue
        inputs = list(op.inputs)
        controls = [c._id for c in op.control_inputs]
        changed = False
        for k, x in enumerate(inputs):
            if x.op._id >= start or x.op._id in internal:
                continue
            key = (x.op._id, x.value_index)
            if key not in created:
                with graph.name_scope(op.name + "/"):
                    created[key] = make_capture(x)
                internal.update(range(end, graph._g.num_ops))
            inputs[k] = created[key]
            changed = True
        if not inputs and not any(c >= start or c in internal for c in controls):
            controls.append(pivot_op._id)
            changed = True
        elif loop and inputs and not controls and all(_is_constant_enter(x.op) for x in inputs):
            controls.append(pivot_op._id)
            changed = True
        if changed:
            graph._g.set_op_inputs(op_id, inputs, controls)
    return created


def _is_constant_enter(op):
    return op.type in ("Enter", "RefEnter") and bool(op.get_attr("is_constant"))


def _prevent_fetching(graph, op_ids, feeding=False):
    """ControlFlowContext._AddOpInternal's graph.prevent_fetching (and, in loops, prevent_feeding) for
    the ops a context built."""
    for i in op_ids:
        op = tf()._core_op(graph, i)
        graph.prevent_fetching(op)
        if feeding:
            for x in op.outputs:
                graph.prevent_feeding(x)


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None, fn1=None, fn2=None):
    """tf.cond (v1 control flow)."""
    t = tf()
    true_fn = true_fn if true_fn is not None else fn1
    false_fn = false_fn if false_fn is not None else fn2
    if true_fn is None:
        raise TypeError("cond(): true_fn argument required")
    if false_fn is None:
        raise TypeError("cond(): false_fn argument required")
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    if isinstance(pred, bool):
        raise TypeError("pred must not be a Python bool")
    g = _u.graph_of(pred)
    with g.as_default(), t.name_scope(name, "cond", [pred]):
        p_2, p_1 = _switch(pred, pred)
        pivot_1 = t.identity(p_1, name="switch_t")
        pivot_2 = t.identity(p_2, name="switch_f")
        pred = t.identity(pred, name="pred_id")
        internal = {pivot_1.op._id, pivot_2.op._id, pred.op._id}
        # "Disable the fetching of tensors that are only on one branch of cond."
        _prevent_fetching(g, [p_1.op._id, pivot_1.op._id, pivot_2.op._id, pred.op._id])
        results = []
        for fn, pivot, branch in ((true_fn, pivot_1, 1), (false_fn, pivot_2, 0)):
            start = g._g.num_ops
            out = fn()
            if out is None:
                raise ValueError("true_fn and false_fn must have a return value." if False else
                                 "The true and false branches must have the same type and length.")
            created = _capture(g, start, set(internal), lambda x: _switch(x, pred)[branch], pivot.op)
            single = not isinstance(out, (list, tuple))
            flat = [out] if single else list(out)
            res = []
            for v in flat:
                if isinstance(v, t.Operation):
                    with t.control_dependencies([v]):
                        res.append(t.identity(pivot))
                    continue
                v = v.value() if isinstance(v, t.Variable) else _u.convert_to_tensor(v)
                if v.op._id < start and v.op._id not in internal:
                    key = (v.op._id, v.value_index)
                    res.append(created[key] if key in created else _switch(v, pred)[branch])
                else:
                    res.append(v)
            results.append((single, res))
            _prevent_fetching(g, range(start, g._g.num_ops))  # the branch's ops and its captures
        (single_t, res_t), (single_f, res_f) = results
        if single_t != single_f or len(res_t) != len(res_f):
            raise ValueError("Outputs of true_fn and false_fn must have the same type(s). Received %d from true_fn "
                             "and %d from false_fn." % (len(res_t), len(res_f)))
        for a, b in zip(res_t, res_f):
            if a.dtype.base_dtype != b.dtype.base_dtype:
                raise ValueError("Outputs of true_fn and false_fn must have the same type: %s, %s"
                                 % (a.dtype.base_dtype.name, b.dtype.base_dtype.name))
        merges = [_merge([f, tt])[0] for f, tt in zip(res_f, res_t)]
        return merges[0] if single_t else merges


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10, back_prop=True,
               swap_memory=False, name=None, maximum_iterations=None, return_same_structure=False):
    """tf.while_loop (v1 control flow)."""
    t = tf()
    if not callable(cond):
        raise TypeError("cond must be callable.")
    if not callable(body):
        raise TypeError("body must be callable.")
    if parallel_iterations < 1:
        raise TypeError("parallel_iterations must be a positive integer.")
    single = not isinstance(loop_vars, (list, tuple))
    loop_list = [loop_vars] if single else list(loop_vars)
    if not loop_list:
        raise ValueError("No loop variables provided")
    g = _u.graph_of(*loop_list)
    with g.as_default(), t.name_scope(name, "while", loop_list) as scope:
        if maximum_iterations is not None:
            maximum_iterations = _u.convert_to_tensor(maximum_iterations, name="maximum_iterations")
            counter = t.constant(0, dtype=maximum_iterations.dtype, name="iteration_counter")
            orig_cond, orig_body = cond, body
            cond = lambda i, *lv: t.logical_and(i < maximum_iterations, orig_cond(*lv))  # noqa: E731

            def body(i, *lv):
                r = orig_body(*lv)
                return [i + 1] + (list(r) if isinstance(r, (list, tuple)) else [r])
            loop_list = [counter] + loop_list
            if shape_invariants is not None:
                rest = list(shape_invariants) if isinstance(shape_invariants, (list, tuple)) else [shape_invariants]
                shape_invariants = [t.TensorShape([])] + rest
        frame = g.unique_name("while_context")
        loop_list = [v.value() if isinstance(v, t.Variable) else _u.convert_to_tensor(v) for v in loop_list]
        invariants = _shape_invariants(loop_list, shape_invariants)
        loop_start = g._g.num_ops
        with t.control_dependencies(None):
            enters = [_enter(x, frame, False, parallel_iterations, shape=s) for x, s in zip(loop_list, invariants)]
        merges = [_merge([x, x])[0] for x in enters]
        internal = {e.op._id for e in enters} | {m.op._id for m in merges}
        start = g._g.num_ops
        c = _u.convert_to_tensor(cond(*merges))
        capture = lambda x: _enter(x, frame, True, parallel_iterations)  # noqa: E731
        _capture(g, start, internal, capture, merges[0].op, loop=True)
        pivot = _simple("LoopCond", c, name="LoopCond")
        switches = [_switch(m, pivot) for m in merges]
        ids = [t.identity(s[1]) for s in switches]
        internal |= {x.op._id for x in ids} | {s[0].op._id for s in switches} | {pivot.op._id}
        start = g._g.num_ops
        result = body(*ids)
        result = [result] if not isinstance(result, (list, tuple)) else list(result)
        _capture(g, start, internal, capture, ids[0].op, loop=True)
        if len(merges) != len(result):
            raise ValueError("Number of inputs and outputs of body must match loop_vars: %d, %d"
                             % (len(merges), len(result)))
        for m, v in zip(merges, result):
            v = _u.convert_to_tensor(v)
            nxt = _simple("NextIteration", v)
            if not _shape_less_than_or_equal(nxt.shape, m.shape):  # _EnforceShapeInvariant
                input_t = m.op.inputs[0].op.inputs[0]
                raise ValueError("Input tensor '%s' enters the loop with shape %s, but has shape %s after one "
                                 "iteration. To allow the shape to vary across iterations, use the `shape_invariants` "
                                 "argument of tf.while_loop to specify a less-specific shape."
                                 % (input_t.name, input_t.shape, nxt.shape))
            g._g.set_op_inputs(m.op._id, [m.op.inputs[0], nxt], [c._id for c in m.op.control_inputs])
        exits = [_simple("Exit", s[0]) for s in switches]
        # Every op of the loop but its Exits can be neither fetched nor fed (an outer context marks those).
        exit_ids = {e.op._id for e in exits}
        _prevent_fetching(g, [i for i in range(loop_start, g._g.num_ops) if i not in exit_ids], feeding=True)
        if maximum_iterations is not None:
            exits = exits[1:]
        if return_same_structure:
            return exits[0] if single else exits
        return exits[0] if len(exits) == 1 else exits
