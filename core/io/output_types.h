#pragma once
// Output dtypes of imported ops, read from their attrs by TensorFlow's op
// signatures. Internal to core/io.
#include "core/graph/attr.h"

#include <optional>
#include <string_view>
#include <vector>

namespace scopeviz::detail {

/// The dtypes of an op's outputs, from its type and attrs (e.g. MatMul -> [T],
/// VariableV2 -> [dtype_ref], Switch -> [T, T], NoOp -> []). nullopt when
/// the op type is unknown and no generic attr (`dtype`, `T`, `out_type`, ...) tells.
std::optional<std::vector<DType>> inferOutputTypes(std::string_view opType, const AttrList& attrs);

} // namespace scopeviz::detail
