#include "core/io/meta_graph_io.h"

#include "core/io/graphdef_io.h"
#include "core/io/text_nesting.h"
#include "core/proto/meta_graph.pb.h"
#include "core/util/strings.h"

#include <google/protobuf/io/tokenizer.h>
#include <google/protobuf/text_format.h>

#include <algorithm>
#include <climits>

namespace scopeviz {

std::string serializeMetaGraph(const MetaGraphParts& parts)
{
    tfproto::MetaGraphDef m;
    auto* info = m.mutable_meta_info_def();
    info->set_tensorflow_version(parts.tensorflowVersion);
    info->set_tensorflow_git_version(parts.tensorflowGitVersion);
    for (const std::string& t : parts.tags)
        info->add_tags(t);
    if (!m.mutable_graph_def()->ParseFromString(parts.graphDef))
        m.clear_graph_def(); // never the case for what serializeGraphDef wrote
    if (parts.saver) {
        auto* s = m.mutable_saver_def();
        s->set_filename_tensor_name(parts.saver->filenameTensor);
        s->set_save_tensor_name(parts.saver->saveTensor);
        s->set_restore_op_name(parts.saver->restoreOp);
        s->set_max_to_keep(parts.saver->maxToKeep);
        s->set_sharded(parts.saver->sharded);
        s->set_keep_checkpoint_every_n_hours(parts.saver->keepCheckpointEveryNHours);
        s->set_version(tfproto::SaverDef::V2);
    }
    for (const auto& [key, names] : parts.collections) {
        auto* list = (*m.mutable_collection_def())[key].mutable_node_list();
        for (const std::string& n : names)
            list->add_value(n);
    }
    std::string out;
    m.SerializeToString(&out);
    return out;
}

namespace {

// Collects the text parser's first error with its position.
class FirstError final : public google::protobuf::io::ErrorCollector {
public:
    std::string message;
    void AddError(int line, int column, const std::string& text) override
    {
        if (message.empty())
            message = cat(line + 1, ':', column + 1, ": ", text);
    }
};

} // namespace

Expected<MetaGraphParts> parseMetaGraph(std::string_view bytes, const std::string& source)
{
    tfproto::MetaGraphDef m;
    if (bytes.size() > size_t(INT_MAX))
        return unexpected(cat("Cannot parse file ", source, ": ", bytes.size(), " bytes is over protobuf's 2 GiB limit."));
    // Binary first, then text, as TensorFlow tries them (text that happens to parse as binary protobuf is
    // recognised by its first field name instead).
    const bool text = detectGraphFormat(bytes) == GraphFormat::TextMetaGraphDef;
    if (text || !m.ParseFromArray(bytes.data(), int(bytes.size()))) {
        m.Clear();
        const detail::TextNesting nest = detail::scanTextNesting(bytes, kMaxTextNesting);
        if (nest.exceeded)
            return unexpected(cat("Cannot parse file ", source, ": ", nest.line, ':', nest.column,
                                  ": nested more than ", kMaxTextNesting, " levels deep."));
        google::protobuf::TextFormat::Parser parser;
        FirstError errors;
        parser.RecordErrorsTo(&errors);
        if (!parser.ParseFromString(std::string(bytes), &m)) {
            // Protobuf names our package; TensorFlow's message names its own.
            std::string why = errors.message.empty() ? std::string("not a MetaGraphDef") : errors.message;
            for (size_t at; (at = why.find("scopeviz.tfproto.")) != std::string::npos;)
                why.replace(at, 17, "tensorflow.");
            if (!why.empty() && why.back() == '.')
                why.pop_back();
            return unexpected(cat("Cannot parse file ", source, ": ", why, '.'));
        }
    }
    MetaGraphParts parts;
    parts.graphDef = m.graph_def().SerializeAsString();
    parts.tensorflowVersion = m.meta_info_def().tensorflow_version();
    parts.tensorflowGitVersion = m.meta_info_def().tensorflow_git_version();
    parts.tags.assign(m.meta_info_def().tags().begin(), m.meta_info_def().tags().end());
    if (m.has_saver_def()) {
        const auto& s = m.saver_def();
        parts.saver = SaverNames{s.filename_tensor_name(), s.save_tensor_name(), s.restore_op_name(),
                                 s.max_to_keep(), s.sharded(), s.keep_checkpoint_every_n_hours()};
    }
    // A protobuf map has no order; sort the keys so that collections come back the same way every time.
    std::vector<std::string> keys;
    for (const auto& [key, def] : m.collection_def())
        if (def.has_node_list())
            keys.push_back(key);
    std::sort(keys.begin(), keys.end());
    for (const std::string& key : keys) {
        const auto& list = m.collection_def().at(key).node_list();
        parts.collections.emplace_back(key, std::vector<std::string>(list.value().begin(), list.value().end()));
    }
    return parts;
}

} // namespace scopeviz
