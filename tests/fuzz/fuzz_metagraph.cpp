// Fuzz target: the other graph containers (docs/formats.md §6): binary and text
// MetaGraphDef (`.meta`), SavedModel (saved_model.pb), and detection of the
// container from the bytes. The first input byte picks which; the rest is the
// file. Invariants: see graph_import_check.h.
#include "tests/fuzz/graph_import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0)
        return 0;
    using scopeviz::GraphFormat;
    static const GraphFormat kFormats[] = {GraphFormat::BinaryMetaGraphDef, GraphFormat::TextMetaGraphDef,
                                           GraphFormat::SavedModel, GraphFormat::Unknown};
    scopeviz::ImportOptions o;
    o.format = kFormats[data[0] % 4];
    const std::string_view bytes(reinterpret_cast<const char*>(data + 1), size - 1);
    if (o.format == GraphFormat::Unknown) {
        const GraphFormat detected = scopeviz::detectGraphFormat(bytes);
        SCOPEVIZ_FUZZ_CHECK(scopeviz::graphFormatName(detected) != nullptr);
        if (bytes.empty())
            return 0;
    }
    scopeviz::Graph g;
    auto r = scopeviz::importGraphBytes(bytes, g, o);
    scopeviz::fuzz::checkImport(r, g);
    return 0;
}
