#!/usr/bin/python3
"""Regenerates tests/data/onnx (see tests/data/onnx/SOURCES.md).

Needs Debian 12's python3-torch (1.13), python3-torchvision (0.14) and
python3-onnx (1.12). Only this script uses torch; the build and the tests do
not. Every model is exported on the CPU from freshly initialised modules with
a fixed seed; on Debian 12 the files come out byte for byte the same.

    scripts/make-onnx-testdata.py [OUTDIR]      (default: tests/data/onnx)
"""
import os
import sys

import onnx
import onnx.helper as oh
import torch
import torch.nn as nn
import torchvision

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "tests", "data", "onnx")
os.makedirs(OUT, exist_ok=True)


def export(model, args, name, **kw):
    path = os.path.join(OUT, name)
    model.eval()
    kw.setdefault("opset_version", 14)
    torch.onnx.export(model, args, path, **kw)
    print(f"{name}: {os.path.getsize(path)} bytes, {len(onnx.load(path, load_external_data=False).graph.node)} nodes")
    return path


torch.manual_seed(0)
image = torch.randn(1, 3, 224, 224)

# Vision models: the graph only (export_params=False turns the parameters into graph inputs).
for arch in ["resnet18", "mobilenet_v2", "vit_b_16", "convnext_tiny"]:
    net = getattr(torchvision.models, arch)(weights=None)
    export(net, (image,), f"{arch}.onnx", export_params=False, input_names=["image"], output_names=["logits"])


class TiedLM(nn.Module):
    """Embedding, two transformer layers, an output projection reusing the embedding weight."""

    def __init__(self, vocab=96, dim=32):
        super().__init__()
        self.embed = nn.Embedding(vocab, dim)
        self.layers = nn.ModuleList(
            [nn.TransformerEncoderLayer(dim, nhead=4, dim_feedforward=64, batch_first=True) for _ in range(2)])
        self.norm = nn.LayerNorm(dim)
        self.lm_head = nn.Linear(dim, vocab, bias=False)
        self.lm_head.weight = self.embed.weight  # tied

    def forward(self, tokens):
        h = self.embed(tokens)
        for layer in self.layers:
            h = layer(h)
        return self.lm_head(self.norm(h))


export(TiedLM(), (torch.randint(0, 96, (1, 8)),), "tied_lm.onnx", do_constant_folding=False,
       input_names=["tokens"], output_names=["logits"])


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(16, 32)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(32, 8)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


class Siamese(nn.Module):
    """One encoder called on both inputs; the head compares the two embeddings."""

    def __init__(self):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Linear(8, 1)

    def forward(self, a, b):
        return self.head(torch.abs(self.encoder(a) - self.encoder(b)))


pair = (torch.randn(2, 16), torch.randn(2, 16))
export(Siamese(), pair, "siamese.onnx", input_names=["a", "b"], output_names=["score"])


class Block(nn.Module):
    def __init__(self, dim):
        super().__init__()
        self.fc = nn.Linear(dim, dim)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.fc(x))


class Stack(nn.Module):
    def __init__(self):
        super().__init__()
        self.block1 = Block(16)
        self.block2 = Block(16)
        self.out = nn.Linear(16, 4)

    def forward(self, x):
        return self.out(self.block2(self.block1(x)))


export(Stack(), (torch.randn(2, 16),), "functions.onnx", opset_version=15, input_names=["x"], output_names=["y"],
       export_modules_as_functions={Block})

# Weights in a separate file: the model file holds the graph and `location` fields only.
ext = os.path.join(OUT, "external_data.onnx")
export(Siamese(), pair, "external_data.onnx", input_names=["a", "b"], output_names=["score"])
m = onnx.load(ext)
onnx.save_model(m, ext, save_as_external_data=True, all_tensors_to_one_file=True, location="external_data.bin",
                size_threshold=0)
print(f"external_data.onnx: {os.path.getsize(ext)} bytes + external_data.bin")

# Control flow and every attribute type, written with onnx.helper: an If whose
# branches hold a Loop, attributes of each AttributeProto type, no value_info
# (so the importer's shape inference has work to do).
f32 = onnx.TensorProto.FLOAT
then_body = oh.make_graph(
    [oh.make_node("Mul", ["x", "two"], ["then_out"], name="double")], "then_branch", [],
    [oh.make_tensor_value_info("then_out", f32, None)],
    initializer=[oh.make_tensor("two", f32, [], [2.0])])
loop_body = oh.make_graph(
    [oh.make_node("Identity", ["cond_in"], ["cond_out"], name="keep_going"),
     oh.make_node("Sub", ["acc_in", "x"], ["acc_out"], name="step")],
    "loop_body",
    [oh.make_tensor_value_info("i", onnx.TensorProto.INT64, []),
     oh.make_tensor_value_info("cond_in", onnx.TensorProto.BOOL, []),
     oh.make_tensor_value_info("acc_in", f32, None)],
    [oh.make_tensor_value_info("cond_out", onnx.TensorProto.BOOL, []),
     oh.make_tensor_value_info("acc_out", f32, None)])
else_body = oh.make_graph(
    [oh.make_node("Loop", ["trip", "", "x"], ["else_out"], name="countdown", body=loop_body)], "else_branch", [],
    [oh.make_tensor_value_info("else_out", f32, None)],
    initializer=[oh.make_tensor("trip", onnx.TensorProto.INT64, [], [3])])
nodes = [
    oh.make_node("ReduceSum", ["x"], ["total"], name="sum", keepdims=0),
    oh.make_node("Greater", ["total", "zero"], ["positive"], name="is_positive"),
    oh.make_node("If", ["positive"], ["branch_out"], name="choose", then_branch=then_body, else_branch=else_body),
    oh.make_node("Constant", [], ["bias"], name="bias_const",
                 value=oh.make_tensor("bias_value", f32, [4], [0.5, 0.5, 0.5, 0.5])),
    oh.make_node("Add", ["branch_out", "bias"], ["y"], name="add_bias"),
    oh.make_node("LeakyRelu", ["y"], ["z"], name="leaky", alpha=0.1, doc_string="a leaky relu"),
    oh.make_node("Transpose", ["z"], ["zt"], name="transpose", perm=[1, 0]),
    oh.make_node("Custom", ["zt"], ["out"], name="custom", domain="com.example", label="text",
                 scales=[1.5, 2.5], names=["a", "b"], tensors=[oh.make_tensor("t0", f32, [1], [1.0])],
                 graphs=[then_body]),
]
graph = oh.make_graph(nodes, "control_flow", [oh.make_tensor_value_info("x", f32, [2, 4])],
                      [oh.make_tensor_value_info("out", f32, None)],
                      initializer=[oh.make_tensor("zero", f32, [], [0.0])], doc_string="If, Loop and attributes")
model = oh.make_model(graph, producer_name="make-onnx-testdata.py", producer_version="1",
                      opset_imports=[oh.make_opsetid("", 14), oh.make_opsetid("com.example", 1)],
                      doc_string="a synthetic model for scopeviz's importer")
model.ir_version = 8
oh.set_model_props(model, {"author": "scopeviz tests", "purpose": "control flow"})
onnx.save(model, os.path.join(OUT, "control_flow.onnx"))
print("control_flow.onnx written")

# A model the checker rejects (a node input that nothing produces); it must still open.
bad = oh.make_model(oh.make_graph(
    [oh.make_node("Relu", ["x"], ["h"], name="relu"), oh.make_node("Add", ["h", "missing"], ["y"], name="add")],
    "invalid", [oh.make_tensor_value_info("x", f32, [3])], [oh.make_tensor_value_info("y", f32, [3])]),
    opset_imports=[oh.make_opsetid("", 14)])
bad.ir_version = 8
onnx.save(bad, os.path.join(OUT, "checker_fails.onnx"))
print("checker_fails.onnx written")
