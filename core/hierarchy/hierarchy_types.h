#pragma once
// Small types shared by the hierarchy module: scope ids, items (a scope or an
// op leaf), scope kinds and merged edge statistics.
#include "core/tensor/dtype.h"

#include <cstdint>
#include <string>
#include <vector>

namespace scopeviz::hierarchy {

class ScopeTree;

namespace detail {
class TreeBuilder;
}

/// Index of a scope node in its ScopeTree; the root is 0.
using ScopeId = int32_t;
/// The root scope (the whole graph, path "").
constexpr ScopeId RootScope = 0;

/// How a scope was entered.
enum class ScopeKind : uint8_t {
    Name,     ///< plain name scope (or unknown, for imported graphs)
    Variable, ///< entered as a variable scope's name scope, or owns variables (see scope_tree.cpp)
};

/// A child of a scope: a scope or an op leaf.
struct Item {
    /// What the id refers to.
    enum class Kind : uint8_t { Scope, Op };
    Kind kind = Kind::Scope;
    /// ScopeId or OpId.
    int32_t id = -1;
    /// True for a child scope.
    bool isScope() const { return kind == Kind::Scope; }
    /// True for an op leaf.
    bool isOp() const { return kind == Kind::Op; }
    /// Same kind and id.
    bool operator==(const Item& o) const { return kind == o.kind && id == o.id; }
    /// A 32-bit packing, unique per item: ops odd, scopes even.
    uint32_t packed() const { return (uint32_t(id) << 1) | (kind == Kind::Op ? 1u : 0u); }
};

/// Merged statistics of the op-level edges one aggregated edge stands for.
struct EdgeStats {
    /// Op-level connections merged (tensor inputs plus control inputs).
    int32_t count = 0;
    /// How many of them are control dependencies.
    int32_t controlCount = 0;
    /// Bit d set when a tensor of base DType d (< 64) flows.
    uint64_t dtypeMask = 0;
    /// Total tensor size in elements, counting known dimensions only (unknown dims count 1, unknown rank 0).
    int64_t elements = 0;
    /// True when some tensor's shape was not fully known, so `elements` is a lower bound.
    bool partialSize = false;
    /// How many of them carry a variable's value: they leave a variable op or the variable's own read op
    /// (`<var>/read`, `<var>/Read/ReadVariableOp`). The GUI bundles these; the degree rule ignores them.
    int32_t variableCount = 0;
    /// True when a reference (ref dtype) or resource handle (VarHandleOp, DT_RESOURCE) flows.
    bool reference = false;

    /// True when at least one tensor flows.
    bool hasData() const { return count > controlCount; }
    /// True when at least one control dependency is included.
    bool hasControl() const { return controlCount > 0; }
    /// True when every merged edge carries a variable's value.
    bool onlyVariables() const { return count > 0 && variableCount == count; }
    /// Adds another edge's statistics.
    void merge(const EdgeStats& o);
    /// The base dtypes in `dtypeMask`, ascending.
    std::vector<DType> dtypes() const;
    /// Short text, e.g. "3 edges, float32, 1536 elements, ref" (for tooltips and reports).
    std::string describe() const;
};

} // namespace scopeviz::hierarchy
