// Opening a model file from Python and walking its scope tree: any graph
// file the command line opens (a GraphDef, MetaGraphDef, SavedModel, event
// file or ONNX model) through core/io, and the tree, series and sharing of
// core/hierarchy. scopeviz.load() (scopeviz/__init__.py) wraps these.
#include "app/python/bindings.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/variable_index.h"
#include "core/io/graphdef_io.h"
#include "core/io/meta_graph_io.h"

#include <pybind11/stl.h>

namespace scopeviz::python {

void bindModel(py::module_& m)
{
    // (graph, properties, warnings); ValueError naming the file when nothing could be read.
    m.def("import_graph_file", [](const std::string& path) {
        auto g = std::make_shared<Graph>();
        Expected<ImportResult> r = [&] {
            py::gil_scoped_release release;
            return importGraphFile(path, *g);
        }();
        if (!r.ok())
            throw py::value_error(r.error());
        std::vector<std::pair<std::string, std::string>> props = r->properties;
        props.insert(props.begin(), {"format", graphFormatName(r->format)});
        return py::make_tuple(g, props, r->warnings);
    });
    // tf.import_graph_def / import_meta_graph: a serialized GraphDef's ops added to an existing graph, under
    // `scope/` when a scope is given; ValueError with the importer's message when nothing was read.
    m.def(
        "import_graph_def_into",
        [](const GraphPtr& g, const py::bytes& bytes, const std::string& scope) {
            std::string data = bytes;
            ImportOptions options;
            options.importScope = scope;
            Expected<ImportResult> r = importGraphDefBytes(data, *g, options);
            if (!r.ok())
                throw py::value_error(r.error());
            return r->opsAdded;
        },
        py::arg("graph"), py::arg("graph_def"), py::arg("scope") = "");
    // tf.train.export_meta_graph: a binary MetaGraphDef of a serialized GraphDef, the TensorFlow version, the
    // saver's (filename tensor, save tensor, restore op, max_to_keep, keep_checkpoint_every_n_hours) or None,
    // and node-list collections [(key, [names])].
    m.def(
        "serialize_meta_graph",
        [](const py::bytes& graphDef, const std::string& version, const std::string& gitVersion,
           const std::optional<std::tuple<std::string, std::string, std::string, int, float>>& saver,
           const std::vector<std::pair<std::string, std::vector<std::string>>>& collections) {
            MetaGraphParts parts;
            parts.graphDef = graphDef;
            parts.tensorflowVersion = version;
            parts.tensorflowGitVersion = gitVersion;
            if (saver) {
                const auto& [file, save, restore, keep, hours] = *saver;
                parts.saver = SaverNames{file, save, restore, keep, false, hours};
            }
            parts.collections = collections;
            return py::bytes(serializeMetaGraph(parts));
        },
        py::arg("graph_def"), py::arg("tensorflow_version"), py::arg("tensorflow_git_version"), py::arg("saver"),
        py::arg("collections"));
    // tf.train.import_meta_graph: (graph_def bytes, (filename tensor, save tensor, restore op) or None,
    // [(key, [names])]) of a binary or text MetaGraphDef; ValueError "Cannot parse file <source>: ...".
    m.def("parse_meta_graph", [](const py::bytes& data, const std::string& source) {
        const std::string bytes = data;
        Expected<MetaGraphParts> r = parseMetaGraph(bytes, source);
        if (!r.ok())
            throw py::value_error(r.error());
        py::object saver = py::none();
        if (r->saver)
            saver = py::make_tuple(r->saver->filenameTensor, r->saver->saveTensor, r->saver->restoreOp);
        return py::make_tuple(py::bytes(r->graphDef), saver, r->collections);
    });
    // One dict per scope, the root first and parents before children: path, name, parent
    // (index, -1 for the root), kind, ops (op ids directly inside), series label, and the
    // variables anchored in it as (op id, shared scopes).
    m.def("scope_tree", [](const GraphPtr& g) {
        auto tree = hierarchy::buildScopeTree(*g);
        auto index = hierarchy::VariableIndex::build(*g, tree);
        py::list out;
        for (hierarchy::ScopeId s = 0; s < tree->numScopes(); ++s) {
            const hierarchy::ScopeNode& node = tree->scope(s);
            py::dict d;
            d["path"] = std::string(tree->path(s));
            d["name"] = std::string(tree->name(s));
            d["parent"] = node.parent;
            d["kind"] = node.kind == hierarchy::ScopeKind::Variable ? "variable scope" : "name scope";
            d["ops"] = node.ops;
            d["series"] = node.series >= 0 ? tree->series()[size_t(node.series)].label : std::string();
            py::list vars;
            for (OpId op : node.ops) {
                const int32_t v = index->variableOf(hierarchy::Item{hierarchy::Item::Kind::Op, op});
                if (v >= 0)
                    vars.append(py::make_tuple(op, index->sharedScopes(v)));
            }
            d["variables"] = vars;
            out.append(d);
        }
        return out;
    });
}

} // namespace scopeviz::python
