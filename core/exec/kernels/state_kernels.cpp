// Variable kernels: VariableV2 (a ref to the Session's slot), Assign,
// AssignAdd, AssignSub. Values live in the Session; these kernels only
// replace or update them. Assign stores a copy of its value (or takes the
// buffer when the Session says nobody else can see it), so a variable never
// shares memory with a feed, a constant or a fetched tensor.
#include "core/exec/kernels/kernel_util.h"

#include "core/util/strings.h"

namespace scopeviz::exec::detail {
namespace {

void variableKernel(KernelContext& c)
{
    VariableSlot* slot = c.variableSlot();
    if (!slot)
        c.fail("VariableV2 has no slot in this Session");
    c.setRefOutput(0, slot);
}

/// The shape a variable must keep: its value's, or the declared one before initialization.
Shape lhsShape(const KernelContext& c, const VariableSlot& slot)
{
    if (slot.value.valid())
        return slot.value.shape();
    const Operation& producer = c.graph().op(c.op().inputs().at(0).op);
    return producer.outputs().empty() ? Shape() : producer.outputs()[0].shape;
}

void assignKernel(KernelContext& c)
{
    const bool validateShape = cachedAttr(c, [&] { return attrBool(c, "validate_shape", true); }) != 0;
    VariableSlot* slot = c.refInput(0);
    if (!slot)
        c.fail("Assign requires a reference (variable) as its first input");
    const Tensor& value = c.input(1);
    if (!value.valid())
        c.fail("Assign of an empty value");
    const DType varType = baseType(c.graph().info(c.op().inputs()[0]).dtype);
    if (varType != DType::Invalid && value.dtype() != varType)
        c.fail(cat("Assign of a ", dtypeTfName(value.dtype()), " value to a ", dtypeTfName(varType), " variable"));
    if (validateShape) {
        Shape lhs = lhsShape(c, *slot);
        const bool same = slot->value.valid() ? slot->value.dims() == value.dims() : lhs.isCompatibleWith(value.shape());
        if (!same)
            c.fail(cat("Assign requires shapes of both tensors to match. lhs shape= ", lhs.toDebugString(),
                       " rhs shape= ", dimsString(value.dims())));
    }
    slot->value = c.canForwardInput(1) ? value : value.clone();
    c.setRefOutput(0, slot);
}

template <int Sign>
void assignUpdateKernel(KernelContext& c)
{
    Tensor& var = c.mutableRefValue(0);
    const Tensor& value = denseInput(c, 1);
    if (var.dims() != value.dims())
        c.fail(cat("Cannot update variable with shape ", dimsString(var.dims()), " using a Tensor with shape ",
                   dimsString(value.dims()), ", shapes must be equal."));
    if (var.dtype() != value.dtype())
        c.fail(cat("Cannot update a ", dtypeTfName(var.dtype()), " variable with a ", dtypeTfName(value.dtype()),
                   " value"));
    visitReal(c, var.dtype(), [&](auto tag) {
        using T = decltype(tag);
        if constexpr (Sign > 0)
            var.flat<T>() += value.flat<T>();
        else
            var.flat<T>() -= value.flat<T>();
    });
    c.setRefOutput(0, c.refInput(0));
}

} // namespace

void registerStateKernels(KernelRegistry& r)
{
    r.add("VariableV2", variableKernel); // a ref: never reused
    r.add("Assign", assignKernel, kFresh);
    r.add("AssignAdd", assignUpdateKernel<1>, kFresh);
    r.add("AssignSub", assignUpdateKernel<-1>, kFresh);
}

} // namespace scopeviz::exec::detail
