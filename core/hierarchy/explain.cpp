// Telling the story of a name from the reuse trace.
//
// The trace is the list of TraceEvents a graph recorded while it was built:
// name scopes and variable scopes entered and left (EnterNameScope carries the
// resolved scope string in fullName; EnterVariableScope carries the name
// scope it opened in nameScope), and get_variable calls with their outcome.
// Each event may carry its source: "file:line", with the user's callers after
// ';' ("lesson.py:15;lesson.py:24": line 15, called from line 24).
//
// A scope string S ("vs_1/") was opened by the first event that produced it.
// When its last component differs from what that call asked for ("vs"), the
// name was taken: the reason is the first earlier event that produced the
// plain name under the same parent ("vs/"). If no traced event did, an op or
// an untraced scope took it, and the text says so.
//
// Lines are given as "line N" in the script's own file (the outermost file of
// the first sourced event) and as "line N of other.py" elsewhere.
#include "core/hierarchy/explain.h"

#include "core/hierarchy/construction_replay.h"

#include "core/util/strings.h"

#include <optional>
#include <vector>

namespace scopeviz::hierarchy {

namespace {

using Kind = TraceEvent::Kind;
using Outcome = TraceEvent::Outcome;

std::string_view baseName(std::string_view path)
{
    const size_t s = path.rfind('/');
    return s == std::string_view::npos ? path : path.substr(s + 1);
}

std::string_view parentOf(std::string_view path)
{
    const size_t s = path.rfind('/');
    return s == std::string_view::npos ? std::string_view() : path.substr(0, s);
}

/// A name with its TensorFlow suffix split off: "vs_1" -> {"vs", 1}; "vs" -> {"vs", 0}.
std::pair<std::string_view, int> splitSuffix(std::string_view name)
{
    const size_t u = name.rfind('_');
    if (u == std::string_view::npos || u == 0 || u + 1 == name.size())
        return {name, 0};
    int n = 0;
    for (size_t i = u + 1; i < name.size(); ++i) {
        if (name[i] < '0' || name[i] > '9' || n > 100000000)
            return {name, 0};
        n = n * 10 + (name[i] - '0');
    }
    return {name.substr(0, u), n};
}

std::string quoted(std::string_view s) { return cat("`", s, "`"); }

class Story {
public:
    explicit Story(const Graph& g) : m_graph(g), m_trace(g.trace())
    {
        for (const TraceEvent& e : m_trace)
            if (!e.source.empty()) {
                const std::vector<std::string_view> frames = split(e.source, ';');
                m_mainFile = parseSourceLine(frames.back()).file;
                break;
            }
    }

    bool hasTrace() const { return !m_trace.empty(); }

    /// "line 15 (called from line 24)", "line 7 of helper.py", or "" without a source.
    std::string where(const TraceEvent& e) const
    {
        if (e.source.empty())
            return {};
        const std::vector<std::string_view> frames = split(e.source, ';');
        std::string out;
        for (size_t i = 0; i < frames.size(); ++i) {
            const SourceLine s = parseSourceLine(frames[i]); // one frame: "file:line"
            std::string one = s.valid() ? cat("line ", s.line) : std::string(frames[i]);
            if (s.valid() && s.file != m_mainFile)
                one += cat(" of ", baseName(s.file));
            if (i == 0)
                out = one;
            else
                out += (i == 1 ? " (called from " : ", from ") + one;
        }
        if (frames.size() > 1)
            out += ')';
        return out;
    }

    /// " at line 15" or "".
    std::string at(const TraceEvent& e) const
    {
        const std::string w = where(e);
        return w.empty() ? std::string() : " at " + w;
    }

    /// "variable_scope('my_net') with reuse=True" / "name_scope('ns')".
    static std::string call(const TraceEvent& e)
    {
        if (e.kind == Kind::EnterNameScope)
            return cat("name_scope('", e.requested, "')");
        std::string s = cat("variable_scope('", e.requested, "')");
        if (e.reuse == Reuse::True)
            s += " with reuse=True";
        else if (e.reuse == Reuse::AutoReuse)
            s += " with reuse=tf.AUTO_REUSE";
        return s;
    }

    /// The event that opened the name scope `s` ("vs_1/") before event index `before`.
    std::optional<size_t> opener(std::string_view s, size_t before = SIZE_MAX) const
    {
        for (size_t i = 0; i < m_trace.size() && i < before; ++i) {
            const TraceEvent& e = m_trace[i];
            if ((e.kind == Kind::EnterNameScope && e.fullName == s) || (e.kind == Kind::EnterVariableScope && e.nameScope == s))
                return i;
        }
        return std::nullopt;
    }

    /// One sentence on the scope path `path` (no trailing '/'), or "" when nothing is known.
    std::string scopeSentence(std::string_view path) const
    {
        const std::string s = cat(path, "/");
        const std::string_view comp = baseName(path);
        const auto open = opener(s);
        if (!open) {
            const auto [plain, n] = splitSuffix(comp);
            // A suffix is TensorFlow's only when the plain name exists beside it (PyTorch's `encoder_layer_3`
            // is a module's own name).
            if (n == 0 || !taken(parentOf(path).empty() ? std::string(plain) : cat(parentOf(path), "/", plain)))
                return {};
            return cat(quoted(cat(path, "/")), ": the name ", quoted(plain), " was already taken ",
                       parentOf(path).empty() ? std::string("at the top level") : cat("in ", quoted(cat(parentOf(path), "/"))),
                       ", so TensorFlow added the suffix ", quoted(cat("_", n)), ".");
        }
        const TraceEvent& e = m_trace[*open];
        std::string out = cat(quoted(cat(path, "/")), ": ", call(e), at(e), " opened the name scope ", quoted(comp));
        const std::string_view asked = baseName(e.requested);
        if (!asked.empty() && asked != comp) {
            const std::string_view parent = parentOf(path);
            const std::string plain = parent.empty() ? cat(asked, "/") : cat(parent, "/", asked, "/");
            if (const auto first = opener(plain, *open)) {
                const std::string w = where(m_trace[*first]);
                out += w.empty() ? cat(", because ", call(m_trace[*first]), " had already used ", quoted(asked))
                                 : cat(", because ", w, " had already used ", quoted(asked));
            } else {
                out += cat(", because the name ", quoted(asked), " was already taken there (by an op or an untraced scope)");
            }
        }
        return out + ".";
    }

    /// The scope sentences of every component of `path`, outermost first.
    std::string pathSentences(std::string_view path) const
    {
        std::string out;
        size_t pos = 0;
        while (pos <= path.size() && !path.empty()) {
            const size_t slash = path.find('/', pos);
            const std::string_view prefix = slash == std::string_view::npos ? path : path.substr(0, slash);
            const std::string s = scopeSentence(prefix);
            if (!s.empty())
                out += "\n" + s;
            if (slash == std::string_view::npos)
                break;
            pos = slash + 1;
        }
        return out;
    }

    /// The get_variable story of the variable `full`, or "" when the trace has no call for it.
    std::string variableStory(std::string_view full) const
    {
        std::string out;
        const TraceEvent* created = nullptr;
        for (const TraceEvent& e : m_trace) {
            if (e.kind != Kind::GetVariable || e.fullName != full)
                continue;
            const std::string vs = e.variableScope.empty() ? std::string("the root variable scope")
                                                           : cat("variable_scope('", e.variableScope, "')");
            switch (e.outcome) {
            case Outcome::Created:
                created = &e;
                out += cat("\n", quoted(full), " created", at(e), " by get_variable('", e.requested, "') in ", vs,
                           e.reuse == Reuse::AutoReuse ? " with reuse=tf.AUTO_REUSE (it did not exist yet)"
                                                       : " (reuse was off, so a new variable was made)",
                           ". get_variable names come from the variable scope, never from the name scope.");
                break;
            case Outcome::Reused:
                out += cat("\n", quoted(full), " reused", at(e), ": ",
                           e.reuse == Reuse::AutoReuse ? "reuse=tf.AUTO_REUSE" : "reuse=True", " in ", vs,
                           ", so get_variable returned the existing variable instead of creating one",
                           created ? cat("; it was created", at(*created)) : std::string(), ".");
                break;
            case Outcome::Failed:
                if (e.reuse == Reuse::True)
                    out += cat("\nget_variable('", e.requested, "')", at(e), " failed: reuse=True in ", vs,
                               " asks for an existing variable, and ",
                               created ? cat("the only one, made", at(*created), ", is not this one")
                                       : cat("no earlier get_variable created ", quoted(full)),
                               ".");
                else
                    out += cat("\nget_variable('", e.requested, "')", at(e), " failed: reuse is off in ", vs, ", and ",
                               created ? cat(quoted(full), " had already been created", at(*created))
                                       : std::string("the variable exists already"),
                               "; open the scope with reuse=True (or tf.AUTO_REUSE) to share it.");
                break;
            case Outcome::None: break;
            }
        }
        return out;
    }

    /// An op or a scope of this name exists.
    bool taken(std::string_view path) const
    {
        if (m_graph.findOp(path))
            return true;
        const std::string prefix = cat(path, "/");
        for (OpId i = 0; i < m_graph.numOps(); ++i)
            if (startsWith(m_graph.op(i).name(), prefix))
                return true;
        return false;
    }

private:
    const Graph& m_graph;
    std::vector<TraceEvent> m_trace;
    std::string m_mainFile;
};

} // namespace

Explanation explainName(const Graph& g, std::string_view name)
{
    Explanation ex;
    if (const size_t colon = name.rfind(':'); colon != std::string_view::npos && colon + 1 < name.size() &&
                                              name.find_first_not_of("0123456789", colon + 1) == std::string_view::npos)
        name = name.substr(0, colon);
    while (!name.empty() && name.back() == '/')
        name.remove_suffix(1);
    if (name.empty()) {
        ex.text = "no name given";
        return ex;
    }
    const Story story(g);
    std::string text;
    const std::string varStory = story.variableStory(name);
    if (const Operation* op = g.findOp(name)) {
        ex.found = true;
        const std::string_view scope = parentOf(name);
        text = cat(quoted(name), ": the ", op->type(), " op ", quoted(baseName(name)),
                   scope.empty() ? std::string(" at the top level (no name scope was open)")
                                 : cat(" in the name scope ", quoted(cat(scope, "/"))),
                   ".");
        const auto [plain, n] = splitSuffix(baseName(name));
        if (n > 0 && g.findOp(scope.empty() ? std::string(plain) : cat(scope, "/", plain)))
            text += cat(" Its own name has the suffix ", quoted(cat("_", n)), " because ",
                        quoted(scope.empty() ? std::string(plain) : cat(scope, "/", plain)), " was already taken.");
        text += varStory;
        text += story.pathSentences(scope);
    } else {
        bool isScope = false;
        const std::string prefix = cat(name, "/");
        for (OpId i = 0; i < g.numOps() && !isScope; ++i)
            isScope = startsWith(g.op(i).name(), prefix);
        if (!isScope && !story.opener(prefix) && varStory.empty()) {
            ex.text = cat("no op or scope named '", name, "'");
            return ex;
        }
        ex.found = true;
        text = cat(quoted(cat(name, "/")), " is a scope.");
        if (!varStory.empty())
            text = cat(quoted(name), " is not in the graph.") + varStory;
        text += story.pathSentences(name);
    }
    if (!story.hasTrace())
        text += "\n(This graph carries no record of the calls that built it, so only what the names show is said.)";
    ex.text = std::move(text);
    return ex;
}

} // namespace scopeviz::hierarchy
