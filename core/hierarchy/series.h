#pragma once
// Series: runs of sibling items with the same base name and the same
// structure (`name`, `name_1`, ... `name_6` or `layer1` ... `layer8`) that are
// drawn as one node. The rule is explained at the top of series.cpp.
#include "core/hierarchy/hierarchy_types.h"

#include <string>
#include <vector>

namespace scopeviz::hierarchy {

/// Settings of series detection.
struct SeriesOptions {
    /// Fewest members that make a series (TensorBoard's default, 5; below it siblings stay visible as they are).
    int minMembers = 5;
    /// Also group op leaves (same type, e.g. `add`, `add_1`, ...), not only scopes.
    bool groupOps = true;
};

/// A run of similar siblings.
struct Series {
    /// Scope the members are items of.
    ScopeId parent = RootScope;
    /// Members ordered by their number (the unsuffixed `name` counts as 0).
    std::vector<Item> members;
    /// Member numbers, parallel to members.
    std::vector<int64_t> numbers;
    /// Common base name, e.g. "bn1" for bn1_1 ... or "layer" for layer1 ...
    std::string base;
    /// Label, e.g. "name_[1-6]", "name, name_[1-6]" or "layer[1-8]".
    std::string label;
    /// True when members are named `base_N` (TensorFlow's uniquifier), false for `baseN`.
    bool underscore = true;
    /// Ops in all members together.
    int32_t opCount = 0;
    /// Structural signature shared by all members.
    uint64_t signature = 0;
};

/// Compact "[1-3,5,7-9]"-style text of sorted numbers.
std::string numberRanges(const std::vector<int64_t>& sorted);

/// The member count as the graph and the scope tree show it, UTF-8: "×376".
std::string seriesCountText(const Series& series);

/// A series in one line, as the scope tree lists it, UTF-8: its label and count,
/// "checkpoint_initializer, checkpoint_initializer_[1-375] ×376".
std::string seriesTitle(const Series& series);

} // namespace scopeviz::hierarchy
