#include "core/graph/name_scope.h"

#include "core/util/error.h"
#include "core/util/strings.h"

namespace scopeviz {

VarScope VariableScopeData::makeRoot() { return std::make_shared<VariableScopeData>(); }

VarScope currentVariableScope(const Graph& g) { return g.threadState().varScope; }

// ---- NameScope -------------------------------------------------------------

NameScope::NameScope(Graph& g, std::string_view name) : m_graph(g) { enter(name, true); }

NameScope::NameScope(Graph& g, std::string_view name, Untraced) : m_graph(g) { enter(name, false); }

std::unique_ptr<NameScope> openOpScope(Graph& g, std::string_view name)
{
    return std::unique_ptr<NameScope>(new NameScope(g, name, NameScope::Untraced{}));
}

NameScope::NameScope(Graph& g, std::optional<std::string_view> name, std::optional<std::string_view> defaultName,
                     bool hasValues, std::string_view source)
    : m_graph(g)
{
    // §5: an empty string is not None; "" beats default_name and resets to root.
    std::optional<std::string_view> effective = name ? name : defaultName;
    if (!effective && hasValues)
        throw ValueError("At least one of name (None) and default_name (None) must be provided.");
    enter(effective.value_or(std::string_view()), true, source);
}

void NameScope::enter(std::string_view name, bool trace, std::string_view source)
{
    ThreadScopeState& ts = m_graph.threadState();
    if (!name.empty() && !isValidScopeName(name, ts.nameStack.empty()))
        throw ValueError(cat("'", name, "' is not a valid scope name"));
    std::string newStack;
    if (name.empty()) {
        m_scope.clear(); // None or "": root (§4.1)
    } else if (name.back() == '/') {
        m_scope.assign(name); // absolute re-entry, nothing recorded (§4.2)
        newStack.assign(name.substr(0, name.size() - 1));
    } else {
        newStack = m_graph.uniqueName(name); // §4.3
        m_scope.reserve(newStack.size() + 1);
        m_scope = newStack;
        m_scope += '/';
    }
    m_id = m_graph.nextGuardId();
    ts.nameFrames.emplace_back(m_id, std::move(ts.nameStack)); // the previous stack, restored on exit
    ts.nameStack = std::move(newStack);
    m_open = true;
    m_traced = trace;
    if (trace) {
        TraceEvent e;
        e.kind = TraceEvent::Kind::EnterNameScope;
        e.requested = name;
        e.fullName = m_scope;
        // The scope string now in effect: m_scope, except for "/" which leaves the root.
        e.nameScope = ts.nameStack.empty() ? std::string_view() : std::string_view(m_scope);
        e.variableScope = ts.varScope ? std::string_view(ts.varScope->name) : std::string_view();
        e.source = source;
        m_graph.addTrace(e);
    }
}

NameScope::~NameScope() { close(); }

void NameScope::close() noexcept
{
    if (!m_open)
        return;
    m_open = false;
    ThreadScopeState& ts = m_graph.threadState();
    auto& frames = ts.nameFrames;
    for (size_t k = frames.size(); k-- > 0;) {
        if (frames[k].first != m_id)
            continue;
        if (k + 1 == frames.size()) {
            ts.nameStack = std::move(frames[k].second);
        } else {
            // Out of order: the scope entered after this one inherits our
            // "previous", so its exit restores what was current before us.
            frames[k + 1].second = std::move(frames[k].second);
        }
        frames.erase(frames.begin() + long(k));
        break;
    }
    if (m_traced) {
        try {
            thread_local std::string restored; // the scope string restored, with '/'
            restored.clear();
            if (!ts.nameStack.empty()) {
                restored += ts.nameStack;
                restored += '/';
            }
            TraceEvent e;
            e.kind = TraceEvent::Kind::ExitNameScope;
            e.fullName = m_scope;
            e.nameScope = restored;
            m_graph.addTrace(e);
        } catch (...) {
        }
    }
}

} // namespace scopeviz
