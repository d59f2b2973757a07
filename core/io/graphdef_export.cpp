// Exporting a Graph as a TensorFlow GraphDef, and the --list-ops listing.
//
// The output follows what TF 1.x's own tf.train.write_graph produces, so
// TensorFlow's importer and TensorBoard accept it: nodes in creation order
// (every input is created before its consumer in graphs we build; imported
// graphs keep their file order, which TF does not require to be
// topological), inputs as `name` / `name:k` with control inputs `^name`
// last, attrs by TF's names, `_output_shapes` from our static output shapes,
// and `versions { producer }`. Binary output is serialized deterministically
// (map entries sorted), so exporting the same graph twice gives the same bytes.
#include "core/io/attr_convert.h"
#include "core/io/graphdef_io.h"
#include "core/proto/graph.pb.h"
#include "core/util/strings.h"

#include <google/protobuf/arena.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>
#include <google/protobuf/text_format.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace scopeviz {
namespace {

/// Appends the input string TF writes for an edge: `name` for output 0, else `name:k`.
void appendInputName(std::string& s, const Graph& g, const Output& in)
{
    s.append(g.op(in.op).name());
    if (in.index != 0) {
        s += ':';
        s += std::to_string(in.index);
    }
}

void fillGraphDef(const Graph& g, const ExportOptions& o, tfproto::GraphDef* gd)
{
    gd->mutable_node()->Reserve(g.numOps());
    std::string input;
    for (OpId i = 0; i < g.numOps(); ++i) {
        const Operation& op = g.op(i);
        tfproto::NodeDef* n = gd->add_node();
        n->set_name(std::string(op.name()));
        n->set_op(op.type());
        for (const Output& in : op.inputs()) {
            input.clear();
            appendInputName(input, g, in);
            n->add_input(input);
        }
        for (OpId c : op.controlInputs()) {
            const std::string_view name = g.op(c).name();
            input.resize(name.size() + 1);
            input[0] = '^';
            std::memcpy(input.data() + 1, name.data(), name.size());
            n->add_input(input);
        }
        if (!op.device().empty())
            n->set_device(op.device());
        auto& attrs = *n->mutable_attr();
        for (const Attr& a : op.attrs()) {
            if (o.withOutputShapes && a.name == "_output_shapes")
                continue; // rewritten below from the op's outputs
            tfproto::AttrValue& slot = attrs[a.name.str()];
            if (!detail::attrToProto(a.value, &slot))
                attrs.erase(a.name.str());
        }
        if (o.withOutputShapes) {
            auto* list = attrs["_output_shapes"].mutable_list();
            for (const OutputInfo& out : op.outputs())
                detail::shapeToProto(out.shape, list->add_shape());
        }
    }
    gd->mutable_versions()->set_producer(o.producer);
}

} // namespace

std::string exportGraphDef(const Graph& g, const ExportOptions& o)
{
    google::protobuf::Arena arena;
    auto* gd = google::protobuf::Arena::CreateMessage<tfproto::GraphDef>(&arena);
    fillGraphDef(g, o, gd);
    std::string out;
    if (o.binary) {
        out.reserve(gd->ByteSizeLong());
        google::protobuf::io::StringOutputStream stream(&out);
        google::protobuf::io::CodedOutputStream coded(&stream);
        coded.SetSerializationDeterministic(true);
        gd->SerializeToCodedStream(&coded);
    } else {
        google::protobuf::TextFormat::Printer printer;
        printer.PrintToString(*gd, &out);
    }
    return out;
}

std::string serializeGraphDef(const Graph& g) { return exportGraphDef(g, ExportOptions{}); }

Expected<void> writeGraphFile(const Graph& g, const std::string& path, ExportOptions options)
{
    const std::string lower = toLower(path);
    options.binary = !(endsWith(lower, ".pbtxt") || endsWith(lower, ".pbtext") || endsWith(lower, ".prototxt") ||
                       endsWith(lower, ".txt"));
    const std::string bytes = exportGraphDef(g, options);
    const std::string tmp = path + ".tmp";
    {
        std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
        if (!out)
            return unexpected(cat(path, ": cannot be written (", std::strerror(errno), ")"));
        out.write(bytes.data(), std::streamsize(bytes.size()));
        out.flush();
        if (!out) {
            std::error_code ignored;
            std::filesystem::remove(tmp, ignored);
            return unexpected(cat(path, ": write failed (", std::strerror(errno), ")"));
        }
    }
    std::error_code ec;
    std::filesystem::rename(tmp, path, ec);
    if (ec) {
        std::error_code ignored;
        std::filesystem::remove(tmp, ignored);
        return unexpected(cat(path, ": cannot be written (", ec.message(), ")"));
    }
    return {};
}

const Operation* findOpOrImportedName(const Graph& g, std::string_view name)
{
    if (const Operation* op = g.findOp(name))
        return op;
    for (OpId i = 0; i < g.numOps(); ++i) {
        const AttrValue* a = g.op(i).attrs().find("onnx_name");
        if (a && a->kind() == AttrValue::Kind::String && a->str() == name)
            return &g.op(i);
    }
    return nullptr;
}

void listOps(const Graph& g, std::ostream& out)
{
    std::string line;
    for (OpId i = 0; i < g.numOps(); ++i) {
        const Operation& op = g.op(i);
        // ONNX ops (core/onnx) are listed as the file names them: node name and input value names.
        if (const AttrValue* onnxName = op.attrs().find("onnx_name");
            onnxName && onnxName->kind() == AttrValue::Kind::String) {
            line.assign(onnxName->str());
            line += '\t';
            line += op.type();
            line += '\t';
            if (const AttrValue* ins = op.attrs().find("onnx_inputs"); ins && ins->kind() == AttrValue::Kind::StringList)
                line += join(ins->strings(), ",");
            line += '\n';
            out << line;
            continue;
        }
        line.assign(op.name());
        line += '\t';
        line += op.type();
        line += '\t';
        bool first = true;
        for (const Output& in : op.inputs()) {
            if (!first)
                line += ',';
            appendInputName(line, g, in);
            first = false;
        }
        for (OpId c : op.controlInputs()) {
            if (!first)
                line += ',';
            line += '^';
            line.append(g.op(c).name());
            first = false;
        }
        line += '\n';
        out << line;
    }
}

} // namespace scopeviz
