#include "core/scope/variable_scope.h"

#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>
#include <exception>

namespace scopeviz {

namespace {

using OpenCounts = std::vector<std::pair<std::string_view, int>>;

OpenCounts::iterator lowerBound(OpenCounts& counts, std::string_view name)
{
    return std::lower_bound(counts.begin(), counts.end(), name,
                            [](const std::pair<std::string_view, int>& e, std::string_view n) { return e.first < n; });
}

int openCount(ThreadScopeState& ts, std::string_view name)
{
    auto it = lowerBound(ts.openCounts, name);
    return it != ts.openCounts.end() && it->first == name ? it->second : 0;
}

void incrementOpenCount(Graph& g, ThreadScopeState& ts, std::string_view name)
{
    auto it = lowerBound(ts.openCounts, name);
    if (it != ts.openCounts.end() && it->first == name)
        ++it->second;
    else
        ts.openCounts.insert(it, {g.internString(name), 1});
}

} // namespace

// ---- VariableScope -----------------------------------------------------------

VariableScope::VariableScope(Graph& g, std::string_view name, Reuse reuse) : m_graph(g)
{
    VariableScopeOptions o;
    o.reuse = reuse;
    enter(Mode::String, name, nullptr, o);
}

VariableScope::VariableScope(Graph& g, std::string_view name, const VariableScopeOptions& options) : m_graph(g)
{
    enter(Mode::String, name, nullptr, options);
}

VariableScope::VariableScope(Graph& g, const VarScope& scope, Reuse reuse) : m_graph(g)
{
    VariableScopeOptions o;
    o.reuse = reuse;
    enter(Mode::Object, {}, scope, o);
}

VariableScope::VariableScope(Graph& g, const VarScope& scope, const VariableScopeOptions& options) : m_graph(g)
{
    enter(Mode::Object, {}, scope, options);
}

VariableScope::VariableScope(Graph& g, std::nullopt_t, const VariableScopeOptions& options) : m_graph(g)
{
    if (!options.defaultName)
        throw TypeError("If default_name is None then name_or_scope is required");
    enter(Mode::Default, {}, nullptr, options);
}

void VariableScope::enter(Mode mode, std::string_view name, const VarScope& object, const VariableScopeOptions& opt)
{
    m_mode = mode;
    m_uncaught = std::uncaught_exceptions();
    if (mode == Mode::Object && !object)
        throw TypeError("VariableScope: name_or_scope must be a string or VariableScope.");
    // §8.1 item 2: reuse=False is the same as None (inherit).
    Reuse reuse = opt.reuse == Reuse::False ? Reuse::None : opt.reuse;
    if (mode == Mode::Default && reuse != Reuse::None)
        throw ValueError("reuse=True cannot be used without a name_or_scope");

    ThreadScopeState& ts = m_graph.threadState();
    const VarScope parent = ts.varScope;

    // --- the name-scope half (§8.2) ---
    std::string oldNameScope; // original_name_scope of the new object
    if (!opt.auxiliaryNameScope) {
        m_nameScopeString = ts.nameStack.empty() ? std::string() : ts.nameStack + "/";
        oldNameScope = m_nameScopeString;
    } else {
        std::string nsName;
        if (mode == Mode::String)
            nsName.assign(name);
        else if (mode == Mode::Object)
            nsName = std::string(split(object->name, '/').back());
        else
            nsName = *opt.defaultName;
        if (!nsName.empty()) {
            m_nameScope.reset(new NameScope(m_graph, nsName, NameScope::Untraced{}));
            m_nameScopeString = m_nameScope->scope();
            oldNameScope = m_nameScopeString;
        } else {
            // No name scope is opened (the root object, or the string ""). TF then keeps
            // the raw name as original_name_scope: "" in both cases.
            m_nameScopeString = ts.nameStack.empty() ? std::string() : ts.nameStack + "/";
        }
    }

    // --- the variable-scope half (§8.3) ---
    // If anything below throws, the name scope opened above is closed by m_nameScope's destructor.
    auto data = std::make_shared<VariableScopeData>();
    std::string component(name);
    if (mode == Mode::Default) {
        // _get_unique_variable_scope: per-thread open counts, not graph names (§8.6).
        std::string cand = parent->name.empty() ? *opt.defaultName : parent->name + "/" + *opt.defaultName;
        auto count = [&](std::string_view k) { return openCount(ts, k); };
        component = *opt.defaultName;
        if (count(cand) > 0) {
            int idx = 1;
            while (count(cat(cand, "_", idx)) > 0)
                ++idx;
            component = cat(*opt.defaultName, "_", idx);
        }
    }
    if (mode == Mode::Object) {
        *data = *object; // a fresh copy (§8.3 B)
        data->reuse = reuse != Reuse::None ? reuse : object->reuse;
        // original_name_scope is the object's own, never the newly entered one
    } else {
        data->name = parent->name.empty() ? component : parent->name + "/" + component;
        data->reuse = reuse != Reuse::None ? reuse : parent->reuse; // inheritance (§8.4)
        data->initializer = parent->initializer;
        data->dtype = parent->dtype;
        data->cachingDevice = parent->cachingDevice;
        data->useResource = parent->useResource;
        data->originalNameScope = std::move(oldNameScope);
    }
    if (opt.initializer)
        data->initializer = opt.initializer;
    if (opt.dtype)
        data->dtype = *opt.dtype;

    incrementOpenCount(m_graph, ts, data->name);
    if (mode == Mode::Object)
        m_savedCounts = ts.openCounts; // snapshot after our own increment
    m_id = m_graph.nextGuardId();
    ts.varFrames.push_back({m_id, parent, data});
    ts.varScope = data;
    m_installed = data;
    m_open = true;

    TraceEvent e;
    e.kind = TraceEvent::Kind::EnterVariableScope;
    e.requested = mode == Mode::Object    ? std::string_view(object->name)
                  : mode == Mode::Default ? std::string_view(*opt.defaultName)
                                          : name;
    e.fullName = data->name;
    e.nameScope = m_nameScopeString;
    e.variableScope = data->name;
    e.reuse = data->reuse;
    e.source = opt.source;
    m_graph.addTrace(std::move(e));
}

void VariableScope::exitVariableScope(bool outOfOrder)
{
    ThreadScopeState& ts = m_graph.threadState();
    auto& frames = ts.varFrames;
    size_t k = frames.size();
    while (k-- > 0)
        if (frames[k].guard == m_id)
            break;
    if (k < frames.size()) {
        // Counts (§8.6): object mode restores the snapshot, string/default mode
        // resets the descendants' counters.
        if (m_mode == Mode::Object) {
            ts.openCounts = std::move(m_savedCounts);
        } else {
            // The descendants "<name>/..." are one contiguous range of the sorted counts.
            const std::string prefix = m_installed->name + "/";
            for (auto it = lowerBound(ts.openCounts, prefix); it != ts.openCounts.end() && startsWith(it->first, prefix);
                 ++it)
                it->second = 0;
        }
        if (!outOfOrder) {
            ts.varScope = frames[k].previous;
        } else if (k + 1 < frames.size()) {
            frames[k + 1].previous = frames[k].previous;
        }
        frames.erase(frames.begin() + long(k));
    }
    TraceEvent e;
    e.kind = TraceEvent::Kind::ExitVariableScope;
    e.fullName = m_installed->name;
    e.variableScope = ts.varScope ? std::string_view(ts.varScope->name) : std::string_view();
    m_graph.addTrace(std::move(e));
}

void VariableScope::close()
{
    if (!m_open)
        return;
    ThreadScopeState& ts = m_graph.threadState();
    bool inOrder = ts.varScope == m_installed && !ts.varFrames.empty() && ts.varFrames.back().guard == m_id;
    m_open = false;
    exitVariableScope(!inOrder);
    if (m_nameScope)
        m_nameScope->close();
    if (!inOrder)
        throw RuntimeError("Improper nesting of variable_scope.");
}

VariableScope::~VariableScope() noexcept(false)
{
    if (!m_open)
        return;
    if (std::uncaught_exceptions() > m_uncaught) {
        try {
            close();
        } catch (...) {
        }
        return;
    }
    close();
}

} // namespace scopeviz
