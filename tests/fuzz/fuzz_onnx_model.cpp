// Fuzz target: ONNX model import (importGraphBytes with the format forced, core/onnx,
// docs/formats.md §9): libonnx's parser, the field-by-field salvage of damaged files, the
// checker, shape inference and the graph built from what was read.
// Invariants: see graph_import_check.h.
#include "tests/fuzz/graph_import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    scopeviz::Graph g;
    scopeviz::ImportOptions o;
    o.format = scopeviz::GraphFormat::OnnxModel;
    auto r = scopeviz::importGraphBytes(std::string_view(reinterpret_cast<const char*>(data), size), g, o);
    scopeviz::fuzz::checkImport(r, g);
    return 0;
}
