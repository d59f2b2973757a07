// The `scopeviz._core` extension module: thin bindings over the C++ engine.
// Engine exceptions become the Python exceptions TensorFlow raises
// (ValueError, TypeError, RuntimeError, LookupError, tf.errors.*), with the same texts.
#include "app/python/bindings.h"

#include "core/train/gradients.h"
#include "core/util/error.h"

namespace py = pybind11;
using namespace scopeviz;

PYBIND11_MODULE(_core, m)
{
    m.doc() = "scopeviz engine bindings (use scopeviz.compat.v1)";
    static py::exception<OpError> opError(m, "OpError", PyExc_Exception);
    static py::exception<InvalidArgumentError> invalidArgument(m, "InvalidArgumentError", opError.ptr());
    static py::exception<FailedPreconditionError> failedPrecondition(m, "FailedPreconditionError", opError.ptr());
    static py::exception<CancelledError> cancelled(m, "CancelledError", opError.ptr());
    py::register_exception_translator([](std::exception_ptr p) {
        try {
            if (p)
                std::rethrow_exception(p);
        } catch (const InvalidArgumentError& e) {
            PyErr_SetObject(invalidArgument.ptr(), py::make_tuple(e.what(), e.opName()).ptr());
        } catch (const FailedPreconditionError& e) {
            PyErr_SetObject(failedPrecondition.ptr(), py::make_tuple(e.what(), e.opName()).ptr());
        } catch (const CancelledError& e) {
            PyErr_SetObject(cancelled.ptr(), py::make_tuple(e.what(), e.opName()).ptr());
        } catch (const OpError& e) {
            PyErr_SetObject(opError.ptr(), py::make_tuple(e.what(), e.opName()).ptr());
        } catch (const ValueError& e) {
            PyErr_SetString(PyExc_ValueError, e.what());
        } catch (const TypeError& e) {
            PyErr_SetString(PyExc_TypeError, e.what());
        } catch (const scopeviz::RuntimeError& e) {
            PyErr_SetString(PyExc_RuntimeError, e.what());
        } catch (const train::LookupError& e) { // "No gradient defined for operation ..."
            PyErr_SetString(PyExc_LookupError, e.what());
        }
    });
    python::bindGraph(m);
    python::bindRuntime(m);
    python::bindModel(m);
}
