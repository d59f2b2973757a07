#include "core/train/optimizers.h"

#include "core/scope/variable_scope.h"
#include "core/train/grad_builder.h"
#include "core/train/gradients.h"
#include "core/util/error.h"
#include "core/util/strings.h"

#include <algorithm>

namespace scopeviz::train {

using detail::GradBuilder;

namespace {

/// str(v) of a RefVariable: <tf.Variable 'my_net/weights:0' shape=(64, 512) dtype=float32_ref>
std::string variableRepr(const Variable& v)
{
    return cat("<tf.Variable '", v.name(), "' shape=", v.info().shape.toString(),
               " dtype=", dtypeName(makeRef(v.info().dtype)), ">");
}

std::string tfDtype(DType t) { return "tf." + dtypeName(t); }

/// Optimizer._assert_valid_dtypes.
void assertValidDtype(DType t, const std::string& what)
{
    t = baseType(t);
    if (t == DType::Half || t == DType::BFloat16 || t == DType::Float || t == DType::Double)
        return;
    throw ValueError(cat("Invalid type ", tfDtype(t), " for ", what,
                         ", expected: [tf.float16, tf.bfloat16, tf.float32, tf.float64]."));
}

/// ThreadScopeState guard for `ops.init_scope()`: no control dependencies inside.
struct InitScope {
    explicit InitScope(Graph& g) : ts(g.threadState()), saved(std::move(ts.controlDependencies))
    {
        ts.controlDependencies.clear();
    }
    ~InitScope() { ts.controlDependencies = std::move(saved); }
    ThreadScopeState& ts;
    std::vector<OpId> saved;
};

/// `with ops.colocate_with(var)`.
struct ColocateWith {
    ColocateWith(Graph& g, const std::string& group) : ts(g.threadState()), saved(ts.colocation)
    {
        ts.colocation = group;
    }
    ~ColocateWith() { ts.colocation = std::move(saved); }
    ThreadScopeState& ts;
    std::string saved;
};

std::string colocationOf(const Graph& g, OpId op)
{
    const Operation& o = g.op(op);
    if (const AttrValue* c = o.attrs().find("_class"); c && c->kind() == AttrValue::Kind::StringList)
        for (const std::string& s : c->strings())
            if (startsWith(s, "loc:@"))
                return s;
    return cat("loc:@", o.name());
}

AttrList lockingAttrs(bool useLocking)
{
    AttrList a;
    a.set("use_locking", AttrValue::boolean(useLocking));
    return a;
}

} // namespace

// ---- global step ---------------------------------------------------------------

std::optional<Variable> getGlobalStep(const Graph& g)
{
    Graph& mg = const_cast<Graph&>(g); // Variable handles carry a mutable graph pointer
    const auto& items = g.collection("global_step");
    if (items.size() == 1) {
        int idx = g.variableOfOp(items[0].op);
        if (idx >= 0)
            return Variable{&mg, idx};
    }
    if (items.size() > 1)
        return std::nullopt; // TF logs "Multiple tensors in global_step collection." and returns None
    if (const Operation* op = g.findOp("global_step"); op && op->type() == "VariableV2") {
        int idx = g.variableOfOp(op->id());
        if (idx >= 0)
            return Variable{&mg, idx};
    }
    return std::nullopt;
}

Variable createGlobalStep(Graph& g)
{
    if (getGlobalStep(g))
        throw ValueError("\"global_step\" already exists.");
    NameScope root(g, "");
    GetVariableOptions o;
    o.shape = Shape::scalar();
    o.dtype = DType::Int64;
    o.initializer = initializers::zeros();
    o.trainable = false;
    o.collections = {"variables", "global_step"};
    return getVariable(g, "global_step", o);
}

Variable getOrCreateGlobalStep(Graph& g)
{
    if (auto v = getGlobalStep(g))
        return *v;
    return createGlobalStep(g);
}

// ---- Optimizer -------------------------------------------------------------------

void Optimizer::bindGraph(const Graph& g)
{
    if (m_graph && m_graph != &g)
        throw ValueError(cat("Optimizer ", m_name, " is already used with another graph"));
    m_graph = &g;
}

std::vector<GradAndVar> Optimizer::computeGradients(Graph& g, Output loss, std::vector<Variable> varList,
                                                    GateGradients gate, std::optional<Output> gradLoss)
{
    assertValidDtype(g.info(loss).dtype, g.tensorName(loss));
    if (gradLoss)
        assertValidDtype(g.info(*gradLoss).dtype, g.tensorName(*gradLoss));
    if (varList.empty()) {
        for (const Output& v : g.collection("trainable_variables")) {
            int idx = g.variableOfOp(v.op);
            if (idx >= 0)
                varList.push_back(Variable{&g, idx});
        }
    }
    if (varList.empty())
        throw ValueError("No variables to optimize.");
    std::vector<Output> refs;
    for (const Variable& v : varList) {
        if (v.graph != &g)
            throw ValueError(cat("Variable ", v.name(), " is not in this graph"));
        refs.push_back(v.ref());
    }
    GradientsOptions opts;
    opts.gateGradients = gate == GateGradients::Op;
    GradientList grads = gradients(g, {loss}, refs, {gradLoss}, opts);
    if (gate == GateGradients::Graph) {
        GradBuilder b(g);
        grads = detail::tuple(b, grads);
    }
    std::vector<GradAndVar> out;
    for (size_t i = 0; i < varList.size(); ++i) {
        if (grads[i])
            assertValidDtype(varList[i].info().dtype, varList[i].name());
        out.push_back({grads[i], varList[i]});
    }
    return out;
}

OpId Optimizer::applyGradients(Graph& g, const std::vector<GradAndVar>& gradsAndVars,
                               std::optional<Variable> globalStep, std::string_view name)
{
    if (gradsAndVars.empty())
        throw ValueError("No variables provided.");
    bindGraph(g);
    std::vector<Variable> varList;
    for (const GradAndVar& gv : gradsAndVars)
        if (gv.grad)
            varList.push_back(gv.var);
    if (varList.empty()) {
        std::string vars;
        for (const GradAndVar& gv : gradsAndVars)
            vars += (vars.empty() ? "'" : ", '") + variableRepr(gv.var) + "'";
        throw ValueError(cat("No gradients provided for any variable: [", vars, "]."));
    }
    {
        InitScope init(g);
        createSlots(g, varList);
    }
    NameScope scope(g, name.empty() ? std::string_view(m_name) : name);
    const std::string scopeString = scope.scope();
    prepare(g);
    std::vector<OpId> updates;
    for (const GradAndVar& gv : gradsAndVars) {
        if (!gv.grad)
            continue;
        const std::string varOpName(g.op(gv.var.info().op).name());
        auto us = openOpScope(g, "update_" + varOpName);
        ColocateWith co(g, colocationOf(g, gv.var.info().op));
        updates.push_back(applyDense(g, *gv.grad, gv.var));
    }
    if (!globalStep)
        return finish(g, updates, scopeString);
    GradBuilder b(g);
    OpId updateGroup = finish(g, updates, "update");
    GradBuilder::ControlDependencies cd(b, {updateGroup});
    GradBuilder::Colocate co(b, globalStep->info().op);
    // state_ops.assign_add(global_step, 1, name=<scope string>): Const "<scope>/value", AssignAdd "<scope>".
    return b.wrapper("AssignAdd", {{"ref", globalStep->ref()}, {"value", ops::Input(1)}}, lockingAttrs(false),
                     scopeString, baseType(globalStep->info().dtype));
}

OpId Optimizer::minimize(Graph& g, Output loss, std::optional<Variable> globalStep, std::vector<Variable> varList,
                         GateGradients gate, std::string_view name)
{
    std::vector<GradAndVar> gv = computeGradients(g, loss, std::move(varList), gate);
    if (std::none_of(gv.begin(), gv.end(), [](const GradAndVar& x) { return bool(x.grad); })) {
        std::string vars;
        for (const GradAndVar& x : gv)
            vars += (vars.empty() ? "'" : ", '") + variableRepr(x.var) + "'";
        throw ValueError(cat("No gradients provided for any variable, check your graph for ops that do not support "
                             "gradients, between variables [",
                             vars, "] and loss Tensor(\"", g.tensorName(loss), "\", shape=",
                             g.info(loss).shape.toString(), ", dtype=", dtypeName(g.info(loss).dtype), ")."));
    }
    return applyGradients(g, gv, globalStep, name);
}

void Optimizer::createSlots(Graph&, const std::vector<Variable>&) {}

OpId Optimizer::finish(Graph& g, const std::vector<OpId>& updateOps, std::string_view nameScope)
{
    return ops::group(g, updateOps, nameScope);
}

Variable Optimizer::zerosSlot(Graph& g, const Variable& var, const std::string& slotName, const std::string& opName)
{
    auto key = std::make_pair(slotName, var.info().op);
    if (auto it = m_slots.find(key); it != m_slots.end())
        return it->second;
    // slot_creator.create_zeros_slot: variable_scope(None, default_name=<var op>/<opName>),
    // get_variable("") colocated with the primary -> variable `<scope name>` (trailing-'/' name).
    VariableScopeOptions vo;
    vo.defaultName = cat(g.op(var.info().op).name(), "/", opName);
    VariableScope vs(g, std::nullopt, vo);
    ColocateWith co(g, colocationOf(g, var.info().op));
    GetVariableOptions o;
    o.shape = var.info().shape;
    o.dtype = var.info().dtype;
    o.initializer = initializers::zeros();
    o.trainable = false;
    Variable slot = getVariable(g, "", o);
    m_slots.emplace(key, slot);
    if (std::find(m_slotNames.begin(), m_slotNames.end(), slotName) == m_slotNames.end())
        m_slotNames.push_back(slotName);
    return slot;
}

std::optional<Variable> Optimizer::slot(const Variable& var, std::string_view slotName) const
{
    auto it = m_slots.find(std::make_pair(std::string(slotName), var.info().op));
    if (it == m_slots.end())
        return std::nullopt;
    return it->second;
}

std::vector<std::string> Optimizer::slotNames() const { return m_slotNames; }

Output Optimizer::castTo(Graph& g, Output t, const Variable& var)
{
    GradBuilder b(g);
    DType want = baseType(var.info().dtype);
    if (baseType(g.info(t).dtype) == want)
        return t;
    return b.cast(t, want);
}

Output Optimizer::hyper(Graph& g, const ops::Input& value, std::string_view argName)
{
    return value.resolve(g, argName, DType::Float);
}

// ---- GradientDescent -------------------------------------------------------------

GradientDescentOptimizer::GradientDescentOptimizer(ops::Input learningRate, bool useLocking, std::string name)
    : Optimizer(std::move(name), useLocking), m_lr(std::move(learningRate))
{
}

void GradientDescentOptimizer::prepare(Graph& g) { m_lrTensor = hyper(g, m_lr, "learning_rate"); }

OpId GradientDescentOptimizer::applyDense(Graph& g, Output grad, const Variable& var)
{
    Output alpha = castTo(g, m_lrTensor, var);
    return ops::apply(g, "ApplyGradientDescent", "", {{"var", var.ref()}, {"alpha", alpha}, {"delta", grad}},
                      lockingAttrs(m_useLocking));
}

// ---- Momentum ----------------------------------------------------------------------

MomentumOptimizer::MomentumOptimizer(ops::Input learningRate, ops::Input momentum, bool useLocking, std::string name,
                                     bool useNesterov)
    : Optimizer(std::move(name), useLocking), m_lr(std::move(learningRate)), m_momentum(std::move(momentum)),
      m_nesterov(useNesterov)
{
}

void MomentumOptimizer::createSlots(Graph& g, const std::vector<Variable>& vars)
{
    for (const Variable& v : vars)
        zerosSlot(g, v, "momentum", m_name);
}

void MomentumOptimizer::prepare(Graph& g)
{
    m_lrTensor = hyper(g, m_lr, "learning_rate");
    m_momentumTensor = hyper(g, m_momentum, "momentum");
}

OpId MomentumOptimizer::applyDense(Graph& g, Output grad, const Variable& var)
{
    Variable mom = *slot(var, "momentum");
    Output lr = castTo(g, m_lrTensor, var);
    Output momentum = castTo(g, m_momentumTensor, var);
    AttrList a = lockingAttrs(m_useLocking);
    a.set("use_nesterov", AttrValue::boolean(m_nesterov));
    return ops::apply(g, "ApplyMomentum", "",
                      {{"var", var.ref()}, {"accum", mom.ref()}, {"lr", lr}, {"grad", grad}, {"momentum", momentum}},
                      std::move(a));
}

// ---- Adam ----------------------------------------------------------------------------

AdamOptimizer::AdamOptimizer(ops::Input learningRate, double beta1, double beta2, double epsilon, bool useLocking,
                             std::string name)
    : Optimizer(std::move(name), useLocking), m_lr(std::move(learningRate)), m_beta1(beta1), m_beta2(beta2),
      m_epsilon(epsilon)
{
}

void AdamOptimizer::createSlots(Graph& g, const std::vector<Variable>& vars)
{
    // The beta accumulators live beside the first variable by name (same device on every worker).
    const Variable* first = &vars.front();
    for (const Variable& v : vars)
        if (v.name() < first->name())
            first = &v;
    if (!m_beta1Power) {
        ColocateWith co(g, colocationOf(g, first->info().op));
        m_beta1Power = makeVariable(g, Tensor::scalar<float>(float(m_beta1)), "beta1_power", false);
        m_beta2Power = makeVariable(g, Tensor::scalar<float>(float(m_beta2)), "beta2_power", false);
    }
    for (const Variable& v : vars) {
        zerosSlot(g, v, "m", m_name);
        zerosSlot(g, v, "v", m_name);
    }
}

void AdamOptimizer::prepare(Graph& g)
{
    m_lrT = hyper(g, m_lr, "learning_rate");
    m_beta1T = hyper(g, ops::Input(m_beta1), "beta1");
    m_beta2T = hyper(g, ops::Input(m_beta2), "beta2");
    m_epsilonT = hyper(g, ops::Input(m_epsilon), "epsilon");
}

OpId AdamOptimizer::applyDense(Graph& g, Output grad, const Variable& var)
{
    Variable m = *slot(var, "m");
    Variable v = *slot(var, "v");
    // math_ops.cast of a RefVariable opens a "Cast" name scope even when no Cast op is needed.
    auto castVar = [&](const Variable& p) {
        if (baseType(p.info().dtype) == baseType(var.info().dtype)) {
            g.uniqueName("Cast");
            return p.value();
        }
        return castTo(g, p.value(), var);
    };
    Output b1p = castVar(*m_beta1Power);
    Output b2p = castVar(*m_beta2Power);
    AttrList a = lockingAttrs(m_useLocking);
    a.set("use_nesterov", AttrValue::boolean(false));
    return ops::apply(g, "ApplyAdam", "",
                      {{"var", var.ref()},
                       {"m", m.ref()},
                       {"v", v.ref()},
                       {"beta1_power", b1p},
                       {"beta2_power", b2p},
                       {"lr", castTo(g, m_lrT, var)},
                       {"beta1", castTo(g, m_beta1T, var)},
                       {"beta2", castTo(g, m_beta2T, var)},
                       {"epsilon", castTo(g, m_epsilonT, var)},
                       {"grad", grad}},
                      std::move(a));
}

OpId AdamOptimizer::finish(Graph& g, const std::vector<OpId>& updateOps, std::string_view nameScope)
{
    std::vector<OpId> all = updateOps;
    {
        GradBuilder b(g);
        GradBuilder::ControlDependencies cd(b, updateOps);
        GradBuilder::Colocate co(b, m_beta1Power->info().op);
        AttrList a;
        a.set("use_locking", AttrValue::boolean(m_useLocking));
        a.set("validate_shape", AttrValue::boolean(true));
        Output mul1 = b.binaryOperator("mul", "Mul", m_beta1Power->value(), m_beta1T);
        all.push_back(b.wrapper("Assign", {{"ref", m_beta1Power->ref()}, {"value", mul1}}, a));
        Output mul2 = b.binaryOperator("mul", "Mul", m_beta2Power->value(), m_beta2T);
        all.push_back(b.wrapper("Assign", {{"ref", m_beta2Power->ref()}, {"value", mul2}}, a));
    }
    return ops::group(g, all, nameScope);
}

} // namespace scopeviz::train
