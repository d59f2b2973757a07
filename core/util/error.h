#pragma once
// Typed errors. Misuse while building a graph throws one of these, carrying
// TensorFlow's own text (docs/scoping.md §11). The class mirrors the Python
// exception type that TensorFlow raises, so the Python module can map them 1:1.
#include <stdexcept>
#include <string>

namespace scopeviz {

/// Base of every error scopeviz throws on purpose.
class Error : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

/// TensorFlow's ValueError (bad names, reuse decisions, shape mismatches).
class ValueError : public Error {
public:
    using Error::Error;
};

/// TensorFlow's TypeError (wrong argument kinds).
class TypeError : public Error {
public:
    using Error::Error;
};

/// TensorFlow's RuntimeError (improper nesting of scopes).
class RuntimeError : public Error {
public:
    using Error::Error;
};

/// Base of run-time (Session) errors: they carry the failing op's name.
class OpError : public Error {
public:
    OpError(std::string opName, const std::string& message)
        : Error(message), m_opName(std::move(opName)) {}
    /// The op that failed, or empty when the error is not tied to one op.
    const std::string& opName() const noexcept { return m_opName; }

private:
    std::string m_opName;
};

/// tf.errors.InvalidArgumentError (bad feeds, missing placeholders).
class InvalidArgumentError : public OpError {
public:
    using OpError::OpError;
};

/// tf.errors.FailedPreconditionError (uninitialized variables).
class FailedPreconditionError : public OpError {
public:
    using OpError::OpError;
};

/// tf.errors.CancelledError (a run stopped between ops).
class CancelledError : public OpError {
public:
    using OpError::OpError;
};

} // namespace scopeviz
