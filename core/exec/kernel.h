#pragma once
// The kernel interface: one function per op type, registered in a table keyed
// by the op type (the op registry in core/graph holds shape functions, the
// gradient table lives in core/train). Kernels read inputs and attrs from a
// KernelContext and write fresh output tensors; they never keep state, except
// variables, which live in the Session and reach kernels as ref slots.
//
// Buffer reuse. A kernel that computes an output of the same dtype and size as
// one of its inputs can ask for that input's buffer with
// forwardInputOrAllocateOutput(): the Session hands it over only when nothing
// else can observe the input any more (this op is its last reader, it was not
// fed or fetched, it is not a variable, a constant or an alias of one). Which
// kernels produce such private buffers is declared with KernelTraits when the
// kernel is registered; the conservative default never forwards. Private
// buffers that die without being taken over are recycled: a later
// allocateOutput() of the same dtype and size may return one (old contents).
//
// Variables. A ref input is a VariableSlot. refInput() gives the slot without
// reading it (Assign); input() and mutableRefValue() read it and fail with
// TensorFlow's "Attempting to use uninitialized value <name>" when it holds
// nothing. Updating the slot's value in place is allowed: the Session never
// hands out a variable's buffer (fetches and variableValue() copy it). The
// reverse is the kernels' duty: a kernel that stores a tensor into a slot
// (Assign) stores a copy, unless canForwardInput() says the buffer is its own.
#include "core/graph/graph.h"
#include "core/tensor/tensor.h"

#include <cstdint>
#include <random>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace Eigen {
struct ThreadPoolDevice;
}

namespace scopeviz::exec {

/// Storage of one variable in a Session: its current value (invalid until initialized).
struct VariableSlot {
    Tensor value;
    std::string name; ///< op name, for "Attempting to use uninitialized value <name>"
};

/// Per-op random state, seeded from the op's seed/seed2 attrs (or nondeterministically).
struct RandomState {
    std::mt19937_64 engine;
    bool seeded = false; ///< set by the kernel after seeding `engine` on its first run
};

/// Small per-op scratch that lives as long as the Session's execution plan:
/// kernels parse their attrs into it on the first run and skip the (string)
/// attr lookups afterwards.
struct KernelCache {
    bool ready = false;
    int64_t i[6] = {};
    double f[2] = {};
    const void* p = nullptr;
};

/// What a kernel promises about buffers (used to decide in-place reuse and recycling).
struct KernelTraits {
    /// Outputs never share a buffer with an input, an attr or a variable, and no input's
    /// buffer is kept or handed on, except buffers the kernel was allowed to take
    /// (canForwardInput(), forwardInputOrAllocateOutput()): the outputs may be reused
    /// in place and recycled. Ref outputs (Assign, Apply*) are never reused.
    bool freshOutputs = false;
    /// Output 0 may be input 0's buffer (Identity, Reshape, a reduction over nothing):
    /// they share one lifetime.
    bool aliasesInput0 = false;
};

/// Everything a kernel sees.
class KernelContext {
public:
    virtual ~KernelContext() = default;
    virtual const Graph& graph() const = 0;
    virtual const Operation& op() const = 0;
    const AttrList& attrs() const { return op().attrs(); }
    virtual int numInputs() const = 0;
    virtual int numOutputs() const = 0;
    /// Input value i (for a ref input: the variable's current value; throws
    /// FailedPreconditionError when it is uninitialized).
    virtual const Tensor& input(int i) const = 0;
    /// True when input i is a ref (a variable slot).
    virtual bool isRefInput(int i) const = 0;
    /// The variable slot behind ref input i (Assign, ApplyGradientDescent, ...), or nullptr.
    virtual VariableSlot* refInput(int i) = 0;
    /// The value of ref input i for in-place update; throws like input() when uninitialized
    /// and InvalidArgumentError when input i is not a ref.
    virtual Tensor& mutableRefValue(int i) = 0;
    /// Sets output i.
    virtual void setOutput(int i, Tensor t) = 0;
    /// Allocates output i (uninitialised contents: possibly a recycled buffer) and returns it for writing.
    virtual Tensor& allocateOutput(int i, DType dtype, std::vector<int64_t> dims) = 0;
    /// Output i in input `in`'s buffer when that input can be forwarded (same dtype and
    /// element count, see the header essay), else a fresh allocation. Elementwise
    /// kernels may then read the input and write the output in the same pass.
    virtual Tensor& forwardInputOrAllocateOutput(int in, int out, DType dtype, const std::vector<int64_t>& dims) = 0;
    /// True when input i's buffer may be taken over by this op. A true answer counts as
    /// taking it: the Session will not recycle that buffer in this run.
    virtual bool canForwardInput(int i) const = 0;
    /// False when nobody reads or fetches output i in this run: the kernel may skip
    /// computing it and leave it unset.
    virtual bool outputRequired(int i) const = 0;
    /// Makes output i a ref to a variable slot (VariableV2).
    virtual void setRefOutput(int i, VariableSlot* slot) = 0;
    /// This op's variable slot (VariableV2 only).
    virtual VariableSlot* variableSlot() = 0;
    /// Random state of this op (stateful random ops).
    virtual RandomState& random() = 0;
    /// Per-op scratch for parsed attrs (see KernelCache).
    virtual KernelCache& cache() = 0;
    /// A multithreaded Eigen device for large kernels, or nullptr (see kernels/parallel.h).
    virtual const Eigen::ThreadPoolDevice* device() const = 0;
    /// Throws InvalidArgumentError naming this op.
    [[noreturn]] virtual void fail(const std::string& message) const = 0;
};

/// A kernel.
using KernelFn = void (*)(KernelContext&);

/// A registered kernel and its buffer traits.
struct KernelDef {
    KernelFn fn = nullptr;
    KernelTraits traits;
};

/// Kernels keyed by op type.
class KernelRegistry {
public:
    /// The registry with every built-in kernel (filled on first use).
    static const KernelRegistry& global();
    KernelFn find(std::string_view type) const;
    /// The kernel and its traits, or nullptr.
    const KernelDef* lookup(std::string_view type) const;
    void add(std::string type, KernelFn fn, KernelTraits traits = {});
    /// Every registered op type (for tests and --list-ops).
    std::vector<std::string> types() const;

private:
    std::unordered_map<std::string, KernelDef> m_kernels;
};

namespace detail {
/// Each kernels/*.cpp file provides one of these; kernel_registry.cpp calls them all.
void registerArrayKernels(KernelRegistry& r);
void registerMathKernels(KernelRegistry& r);
void registerNnKernels(KernelRegistry& r);
void registerRandomKernels(KernelRegistry& r);
void registerStateKernels(KernelRegistry& r);
void registerSummaryKernels(KernelRegistry& r);
void registerTrainingKernels(KernelRegistry& r); ///< core/exec/kernels/training_kernels.cpp (optimizers, grad ops)
} // namespace detail

} // namespace scopeviz::exec
