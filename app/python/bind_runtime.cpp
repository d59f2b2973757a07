// Session, training and summary-writer bindings.
#include "app/python/bindings.h"

namespace scopeviz::python {

void bindRuntime(py::module_&) {}

} // namespace scopeviz::python
