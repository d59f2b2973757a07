#pragma once
// Expected<T>: a value or an error message, for I/O and parsing where failure
// is expected and must not throw (g++ 12 has no std::expected).
#include <cassert>
#include <string>
#include <utility>
#include <variant>

namespace scopeviz {

/// An error value for Expected: a human-readable message that names the file,
/// offset, op or scope concerned.
struct Unexpected {
    std::string message;
};

/// Builds an Unexpected from a message.
inline Unexpected unexpected(std::string message) { return Unexpected{std::move(message)}; }

/// Holds either a T or an error message.
template <class T>
class [[nodiscard]] Expected {
public:
    Expected(T value) : m_v(std::in_place_index<0>, std::move(value)) {}
    Expected(Unexpected e) : m_v(std::in_place_index<1>, std::move(e)) {}

    /// True when a value is held.
    bool ok() const noexcept { return m_v.index() == 0; }
    explicit operator bool() const noexcept { return ok(); }

    T& value() & { assert(ok()); return std::get<0>(m_v); }
    const T& value() const& { assert(ok()); return std::get<0>(m_v); }
    T&& value() && { assert(ok()); return std::get<0>(std::move(m_v)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }
    const T& operator*() const& { return value(); }

    /// The error message; empty when a value is held.
    const std::string& error() const
    {
        static const std::string empty;
        return ok() ? empty : std::get<1>(m_v).message;
    }

private:
    std::variant<T, Unexpected> m_v;
};

/// Expected<void>: success or an error message.
template <>
class [[nodiscard]] Expected<void> {
public:
    Expected() = default;
    Expected(Unexpected e) : m_error(std::move(e.message)), m_failed(true) {}
    bool ok() const noexcept { return !m_failed; }
    explicit operator bool() const noexcept { return ok(); }
    const std::string& error() const { return m_error; }

private:
    std::string m_error;
    bool m_failed = false;
};

} // namespace scopeviz
