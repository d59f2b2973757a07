// "Why this name?" (core/hierarchy/explain.h): the text a student reads in the
// inspector and from `scopeviz --explain`, told from the reuse trace. The graph
// here is resources/examples/name_vs_variable_scope.py built through the C++
// API with the script's line numbers as sources, plus the get_variable errors;
// the trace also travels as text beside a GraphDef (core/io/trace_text.h), and
// a damaged trace keeps the events before the fault.
#include "core/graph/name_scope.h"
#include "core/hierarchy/explain.h"
#include "core/io/graphdef_io.h"
#include "core/io/trace_text.h"
#include "core/ops/get_variable.h"
#include "core/ops/ops.h"
#include "core/scope/variable_scope.h"
#include "core/util/error.h"
#include "tests/support/lesson_graph.h"

#include <QtTest>

#include <string>

using namespace scopeviz;
using hierarchy::explainName;

namespace {

using testing::at;
using testing::getVar;

/// The lesson: lines as in resources/examples/name_vs_variable_scope.py.
void buildLesson(Graph& g)
{
    {
        NameScope ns(g, std::string_view("ns"), std::nullopt, false, "lesson.py:8");
        getVar(g, "v1", "lesson.py:9");
        ops::constant(g, 1.0, DType::Float, "c1");
    }
    {
        VariableScope vs(g, "vs", at("lesson.py:12"));
        getVar(g, "v2", "lesson.py:13");
        ops::constant(g, 1.0, DType::Float, "c2");
    }
    {
        VariableScope vs(g, "vs", at("lesson.py:16", Reuse::True));
        getVar(g, "v2", "lesson.py:17");
        ops::constant(g, 1.0, DType::Float, "c3");
    }
}

} // namespace

class ExplainTest : public QObject {
    Q_OBJECT
private slots:
    void suffixedScopeNamesTheCallThatTookTheName()
    {
        Graph g;
        buildLesson(g);
        const auto ex = explainName(g, "vs_1/c3:0");
        QVERIFY(ex.found);
        QCOMPARE(QString::fromStdString(ex.text),
                 QStringLiteral("`vs_1/c3`: the Const op `c3` in the name scope `vs_1/`.\n"
                                "`vs_1/`: variable_scope('vs') with reuse=True at line 16 opened the name scope `vs_1`, "
                                "because line 12 had already used `vs`."));
    }

    void reusedVariableNamesTheReuseAndTheCreation()
    {
        Graph g;
        buildLesson(g);
        const std::string text = explainName(g, "vs/v2").text;
        QVERIFY2(text.find("`vs/v2` created at line 13 by get_variable('v2') in variable_scope('vs')") != std::string::npos,
                 text.c_str());
        QVERIFY2(text.find("`vs/v2` reused at line 17: reuse=True in variable_scope('vs'), so get_variable returned the "
                           "existing variable instead of creating one; it was created at line 13.") != std::string::npos,
                 text.c_str());
        // get_variable ignores the name scope: v1 sits at the top although name_scope('ns') was open.
        QVERIFY(explainName(g, "v1").text.find("created at line 9") != std::string::npos);
        QVERIFY(explainName(g, "ns").text.find("name_scope('ns') at line 8 opened the name scope `ns`") != std::string::npos);
    }

    void failedGetVariableNamesTheEarlierCallOrItsAbsence()
    {
        Graph g;
        buildLesson(g);
        {
            VariableScope vs(g, "vs", at("lesson.py:30", Reuse::True));
            QVERIFY_THROWS_EXCEPTION(ValueError, getVar(g, "missing", "lesson.py:31"));
        }
        {
            VariableScope vs(g, "vs", at("lesson.py:33"));
            QVERIFY_THROWS_EXCEPTION(ValueError, getVar(g, "v2", "lesson.py:34"));
        }
        auto missing = explainName(g, "vs/missing");
        QVERIFY(missing.found); // not in the graph, but the trace has the call
        QVERIFY2(missing.text.find("get_variable('missing') at line 31 failed: reuse=True in variable_scope('vs') asks "
                                   "for an existing variable, and no earlier get_variable created `vs/missing`") !=
                     std::string::npos,
                 missing.text.c_str());
        const std::string again = explainName(g, "vs/v2").text;
        QVERIFY2(again.find("get_variable('v2') at line 34 failed: reuse is off in variable_scope('vs'), and `vs/v2` had "
                            "already been created at line 13") != std::string::npos,
                 again.c_str());
    }

    void unknownNameIsNotFound()
    {
        Graph g;
        buildLesson(g);
        const auto ex = explainName(g, "no_such_op");
        QVERIFY(!ex.found);
        QCOMPARE(QString::fromStdString(ex.text), QStringLiteral("no op or scope named 'no_such_op'"));
    }

    void importedGraphWithoutTraceSaysWhatTheNamesShow()
    {
        Graph built;
        buildLesson(built);
        Graph g;
        QVERIFY(importGraphDefBytes(serializeGraphDef(built), g).ok());
        const std::string text = explainName(g, "vs_1/c3").text;
        QVERIFY2(text.find("`vs_1/`: the name `vs` was already taken at the top level, so TensorFlow added the suffix `_1`.") !=
                     std::string::npos,
                 text.c_str());
        QVERIFY(text.find("carries no record of the calls") != std::string::npos);
        // A name that merely ends in _N (PyTorch's `encoder_layer_3`) is not called a TensorFlow suffix.
        Graph own;
        {
            NameScope ns(own, "encoder_layer_3");
            ops::constant(own, 1.0, DType::Float, "x");
        }
        Graph imported; // without its trace
        QVERIFY(importGraphDefBytes(serializeGraphDef(own), imported).ok());
        const std::string plain = explainName(imported, "encoder_layer_3/x").text;
        QVERIFY2(plain.find("already taken") == std::string::npos, plain.c_str());
    }

    void traceTravelsBesideTheGraphDef()
    {
        Graph built;
        buildLesson(built);
        Graph g;
        QVERIFY(importGraphDefBytes(serializeGraphDef(built), g).ok());
        const auto r = readTraceText(traceToText(built), g, "graph.pb.trace");
        QVERIFY2(r.error.empty(), r.error.c_str());
        QCOMPARE(r.events, int(built.trace().size()));
        QCOMPARE(explainName(g, "vs_1/c3").text, explainName(built, "vs_1/c3").text);
        QCOMPARE(explainName(g, "vs/v2").text, explainName(built, "vs/v2").text);
        QCOMPARE(traceToText(g), traceToText(built));
    }

    void damagedTraceKeepsTheEventsBeforeTheFault()
    {
        Graph built;
        buildLesson(built);
        std::string text = traceToText(built);
        // Break the fourth event line (line 5 of the file): one field too few.
        size_t pos = 0;
        for (int i = 0; i < 4; ++i)
            pos = text.find('\n', pos) + 1;
        text.erase(text.find('\t', pos), 1);
        Graph g;
        const auto r = readTraceText(text, g, "t.trace");
        QCOMPARE(r.events, 3);
        QCOMPARE(int(g.trace().size()), 3);
        QCOMPARE(QString::fromStdString(r.error), QStringLiteral("t.trace: line 5: 9 fields, expected 10"));
        QVERIFY(!readTraceText("not a trace\n", g, "x").error.empty());
        QCOMPARE(int(g.trace().size()), 3);
        // Every prefix of a good trace reads without a crash and keeps whole lines only.
        const std::string good = traceToText(built);
        for (size_t n = 0; n <= good.size(); ++n) {
            Graph p;
            const auto pr = readTraceText(std::string_view(good).substr(0, n), p, "p");
            QVERIFY(pr.events <= int(built.trace().size()));
        }
    }
};

QTEST_GUILESS_MAIN(ExplainTest)
#include "explain_test.moc"
