#pragma once
// tf.train optimizers (TF 1.15, graph mode, ref variables) with TF's slot,
// scope and op names:
//
//     train::GradientDescentOptimizer opt(0.1);
//     OpId trainOp = opt.minimize(g, loss, train::getOrCreateGlobalStep(g));
//
// builds `gradients/...` (compute_gradients with GATE_OP), then under the
// uniquified name scope of the optimizer ("GradientDescent", "Momentum",
// "Adam"): the hyper-parameter Consts (`GradientDescent/learning_rate`), one
// `update_<var op name>/Apply*` op per variable colocated with it, the group
// `GradientDescent/update` and the step increment: Const `GradientDescent/value`
// + AssignAdd `GradientDescent` (the returned train op). Without a global step
// the train op is the NoOp `GradientDescent`.
//
// Slots are zero-initialized variables named `<var op name>/<optimizer name>`,
// uniquified like TF's variable_scope(None, default_name=...):
// `my_net/weights/Momentum`, `my_net/weights/Adam` (m) and
// `my_net/weights/Adam_1` (v). Adam also creates `beta1_power` and
// `beta2_power`, colocated with the first variable by name.
//
// Not reproduced: the `train_op` collection (collections hold tensors here, and
// the train op is often a NoOp), sparse updates, distribution strategies.
#include "core/graph/graph.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace scopeviz::train {

/// A (gradient, variable) pair as compute_gradients returns it; grad is nullopt
/// when the loss does not depend on the variable.
struct GradAndVar {
    std::optional<Output> grad;
    Variable var;
};

/// Optimizer.GATE_NONE / GATE_OP / GATE_GRAPH.
enum class GateGradients { None = 0, Op = 1, Graph = 2 };

/// tf.train.get_global_step: the variable in collection "global_step" (or the op named
/// "global_step"), or nullopt.
std::optional<Variable> getGlobalStep(const Graph& g);
/// tf.train.create_global_step: int64 scalar `global_step` (zeros initializer, not trainable,
/// collections "variables" and "global_step"), created from the root name scope.
/// Throws ValueError("\"global_step\" already exists.").
Variable createGlobalStep(Graph& g);
/// tf.train.get_or_create_global_step.
Variable getOrCreateGlobalStep(Graph& g);

/// The base class of tf.train.Optimizer.
class Optimizer {
public:
    virtual ~Optimizer() = default;
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    /// The optimizer's name ("GradientDescent"), also its default name scope.
    const std::string& name() const { return m_name; }

    /// compute_gradients(loss, var_list): var_list empty = the trainable variables.
    /// Throws ValueError("No variables to optimize.") and TF's dtype errors.
    std::vector<GradAndVar> computeGradients(Graph& g, Output loss, std::vector<Variable> varList = {},
                                             GateGradients gate = GateGradients::Op,
                                             std::optional<Output> gradLoss = std::nullopt);
    /// apply_gradients: creates slots, then the update ops; returns the train op
    /// (AssignAdd on the global step when given, else the NoOp group).
    OpId applyGradients(Graph& g, const std::vector<GradAndVar>& gradsAndVars,
                        std::optional<Variable> globalStep = std::nullopt, std::string_view name = "");
    /// minimize = compute_gradients + apply_gradients. Throws ValueError when no
    /// variable gets a gradient.
    OpId minimize(Graph& g, Output loss, std::optional<Variable> globalStep = std::nullopt,
                  std::vector<Variable> varList = {}, GateGradients gate = GateGradients::Op,
                  std::string_view name = "");

    /// The slot `slotName` ("momentum", "m", "v") of `var`, if created.
    std::optional<Variable> slot(const Variable& var, std::string_view slotName) const;
    /// The slot names this optimizer creates, in creation order.
    std::vector<std::string> slotNames() const;

protected:
    Optimizer(std::string name, bool useLocking) : m_name(std::move(name)), m_useLocking(useLocking) {}
    /// _create_slots (run at the graph's current name scope, outside control dependencies).
    virtual void createSlots(Graph& g, const std::vector<Variable>& vars);
    /// _prepare: the hyper-parameter tensors, inside the optimizer's name scope.
    virtual void prepare(Graph& g) = 0;
    /// _apply_dense: the update op of one variable, inside `update_<var>/`, colocated with it.
    virtual OpId applyDense(Graph& g, Output grad, const Variable& var) = 0;
    /// _finish: groups the update ops into a NoOp named `nameScope` ("update" or "<scope>/").
    virtual OpId finish(Graph& g, const std::vector<OpId>& updateOps, std::string_view nameScope);

    /// _zeros_slot: a zero-initialized slot `<var op name>/<opName>` (uniquified).
    Variable zerosSlot(Graph& g, const Variable& var, const std::string& slotName, const std::string& opName);
    /// math_ops.cast(t, var's dtype) inside an update scope.
    Output castTo(Graph& g, Output t, const Variable& var);
    /// Resolves a hyper-parameter (a literal becomes a float32 Const named `argName`).
    static Output hyper(Graph& g, const ops::Input& value, std::string_view argName);

    std::string m_name;
    bool m_useLocking = false;

private:
    std::map<std::pair<std::string, OpId>, Variable> m_slots;
    std::vector<std::string> m_slotNames;
    const Graph* m_graph = nullptr; ///< slots belong to one graph
    void bindGraph(const Graph& g);
};

/// tf.train.GradientDescentOptimizer: var -= learning_rate * grad (ApplyGradientDescent).
class GradientDescentOptimizer : public Optimizer {
public:
    explicit GradientDescentOptimizer(ops::Input learningRate, bool useLocking = false,
                                      std::string name = "GradientDescent");

protected:
    void prepare(Graph& g) override;
    OpId applyDense(Graph& g, Output grad, const Variable& var) override;

private:
    ops::Input m_lr;
    Output m_lrTensor;
};

/// tf.train.MomentumOptimizer: accum = accum * momentum + grad; var -= lr * accum (ApplyMomentum).
class MomentumOptimizer : public Optimizer {
public:
    MomentumOptimizer(ops::Input learningRate, ops::Input momentum, bool useLocking = false,
                      std::string name = "Momentum", bool useNesterov = false);

protected:
    void createSlots(Graph& g, const std::vector<Variable>& vars) override;
    void prepare(Graph& g) override;
    OpId applyDense(Graph& g, Output grad, const Variable& var) override;

private:
    ops::Input m_lr, m_momentum;
    Output m_lrTensor, m_momentumTensor;
    bool m_nesterov;
};

/// tf.train.AdamOptimizer (ApplyAdam), with `beta1_power`/`beta2_power` updated in _finish.
class AdamOptimizer : public Optimizer {
public:
    explicit AdamOptimizer(ops::Input learningRate = 0.001, double beta1 = 0.9, double beta2 = 0.999,
                           double epsilon = 1e-8, bool useLocking = false, std::string name = "Adam");
    /// The beta1_power / beta2_power variables (after apply_gradients).
    std::optional<Variable> beta1Power() const { return m_beta1Power; }
    std::optional<Variable> beta2Power() const { return m_beta2Power; }

protected:
    void createSlots(Graph& g, const std::vector<Variable>& vars) override;
    void prepare(Graph& g) override;
    OpId applyDense(Graph& g, Output grad, const Variable& var) override;
    OpId finish(Graph& g, const std::vector<OpId>& updateOps, std::string_view nameScope) override;

private:
    ops::Input m_lr;
    double m_beta1, m_beta2, m_epsilon;
    Output m_lrT, m_beta1T, m_beta2T, m_epsilonT;
    std::optional<Variable> m_beta1Power, m_beta2Power;
};

} // namespace scopeviz::train
