// Fuzz target: text GraphDef import (`.pbtxt`, docs/formats.md §6), including
// the nesting pre-scan that keeps protobuf's text parser off deep input.
// Invariants: see graph_import_check.h.
#include "tests/fuzz/graph_import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    scopeviz::ImportOptions o;
    o.format = scopeviz::GraphFormat::TextGraphDef;
    scopeviz::Graph g;
    auto r = scopeviz::importGraphBytes(std::string_view(reinterpret_cast<const char*>(data), size), g, o);
    scopeviz::fuzz::checkImport(r, g);
    return 0;
}
