#pragma once
// Shared pieces of the pybind11 module: the Python-side Tensor and Operation
// handles and the conversion of Python values to op inputs.
#include "core/graph/graph.h"
#include "core/ops/ops.h"

#include <pybind11/pybind11.h>

#include <memory>

namespace scopeviz::python {

namespace py = pybind11;

/// A graph shared between Python objects (tensors keep their graph alive).
using GraphPtr = std::shared_ptr<Graph>;

/// tf.Tensor: one output of an op.
struct PyTensor {
    GraphPtr graph;
    Output output;
};

/// tf.Operation.
struct PyOperation {
    GraphPtr graph;
    OpId id = -1;
};

/// A variable (tf.Variable / RefVariable).
struct PyVariable {
    GraphPtr graph;
    int index = -1;
};

/// Converts a Python value (Tensor, Variable, number, bool, list, numpy array) into an op input.
ops::Input toInput(const GraphPtr& g, py::handle value);
/// Converts a numpy array (or anything numpy.asarray accepts) into a Tensor; Python lists follow
/// TF's convert_to_tensor rules (float -> float32, int -> int32) unless `dtype` is given.
Tensor toTensor(py::handle value, std::optional<DType> dtype = std::nullopt);
/// Converts a Tensor into a numpy array (a copy) or a Python bytes/str scalar.
py::object fromTensor(const Tensor& t);

/// Registers the graph, scope and op bindings.
void bindGraph(py::module_& m);
/// Registers Session, training and summary bindings.
void bindRuntime(py::module_& m);
/// scopeviz.load(): opening a graph file and its scope tree (bind_model.cpp).
void bindModel(py::module_& m);

} // namespace scopeviz::python
