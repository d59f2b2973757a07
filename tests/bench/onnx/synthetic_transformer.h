#pragma once
// A synthetic decoder-only transformer in ONNX, named the way PyTorch's exporter
// names a Llama-style model (`/model/layers.N/self_attn/q_proj/MatMul`, parameters
// `model.layers.N.self_attn.q_proj.weight` as graph inputs, as export_params=False
// writes them): the large model of the ONNX benchmarks (tests/bench/onnx,
// tests/bench/gui), generated at run time and never committed.
#include <onnx/onnx_pb.h>

#include <fstream>
#include <string>
#include <unordered_map>
#include <vector>

namespace scopeviz::bench {


class ModelWriter {
public:
    explicit ModelWriter(::onnx::GraphProto& g) : m_g(g) {}
    /// Adds a node named `/path/Op[_k]` and returns its output value name.
    std::string node(const std::string& path, const std::string& op, std::vector<std::string> inputs)
    {
        const int k = m_count[path + "/" + op]++;
        const std::string name = "/" + path + "/" + op + (k ? "_" + std::to_string(k) : "");
        auto* n = m_g.add_node();
        n->set_name(name);
        n->set_op_type(op);
        for (auto& i : inputs)
            n->add_input(i);
        n->add_output(name + "_output_0");
        return name + "_output_0";
    }
    /// Declares a parameter (a graph input, as export_params=False writes them).
    std::string param(const std::string& name, std::vector<int64_t> dims)
    {
        auto* in = m_g.add_input();
        in->set_name(name);
        auto* t = in->mutable_type()->mutable_tensor_type();
        t->set_elem_type(::onnx::TensorProto::FLOAT);
        for (int64_t d : dims)
            t->mutable_shape()->add_dim()->set_dim_value(d);
        return name;
    }
    std::string linear(const std::string& path, const std::string& qual, const std::string& x, int64_t in, int64_t out)
    {
        const std::string w = param(qual + ".weight", {in, out});
        const std::string b = param(qual + ".bias", {out});
        return node(path, "Add", {node(path, "MatMul", {x, w}), b});
    }
    std::string layerNorm(const std::string& path, const std::string& qual, const std::string& x, int64_t d)
    {
        const std::string mean = node(path, "ReduceMean", {x});
        const std::string centred = node(path, "Sub", {x, mean});
        const std::string var = node(path, "ReduceMean", {node(path, "Mul", {centred, centred})});
        const std::string norm = node(path, "Div", {centred, node(path, "Sqrt", {var})});
        return node(path, "Add", {node(path, "Mul", {norm, param(qual + ".weight", {d})}), param(qual + ".bias", {d})});
    }
    /// PyTorch's shape arithmetic for a reshape: Shape, Gather, Unsqueeze, Concat chains.
    std::string shapeOf(const std::string& path, const std::string& x, int chains)
    {
        std::vector<std::string> parts;
        for (int c = 0; c < chains; ++c)
            parts.push_back(node(path, "Unsqueeze", {node(path, "Gather", {node(path, "Shape", {x})})}));
        return node(path, "Concat", parts);
    }

private:
    ::onnx::GraphProto& m_g;
    std::unordered_map<std::string, int> m_count;
};

/// Writes a decoder-only transformer with at least `minNodes` nodes to `path`; returns its node count.
inline int writeTransformer(const std::string& path, int minNodes)
{
    ::onnx::ModelProto m;
    m.set_ir_version(7);
    m.set_producer_name("pytorch");
    m.set_producer_version("1.13.1");
    m.add_opset_import()->set_version(14);
    ::onnx::GraphProto& g = *m.mutable_graph();
    g.set_name("torch_jit");
    ModelWriter w(g);
    const int64_t d = 256, vocab = 1000;
    w.param("tokens", {1, 128});
    const std::string emb = w.param("embed.weight", {vocab, d});
    std::string h = w.node("embed", "Gather", {emb, "tokens"});
    for (int l = 0; g.node_size() < minNodes - 20; ++l) {
        const std::string L = "layers." + std::to_string(l), P = L;
        const std::string x = w.layerNorm(P + "/input_layernorm", L + ".input_layernorm", h, d);
        const std::string at = P + "/self_attn";
        std::string q = w.linear(at + "/q_proj", L + ".self_attn.q_proj", x, d, d);
        std::string k = w.linear(at + "/k_proj", L + ".self_attn.k_proj", x, d, d);
        std::string v = w.linear(at + "/v_proj", L + ".self_attn.v_proj", x, d, d);
        for (std::string* t : {&q, &k, &v})
            *t = w.node(at, "Transpose", {w.node(at, "Reshape", {*t, w.shapeOf(at, x, 4)})});
        std::string s = w.node(at, "Div", {w.node(at, "MatMul", {q, w.node(at, "Transpose", {k})}), w.node(at, "Constant", {})});
        s = w.node(at, "Softmax", {w.node(at, "Add", {s, w.node(at, "Constant", {})})});
        std::string o = w.node(at, "Reshape", {w.node(at, "Transpose", {w.node(at, "MatMul", {s, v})}), w.shapeOf(at, x, 3)});
        o = w.linear(at + "/o_proj", L + ".self_attn.o_proj", o, d, d);
        h = w.node(P, "Add", {h, o});
        const std::string y = w.layerNorm(P + "/post_attention_layernorm", L + ".post_attention_layernorm", h, d);
        const std::string mp = P + "/mlp";
        std::string f = w.linear(mp + "/fc1", L + ".mlp.fc1", y, d, 4 * d);
        const std::string half = w.node(mp + "/act", "Div", {f, w.node(mp + "/act", "Constant", {})});
        f = w.node(mp + "/act", "Mul", {w.node(mp + "/act", "Mul", {f, w.node(mp + "/act", "Add", {w.node(mp + "/act", "Erf", {half}), w.node(mp + "/act", "Constant", {})})}), w.node(mp + "/act", "Constant", {})});
        f = w.linear(mp + "/fc2", L + ".mlp.fc2", f, 4 * d, d);
        for (int c = 0; c < 20; ++c) // the exporter's scalar bookkeeping, as in real exports
            f = w.node(mp, "Identity", {f});
        h = w.node(P, "Add", {h, f});
    }
    h = w.layerNorm("norm", "norm", h, d);
    const std::string logits = w.node("lm_head", "MatMul", {h, w.node("lm_head", "Transpose", {emb})});
    auto* out = g.add_output();
    out->set_name(logits);
    out->mutable_type()->mutable_tensor_type()->set_elem_type(::onnx::TensorProto::FLOAT);
    std::ofstream f(path, std::ios::binary);
    m.SerializeToOstream(&f);
    return g.node_size();
}


} // namespace scopeviz::bench
