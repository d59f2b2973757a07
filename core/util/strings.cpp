#include "core/util/strings.h"

#include <charconv>
#include <cmath>
#include <cstdio>

namespace scopeviz {

std::string toLower(std::string_view s)
{
    std::string out(s);
    for (char& c : out)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return out;
}

std::vector<std::string_view> split(std::string_view s, char sep)
{
    std::vector<std::string_view> out;
    size_t start = 0;
    for (;;) {
        size_t pos = s.find(sep, start);
        if (pos == std::string_view::npos) {
            out.push_back(s.substr(start));
            return out;
        }
        out.push_back(s.substr(start, pos - start));
        start = pos + 1;
    }
}

std::string join(const std::vector<std::string>& pieces, std::string_view sep)
{
    std::string out;
    for (size_t i = 0; i < pieces.size(); ++i) {
        if (i)
            out += sep;
        out += pieces[i];
    }
    return out;
}

std::string formatDouble(double v)
{
    if (std::isnan(v))
        return "nan";
    if (std::isinf(v))
        return v > 0 ? "inf" : "-inf";
    char buf[64];
    // Shortest representation that round-trips, like Python's repr.
    for (int prec = 1; prec <= 17; ++prec) {
        std::snprintf(buf, sizeof buf, "%.*g", prec, v);
        if (std::strtod(buf, nullptr) == v)
            break;
    }
    std::string s(buf);
    if (s.find_first_of(".en") == std::string::npos)
        s += ".0";
    return s;
}

namespace {
template <class T>
void appendFloating(std::string& out, T v)
{
    char buf[64];
    // Whole numbers as plain digits; std::to_chars's shortest form would pick 1.7e+09.
    if (v == std::trunc(v) && std::fabs(v) < T(1e15)) {
        if (v == 0 && std::signbit(v))
            out += '-';
        const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<long long>(v));
        out.append(buf, r.ptr);
        return;
    }
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}
} // namespace

void appendShortest(std::string& out, double v) { appendFloating(out, v); }

void appendShortest(std::string& out, float v) { appendFloating(out, v); }

void appendShortest(std::string& out, int64_t v)
{
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out.append(buf, r.ptr);
}

} // namespace scopeviz
