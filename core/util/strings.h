#pragma once
// Small string helpers (no std::format in g++ 12).
#include <cstdint>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

namespace scopeviz {

/// Concatenates any streamable values into a string.
template <class... Args>
std::string cat(const Args&... args)
{
    std::ostringstream os;
    (os << ... << args);
    return os.str();
}

/// ASCII lower-case copy.
std::string toLower(std::string_view s);

/// Splits on a single character; keeps empty pieces.
std::vector<std::string_view> split(std::string_view s, char sep);

/// Joins pieces with a separator.
std::string join(const std::vector<std::string>& pieces, std::string_view sep);

/// True when s starts with prefix.
inline bool startsWith(std::string_view s, std::string_view prefix)
{
    return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

/// True when s ends with suffix.
inline bool endsWith(std::string_view s, std::string_view suffix)
{
    return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// Formats a double the way Python's repr does for simple values (0.1, 1.0, 1e-05).
std::string formatDouble(double v);

/// Appends the shortest text that reads back to exactly v; whole numbers below
/// 1e15 as plain digits (a wall time 1700000000, not 1.7e+09; -0 as "-0").
/// Non-finite values as std::to_chars spells them (nan, inf, -inf).
void appendShortest(std::string& out, double v);
/// Float overload: the shortest text that reads back to the float (0.1, not 0.10000000149011612).
void appendShortest(std::string& out, float v);
/// Appends an integer in decimal.
void appendShortest(std::string& out, int64_t v);

} // namespace scopeviz
