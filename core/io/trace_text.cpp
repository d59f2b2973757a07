#include "core/io/trace_text.h"

#include "core/util/strings.h"

#include <array>
#include <charconv>
#include <vector>

namespace scopeviz {

namespace {

constexpr std::string_view kHeader = "scopeviz-trace 1";
constexpr std::array<std::string_view, 5> kKinds = {"enter_name_scope", "exit_name_scope", "enter_variable_scope",
                                                     "exit_variable_scope", "get_variable"};
constexpr std::array<std::string_view, 4> kOutcomes = {"-", "created", "reused", "failed"};

void appendEscaped(std::string& out, std::string_view s)
{
    for (char c : s) {
        if (c == '\\')
            out += "\\\\";
        else if (c == '\t')
            out += "\\t";
        else if (c == '\n')
            out += "\\n";
        else
            out += c;
    }
}

bool unescape(std::string_view s, std::string& out)
{
    out.clear();
    for (size_t i = 0; i < s.size(); ++i) {
        if (s[i] != '\\') {
            out += s[i];
            continue;
        }
        if (++i == s.size())
            return false;
        switch (s[i]) {
        case '\\': out += '\\'; break;
        case 't': out += '\t'; break;
        case 'n': out += '\n'; break;
        default: return false;
        }
    }
    return true;
}

template <size_t N>
int indexOf(const std::array<std::string_view, N>& words, std::string_view w)
{
    for (size_t i = 0; i < N; ++i)
        if (words[i] == w)
            return int(i);
    return -1;
}

int reuseIndex(std::string_view w)
{
    for (Reuse r : {Reuse::None, Reuse::False, Reuse::True, Reuse::AutoReuse})
        if (w == reuseName(r))
            return int(r);
    return -1;
}

template <typename T>
bool number(std::string_view s, T& v)
{
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    return ec == std::errc() && p == s.data() + s.size();
}

} // namespace

std::string traceToText(const Graph& g)
{
    std::string out(kHeader);
    out += '\n';
    for (const TraceEvent& e : g.trace()) {
        out += kKinds[size_t(e.kind)];
        out += '\t';
        out += kOutcomes[size_t(e.outcome)];
        out += '\t';
        out += reuseName(e.reuse);
        out += '\t';
        out += std::to_string(e.opCount);
        for (std::string_view s : {e.requested, e.fullName, e.nameScope, e.variableScope, e.source}) {
            out += '\t';
            appendEscaped(out, s);
        }
        out += '\t';
        out += std::to_string(e.variable);
        out += '\n';
    }
    return out;
}

TraceTextResult readTraceText(std::string_view text, Graph& g, std::string_view source)
{
    TraceTextResult r;
    auto fail = [&](int line, std::string_view why) {
        r.error = cat(source, ": line ", line, ": ", why);
        return r;
    };
    size_t pos = 0;
    int line = 0;
    std::vector<std::string> fields(10);
    while (pos < text.size()) {
        size_t nl = text.find('\n', pos);
        if (nl == std::string_view::npos)
            nl = text.size();
        const std::string_view l = text.substr(pos, nl - pos);
        pos = nl + 1;
        ++line;
        if (line == 1) {
            if (l != kHeader)
                return fail(line, cat("not a scopeviz trace (expected \"", kHeader, "\")"));
            continue;
        }
        const std::vector<std::string_view> parts = split(l, '\t');
        if (parts.size() != 10)
            return fail(line, cat(parts.size(), " fields, expected 10"));
        TraceEvent e;
        const int kind = indexOf(kKinds, parts[0]), outcome = indexOf(kOutcomes, parts[1]), reuse = reuseIndex(parts[2]);
        if (kind < 0 || outcome < 0 || reuse < 0)
            return fail(line, "unknown kind, outcome or reuse word");
        e.kind = TraceEvent::Kind(kind);
        e.outcome = TraceEvent::Outcome(outcome);
        e.reuse = Reuse(reuse);
        if (!number(parts[3], e.opCount) || e.opCount < 0 || !number(parts[9], e.variable) || e.variable < -1)
            return fail(line, "bad op count or variable index");
        for (size_t i = 4; i < 9; ++i)
            if (!unescape(parts[i], fields[i]))
                return fail(line, "bad escape");
        e.requested = fields[4];
        e.fullName = fields[5];
        e.nameScope = fields[6];
        e.variableScope = fields[7];
        e.source = fields[8];
        g.restoreTrace(e);
        ++r.events;
    }
    if (line == 0)
        return fail(1, "empty");
    return r;
}

} // namespace scopeviz
