#pragma once
// The hierarchical layout algorithm behind LayoutEngine (see hierarchical_layout.cpp).
// Not thread-safe: the engine owns one instance on its worker thread.
#include "core/layout/flat_graph.h"

#include <atomic>
#include <cstdint>
#include <memory>
#include <unordered_map>

namespace scopeviz::layout::detail {

class DotContext;

/// One cluster's finished layout relative to its own box's top-left corner.
struct ClusterLayout {
    double width = 0;
    double height = 0;
    std::vector<Rect> children;    ///< per input child
    std::vector<int> edgeIndex;    ///< input edge index of each route (dropped edges have none)
    std::vector<FlatRoute> routes; ///< relative to the box's top-left corner
    std::vector<std::string> warnings;
    Point origin;                  ///< where content coordinates (pins) start, relative to the top-left corner
    bool fallback = false;
    uint64_t structureKey = 0;
};

/// Lays out requests cluster by cluster with a per-cluster cache.
class HierarchicalLayouter {
public:
    /// Settings are fixed until setSettings (which drops the cache).
    explicit HierarchicalLayouter(LayoutSettings settings);
    ~HierarchicalLayouter();

    /// Lays out the whole request; returns a cancelled result as soon as *cancel becomes true.
    LayoutResult run(const LayoutRequest& request, const std::atomic<bool>* cancel);
    /// Forgets every cached cluster layout.
    void clearCache();
    /// Replaces the settings and clears the cache.
    void setSettings(const LayoutSettings& settings);
    /// Number of cached cluster layouts.
    size_t cachedClusters() const { return m_cache.size(); }

private:
    std::shared_ptr<const ClusterLayout> layoutCluster(const LayoutClusterInput& cluster,
                                                       const std::vector<Rect>& childSizes,
                                                       uint64_t structureKey,
                                                       const std::atomic<bool>* cancel);
    void evictIfNeeded();

    LayoutSettings m_settings;
    uint64_t m_settingsHash = 0;
    std::unique_ptr<DotContext> m_dot; // made on first use, on the calling (worker) thread
    struct CacheEntry {
        std::shared_ptr<const ClusterLayout> layout;
        uint64_t lastUse = 0;
    };
    std::unordered_map<uint64_t, CacheEntry> m_cache; // by full key
    uint64_t m_tick = 0;
};

} // namespace scopeviz::layout::detail
