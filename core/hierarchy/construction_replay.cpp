// The construction timeline (construction_replay.h). One pass over the trace,
// with the ops merged in by their ids: before trace event j come all ops with
// id < trace[j].opCount not yet placed, and the ops left after the last event
// close the timeline. Each event stores the cutoff after it and the top of the
// open-scope stack; frames are never changed once made, so an exit that closes
// a frame in the middle of the stack (improperly nested guards, several
// threads) copies the frames above it onto the frame below instead of
// rewriting them. Rejected: storing the whole stack per event (O(events x
// depth) memory, 10k-op graphs with deep scopes made that megabytes) and
// replaying the trace up to step k on demand (O(k) per slider step).
#include "core/hierarchy/construction_replay.h"

#include "core/util/strings.h"

#include <algorithm>
#include <charconv>

namespace scopeviz::hierarchy {

namespace {

std::string reuseArg(Reuse r)
{
    if (r == Reuse::True)
        return ", reuse=True";
    if (r == Reuse::AutoReuse)
        return ", reuse=tf.AUTO_REUSE";
    return {};
}

std::string reuseFlag(Reuse r)
{
    if (r == Reuse::True)
        return "reuse=True";
    if (r == Reuse::AutoReuse)
        return "reuse=AUTO_REUSE";
    return "reuse=False";
}

/// " (line 15, called from line 24)" or "".
std::string lineText(std::string_view source)
{
    if (source.empty())
        return {};
    std::string out;
    for (std::string_view frame : split(source, ';')) {
        const SourceLine s = parseSourceLine(frame);
        if (!s.valid())
            continue;
        out += out.empty() ? " (line " : ", called from line ";
        out += std::to_string(s.line);
    }
    return out.empty() ? out : out + ")";
}

} // namespace

SourceLine parseSourceLine(std::string_view source)
{
    SourceLine out;
    const size_t semi = source.find(';');
    const std::string_view first = source.substr(0, semi);
    const size_t colon = first.rfind(':');
    if (colon == std::string_view::npos)
        return out;
    int line = 0;
    const std::string_view digits = first.substr(colon + 1);
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), line);
    if (ec != std::errc() || ptr != digits.data() + digits.size() || line <= 0)
        return out;
    out.file.assign(first.substr(0, colon));
    out.line = line;
    return out;
}

ConstructionReplay::ConstructionReplay(std::shared_ptr<const Graph> graph)
    : m_graph(std::move(graph)), m_trace(m_graph->trace())
{
    const int numOps = m_graph->numOps();
    m_events.reserve(size_t(numOps) + m_trace.size());
    m_opStep.assign(size_t(numOps), -1);
    int32_t top = -1;
    int32_t placed = 0; // ops placed so far

    auto push = [&](ReplayFrame f) {
        f.below = top;
        m_frames.push_back(f);
        top = int32_t(m_frames.size() - 1);
    };
    // Closes the topmost frame of this kind and name; frames above it are copied onto the one below.
    auto pop = [&](bool variable, std::string_view name) {
        std::vector<int32_t> above;
        for (int32_t f = top; f >= 0; f = m_frames[size_t(f)].below) {
            const ReplayFrame& fr = m_frames[size_t(f)];
            if (fr.variable == variable && fr.name == name) {
                top = fr.below;
                for (auto it = above.rbegin(); it != above.rend(); ++it)
                    push(m_frames[size_t(*it)]);
                return;
            }
            above.push_back(f);
        }
        // Not open (a trace that began inside a scope): nothing to close.
    };
    auto placeOpsBelow = [&](int32_t limit) {
        limit = std::min(limit, int32_t(numOps));
        for (; placed < limit; ++placed) {
            m_events.push_back({ReplayEvent::Kind::Op, placed, placed + 1, top});
            m_opStep[size_t(placed)] = int32_t(m_events.size());
        }
    };

    for (size_t j = 0; j < m_trace.size(); ++j) {
        const TraceEvent& e = m_trace[j];
        placeOpsBelow(e.opCount);
        switch (e.kind) {
        case TraceEvent::Kind::EnterNameScope:
            push({-1, false, e.fullName, {}, Reuse::None, int32_t(j)});
            break;
        case TraceEvent::Kind::ExitNameScope:
            pop(false, e.fullName);
            break;
        case TraceEvent::Kind::EnterVariableScope:
            push({-1, true, e.fullName, e.nameScope, e.reuse, int32_t(j)});
            break;
        case TraceEvent::Kind::ExitVariableScope:
            pop(true, e.fullName);
            break;
        case TraceEvent::Kind::GetVariable:
            break;
        }
        m_events.push_back({ReplayEvent::Kind::Trace, int32_t(j), placed, top});
    }
    placeOpsBelow(numOps);

    m_newest.resize(m_events.size());
    OpId newest = -1;
    for (size_t i = 0; i < m_events.size(); ++i) {
        if (m_events[i].kind == ReplayEvent::Kind::Op)
            newest = m_events[i].index;
        m_newest[i] = newest;
    }
}

OpId ConstructionReplay::newestOp(int k) const
{
    k = clampStep(k);
    return k == 0 ? -1 : m_newest[size_t(k - 1)];
}

std::string_view ConstructionReplay::openedNameScope(int k) const
{
    k = clampStep(k);
    if (k == 0 || event(k).kind != ReplayEvent::Kind::Trace)
        return {};
    const TraceEvent& e = m_trace[size_t(event(k).index)];
    if (e.kind == TraceEvent::Kind::EnterNameScope)
        return e.fullName;
    if (e.kind == TraceEvent::Kind::EnterVariableScope)
        return e.nameScope;
    return {};
}

int ConstructionReplay::stepOfOp(OpId id) const
{
    return id >= 0 && size_t(id) < m_opStep.size() ? m_opStep[size_t(id)] : -1;
}

std::vector<ReplayFrame> ConstructionReplay::stack(int k) const
{
    std::vector<ReplayFrame> out;
    k = clampStep(k);
    if (k == 0)
        return out;
    for (int32_t f = m_events[size_t(k - 1)].top; f >= 0; f = m_frames[size_t(f)].below)
        out.push_back(m_frames[size_t(f)]);
    std::reverse(out.begin(), out.end());
    return out;
}

std::string ConstructionReplay::describeStacks(int k) const
{
    std::string names, vars;
    for (const ReplayFrame& f : stack(k)) {
        const std::string_view ns = f.variable ? f.nameScope : f.name;
        if (!f.variable || !ns.empty()) {
            if (!names.empty())
                names += " > ";
            names += ns.empty() ? std::string_view("(root)") : ns;
        }
        if (f.variable) {
            if (!vars.empty())
                vars += " > ";
            vars += cat(f.name, " (", reuseFlag(f.reuse), ")");
        }
    }
    return cat("name scopes: ", names.empty() ? "(none)" : names, " ; variable scopes: ", vars.empty() ? "(none)" : vars);
}

std::string ConstructionReplay::describe(int k) const
{
    k = clampStep(k);
    if (k == 0)
        return "nothing built yet";
    const ReplayEvent& ev = event(k);
    if (ev.kind == ReplayEvent::Kind::Op) {
        const Operation& op = m_graph->op(ev.index);
        return cat("op ", op.name(), " (", op.type(), ") created");
    }
    const TraceEvent& e = m_trace[size_t(ev.index)];
    const std::string line = lineText(e.source);
    switch (e.kind) {
    case TraceEvent::Kind::EnterNameScope:
        return cat("name_scope('", e.requested, "') opened ", e.fullName.empty() ? "the root" : e.fullName, line);
    case TraceEvent::Kind::ExitNameScope:
        return cat("name_scope ", e.fullName.empty() ? "(root)" : e.fullName, " closed");
    case TraceEvent::Kind::EnterVariableScope:
        if (e.nameScope.empty())
            return cat("variable_scope('", e.requested, "'", reuseArg(e.reuse), ") entered ", e.fullName, line);
        return cat("variable_scope('", e.requested, "'", reuseArg(e.reuse), ") opened ", e.nameScope, line);
    case TraceEvent::Kind::ExitVariableScope:
        return cat("variable_scope ", e.fullName, " closed");
    case TraceEvent::Kind::GetVariable:
        switch (e.outcome) {
        case TraceEvent::Outcome::Created: return cat("get_variable('", e.requested, "') created ", e.fullName, line);
        case TraceEvent::Outcome::Reused: return cat("get_variable('", e.requested, "') reused ", e.fullName, line);
        case TraceEvent::Outcome::Failed: return cat("get_variable('", e.requested, "') failed for ", e.fullName, line);
        case TraceEvent::Outcome::None: break;
        }
        return cat("get_variable('", e.requested, "')", line);
    }
    return {};
}

SourceLine ConstructionReplay::source(int k) const
{
    k = clampStep(k);
    if (k == 0)
        return {};
    const ReplayEvent& ev = event(k);
    if (ev.kind == ReplayEvent::Kind::Trace) {
        const SourceLine s = parseSourceLine(m_trace[size_t(ev.index)].source);
        if (s.valid())
            return s;
    }
    // An op (or an exit) has no line of its own: the innermost open scope's opener stands for it.
    for (int32_t f = ev.top; f >= 0; f = m_frames[size_t(f)].below) {
        const SourceLine s = parseSourceLine(m_trace[size_t(m_frames[size_t(f)].traceIndex)].source);
        if (s.valid())
            return s;
    }
    return {};
}

} // namespace scopeviz::hierarchy
