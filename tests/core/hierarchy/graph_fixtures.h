#pragma once
// Hand-built and generated graphs for the hierarchy tests and benchmark.
// Graphs are made with Graph::importOp (as the GraphDef importer does), so
// any name, edge or cycle can be expressed, including bad ones.
#include "core/graph/graph.h"

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace scopeviz::hierarchy::fixtures {

/// Adds an op with one output of `dtype`/`shape`, reading the given outputs and control inputs.
inline OpId addOp(Graph& g, const std::string& name, const std::string& type, std::vector<Output> inputs = {},
                  std::vector<OpId> controls = {}, DType dtype = DType::Float, Shape shape = Shape{2, 3})
{
    const OpId id = g.importOp(name, type, "", AttrList{}, {OutputInfo{dtype, std::move(shape)}});
    g.setImportedInputs(id, std::move(inputs), std::move(controls));
    return id;
}

/// Output 0 of an op.
inline Output out(OpId op) { return Output{op, 0}; }

/// A ref variable as TF1 builds it: `<name>` (VariableV2), `<name>/Initializer/zeros`, `<name>/Assign`, `<name>/read`.
struct RefVariable {
    OpId var = -1, init = -1, assign = -1, read = -1;
};

/// Adds a TF1 ref variable named `name` of float `shape`.
inline RefVariable addRefVariable(Graph& g, const std::string& name, Shape shape = Shape{3, 3})
{
    RefVariable v;
    v.init = addOp(g, name + "/Initializer/zeros", "Const", {}, {}, DType::Float, shape);
    v.var = addOp(g, name, "VariableV2", {}, {}, DType::FloatRef, shape);
    v.assign = addOp(g, name + "/Assign", "Assign", {out(v.var), out(v.init)}, {}, DType::FloatRef, shape);
    v.read = addOp(g, name + "/read", "Identity", {out(v.var)}, {}, DType::Float, shape);
    return v;
}

/// Generated graph: `fanout` scopes per level, `depth` scope levels, `fanout` ops in every innermost scope
/// (fanout^(depth+1) ops; depth 4, fan-out 10 gives 100,000 ops in 11,110 scopes, 6 levels with root and ops).
/// Sibling scopes get distinct word names (no numeric suffixes, so no series). Ops form one chain through
/// all innermost scopes in creation order, plus a skip edge into every 7th innermost scope from 37 earlier.
inline void buildGeneratedGraph(Graph& g, int depth, int fanout)
{
    static const char* const words[] = {"conv", "pool", "dense", "norm", "attn", "mlp",  "embed", "proj",
                                        "gate", "head", "mix",  "cell", "unit", "stem", "down", "up"};
    static const char* const types[] = {"MatMul", "Add", "Relu", "Mul", "Sigmoid", "Tanh", "BiasAdd", "Sub"};
    auto word = [&](int i) {
        const int n = int(sizeof(words) / sizeof(words[0]));
        return i < n ? std::string(words[i]) : std::string(words[i % n]) + "x" + std::to_string(i / n);
    };
    std::vector<int> idx(size_t(depth), 0);
    std::vector<OpId> lastOfLeaf;
    OpId prev = addOp(g, "input", "Placeholder", {}, {}, DType::Float, Shape{-1, 64});
    long leaves = 1;
    for (int d = 0; d < depth; ++d)
        leaves *= fanout;
    std::string prefix;
    for (long leaf = 0; leaf < leaves; ++leaf) {
        long rest = leaf;
        for (int d = depth - 1; d >= 0; --d) {
            idx[size_t(d)] = int(rest % fanout);
            rest /= fanout;
        }
        prefix.clear();
        for (int d = 0; d < depth; ++d)
            prefix += word(idx[size_t(d)]) + "/";
        for (int k = 0; k < fanout; ++k) {
            std::vector<Output> ins{out(prev)};
            if (k == 0 && leaf % 7 == 6 && leaf >= 37)
                ins.push_back(out(lastOfLeaf[size_t(leaf - 37)]));
            const char* type = types[size_t(k) % (sizeof(types) / sizeof(types[0]))];
            prev = addOp(g, prefix + (k == 0 ? std::string(type) : std::string(type) + "_" + std::to_string(k)), type,
                         std::move(ins), {}, DType::Float, Shape{-1, 64});
        }
        lastOfLeaf.push_back(prev);
    }
}

} // namespace scopeviz::hierarchy::fixtures
