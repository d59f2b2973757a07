#include "core/tensor/shape.h"

namespace scopeviz {

bool Shape::isFullyDefined() const
{
    if (!m_known)
        return false;
    for (int64_t d : m_dims)
        if (d < 0)
            return false;
    return true;
}

int64_t Shape::numElements() const
{
    if (!isFullyDefined())
        return -1;
    int64_t n = 1;
    for (int64_t d : m_dims)
        n *= d;
    return n;
}

bool Shape::isCompatibleWith(const Shape& other) const
{
    if (!m_known || !other.m_known)
        return true;
    if (m_dims.size() != other.m_dims.size())
        return false;
    for (size_t i = 0; i < m_dims.size(); ++i)
        if (m_dims[i] >= 0 && other.m_dims[i] >= 0 && m_dims[i] != other.m_dims[i])
            return false;
    return true;
}

std::optional<Shape> Shape::mergeWith(const Shape& other) const
{
    if (!isCompatibleWith(other))
        return std::nullopt;
    if (!m_known)
        return other;
    if (!other.m_known)
        return *this;
    std::vector<int64_t> d(m_dims);
    for (size_t i = 0; i < d.size(); ++i)
        if (d[i] < 0)
            d[i] = other.m_dims[i];
    return Shape(std::move(d));
}

std::string Shape::toString() const
{
    if (!m_known)
        return "<unknown>";
    std::string s = "(";
    for (size_t i = 0; i < m_dims.size(); ++i) {
        if (i)
            s += ", ";
        s += m_dims[i] < 0 ? std::string("?") : std::to_string(m_dims[i]);
    }
    if (m_dims.size() == 1)
        s += ",";
    return s + ")";
}

std::string Shape::toDebugString() const
{
    if (!m_known)
        return "<unknown>";
    std::string s = "[";
    for (size_t i = 0; i < m_dims.size(); ++i) {
        if (i)
            s += ",";
        s += m_dims[i] < 0 ? std::string("?") : std::to_string(m_dims[i]);
    }
    return s + "]";
}

} // namespace scopeviz
