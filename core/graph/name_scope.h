#pragma once
// The graph's scope state as the scope guards see it (docs/scoping.md §4, §5,
// §7): the NameScope guard over the per-thread name stack, and the
// variable-scope object kept in the graph's per-thread state. TensorFlow's
// tf.Graph owns its name-scope stack and its variable-scope store, and so
// does ours: these live with the graph, and the variable_scope guard
// (core/scope) builds on them.
//
//     NameScope ns(g, "summary");                       // with tf.name_scope("summary")
#include "core/graph/graph.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace scopeviz {

class Initializer;

/// The VariableScope object of §7 (what `with tf.variable_scope(...) as s` yields).
struct VariableScopeData {
    std::string name;               ///< full variable-scope path, "" at root
    std::string originalNameScope;  ///< name-scope string in effect at creation, with trailing '/'
    Reuse reuse = Reuse::False;
    std::shared_ptr<const Initializer> initializer;
    DType dtype = DType::Float;
    std::string cachingDevice;
    bool useResource = false;

    /// A fresh root scope (name "", reuse False, dtype float32).
    static std::shared_ptr<VariableScopeData> makeRoot();
    /// scope.reuse_variables(): sets reuse to True in place.
    void reuseVariables() { reuse = Reuse::True; }
};

/// Shared handle to a variable-scope object; re-enter it with VariableScope(g, handle).
using VarScope = std::shared_ptr<VariableScopeData>;

/// Guard for Graph.name_scope / tf.name_scope (§4, §5).
class NameScope {
public:
    /// Graph.name_scope(name): "" resets to root, a trailing '/' re-enters absolutely,
    /// anything else is uniquified under the current scope. Throws ValueError for invalid names.
    NameScope(Graph& g, std::string_view name);
    /// tf.name_scope(name, default_name, values): the effective name is `name` unless it is
    /// nullopt, then `defaultName`. `hasValues` mirrors a non-None `values` argument.
    /// `source` ("file:line", callers after ';') is recorded in the trace.
    NameScope(Graph& g, std::optional<std::string_view> name, std::optional<std::string_view> defaultName,
              bool hasValues = false, std::string_view source = {});
    ~NameScope();
    NameScope(const NameScope&) = delete;
    NameScope& operator=(const NameScope&) = delete;

    /// What the `with` statement yields: "foo/" or "" at root.
    const std::string& scope() const { return m_scope; }
    /// Leaves the scope early (idempotent).
    void close() noexcept;

private:
    friend class VariableScope;
    friend std::unique_ptr<NameScope> openOpScope(Graph& g, std::string_view name);
    struct Untraced {};
    NameScope(Graph& g, std::string_view name, Untraced);
    void enter(std::string_view name, bool trace, std::string_view source = {});

    Graph& m_graph;
    std::string m_scope;
    uint64_t m_id = 0;
    bool m_open = false;
    bool m_traced = true;
};

/// Opens the untraced name scope of an op wrapper (ops are not user scopes in the trace).
std::unique_ptr<NameScope> openOpScope(Graph& g, std::string_view name);

/// tf.get_variable_scope(): the current variable-scope object of this thread.
VarScope currentVariableScope(const Graph& g);

} // namespace scopeviz
