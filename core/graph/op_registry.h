#pragma once
// The op registry: each op type declares its inputs, outputs, attrs and a
// shape function. Kernels (core/exec) and gradients (core/train) keep their
// own tables keyed by the same type name, so building a graph never pulls in
// execution code (ggml's rule: building is cheap and separate from running).
#include "core/graph/attr.h"
#include "core/tensor/dtype.h"
#include "core/tensor/shape.h"

#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace scopeviz {

class Graph;
struct Output;
class ShapeContext;

/// Infers output dtypes and shapes at build time; throws ValueError naming the op and shapes.
using ShapeFn = void (*)(ShapeContext&);

/// The declaration of one op type.
struct OpDef {
    std::string name;                    ///< type name, e.g. "MatMul"
    std::vector<std::string> inputNames; ///< argument names ("a", "b"); constants get named after them
    bool variadic = false;               ///< any number of inputs (AddN, MergeSummary)
    std::vector<std::string> attrNames;  ///< declared attrs ("T", "transpose_a", ...)
    ShapeFn shapeFn = nullptr;
    bool stateful = false;               ///< never pruned by value, never constant-folded
    std::string typeAttr = "T";          ///< attr that records the element type, empty if none
    bool colocateWithRef = false;        ///< input 0 is a ref arg: colocate with its producer (`_class`)
};

/// A definition with the common fields set; the rest keep their defaults.
inline OpDef makeOpDef(std::string name, std::vector<std::string> inputs, ShapeFn fn, bool stateful = false)
{
    OpDef d;
    d.name = std::move(name);
    d.inputNames = std::move(inputs);
    d.shapeFn = fn;
    d.stateful = stateful;
    return d;
}

/// Registry of op types (a process-wide singleton, filled on first use).
class OpRegistry {
public:
    /// The registry with every built-in op.
    static const OpRegistry& global();
    /// The definition of a type, or nullptr for unknown (imported) types.
    const OpDef* find(std::string_view type) const;
    /// Every registered definition, in registration order.
    const std::vector<OpDef>& all() const { return m_defs; }
    /// Adds a definition (used while filling the registry).
    void add(OpDef def);

private:
    std::vector<OpDef> m_defs;
    std::unordered_map<std::string_view, size_t> m_index;
};

/// What a shape function sees and produces.
class ShapeContext {
public:
    ShapeContext(const Graph& g, std::string_view opName, std::string_view opType, const std::vector<Output>& inputs,
                 AttrList& attrs);
    int numInputs() const;
    DType inputType(int i) const;
    /// The static shape of input i (a reference into the graph: no copy per query).
    const Shape& inputShape(int i) const;
    /// The constant value feeding input i (a Const op, or a Shape of a fully known tensor), or nullptr.
    const Tensor* constInput(int i) const;
    AttrList& attrs() { return m_attrs; }
    std::string_view opName() const { return m_opName; }
    /// Declares output i.
    void setOutput(int i, DType t, Shape s);
    /// Throws ValueError: "<message> for '<op>' (op: '<type>') with input shapes: [..], [..]."
    [[noreturn]] void fail(const std::string& message) const;
    /// Requires input i to have one of the given (base) dtypes; fails otherwise.
    void expectType(int i, std::initializer_list<DType> allowed) const;
    /// Requires inputs i and j to share a base dtype; fails otherwise.
    void expectSameType(int i, int j) const;

    std::vector<DType> outTypes;
    std::vector<Shape> outShapes;

private:
    const Graph& m_graph;
    std::string_view m_opName, m_opType;
    const std::vector<Output>& m_inputs;
    AttrList& m_attrs;
    mutable Tensor m_shapeValue;
};

namespace detail {
/// TF's broadcasting of two shapes (unknown dimensions stay unknown); fails with TF's text.
Shape broadcastShapes(ShapeContext& c, const Shape& a, const Shape& b);
/// Shape fn of broadcasting binary ops (Add, Mul, ...): same dtype, broadcast shape.
void binaryShape(ShapeContext& c);
/// Shape fn of comparisons (Equal, Less, ...): bool, broadcast shape.
void comparisonShape(ShapeContext& c);
/// Fills the registry with the built-in ops (core/graph/op_defs.cpp).
void registerBuiltinOps(OpRegistry& r);
} // namespace detail

} // namespace scopeviz

namespace scopeviz::detail {
/// Ops that only gradients and optimizers create (core/graph/op_defs_train.cpp).
void registerTrainingOps(OpRegistry& r);
} // namespace scopeviz::detail
