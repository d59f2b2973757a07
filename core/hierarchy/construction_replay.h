#pragma once
// ConstructionReplay: the construction of a graph as a timeline of events, and
// the state after any prefix of it, for stepping through how a script built its
// graph (the Replay dock, ui/replay).
//
// The timeline interleaves the graph's reuse trace (core/graph TraceEvent:
// scope entries and exits, get_variable calls) with op creations. Ops are
// created in id order and every trace event records how many ops existed when
// it happened (`opCount`), so op i comes after every trace event with
// opCount <= i and before the first one with opCount > i. A graph without a
// trace (an imported GraphDef) replays op by op in node order.
//
// Everything is computed once, in O(events): per event the cutoff (ops with
// id < cutoff exist), and the top of the open-scope stack as an index into a
// persistent stack (each frame points at the one below it, so a state shares
// its stack with every state that has the same scopes open). Asking for the
// state at step k is then O(1) for the cutoff and O(depth) for the stacks, so a
// slider can scrub a 10,000-op graph without recomputing anything.
//
// One stack is kept for all building threads: a trace from several threads
// replays its events in recording order, which is the order they happened in
// but may pair an exit with another thread's entry (rare in scripts).
#include "core/graph/graph.h"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz::hierarchy {

/// One scope open at a step: a name scope or a variable scope.
struct ReplayFrame {
    int32_t below = -1;            ///< frame under this one, -1 at the bottom
    bool variable = false;         ///< a variable scope (else a name scope)
    std::string_view name;         ///< name scope: its string with '/' ("vs_1/"); variable scope: its name ("vs")
    std::string_view nameScope;    ///< variable scope: the name scope it opened ("vs_1/", "" without one)
    Reuse reuse = Reuse::None;     ///< variable scope: the reuse in effect
    int32_t traceIndex = -1;       ///< the trace event that opened it
};

/// One step of the timeline.
struct ReplayEvent {
    /// What happened.
    enum class Kind : uint8_t { Trace, Op };
    Kind kind = Kind::Op;
    int32_t index = -1;  ///< Trace: index into the trace; Op: the op id
    int32_t cutoff = 0;  ///< ops existing after this event (ids below it)
    int32_t top = -1;    ///< top open frame after this event, -1 when none is open
};

/// A file and a 1-based line.
struct SourceLine {
    std::string file;  ///< path as the trace recorded it ("" when unknown)
    int line = 0;      ///< 0 when unknown
    /// True when both are known.
    bool valid() const { return !file.empty() && line > 0; }
};

/// The construction timeline of one graph; immutable once built.
class ConstructionReplay {
public:
    /// Builds the timeline of `graph` (kept alive: the trace's strings live in it).
    explicit ConstructionReplay(std::shared_ptr<const Graph> graph);

    /// Number of events N; steps run from 0 (nothing built) to N (the whole graph).
    int size() const { return int(m_events.size()); }
    /// True when the graph has a reuse trace (else the events are its ops in order).
    bool hasTrace() const { return !m_trace.empty(); }
    /// The event taking step k-1 to step k (1 <= k <= size()).
    const ReplayEvent& event(int k) const { return m_events[size_t(k - 1)]; }
    /// Ops existing at step k (their ids are below it).
    int cutoff(int k) const { return k <= 0 ? 0 : m_events[size_t(clampStep(k) - 1)].cutoff; }
    /// The op created by the last op event at or before step k, or -1.
    OpId newestOp(int k) const;
    /// The name scope event k opened ("vs_1/" for a variable_scope that opened it), "" for other events.
    std::string_view openedNameScope(int k) const;
    /// Open scopes at step k, outermost first.
    std::vector<ReplayFrame> stack(int k) const;
    /// "name scopes: vs_1/ ; variable scopes: vs (reuse=True)" at step k.
    std::string describeStacks(int k) const;
    /// What event k did, e.g. "op vs_1/c3 (Const) created" or
    /// "get_variable('v2') reused vs/v2 (line 17)"; "nothing built yet" for k = 0.
    std::string describe(int k) const;
    /// The source line of event k: a trace event's own, an op's innermost open scope's; invalid when unknown.
    SourceLine source(int k) const;
    /// k limited to [0, size()].
    int clampStep(int k) const { return k < 0 ? 0 : (k > size() ? size() : k); }
    /// The first step at which op `id` exists (its creation event), or -1.
    int stepOfOp(OpId id) const;
    /// The graph replayed.
    const Graph& graph() const { return *m_graph; }
    /// The frames (indices from ReplayEvent::top and ReplayFrame::below).
    const std::vector<ReplayFrame>& frames() const { return m_frames; }

private:
    std::shared_ptr<const Graph> m_graph;
    std::vector<TraceEvent> m_trace;
    std::vector<ReplayEvent> m_events;
    std::vector<ReplayFrame> m_frames;
    std::vector<int32_t> m_opStep;   // op id -> step at which it exists
    std::vector<int32_t> m_newest;   // step - 1 -> newest op at that step (-1)
};

/// "file:line;caller:line" -> the innermost frame's file and line (the first one).
SourceLine parseSourceLine(std::string_view source);

} // namespace scopeviz::hierarchy
