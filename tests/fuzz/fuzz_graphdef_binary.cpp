// Fuzz target: binary GraphDef import (importGraphDefBytes, docs/formats.md §6).
// Invariants: see graph_import_check.h.
#include "tests/fuzz/graph_import_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    scopeviz::Graph g;
    auto r = scopeviz::importGraphDefBytes(std::string_view(reinterpret_cast<const char*>(data), size), g);
    scopeviz::fuzz::checkImport(r, g);
    return 0;
}
