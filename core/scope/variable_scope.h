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
    NameScope(Graph& g, std::optional<std::string_view> name, std::optional<std::string_view> defaultName,
              bool hasValues = false);
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
    void enter(std::string_view name, bool trace);

    Graph& m_graph;
    std::string m_scope;
    uint64_t m_id = 0;
    bool m_open = false;
    bool m_traced = true;
};

/// Opens the untraced name scope of an op wrapper (ops are not user scopes in the trace).
std::unique_ptr<NameScope> openOpScope(Graph& g, std::string_view name);

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

/// tf.get_variable_scope(): the current variable-scope object of this thread.
VarScope currentVariableScope(const Graph& g);

} // namespace scopeviz
