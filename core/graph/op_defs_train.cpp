// Ops created by gradients and optimizers (core/train). Filled in with the
// training work; kept apart so the forward op set stays easy to read.
#include "core/graph/op_registry.h"

namespace scopeviz::detail {

void registerTrainingOps(OpRegistry&) {}

} // namespace scopeviz::detail
