#pragma once
// One cluster laid out by Graphviz dot, in process (see dot_layout.cpp).
#include "core/layout/flat_graph.h"

#include <memory>
#include <string>

namespace scopeviz::layout::detail {

/// The one long-lived Graphviz context. Create, use and destroy it on one thread only.
class DotContext {
public:
    DotContext();
    ~DotContext();
    DotContext(const DotContext&) = delete;
    DotContext& operator=(const DotContext&) = delete;

    /// True when dot layouts work; otherwise every cluster must use the fallback.
    bool ok() const { return m_ok; }
    /// Why dot is unavailable (empty when ok()).
    const std::string& error() const { return m_error; }
    /// How the context was made ("config6a" or "builtin dot plugin").
    const std::string& origin() const { return m_origin; }

    /// Lays out one cluster with dot; ok=false (with a warning) when dot fails.
    FlatLayout layout(const FlatGraph& graph, const LayoutSettings& settings);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
    bool m_ok = false;
    std::string m_error;
    std::string m_origin;
};

} // namespace scopeviz::layout::detail
