"""tf.train.Saver with TensorFlow 1.15's save/ ops (saver.py, BulkSaverBuilder, V2 format) and
export_meta_graph / import_meta_graph.

The save/ ops are built as TensorFlow names them (save/filename/input, save/filename, save/Const,
save/SaveV2 with its tensor_names and shape_and_slices, save/control_dependency, save/RestoreV2,
save/Assign..., save/restore_all). SaveV2 and RestoreV2 have no kernels here: Saver.save and
Saver.restore run the variables' values through the session and keep them in an .npz file next
to the checkpoint prefix (`<prefix>.npz`, the `checkpoint` index file as TensorFlow writes it);
restore feeds RestoreV2's outputs, so the same save/Assign ops do the assignment."""
import os as _os

import numpy as _np

from scopeviz import _core
from scopeviz.compat.v1 import _op_util as _u
from scopeviz.compat.v1._op_util import T, tf


def _var_dict(var_list):
    t = tf()
    if var_list is None:
        var_list = t.global_variables()
    if isinstance(var_list, dict):
        items = list(var_list.items())
    else:
        items = []
        for v in var_list:
            if not isinstance(v, t.Variable):
                raise TypeError("Variable to save is not a Variable: %s" % (v,))
            items.append((v.op.name, v))
    names = {}
    for name, v in items:
        if name in names:
            raise ValueError("At least two variables have the same name: %s" % name)
        names[name] = v
    return sorted(names.items())


class Saver(object):
    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5, keep_checkpoint_every_n_hours=10000.0,
                 name=None, restore_sequentially=False, saver_def=None, builder=None, defer_build=False,
                 allow_empty=False, write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        t = tf()
        self._items = _var_dict(var_list)
        if not self._items:
            if allow_empty:
                self._empty = True
                return
            raise ValueError("No variables to save")
        self._empty = False
        self._max_to_keep = max_to_keep
        self._keep_every_n_hours = keep_checkpoint_every_n_hours
        self._last = []
        g = self._items[0][1].graph
        self._graph = g
        with g.as_default(), t.name_scope(name, "save", [v.op for _, v in self._items]) as scope:
            fn = _placeholder_with_default(filename or "model", "filename")
            fn = _placeholder_with_default(fn, "Const")
            self._filename = fn
            names = [n for n, _ in self._items]
            tensors = [v.value() for _, v in self._items]
            save = _u.make_op("SaveV2", None, [("prefix", fn, None), ("tensor_names", _np.array(names, dtype=object),
                                                                     t.string),
                                               ("shape_and_slices", _np.array([""] * len(names), dtype=object),
                                                t.string), ("tensors", _u.ListArg(tensors), None)],
                              lambda ins: {"dtypes": ("types", [x.dtype.base_dtype._enum for x in ins[3:]])},
                              lambda n, ins: [])
            with t.colocate_with(fn):
                with t.control_dependencies([save]):
                    self._save_tensor = t.identity(fn, name="control_dependency")
            with t.device("/device:CPU:0") if hasattr(t, "device") else _null():
                dtypes = [v.dtype.base_dtype for _, v in self._items]
                restore = _u.make_op("RestoreV2", None, [("prefix", fn, None),
                                                         ("tensor_names", _np.array(names, dtype=object), t.string),
                                                         ("shape_and_slices", _np.array([""] * len(names), dtype=object),
                                                          t.string)],
                                     {"dtypes": ("types", [d._enum for d in dtypes])},
                                     lambda n, ins: [(d, None) for d in dtypes])
            self._restored = list(restore.outputs)
            assigns = []
            for (n, v), r in zip(self._items, self._restored):
                assigns.append(t.assign(v, r, validate_shape=v.shape.is_fully_defined()).op)
            self._restore_op = t.group(*assigns, name="restore_all")
            self._scope = scope

    @property
    def saver_def(self):
        return {"filename_tensor_name": self._filename.name, "save_tensor_name": self._save_tensor.name,
                "restore_op_name": self._restore_op.name, "max_to_keep": self._max_to_keep, "version": 2}

    def save(self, sess, save_path, global_step=None, latest_filename=None, meta_graph_suffix="meta",
             write_meta_graph=True, write_state=True, strip_default_attrs=False, save_debug_info=False):
        if self._empty:
            return None
        if global_step is not None:
            step = global_step if isinstance(global_step, int) else int(sess.run(global_step))
            save_path = "%s-%d" % (save_path, step)
        d = _os.path.dirname(_os.path.abspath(save_path))
        if not _os.path.isdir(d):
            raise ValueError("Parent directory of %s doesn't exist, can't save." % save_path)
        _write_checkpoint(save_path, [n for n, _ in self._items], sess.run([v.value() for _, v in self._items]))
        if write_state:
            self._last = [p for p in self._last if p != save_path] + [save_path]
            while self._max_to_keep and len(self._last) > self._max_to_keep:
                old = self._last.pop(0)
                if _os.path.exists(old + ".npz"):
                    _os.remove(old + ".npz")
            with open(_os.path.join(d, latest_filename or "checkpoint"), "w") as f:
                f.write('model_checkpoint_path: "%s"\n' % save_path)
                for p in self._last:
                    f.write('all_model_checkpoint_paths: "%s"\n' % p)
        if write_meta_graph:
            export_meta_graph(save_path + "." + meta_graph_suffix, graph=self._graph, saver=self)
        return save_path

    def restore(self, sess, save_path):
        if self._empty:
            return
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        _run_restore(sess, save_path, [n for n, _ in self._items], self._restored, self._restore_op)

    def last_checkpoints(self):
        return list(self._last)

    last_checkpoints = property(last_checkpoints)

    def as_saver_def(self):
        return self.saver_def


def _write_checkpoint(save_path, names, values):
    """The checkpoint's values: `<prefix>.npz` holding v0, v1, ... and their names."""
    _np.savez(save_path + ".npz", **{"v%d" % i: val for i, val in enumerate(values)}, __names__=_np.array(names))


def _run_restore(sess, save_path, names, restored_outputs, restore_op):
    """Runs the save/ restore ops with RestoreV2's outputs fed from `<prefix>.npz`."""
    if save_path is None:
        raise ValueError("Can't load save_path when it is None.")
    path = save_path + ".npz"
    if not _os.path.exists(path):
        raise ValueError("The passed save_path is not a valid checkpoint: " + save_path)
    data = _np.load(path, allow_pickle=False)
    stored = list(data["__names__"])
    feed = {}
    for n, out in zip(names, restored_outputs):
        if n not in stored:
            raise ValueError("Key %s not found in checkpoint" % n)
        feed[out] = data["v%d" % stored.index(n)]
    sess.run(restore_op, feed_dict=feed)


class _null(object):
    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


def _placeholder_with_default(value, name):
    t = tf()
    return _u.make_op("PlaceholderWithDefault", name, [("input", value, t.string)],
                      lambda ins: {"dtype": T(ins[0].dtype), "shape": ("shape", [])},
                      lambda n, ins: [(ins[0].dtype.base_dtype, [])]).outputs[0]


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    p = _os.path.join(checkpoint_dir, latest_filename or "checkpoint")
    if not _os.path.exists(p):
        return None
    for line in open(p):
        if line.startswith("model_checkpoint_path:"):
            return line.split('"')[1]
    return None


# --------------------------------------------------------------------------- meta graphs (core/io)


def export_meta_graph(filename=None, meta_info_def=None, graph_def=None, saver_def=None, collection_list=None,
                      as_text=False, graph=None, export_scope=None, clear_devices=False, clear_extraneous_savers=False,
                      strip_default_attrs=False, saver=None, **kwargs):
    """tf.train.export_meta_graph: a MetaGraphDef (graph_def, tensorflow_version, the collections of
    op and tensor names, the saver's SaverDef) written to `filename` as binary protobuf."""
    t = tf()
    g = graph or t.get_default_graph()
    saver_names = None
    if saver is not None and not saver._empty:
        saver_names = (saver._filename.name, saver._save_tensor.name, saver._restore_op.name,
                       saver._max_to_keep, float(saver._keep_every_n_hours))
    collections = []
    keys = collection_list if collection_list is not None else g.get_all_collection_keys()
    for key in keys:
        names = [item.name for item in g.get_collection(key)
                 if isinstance(item, t.Variable) or isinstance(getattr(item, "name", None), str)]
        if names:
            collections.append((key, names))
    out = _core.serialize_meta_graph(_core.graph_def_bytes(g._g), "1.15.0", "scopeviz", saver_names, collections)
    if filename:
        with open(filename, "wb") as f:
            f.write(out)
    return out


def import_meta_graph(meta_graph_or_file, clear_devices=False, import_scope=None, **kwargs):
    """tf.train.import_meta_graph: the graph's ops into the default graph (names under import_scope),
    its collections of names restored; returns a saver over the imported save/ ops when the meta graph
    has a SaverDef, else None."""
    t = tf()
    if isinstance(meta_graph_or_file, (bytes, bytearray)):
        data = bytes(meta_graph_or_file)
    else:
        if not _os.path.exists(meta_graph_or_file):
            raise IOError("File %s does not exist." % meta_graph_or_file)
        with open(meta_graph_or_file, "rb") as f:
            data = f.read()
    source = "<bytes>" if isinstance(meta_graph_or_file, (bytes, bytearray)) else meta_graph_or_file
    try:
        gd, saver_def, collections = _core.parse_meta_graph(data, source)
    except ValueError as e:
        raise IOError(str(e))
    g = t.get_default_graph()
    _core.import_graph_def_into(g._g, gd, import_scope or "")

    def scoped(n):
        return import_scope + "/" + n if import_scope else n
    for key, names in collections:
        for n in names:
            try:
                item = g.as_graph_element(scoped(n))
            except (KeyError, ValueError):
                continue
            if key in ("variables", "trainable_variables", "local_variables", "model_variables"):
                g.get_collection_ref(key).append(item)
            else:
                g.add_to_collection(key, item)
    if saver_def and saver_def[2]:
        return _ImportedSaver(g, scoped(saver_def[2]))
    return None


class _ImportedSaver(object):
    """What import_meta_graph returns for a meta graph with a SaverDef: save and restore through the
    imported save/ ops (RestoreV2's outputs fed from the checkpoint, save/restore_all run)."""

    def __init__(self, graph, restore_op_name):
        self._graph = graph
        self._restore_op = graph.get_operation_by_name(restore_op_name)
        prefix = restore_op_name.rsplit("/", 1)[0]
        self._restore_v2 = graph.get_operation_by_name(prefix + "/RestoreV2")
        names = graph.get_operation_by_name(prefix + "/RestoreV2/tensor_names").get_attr("value")
        self._names = [n.decode() if isinstance(n, bytes) else str(n) for n in _np.asarray(names).reshape(-1)]
        self._scope = prefix[:-len("save")] if prefix.endswith("save") else ""

    def restore(self, sess, save_path):
        _run_restore(sess, save_path, self._names, list(self._restore_v2.outputs), self._restore_op)

    def save(self, sess, save_path, global_step=None, **kwargs):
        if global_step is not None:
            save_path = "%s-%d" % (save_path, global_step if isinstance(global_step, int) else
                                   int(sess.run(global_step)))
        _write_checkpoint(save_path, self._names,
                          sess.run([self._graph.get_tensor_by_name(self._scope + n + ":0") for n in self._names]))
        return save_path
