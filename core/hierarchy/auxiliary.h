#pragma once
// Auxiliary extraction: items that would tie the picture into knots (init,
// save/restore, summaries, very high-degree nodes) move to a side area of
// their scope. Every moved item carries the rule that moved it as a short
// explanation, and the user can force any item in or out (ExpansionState).
// The rules are explained at the top of auxiliary.cpp.
#include "core/hierarchy/hierarchy_types.h"

#include <string>
#include <vector>

namespace scopeviz::hierarchy {

/// Settings of auxiliary extraction.
struct AuxiliaryRules {
    /// Master switch: false keeps everything in the main area (overrides still apply).
    bool enabled = true;
    /// Top-level item names moved aside ("init" also matches "init_1"; a trailing '*' matches any suffix).
    std::vector<std::string> topLevelNames = {"init", "save", "report_uninitialized_variables*", "init_all_tables",
                                              "restore_all"};
    /// Op leaves whose type ends in "Summary" (and MergeSummary) move aside: they are sinks.
    bool summaries = true;
    /// High-degree rule: an item with at least this many distinct sibling neighbours ...
    int minDegree = 12;
    /// ... and at least this many times the median neighbour count of its siblings moves aside.
    double degreeFactor = 4.0;
    /// The degree rule only applies in scopes with at least this many items.
    int minSiblings = 6;
};

/// Where the user wants an item (ExpansionState::auxiliary).
enum class AuxPlacement : uint8_t {
    Auto,      ///< follow the rules
    ForceMain, ///< keep in the main area even if a rule moves it
    ForceAux,  ///< move to the side area
};

/// Explanation recorded for items the user moved aside.
inline constexpr const char* ForcedAuxReason = "moved aside by the user";

} // namespace scopeviz::hierarchy
