#pragma once
// Name scopes and variable scopes with exactly TensorFlow 1.x's semantics
// (docs/scoping.md §4, §5, §7, §8). C++ use reads like the Python:
//
//     NameScope ns(g, "summary");                       // with tf.name_scope("summary")
//     VariableScope vs(g, "my_net", Reuse::AutoReuse);  // with tf.variable_scope("my_net", reuse=AUTO_REUSE)
//     VarScope captured = vs.scope();                   //   ... as captured
//
// Guards are RAII. Destroying one out of order is "improper nesting": a
// VariableScope guard throws RuntimeError("Improper nesting of
// variable_scope.") from its destructor (unless the stack is already
// unwinding), and in every case repairs the per-thread scope stack so that
// the remaining guards restore the state that was current before the
// misplaced one was entered. The graph stays usable.
#include "core/graph/name_scope.h"

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace scopeviz {

/// Arguments of tf.variable_scope beyond the name (§8).
struct VariableScopeOptions {
    std::optional<std::string> defaultName;
    Reuse reuse = Reuse::None;  ///< None or False: inherit
    std::shared_ptr<const Initializer> initializer;
    std::optional<DType> dtype;
    bool auxiliaryNameScope = true;
    std::string source;         ///< optional source location for the trace
};

/// Guard for tf.variable_scope (§8).
class VariableScope {
public:
    /// Entry by string.
    VariableScope(Graph& g, std::string_view name, Reuse reuse = Reuse::None);
    VariableScope(Graph& g, std::string_view name, const VariableScopeOptions& options);
    /// Entry by scope object (absolute; reuse from the object unless given).
    VariableScope(Graph& g, const VarScope& scope, Reuse reuse = Reuse::None);
    VariableScope(Graph& g, const VarScope& scope, const VariableScopeOptions& options);
    /// Entry with name_or_scope=None: options.defaultName is uniquified (§8.3 C).
    VariableScope(Graph& g, std::nullopt_t, const VariableScopeOptions& options);
    /// Leaves the scope; throws RuntimeError on improper nesting unless unwinding.
    ~VariableScope() noexcept(false);
    VariableScope(const VariableScope&) = delete;
    VariableScope& operator=(const VariableScope&) = delete;

    /// The scope object (`as scope`).
    const VarScope& scope() const { return m_installed; }
    /// The name scope entered ("my_net_1/"), or the enclosing one with auxiliary_name_scope=False.
    const std::string& nameScope() const { return m_nameScopeString; }
    /// Leaves the scope; throws RuntimeError("Improper nesting of variable_scope.") when
    /// another scope entered later is still open. Idempotent.
    void close();

private:
    enum class Mode { String, Object, Default };
    void enter(Mode mode, std::string_view name, const VarScope& object, const VariableScopeOptions& options);
    void exitVariableScope(bool outOfOrder);

    Graph& m_graph;
    Mode m_mode = Mode::String;
    std::unique_ptr<NameScope> m_nameScope;
    std::string m_nameScopeString;
    VarScope m_installed;
    std::vector<std::pair<std::string_view, int>> m_savedCounts; // object mode: snapshot restored on exit
    uint64_t m_id = 0;
    int m_uncaught = 0;
    bool m_open = false;
};


} // namespace scopeviz
