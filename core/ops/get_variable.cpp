#include "core/ops/get_variable.h"

#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/util/error.h"
#include "core/util/strings.h"

namespace scopeviz {
namespace {

/// The Python-traceback-style frame of a call site. Formatted once per call site and
/// thread: get_variable is called in loops, and the text only depends on the site.
const std::string& formatLocation(const std::source_location& loc)
{
    struct Site {
        const char* file;
        const char* function;
        uint_least32_t line, column;
        std::string text;
    };
    thread_local std::vector<Site> cache;
    for (const Site& s : cache)
        if (s.file == loc.file_name() && s.function == loc.function_name() && s.line == loc.line() &&
            s.column == loc.column())
            return s.text;
    std::string text;
    if (loc.file_name() && *loc.file_name())
        text = cat("  File \"", loc.file_name(), "\", line ", loc.line(), ", in ", loc.function_name(), "\n");
    if (cache.size() >= 64)
        cache.erase(cache.begin());
    cache.push_back({loc.file_name(), loc.function_name(), loc.line(), loc.column(), std::move(text)});
    return cache.back().text;
}

/// Sets the per-thread colocation attr for the ops built inside, as colocate_with does.
struct Colocate {
    Colocate(Graph& g, std::string value) : ts(g.threadState()), saved(std::move(ts.colocation))
    {
        ts.colocation = std::move(value);
    }
    ~Colocate() { ts.colocation = std::move(saved); }
    ThreadScopeState& ts;
    std::string saved;
};

struct Built {
    OpId var = -1, assign = -1, read = -1, initial = -1;
};

/// The record of a variable whose ops are `b`.
VariableInfo variableInfo(const Graph& g, const Built& b, std::string fullName, DType dtype, bool trainable)
{
    VariableInfo info;
    info.fullName = std::move(fullName);
    info.op = b.var;
    info.assignOp = b.assign;
    info.readOp = b.read;
    info.initialValueOp = b.initial;
    info.dtype = dtype;
    info.shape = g.info(Output{b.var, 0}).shape;
    info.trainable = trainable;
    return info;
}

/// The ops of a ref variable (§9.7, §10), created under the scope string `scope` ("my_net/weights/").
Built buildVariableOps(Graph& g, const std::string& scope, DType dtype, const Shape& shape,
                       const InitializerPtr& init, const std::optional<Tensor>& initialValue,
                       const std::optional<Output>& initialTensor)
{
    const std::string trueName = scope.substr(0, scope.size() - 1);
    Built b;
    Output initial;
    if (init) {
        Colocate co(g, "loc:@" + trueName);
        auto ns = openOpScope(g, "Initializer");
        initial = init->build(g, shape.dims(), dtype);
    } else if (initialValue) {
        initial = ops::constant(g, *initialValue, "initial_value");
    } else {
        initial = *initialTensor;
    }
    if (baseType(g.info(initial).dtype) != baseType(dtype))
        throw ValueError(cat("Initializer type '", dtypeRepr(g.info(initial).dtype), "' and explicit dtype '",
                             dtypeRepr(dtype), "' don't match."));
    b.initial = initial.op;
    AttrList a;
    a.set("shape", AttrValue::shape(shape.rankKnown() ? shape : g.info(initial).shape));
    a.set("dtype", AttrValue::type(baseType(dtype)));
    b.var = g.createOp("VariableV2", scope, {}, std::move(a));
    b.assign = ops::assign(g, Output{b.var, 0}, initial).op;
    {
        Colocate co(g, "loc:@" + trueName);
        b.read = ops::identity(g, Output{b.var, 0}, "read").op;
    }
    return b;
}

void addToCollections(Graph& g, OpId var, bool trainable, bool local, const std::vector<std::string>& collections)
{
    std::vector<std::string> keys = collections;
    if (keys.empty())
        keys.push_back(local ? "local_variables" : "variables");
    else if (local)
        keys.push_back("local_variables");
    if (trainable && std::find(keys.begin(), keys.end(), "trainable_variables") == keys.end())
        keys.push_back("trainable_variables");
    for (const std::string& k : keys)
        g.addToCollection(k, Output{var, 0});
}

} // namespace

Variable getVariable(Graph& g, std::string_view name, std::vector<int64_t> shape, DType dtype,
                     InitializerPtr initializer, std::source_location loc)
{
    GetVariableOptions o;
    o.shape = Shape(std::move(shape));
    o.dtype = dtype;
    o.initializer = std::move(initializer);
    return getVariable(g, name, o, loc);
}

Variable getVariable(Graph& g, std::string_view name, const GetVariableOptions& o, std::source_location loc)
{
    const VarScope scope = currentVariableScope(g);
    std::string full;
    full.reserve(scope->name.size() + 1 + name.size());
    if (!scope->name.empty()) {
        full += scope->name;
        full += '/';
    }
    full += name;
    const Reuse reuse = scope->reuse;
    std::string callerScope; // the name-scope string at the call, with trailing '/'
    if (!g.nameScope().empty()) {
        callerScope.reserve(g.nameScope().size() + 1);
        callerScope += g.nameScope();
        callerScope += '/';
    }

    // The event's text fields are views; addTrace copies them into the graph.
    TraceEvent ev;
    ev.kind = TraceEvent::Kind::GetVariable;
    ev.requested = name;
    ev.fullName = full;
    ev.nameScope = callerScope;
    ev.variableScope = scope->name;
    ev.reuse = reuse;
    // The trace's source is "file:line" (core/io/trace_text.h); a C++ caller gives its own location.
    const std::string cppSource =
        o.source.empty() && loc.file_name() && *loc.file_name() ? cat(loc.file_name(), ":", loc.line()) : std::string();
    ev.source = o.source.empty() ? std::string_view(cppSource) : std::string_view(o.source);
    auto failed = [&](auto&& error) {
        ev.outcome = TraceEvent::Outcome::Failed;
        g.addTrace(ev);
        throw error;
    };

    // Everything below runs from the root name scope (§9.3). Only op creation can
    // observe it, so it is entered just before the first op (a reuse creates none).
    // These name scopes are TF internals, not user scopes: they are not traced.
    std::unique_ptr<NameScope> root;
    auto enterRoot = [&] {
        if (!root)
            root = openOpScope(g, "");
    };

    // §9.4: explicit dtype against a constant initializer, before defaults apply.
    // TF converts a Python value with convert_to_tensor for this check, which
    // leaves a root-level Const in the graph (it shifts later `Const` names).
    if (o.dtype && (o.initialValue || o.initialTensor)) {
        if (o.initialValue) {
            enterRoot();
            ops::constant(g, *o.initialValue);
        }
        DType initType = o.initialValue ? o.initialValue->dtype() : baseType(g.info(*o.initialTensor).dtype);
        if (baseType(initType) != baseType(*o.dtype))
            failed(ValueError(cat("Initializer type '", dtypeRepr(initType), "' and explicit dtype '",
                                  dtypeRepr(*o.dtype), "' don't match.")));
    }
    InitializerPtr init = o.initializer ? o.initializer : (o.initialValue || o.initialTensor ? nullptr : scope->initializer);
    const DType dtype = baseType(o.dtype ? *o.dtype : scope->dtype);
    const bool fromValue = o.initialValue || o.initialTensor;

    // §9.5 store logic.
    if (fromValue && o.shape)
        failed(ValueError("If initializer is a constant, do not specify shape."));
    const Shape shape = o.shape ? *o.shape : Shape();
    int existing = g.findVariable(full);
    if (existing >= 0) {
        const VariableInfo& v = g.variable(existing);
        if (reuse == Reuse::False)
            failed(ValueError(cat("Variable ", full,
                                  " already exists, disallowed. Did you mean to set reuse=True or "
                                  "reuse=tf.AUTO_REUSE in VarScope? Originally defined at:\n\n",
                                  v.definedAt)));
        if (!shape.isCompatibleWith(v.shape))
            failed(ValueError(cat("Trying to share variable ", full, ", but specified shape ", shape.toString(),
                                  " and found shape ", v.shape.toString(), ".")));
        // The requested dtype is `dtype` or the scope's, even with a constant
        // initializer: re-getting an int variable without dtype= fails (§9.5).
        const DType requested = dtype;
        if (baseType(requested) != baseType(v.dtype))
            failed(ValueError(cat("Trying to share variable ", full, ", but specified dtype ", dtypeName(requested),
                                  " and found dtype ", dtypeName(makeRef(v.dtype)), ".")));
        ev.outcome = TraceEvent::Outcome::Reused;
        ev.variable = existing;
        g.addTrace(ev);
        return Variable{&g, existing};
    }
    if (reuse == Reuse::True)
        failed(ValueError(cat("Variable ", full,
                              " does not exist, or was not created with tf.get_variable(). Did you mean to set "
                              "reuse=tf.AUTO_REUSE in VarScope?")));

    // §9.6 creation.
    if (!init && !fromValue) {
        if (isFloating(dtype))
            init = initializers::glorotUniform();
        else if (isInteger(dtype) || dtype == DType::Bool || dtype == DType::String)
            init = initializers::zeros();
        else
            failed(ValueError(cat("An initializer for variable ", full, " of ", dtypeRepr(dtype), " is required")));
    }
    if (init && !shape.isFullyDefined())
        failed(ValueError("The initializer passed is not valid. It should be a callable with no arguments and the "
                          "shape should not be provided or an instance of `tf.keras.initializers.*' and `shape` "
                          "should be fully defined."));
    const DType varType = o.initialValue ? o.initialValue->dtype()
                                         : o.initialTensor ? baseType(g.info(*o.initialTensor).dtype) : dtype;
    Built b;
    try {
        enterRoot();
        auto ns = openOpScope(g, full); // uniquified: a collision makes the op `full_1` (§9.8)
        b = buildVariableOps(g, ns->scope(), varType, shape, init, o.initialValue, o.initialTensor);
    } catch (const Error& e) {
        ev.outcome = TraceEvent::Outcome::Failed;
        g.addTrace(ev);
        throw;
    }
    VariableInfo info = variableInfo(g, b, full, varType, o.trainable.value_or(true) && !o.local);
    info.definedAt = o.definedAt.empty() ? formatLocation(loc) : o.definedAt;
    int idx = g.addVariable(std::move(info));
    addToCollections(g, b.var, o.trainable.value_or(true) && !o.local, o.local, o.collections);
    ev.outcome = TraceEvent::Outcome::Created;
    ev.variable = idx;
    int t = g.addTrace(ev);
    g.setVariableTraceIndex(idx, t);
    return Variable{&g, idx};
}

namespace {
Variable makeVariableImpl(Graph& g, const InitializerPtr& init, const std::optional<Tensor>& value, const Shape& shape,
                          DType dtype, std::string_view name, bool trainable)
{
    // name_scope(name, "Variable") of the Variable constructor: an internal scope, not traced.
    auto ns = openOpScope(g, name.empty() ? std::string_view("Variable") : name);
    Built b = buildVariableOps(g, ns->scope(), dtype, shape, init, value, std::nullopt);
    VariableInfo info = variableInfo(g, b, ns->scope().substr(0, ns->scope().size() - 1), dtype, trainable);
    info.fromGetVariable = false; // invisible to get_variable's store (§10)
    int idx = g.addVariable(std::move(info));
    addToCollections(g, b.var, trainable, false, {});
    return Variable{&g, idx};
}
} // namespace

Variable makeVariable(Graph& g, const Tensor& initialValue, std::string_view name, bool trainable)
{
    return makeVariableImpl(g, nullptr, initialValue, initialValue.shape(), initialValue.dtype(), name, trainable);
}

Variable makeVariable(Graph& g, const InitializerPtr& init, std::vector<int64_t> shape, DType dtype,
                      std::string_view name, bool trainable)
{
    return makeVariableImpl(g, init, std::nullopt, Shape(std::move(shape)), dtype, name, trainable);
}

} // namespace scopeviz
