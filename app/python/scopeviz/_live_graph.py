"""Hands the graph a script builds to scopeviz, without a FileWriter.

A student who runs ``scopeviz lesson.py`` wants to see the graph the lesson
builds; having to add ``tf.summary.FileWriter(..., graph)`` first is a step
that has nothing to do with the lesson. When scopeviz starts a script it sets
one of two variables, and this module does the rest:

``SCOPEVIZ_LIVE_GRAPH=<dir>`` (the window runs the script)
    A daemon thread looks at the script's graphs every ``_INTERVAL`` seconds.
    Each graph that has grown since it last looked is written to an event
    file of its own in <dir> (``*.scopeviz-graph-<k>``, k = 1, 2, ... in the
    order the graphs first had ops), which the window follows like any log
    directory: the ops appear while the script is still building, and a
    script that builds several ``tf.Graph()``s offers each one. At exit every
    graph that changed is written once more.

``SCOPEVIZ_GRAPH_OUT=<file>`` (``scopeviz lesson.py --list-ops`` and the
other headless commands)
    At exit the script's graph is written to <file> as a binary GraphDef:
    the default graph if it has ops, else the largest graph still alive,
    else the last one written.

Either way the graph's reuse trace (which scope and which get_variable call
came from which line) goes beside it, as text (core/io/trace_text.h): in
``<dir>/graph-<k>.scopeviz-trace``, or in ``<file>.trace``. A GraphDef has no
place for it, and "Why this name?" and the replay are told from it. A script
that builds nothing writes nothing, so scopeviz can say so.

Reading a graph while the script's thread adds ops to it is safe: the engine's
Graph allows concurrent reads, and the GIL orders the Python-level calls.
"""
import atexit as _atexit
import os as _os
import threading as _threading

from scopeviz import _core

_INTERVAL = 0.2  # seconds between looks: ops show up within a fifth of a second


class _Publisher(object):
    def __init__(self, live_dir, out_path, graphs, default_graph):
        self._live_dir = live_dir
        self._out_path = out_path
        self._graphs = graphs  # callable: the live Python Graph objects
        self._default_graph = default_graph  # callable: the global default graph, or None
        self._writers = {}  # id(engine graph) -> (k, EventWriter)
        self._seen = {}  # id(engine graph) -> op count last written
        self._published = []  # graphs written, kept alive so that exit can still name them
        self._stop = _threading.Event()
        self._lock = _threading.Lock()
        self._thread = None
        if live_dir:
            self._thread = _threading.Thread(target=self._run, name="scopeviz-live-graph", daemon=True)
            self._thread.start()
        _atexit.register(self._at_exit)

    def _run(self):
        while not self._stop.wait(_INTERVAL):
            try:
                with self._lock:
                    self._publish_grown()
            except Exception:  # the script's own work must never fail because of the preview
                pass

    def _publish_grown(self):
        # The live graphs, and those written before that the script no longer holds (kept in _published).
        candidates = {id(g._g): g for g in self._published}
        candidates.update((id(g._g), g) for g in self._graphs())
        for g in candidates.values():
            n = g._g.num_ops
            if n > 0 and self._seen.get(id(g._g)) != n:
                self._seen[id(g._g)] = n
                self._write_event(g)

    def _write_event(self, g):
        key = id(g._g)
        if key not in self._writers:
            _os.makedirs(self._live_dir, exist_ok=True)
            k = len(self._writers) + 1
            self._writers[key] = (k, _core.EventWriter(self._live_dir, ".scopeviz-graph-%d" % k))
            self._published.append(g)
        k, writer = self._writers[key]
        # The trace first: when the window sees the graph, the trace it reads is at least as new.
        _write_atomically(_os.path.join(self._live_dir, "graph-%d.scopeviz-trace" % k), _core.trace_text(g._g).encode())
        writer.add_graph(g._g, 0)
        writer.flush()

    def _final_graph(self):
        d = self._default_graph()
        if d is not None and d._g.num_ops > 0:
            return d
        alive = [g for g in self._graphs() if g._g.num_ops > 0]
        if alive:
            return max(alive, key=lambda x: x._g.num_ops)
        return self._published[-1] if self._published else None

    def _at_exit(self):
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=2 * _INTERVAL + 1)
        with self._lock:
            if self._live_dir:
                self._publish_grown()
                for _, writer in self._writers.values():
                    writer.close()
            if self._out_path:
                g = self._final_graph()
                if g is not None:
                    _write_atomically(self._out_path + ".trace", _core.trace_text(g._g).encode())
                    _write_atomically(self._out_path, _core.graph_def_bytes(g._g))


def _write_atomically(path, data):
    tmp = path + ".part"
    with open(tmp, "wb") as f:
        f.write(data)
    _os.replace(tmp, path)


_publisher = [None]


def start(graphs, default_graph):
    """Starts handing graphs over when scopeviz asked for it (see the module text); once per process."""
    live_dir = _os.environ.get("SCOPEVIZ_LIVE_GRAPH")
    out_path = _os.environ.get("SCOPEVIZ_GRAPH_OUT")
    if _publisher[0] is None and (live_dir or out_path):
        _publisher[0] = _Publisher(live_dir, out_path, graphs, default_graph)
