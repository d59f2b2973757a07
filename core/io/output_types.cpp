// Output dtypes of imported ops.
//
// A GraphDef records output shapes (`_output_shapes`, when the writer asked
// for them) but never output dtypes: TensorFlow derives those from the op's
// registered signature and the node's type attrs. We do not carry TF's op
// registry, so this file encodes the signatures of the ops that matter for
// viewing graphs: the ones whose outputs are not simply "the type in `T`"
// (comparisons return bool, Shape returns out_type, VariableV2 a reference,
// VarHandleOp a resource, Switch two outputs, NoOp none, ...). Every other op
// falls back to the first type attr that names an output in TF's convention:
// `dtype`, then `T`, `out_type`, `output_type`, `DstT`, and the type lists
// `Tout`, `output_types`, `dtypes`, `component_types`.
#include "core/io/output_types.h"

#include "core/util/strings.h"

#include <algorithm>
#include <string>
#include <unordered_map>

namespace scopeviz::detail {
namespace {

enum class Rule : uint8_t {
    None,        // no outputs
    Bool,        // one bool
    String,      // one string
    Int32,       // one int32
    Int64,       // one int64
    Resource,    // one resource handle
    RefDtype,    // reference of `dtype` (VariableV2)
    RefT,        // reference of `T` (Assign, Apply*)
    OutType,     // `out_type` (default int32): Shape, Size
    OutTypeN,    // N x `out_type`: ShapeN
    OutputType,  // `output_type` (default int64): ArgMax
    TwoT,        // T, T: Switch, *CrossEntropyWithLogits, BroadcastGradientArgs
    RefTwoT,     // ref T, ref T: RefSwitch
    MergeLike,   // T, int32: Merge
    RefMerge,    // ref T, int32
    SplitT,      // num_split x T
    UnpackT,     // num x T
    TopK,        // T, int32
    Unique,      // T, out_idx
    BatchNorm,   // 5 x T
    BatchNormU,  // T, 4 x U (V2)
    BatchNormU5, // T, 5 x U (V3)
    Argmax2,     // T, Targmax: MaxPoolWithArgmax
    Dt,          // `dt`: Restore, RestoreSlice
};

const std::unordered_map<std::string_view, Rule>& rules()
{
    static const std::unordered_map<std::string_view, Rule> table = [] {
        std::unordered_map<std::string_view, Rule> t;
        for (const char* op : {"NoOp", "AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp", "SaveV2", "Save",
                               "SaveSlices", "Assert", "_Retval", "DestroyResourceOp", "ControlTrigger",
                               "MergeV2Checkpoints", "ResourceStridedSliceAssign", "InitializeTableV2",
                               "InitializeTableFromTextFileV2", "WriteScalarSummary", "WriteHistogramSummary",
                               "WriteImageSummary", "WriteAudioSummary", "WriteSummary", "WriteRawProtoSummary",
                               "WriteGraphSummary", "FlushSummaryWriter", "CloseSummaryWriter", "CreateSummaryFileWriter",
                               "CreateSummaryDbWriter", "ImportEvent", "QueueEnqueueV2", "QueueEnqueueManyV2",
                               "QueueCloseV2", "QueueEnqueue", "QueueEnqueueMany", "QueueClose", "MakeIterator",
                               "DeleteIterator", "ConsumeMutexLock", "PrintV2", "TPUReplicateMetadata"})
            t[op] = Rule::None;
        for (const char* op : {"Equal", "NotEqual", "Less", "LessEqual", "Greater", "GreaterEqual", "LogicalAnd",
                               "LogicalOr", "LogicalNot", "IsNan", "IsInf", "IsFinite", "ApproximateEqual",
                               "IsVariableInitialized", "VarIsInitializedOp", "LoopCond", "InTopK", "InTopKV2",
                               "All", "Any", "IsBoostedTreesEnsembleInitialized"})
            t[op] = Rule::Bool;
        for (const char* op : {"ScalarSummary", "HistogramSummary", "MergeSummary", "ImageSummary", "AudioSummary",
                               "AudioSummaryV2", "TensorSummary", "TensorSummaryV2", "AsString", "StringJoin",
                               "ReadFile", "EncodePng", "EncodeJpeg", "EncodeBase64", "DecodeBase64", "StringFormat",
                               "ShardedFilename", "ShardedFilespec", "RegexReplace", "StaticRegexReplace",
                               "SerializeTensor", "StringStrip", "StringLower", "StringUpper", "Substr"})
            t[op] = Rule::String;
        for (const char* op : {"Rank", "QueueSizeV2", "QueueSize"})
            t[op] = Rule::Int32;
        for (const char* op : {"Where", "StringToHashBucketFast", "StringToHashBucketStrong", "StringToHashBucket"})
            t[op] = Rule::Int64;
        for (const char* op : {"VarHandleOp", "HashTableV2", "MutableHashTableV2", "MutableHashTableOfTensorsV2",
                               "MutableDenseHashTableV2", "FIFOQueueV2", "PaddingFIFOQueueV2", "RandomShuffleQueueV2",
                               "PriorityQueueV2", "IteratorV2", "Iterator", "SummaryWriter", "MutexV2",
                               "StackV2", "TensorArrayV3"})
            t[op] = Rule::Resource;
        for (const char* op : {"VariableV2", "Variable", "TemporaryVariable"})
            t[op] = Rule::RefDtype;
        for (const char* op : {"Assign", "AssignAdd", "AssignSub", "ScatterUpdate", "ScatterAdd", "ScatterSub",
                               "ScatterMul", "ScatterDiv", "ScatterMin", "ScatterMax", "ScatterNdUpdate", "ScatterNdAdd",
                               "ScatterNdSub", "RefIdentity", "RefEnter", "RefExit", "RefNextIteration", "RefSelect",
                               "StridedSliceAssign"})
            t[op] = Rule::RefT;
        for (const char* op : {"Shape", "Size"})
            t[op] = Rule::OutType;
        t["ShapeN"] = Rule::OutTypeN;
        for (const char* op : {"ArgMax", "ArgMin"})
            t[op] = Rule::OutputType;
        for (const char* op : {"Switch", "SparseSoftmaxCrossEntropyWithLogits", "SoftmaxCrossEntropyWithLogits",
                               "BroadcastGradientArgs"})
            t[op] = Rule::TwoT;
        t["RefSwitch"] = Rule::RefTwoT;
        t["Merge"] = Rule::MergeLike;
        t["RefMerge"] = Rule::RefMerge;
        for (const char* op : {"Split", "SplitV"})
            t[op] = Rule::SplitT;
        t["Unpack"] = Rule::UnpackT;
        for (const char* op : {"TopKV2", "TopK"})
            t[op] = Rule::TopK;
        for (const char* op : {"Unique", "UniqueV2"})
            t[op] = Rule::Unique;
        for (const char* op : {"FusedBatchNorm", "FusedBatchNormGrad"})
            t[op] = Rule::BatchNorm;
        for (const char* op : {"FusedBatchNormV2", "FusedBatchNormGradV2"})
            t[op] = Rule::BatchNormU;
        for (const char* op : {"FusedBatchNormV3", "FusedBatchNormGradV3"})
            t[op] = Rule::BatchNormU5;
        t["MaxPoolWithArgmax"] = Rule::Argmax2;
        for (const char* op : {"Restore", "RestoreSlice"})
            t[op] = Rule::Dt;
        return t;
    }();
    return table;
}

DType typeAttr(const AttrList& a, std::string_view name, DType fallback = DType::Invalid)
{
    const AttrValue* v = a.find(name);
    return v && v->kind() == AttrValue::Kind::Type ? v->t() : fallback;
}

int64_t intAttr(const AttrList& a, std::string_view name, int64_t fallback)
{
    const AttrValue* v = a.find(name);
    return v && v->kind() == AttrValue::Kind::Int ? v->i() : fallback;
}

/// A type-list attr; nullopt when absent. An empty `list {}` is an empty list.
std::optional<std::vector<DType>> typeListAttr(const AttrList& a, std::string_view name)
{
    const AttrValue* v = a.find(name);
    if (!v)
        return std::nullopt;
    if (v->kind() == AttrValue::Kind::TypeList)
        return v->types();
    if (v->kind() == AttrValue::Kind::IntList && v->ints().empty())
        return std::vector<DType>{};
    return std::nullopt;
}

/// Repeats a dtype n times (n clamped to a sane range).
std::vector<DType> repeat(DType t, int64_t n)
{
    return std::vector<DType>(size_t(std::clamp<int64_t>(n, 0, 65536)), t);
}

} // namespace

std::optional<std::vector<DType>> inferOutputTypes(std::string_view opType, const AttrList& a)
{
    const auto& table = rules();
    auto it = table.find(opType);
    if (it != table.end()) {
        const DType t = typeAttr(a, "T");
        switch (it->second) {
        case Rule::None: return std::vector<DType>{};
        case Rule::Bool: return std::vector<DType>{DType::Bool};
        case Rule::String: return std::vector<DType>{DType::String};
        case Rule::Int32: return std::vector<DType>{DType::Int32};
        case Rule::Int64: return std::vector<DType>{DType::Int64};
        case Rule::Resource: return std::vector<DType>{DType::Resource};
        case Rule::RefDtype: return std::vector<DType>{makeRef(typeAttr(a, "dtype", DType::Float))};
        case Rule::RefT: return std::vector<DType>{t == DType::Invalid ? t : makeRef(t)};
        case Rule::OutType: return std::vector<DType>{typeAttr(a, "out_type", DType::Int32)};
        case Rule::OutTypeN: return repeat(typeAttr(a, "out_type", DType::Int32), intAttr(a, "N", 1));
        case Rule::OutputType: return std::vector<DType>{typeAttr(a, "output_type", DType::Int64)};
        case Rule::TwoT: return std::vector<DType>{t, t};
        case Rule::RefTwoT: return repeat(t == DType::Invalid ? t : makeRef(t), 2);
        case Rule::MergeLike: return std::vector<DType>{t, DType::Int32};
        case Rule::RefMerge: return std::vector<DType>{t == DType::Invalid ? t : makeRef(t), DType::Int32};
        case Rule::SplitT: return repeat(t, intAttr(a, "num_split", 1));
        case Rule::UnpackT: return repeat(t, intAttr(a, "num", 1));
        case Rule::TopK: return std::vector<DType>{t, DType::Int32};
        case Rule::Unique: return std::vector<DType>{t, typeAttr(a, "out_idx", DType::Int32)};
        case Rule::BatchNorm: return repeat(t, 5);
        case Rule::BatchNormU: {
            std::vector<DType> v = repeat(typeAttr(a, "U", DType::Float), 5);
            v[0] = t;
            return v;
        }
        case Rule::BatchNormU5: {
            std::vector<DType> v = repeat(typeAttr(a, "U", DType::Float), 6);
            v[0] = t;
            return v;
        }
        case Rule::Argmax2: return std::vector<DType>{t, typeAttr(a, "Targmax", DType::Int64)};
        case Rule::Dt: return std::vector<DType>{typeAttr(a, "dt")};
        }
    }
    // Families named by prefix: resource updates return nothing, ref updates the ref.
    if (startsWith(opType, "ResourceApply") || startsWith(opType, "ResourceSparseApply") ||
        startsWith(opType, "ResourceScatter"))
        return std::vector<DType>{};
    if (startsWith(opType, "Apply") || startsWith(opType, "SparseApply")) {
        const DType t = typeAttr(a, "T");
        return std::vector<DType>{t == DType::Invalid ? t : makeRef(t)};
    }
    // Generic: the first attr that names an output type in TF's conventions.
    for (const char* name : {"dtype", "T", "out_type", "output_type", "DstT"}) {
        const AttrValue* v = a.find(name);
        if (!v)
            continue;
        if (v->kind() == AttrValue::Kind::Type)
            return std::vector<DType>{v->t()};
        if (v->kind() == AttrValue::Kind::TypeList && std::string_view(name) == "T") // IdentityN, While
            return v->types();
    }
    for (const char* name : {"Tout", "output_types", "dtypes", "component_types"})
        if (auto l = typeListAttr(a, name))
            return l;
    return std::nullopt;
}

} // namespace scopeviz::detail
