// Session, gradients, optimizers and the summary FileWriter.
#include "app/python/bindings.h"

#include "core/exec/session.h"
#include "core/io/graphdef_io.h"
#include "core/io/trace_text.h"
#include "core/summary/event_writer.h"
#include "core/train/gradients.h"
#include "core/train/optimizers.h"
#include "core/util/error.h"

#include <pybind11/stl.h>

namespace scopeviz::python {

namespace {

/// A Session bound to one graph (the graph is kept alive by the session).
struct PySession {
    GraphPtr graph;
    std::unique_ptr<exec::Session> session;
};

/// An optimizer and the graph it builds into.
struct PyOptimizer {
    std::unique_ptr<train::Optimizer> opt;
};

Variable toVariable(const PyVariable& v) { return Variable{v.graph.get(), v.index}; }

} // namespace

void bindRuntime(py::module_& m)
{
    py::class_<PySession>(m, "Session")
        .def(py::init([](const GraphPtr& g, int threads) {
            exec::SessionOptions o;
            o.intraOpThreads = threads;
            return PySession{g, std::make_unique<exec::Session>(*g, o)};
        }), py::arg("graph"), py::arg("intra_op_threads") = 0)
        .def("run", [](PySession& s, const std::vector<PyTensor>& fetches, py::list feeds, const std::vector<int>& targets) {
            std::vector<Output> f;
            for (const PyTensor& t : fetches)
                f.push_back(t.output);
            std::vector<std::pair<Output, Tensor>> fd;
            for (py::handle item : feeds) {
                py::tuple kv = item.cast<py::tuple>();
                const PyTensor& key = kv[0].cast<const PyTensor&>();
                DType want = baseType(s.graph->info(key.output).dtype);
                fd.emplace_back(key.output, toTensor(kv[1], want));
            }
            std::vector<OpId> tg(targets.begin(), targets.end());
            std::vector<Tensor> out;
            {
                py::gil_scoped_release release; // long runs must not block other Python threads
                out = s.session->run(f, fd, tg);
            }
            py::list result;
            for (const Tensor& t : out)
                result.append(fromTensor(t));
            return result;
        })
        .def("cancel", [](PySession& s) { s.session->cancel(); })
        .def("variable_value", [](PySession& s, const PyVariable& v) {
            return fromTensor(s.session->variableValue(v.graph->variable(v.index).op));
        });

    m.def("gradients", [](const GraphPtr& g, const std::vector<PyTensor>& ys, py::list xs, py::object gradYs,
                          const std::string& name) {
        std::vector<Output> y, x;
        for (const PyTensor& t : ys)
            y.push_back(t.output);
        for (py::handle h : xs) {
            if (py::isinstance<PyVariable>(h)) {
                const PyVariable& v = h.cast<const PyVariable&>();
                x.push_back(Output{v.graph->variable(v.index).op, 0});
            } else {
                x.push_back(h.cast<const PyTensor&>().output);
            }
        }
        std::vector<std::optional<Output>> gy;
        if (!gradYs.is_none())
            for (py::handle h : gradYs)
                gy.push_back(h.is_none() ? std::nullopt : std::optional<Output>(h.cast<const PyTensor&>().output));
        train::GradientsOptions o;
        o.name = name.empty() ? "gradients" : name;
        train::GradientList r = train::gradients(*g, y, x, gy, o);
        py::list out;
        for (const auto& gr : r)
            out.append(gr ? py::cast(PyTensor{g, *gr}) : py::object(py::none()));
        return out;
    });

    py::class_<PyOptimizer>(m, "Optimizer")
        .def("compute_gradients", [](PyOptimizer& o, const PyTensor& loss, py::object varList) {
            std::vector<Variable> vars;
            if (!varList.is_none())
                for (py::handle h : varList)
                    vars.push_back(toVariable(h.cast<const PyVariable&>()));
            auto gv = o.opt->computeGradients(*loss.graph, loss.output, vars);
            py::list out;
            for (const auto& p : gv)
                out.append(py::make_tuple(p.grad ? py::cast(PyTensor{loss.graph, *p.grad}) : py::object(py::none()),
                                          PyVariable{loss.graph, p.var.index}));
            return out;
        })
        .def("apply_gradients", [](PyOptimizer& o, const GraphPtr& g, py::list gradsAndVars, py::object globalStep,
                                   const std::string& name) {
            std::vector<train::GradAndVar> gv;
            for (py::handle h : gradsAndVars) {
                py::tuple t = h.cast<py::tuple>();
                train::GradAndVar p;
                if (!t[0].is_none())
                    p.grad = t[0].cast<const PyTensor&>().output;
                p.var = toVariable(t[1].cast<const PyVariable&>());
                gv.push_back(p);
            }
            std::optional<Variable> step;
            if (!globalStep.is_none())
                step = toVariable(globalStep.cast<const PyVariable&>());
            return PyOperation{g, o.opt->applyGradients(*g, gv, step, name)};
        })
        .def("minimize", [](PyOptimizer& o, const PyTensor& loss, py::object globalStep, py::object varList,
                            const std::string& name) {
            std::optional<Variable> step;
            if (!globalStep.is_none())
                step = toVariable(globalStep.cast<const PyVariable&>());
            std::vector<Variable> vars;
            if (!varList.is_none())
                for (py::handle h : varList)
                    vars.push_back(toVariable(h.cast<const PyVariable&>()));
            return PyOperation{loss.graph, o.opt->minimize(*loss.graph, loss.output, step, vars,
                                                           train::GateGradients::Op, name)};
        })
        .def("get_slot", [](PyOptimizer& o, const PyVariable& v, const std::string& name) -> py::object {
            auto s = o.opt->slot(toVariable(v), name);
            if (!s)
                return py::none();
            return py::cast(PyVariable{v.graph, s->index});
        })
        .def("get_slot_names", [](PyOptimizer& o) { return o.opt->slotNames(); });

    m.def("gradient_descent", [](const GraphPtr& g, py::object lr, bool locking, const std::string& name) {
        return PyOptimizer{std::make_unique<train::GradientDescentOptimizer>(toInput(g, lr), locking, name)};
    });
    m.def("momentum", [](const GraphPtr& g, py::object lr, py::object mom, bool locking, const std::string& name,
                         bool nesterov) {
        return PyOptimizer{
            std::make_unique<train::MomentumOptimizer>(toInput(g, lr), toInput(g, mom), locking, name, nesterov)};
    });
    m.def("adam", [](const GraphPtr& g, py::object lr, double b1, double b2, double eps, bool locking,
                     const std::string& name) {
        return PyOptimizer{std::make_unique<train::AdamOptimizer>(toInput(g, lr), b1, b2, eps, locking, name)};
    });
    m.def("get_or_create_global_step", [](const GraphPtr& g) {
        return PyVariable{g, train::getOrCreateGlobalStep(*g).index};
    });
    m.def("get_global_step", [](const GraphPtr& g) -> py::object {
        auto v = train::getGlobalStep(*g);
        if (!v)
            return py::none();
        return py::cast(PyVariable{g, v->index});
    });

    py::class_<EventWriter>(m, "EventWriter")
        .def(py::init<std::string, std::string>(), py::arg("logdir"), py::arg("suffix") = "")
        .def("add_summary", [](EventWriter& w, py::bytes s, int64_t step) { w.addSummary(std::string(s), step); })
        .def("add_graph", [](EventWriter& w, const Graph& g, int64_t step) { w.addGraphDef(serializeGraphDef(g), step); })
        .def("add_graph_def_bytes", [](EventWriter& w, py::bytes b, int64_t step) { w.addGraphDef(std::string(b), step); })
        .def("add_scalar", [](EventWriter& w, const std::string& tag, double v, int64_t step) { w.addScalar(tag, v, step); })
        .def("flush", [](EventWriter& w) {
            auto r = w.flush();
            if (!r.ok())
                throw scopeviz::RuntimeError(r.error());
        })
        .def("close", [](EventWriter& w) { (void)w.close(); })
        .def("set_flush_secs", &EventWriter::setFlushSecs)
        .def_property_readonly("path", &EventWriter::filePath)
        .def_property_readonly("logdir", &EventWriter::logdir);

    m.def("graph_def_bytes", [](const Graph& g) { return py::bytes(serializeGraphDef(g)); });
    m.def("trace_text", [](const Graph& g) { return traceToText(g); });
}

} // namespace scopeviz::python
