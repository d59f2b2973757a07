"""scopeviz: TensorFlow 1.x scoping, made visible.

Use ``import scopeviz.compat.v1 as tf`` for TensorFlow 1.x's API, and
``scopeviz.load(path)`` to open a graph file (GraphDef, MetaGraphDef,
SavedModel, event file or ONNX model) and walk its scope tree.
"""
__version__ = "0.1.0"


class Scope(object):
    """One scope of a loaded model's tree: its ops, variables and child scopes."""

    def __init__(self, graph, record):
        self._graph = graph
        self.path = record["path"]        # "" for the root, "layer1/layer1.0" below it
        self.name = record["name"]        # the last component
        self.kind = record["kind"]        # "name scope" or "variable scope"
        self.series = record["series"]    # "encoder_layer_[0-11]" for a series member, else ""
        self._ops = record["ops"]
        self._variables = record["variables"]
        self.children = []
        self.parent = None

    @property
    def ops(self):
        """The operations directly inside this scope (compat.v1 Operations)."""
        return [self._graph.get_operations()[i] for i in self._ops] if self._ops else []

    @property
    def variables(self):
        """(operation, number of scopes sharing it) for each variable directly inside this scope."""
        ops = self._graph.get_operations()
        return [(ops[i], shared) for i, shared in self._variables]

    def walk(self):
        """This scope and every scope below it, parents first."""
        yield self
        for c in self.children:
            yield from c.walk()

    def find(self, path):
        """The scope with this path below (or at) this one, or None."""
        for s in self.walk():
            if s.path == path:
                return s
        return None

    def __repr__(self):
        return "<Scope %r, %d ops, %d child scopes>" % (self.path or "(root)", len(self._ops), len(self.children))


class Model(object):
    """A graph file opened by scopeviz.load()."""

    def __init__(self, graph, properties, warnings):
        self.graph = graph                      # a scopeviz.compat.v1.Graph
        self.properties = dict(properties)      # format, and for ONNX ir_version, producer, opset_import, ...
        self.property_list = list(properties)   # the same in file order (opset_import may repeat)
        self.warnings = list(warnings)          # e.g. the ONNX checker's message
        self._tree = None

    @property
    def tree(self):
        """The root Scope of the scope tree (built on first use)."""
        if self._tree is None:
            from scopeviz import _core
            records = _core.scope_tree(self.graph._g)
            scopes = [Scope(self.graph, r) for r in records]
            for s, r in zip(scopes, records):
                if r["parent"] >= 0:
                    s.parent = scopes[r["parent"]]
                    s.parent.children.append(s)
            self._tree = scopes[0]
        return self._tree


def load(path):
    """Opens a graph file the way the scopeviz command line does; ValueError names the file on failure."""
    from scopeviz import _core
    from scopeviz.compat import v1
    core_graph, properties, warnings = _core.import_graph_file(str(path))
    return Model(v1.Graph(_core_graph=core_graph), properties, warnings)
