#pragma once
// Conversions between TensorFlow's attr/tensor/shape messages (our
// scopeviz.tfproto copies) and the graph model's AttrValue, Tensor and Shape.
// Internal to core/io; graphdef_io.h documents the representation choices.
#include "core/graph/attr.h"
#include "core/proto/graph.pb.h"
#include "core/proto/tensor.pb.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace scopeviz::detail {

/// Shape from a TensorShapeProto (unknown_rank -> unknown; negative dims -> -1).
Shape shapeFromProto(const tfproto::TensorShapeProto& p);
/// Fills a TensorShapeProto (unknown rank -> unknown_rank: true).
void shapeToProto(const Shape& s, tfproto::TensorShapeProto* p);

/// What tensorFromProto made of a TensorProto.
struct TensorConversion {
    AttrValue value;      ///< a Tensor attr, or a String summary
    bool summarized = false;
    std::string problem;  ///< non-empty when the proto was inconsistent (worth a warning)
};

/// Converts a TensorProto: a Tensor when it has at most maxElements elements of
/// a dtype our Tensor holds, else a summary string (tensorSummary()).
TensorConversion tensorFromProto(const tfproto::TensorProto& p, int64_t maxElements);

/// "<tensor float32 [3,3,64,64], 147456 elements, 589824 bytes>" (dims may be "?" or "<unknown>").
std::string tensorSummary(DType dtype, const Shape& shape);
/// Parses a tensorSummary() string back into dtype and shape; false if `s` is not one.
bool parseTensorSummary(std::string_view s, DType& dtype, Shape& shape);

/// Fills a TensorProto: tensor_content for numeric dtypes, string_val for strings.
void tensorToProto(const Tensor& t, tfproto::TensorProto* p);

/// What attrFromProto produced.
struct AttrConversion {
    AttrValue value;
    bool summarizedTensors = false; ///< one or more tensors were summarised
    std::string problem;            ///< a warning to report, or empty
};

/// Converts one AttrValue message. An empty `list {}` becomes an empty IntList.
AttrConversion attrFromProto(const tfproto::AttrValue& p, int64_t maxTensorElements);

/// Fills an AttrValue message; false for AttrValue::Kind::None (nothing to write).
bool attrToProto(const AttrValue& v, tfproto::AttrValue* p);

} // namespace scopeviz::detail
