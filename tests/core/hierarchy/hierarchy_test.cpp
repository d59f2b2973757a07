// Tests of the scope hierarchy: what a user sees in the scope tree, the
// shared-variable marks, series and auxiliary grouping, the visible graph of
// an expansion state, layout stability through the layout engine, and bad
// input (missing nodes, cycles, huge scopes, odd names) that must be drawn
// with warnings, never hang or crash. Real TensorFlow graphs are read through
// core/io's importer from SCOPEVIZ_TESTDATA.
#include "tests/support/test_data.h"
#include "core/demo/seed_demo.h"
#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/tree_report.h"
#include "core/hierarchy/variable_index.h"
#include "core/hierarchy/visible_graph.h"
#include "core/io/graphdef_io.h"
#include "core/layout/layout_engine.h"
#include "core/util/strings.h"
#include "tests/core/hierarchy/graph_fixtures.h"
#include "tests/core/hierarchy/training_graphs.h"

#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <memory>
#include <set>
#include <sstream>

using namespace scopeviz;
using namespace scopeviz::hierarchy;
using namespace scopeviz::hierarchy::fixtures;

namespace {

std::string testdata(const std::string& rel)
{
    return std::string(SCOPEVIZ_TESTDATA) + "/" + rel;
}

/// Imports a real graph file into g; false (with the reason printed) when the file is missing or fails.
bool importReal(const std::string& rel, Graph& g)
{
    const std::string path = testdata(rel);
    if (!std::filesystem::exists(path)) {
        qWarning("missing test data file: %s", path.c_str());
        return false;
    }
    const auto r = importGraphFile(path, g);
    if (!r.ok())
        qWarning("import of %s failed: %s", path.c_str(), r.error().c_str());
    return r.ok();
}

/// The variables of the GAN (tf0.12-gan-variable-reuse) that are shared: the generator's batch-norm offsets
/// and moving means, read by its 63 calls (`bn1`, `bn1_1`, ...); see ganVariablesSharedWithLaterCalls.
const std::set<std::string> kGanShared = {"bn1/beta", "bn1/moving_mean", "bn2/beta",
                                          "bn2/moving_mean", "bn3/beta", "bn3/moving_mean"};

const VariableRecord* variableNamed(const ScopeTree& t, std::string_view name)
{
    for (const VariableRecord& v : t.variables())
        if (t.opName(v.op) == name)
            return &v;
    return nullptr;
}

const VariableUser* userAt(const VariableRecord& v, std::string_view path)
{
    for (const VariableUser& u : v.users)
        if (u.path == path)
            return &u;
    return nullptr;
}

/// Labels of the children of a visible frame.
QStringList childLabels(const VisibleGraph& vg, int32_t frame)
{
    QStringList out;
    for (int32_t c : vg.nodes()[size_t(frame)].children)
        out << QString::fromUtf8(vg.nodes()[size_t(c)].label.data(), int(vg.nodes()[size_t(c)].label.size()));
    return out;
}

const VisibleEdge* edgeBetween(const VisibleGraph& vg, NodeKey from, NodeKey to)
{
    const int32_t a = vg.find(from), b = vg.find(to);
    for (const VisibleEdge& e : vg.edges())
        if (e.from == a && e.to == b)
            return &e;
    return nullptr;
}

/// The small hand-built graph of the edge tests:
///   a/x (Const [2,3]) -> b/z, a/x -> b/w, a/y -> b/z, a/y -^ b/w (control), b/z -> c, a/deep/p -> b/deep/q.
struct SmallGraph {
    Graph g;
    OpId ax, ay, bz, bw, c, p, q;
    SmallGraph()
    {
        ax = addOp(g, "a/x", "Const");
        ay = addOp(g, "a/y", "Const", {}, {}, DType::Int32, Shape{4});
        bz = addOp(g, "b/z", "AddN", {out(ax), out(ay)});
        bw = addOp(g, "b/w", "Identity", {out(ax)}, {ay});
        c = addOp(g, "c", "Relu", {out(bz)});
        p = addOp(g, "a/deep/deeper/p", "Const", {}, {}, DType::Float, Shape{-1, 5});
        q = addOp(g, "b/deep/q", "Neg", {out(p)});
    }
};

} // namespace

class HierarchyTest : public QObject {
    Q_OBJECT

private slots:
    void initTestCase() { SCOPEVIZ_REQUIRE_TEST_DATA(); }
    // Scope tree
    void treeFollowsOpNamesInCreationOrder();
    void anchorOpLivesInsideItsOwnScope();
    void variableScopesAreMarkedFromTheTrace();
    // Edges and the visible graph
    void siblingEdgesAreAggregatedWithCountsTypesAndSizes();
    void expansionStateGivesVisibleNodesAndLiftedEdges();
    void nodeShowingFindsTheVisibleAncestor();
    void layoutRequestHasOneClusterPerFrame();
    // Shared variables
    void seedDemoVariablesAreSharedBetweenCallSites();
    void importedReadsAcrossScopesMarkSharing();
    void trainingMachineryDoesNotCountAsSharing();
    void summariesOfAVariableAreNotAForwardRead();
    void optimizerUnderAFreelyNamedScopeIsNotSharing();
    void sharingCountsOfTheTestGraphs();
    // Variable index
    void variableIndexListsReadersThroughReadOps();
    void variableIndexSharingMatchesTheAnalysis();
    void variableIndexConsumersAreUniqueAndOrdered();
    // Series and auxiliary
    void seriesOfSevenSimilarScopesCollapses();
    void seriesNeedsSameStructureAndEnoughMembers();
    void initAndSaveMoveToTheSideArea();
    void userOverridesAuxiliaryPlacement();
    // CLI helpers
    void printTreeMarksVariablesAndSeries();
    void layoutStatsLaysOutAnExpansion();
    // Stability with the layout engine
    void seedDemoExpandCollapseIsStable();
    // Bad input
    void edgesToMissingNodesAreDroppedWithAWarning();
    void cyclesAreDrawn();
    void scopeWithTenThousandChildren();
    void oddNamesArePlacedWithAWarning();
    void emptyGraph();
    // Real graphs
    void ganVariablesSharedWithLaterCalls();
    void inceptionV3Has376SharedVariables();
    void smallRealGraphsHaveNoSharedMarks();
    void whileLoopGraphFromEventFile();
    void inceptionV3ExpandIsStable();
};

// ---- scope tree --------------------------------------------------------------

void HierarchyTest::treeFollowsOpNamesInCreationOrder()
{
    SmallGraph s;
    const auto t = buildScopeTree(s.g);
    QCOMPARE(t->numOps(), 7);
    const ScopeId a = t->findScope("a"), b = t->findScope("b/"), deep = t->findScope("a/deep/deeper");
    QVERIFY(a > 0 && b > 0 && deep > 0);
    QCOMPARE(t->findScope("nope"), -1);
    QCOMPARE(t->path(deep), std::string_view("a/deep/deeper"));
    QCOMPARE(t->name(deep), std::string_view("deeper"));
    QCOMPARE(t->scope(a).descendantOps, 3);
    QCOMPARE(t->scope(b).descendantOps, 3);
    QCOMPARE(t->scope(RootScope).descendantOps, 7);
    // Root items in creation order of their first op: a (op 0), b (op 2), c (op 4).
    const auto& items = t->scope(RootScope).items;
    QCOMPARE(int(items.size()), 3);
    QVERIFY(items[0] == (Item{Item::Kind::Scope, a}));
    QVERIFY(items[1] == (Item{Item::Kind::Scope, b}));
    QVERIFY(items[2] == (Item{Item::Kind::Op, s.c}));
    // a holds x, y and then the deep scope (created by op 5).
    QCOMPARE(int(t->scope(a).items.size()), 3);
    QCOMPARE(t->scope(a).items[2].isScope(), true);
    QCOMPARE(t->opParent(s.p), deep);
    QVERIFY(t->isAncestorOrSelf(a, deep));
    QVERIFY(!t->isAncestorOrSelf(b, deep));
    QVERIFY(t->warnings().empty());
}

void HierarchyTest::anchorOpLivesInsideItsOwnScope()
{
    Graph g;
    demo::buildSeedDemo(g);
    const auto t = buildScopeTree(g);
    const ScopeId w = t->findScope("my_net/weights");
    QVERIFY(w > 0);
    const OpId var = g.findOp("my_net/weights")->id();
    QCOMPARE(t->scope(w).anchor, var);
    QCOMPARE(t->opParent(var), w);
    QVERIFY(t->isAnchor(var));
    QCOMPARE(t->opEnclosingScope(var), t->findScope("my_net"));
    // The anchor is an item of its own scope, never a sibling leaf next to it.
    const auto& myNet = t->scope(t->findScope("my_net")).items;
    for (const Item& it : myNet)
        QVERIFY(!(it.isOp() && it.id == var));
    const auto& own = t->scope(w).items;
    QVERIFY(std::find(own.begin(), own.end(), Item{Item::Kind::Op, var}) != own.end());
    // Assign, read and the initializer live in the same scope.
    QCOMPARE(t->opParent(g.findOp("my_net/weights/read")->id()), w);
    QVERIFY(t->scope(w).descendantOps >= 4);
}

void HierarchyTest::variableScopesAreMarkedFromTheTrace()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    QVERIFY(t->hasTrace());
    QCOMPARE(t->scope(t->findScope("my_net")).kind, ScopeKind::Variable);
    QCOMPARE(t->scope(t->findScope("my_net_1")).kind, ScopeKind::Variable);
    QCOMPARE(t->scope(t->findScope("head_1")).kind, ScopeKind::Variable);
    QCOMPARE(t->scope(t->findScope("summary")).kind, ScopeKind::Name);
}

// ---- edges and visible graph -----------------------------------------------------

void HierarchyTest::siblingEdgesAreAggregatedWithCountsTypesAndSizes()
{
    SmallGraph s;
    const auto t = buildScopeTree(s.g);
    const ScopeId a = t->findScope("a"), b = t->findScope("b");
    const auto rootEdges = t->edgesIn(RootScope);
    QCOMPARE(int(rootEdges.size()), 2); // a -> b and b -> c
    const AggregatedEdge& ab = rootEdges[0].to == Item{Item::Kind::Scope, b} ? rootEdges[0] : rootEdges[1];
    QVERIFY(ab.from == (Item{Item::Kind::Scope, a}));
    // a/x->b/z, a/y->b/z, a/x->b/w, a/y-^b/w, a/deep/deeper/p->b/deep/q.
    QCOMPARE(ab.stats.count, 5);
    QCOMPARE(ab.stats.controlCount, 1);
    QVERIFY(ab.stats.hasData() && ab.stats.hasControl());
    QVERIFY(!ab.stats.reference);
    const auto types = ab.stats.dtypes();
    QCOMPARE(int(types.size()), 2);
    QVERIFY(std::find(types.begin(), types.end(), DType::Float) != types.end());
    QVERIFY(std::find(types.begin(), types.end(), DType::Int32) != types.end());
    // 6 + 4 + 6 + 5 (the unknown batch dim counts 1) elements; the last shape was partial.
    QCOMPARE(ab.stats.elements, int64_t(21));
    QVERIFY(ab.stats.partialSize);
    // Nothing is charged inside a or b: their ops are not connected to each other.
    QCOMPARE(int(t->edgesIn(a).size()), 0);
    QCOMPARE(int(t->edgesIn(b).size()), 0);
    // Per-scope in/out lists.
    QCOMPARE(int(t->outEdges(a).size()), 1);
    QCOMPARE(int(t->inEdges(b).size()), 1);
    QCOMPARE(int(t->outEdges(b).size()), 1);

    // Reference edges: a ref variable's ref output feeding Assign is flagged.
    Graph g;
    const RefVariable v = addRefVariable(g, "w");
    addOp(g, "user/MatMul", "MatMul", {out(v.read), out(v.read)});
    const auto t2 = buildScopeTree(g);
    const ScopeId w = t2->findScope("w");
    bool sawRef = false;
    for (const AggregatedEdge& e : t2->edgesIn(w))
        sawRef = sawRef || e.stats.reference;
    QVERIFY2(sawRef, "VariableV2 -> Assign carries a float32_ref");
    const auto top = t2->edgesIn(RootScope);
    QCOMPARE(int(top.size()), 1);
    QCOMPARE(top[0].stats.count, 2);
    QVERIFY(!top[0].stats.reference); // the read snapshot is a plain tensor
}

void HierarchyTest::expansionStateGivesVisibleNodesAndLiftedEdges()
{
    SmallGraph s;
    const auto t = buildScopeTree(s.g);
    const ScopeId a = t->findScope("a"), b = t->findScope("b"), bdeep = t->findScope("b/deep");

    ExpansionState st;
    VisibleGraph vg = buildVisibleGraph(*t, st);
    QCOMPARE(childLabels(vg, 0), (QStringList{"a", "b", "c"}));
    QCOMPARE(int(vg.nodes().size()), 4);
    QCOMPARE(int(vg.edges().size()), 2);
    const VisibleEdge* ab = edgeBetween(vg, scopeKey(a), scopeKey(b));
    QVERIFY(ab);
    QCOMPARE(ab->stats.count, 5);
    QCOMPARE(ab->owner, 0);

    // Expanding b: b becomes a frame with z, w, deep; the a -> b edge still attaches to b's frame,
    // and the edge from deep inside a to deep inside b stays at the root level (lowest common expanded ancestor).
    st.expand(b);
    vg = buildVisibleGraph(*t, st);
    const int32_t bi = vg.find(scopeKey(b));
    QVERIFY(vg.nodes()[size_t(bi)].expanded);
    QCOMPARE(childLabels(vg, bi), (QStringList{"z", "w", "deep"}));
    ab = edgeBetween(vg, scopeKey(a), scopeKey(b));
    QVERIFY(ab);
    QCOMPARE(ab->stats.count, 5);
    QVERIFY(edgeBetween(vg, opKey(s.bz), opKey(s.c)) == nullptr);
    QVERIFY(edgeBetween(vg, scopeKey(b), opKey(s.c)) != nullptr);
    QCOMPARE(vg.numClusters(), 2);

    // Expanding b/deep but not a: the deep edge is still a -> b at the root.
    st.expand(bdeep);
    st.expand(a);
    vg = buildVisibleGraph(*t, st);
    QCOMPARE(vg.numClusters(), 4);
    QVERIFY(vg.find(opKey(s.q)) >= 0);
    QVERIFY(vg.find(scopeKey(t->findScope("a/deep"))) >= 0);
    QVERIFY(vg.find(opKey(s.p)) < 0); // a/deep is collapsed
    ab = edgeBetween(vg, scopeKey(a), scopeKey(b));
    QVERIFY(ab);
    QCOMPARE(ab->stats.count, 5);
    int total = 0;
    for (const VisibleEdge& e : vg.edges())
        total += e.stats.count;
    QCOMPARE(total, 6); // every op-level edge is drawn exactly once

    // Collapsing b hides its inside, whatever is expanded below.
    st.collapse(b);
    vg = buildVisibleGraph(*t, st);
    QVERIFY(vg.find(opKey(s.q)) < 0);
    QVERIFY(!vg.nodes()[size_t(vg.find(scopeKey(b)))].expanded);
}

void HierarchyTest::nodeShowingFindsTheVisibleAncestor()
{
    SmallGraph s;
    const auto t = buildScopeTree(s.g);
    ExpansionState st;
    st.expand(t->findScope("a"));
    const VisibleGraph vg = buildVisibleGraph(*t, st);
    QCOMPARE(vg.nodeShowingOp(s.ax), vg.find(opKey(s.ax)));
    QCOMPARE(vg.nodeShowingOp(s.p), vg.find(scopeKey(t->findScope("a/deep"))));
    QCOMPARE(vg.nodeShowingOp(s.q), vg.find(scopeKey(t->findScope("b"))));
    QCOMPARE(vg.nodeShowingOp(s.c), vg.find(opKey(s.c)));
}

void HierarchyTest::layoutRequestHasOneClusterPerFrame()
{
    SmallGraph s;
    const auto t = buildScopeTree(s.g);
    ExpansionState st;
    st.expand(t->findScope("b"));
    const VisibleGraph vg = buildVisibleGraph(*t, st);
    const layout::LayoutRequest req = toLayoutRequest(vg);
    QCOMPARE(int(req.clusters.size()), 2);
    QCOMPARE(req.clusters[0].id, scopeKey(RootScope));
    QCOMPARE(int(req.clusters[0].children.size()), 3);
    const auto& bChild = req.clusters[0].children[1];
    QCOMPARE(bChild.id, scopeKey(t->findScope("b")));
    QCOMPARE(bChild.cluster, 1);
    QCOMPARE(req.clusters[1].id, scopeKey(t->findScope("b")));
    QVERIFY(req.clusters[0].children[0].width > 0 && req.clusters[0].children[0].height > 0);
    for (const auto& c : req.clusters)
        for (const auto& e : c.edges) {
            QVERIFY(e.key < vg.edges().size());
            const VisibleEdge& ve = vg.edges()[size_t(e.key)];
            QCOMPARE(vg.nodes()[size_t(ve.from)].key, e.from);
        }
    // Layout ids map back to visible nodes.
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(req);
    QVERIFY(!r->boxes.empty());
    for (const layout::NodeBox& box : r->boxes)
        QVERIFY(vg.find(box.id) >= 0);
    QCOMPARE(int(r->boxes.size()), int(vg.nodes().size()));
}

// ---- shared variables ---------------------------------------------------------------

void HierarchyTest::seedDemoVariablesAreSharedBetweenCallSites()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    for (const char* name : {"my_net/weights", "my_net/biases", "head/weights", "head/biases"}) {
        const VariableRecord* v = variableNamed(*t, name);
        QVERIFY2(v, name);
        const std::string owner = std::string(name).substr(0, std::string(name).find('/'));
        QCOMPARE(int(v->evidence), int(VariableEvidence::Trace));
        QCOMPARE(v->ownerPath, owner);
        QVERIFY(v->shared);
        QCOMPARE(v->sharedScopes, 2);
        QVERIFY(v->users.front().owner);
        const VariableUser* reuser = userAt(*v, owner + "_1");
        QVERIFY2(reuser, name);
        QVERIFY(reuser->reused);
        QCOMPARE(int(reuser->reuseMode), int(Reuse::True));
        QCOMPARE(reuser->scope, t->findScope(owner + "_1"));
        QVERIFY(reuser->reads >= 1); // my_net_1/MatMul reads my_net/weights/read
        QVERIFY(v->users.front().reads >= 1);
    }
    QCOMPARE(t->numSharedVariables(), 4);
    // The variable's scope node points at its record.
    QCOMPARE(t->scope(t->findScope("my_net/weights")).variable, t->variableOfOp(g.findOp("my_net/weights")->id()));
}

void HierarchyTest::importedReadsAcrossScopesMarkSharing()
{
    // bn1/beta read from bn1 (the owner's own use) and from bn1_1: shared. bn1/gamma only from bn1: not.
    Graph g;
    const RefVariable beta = addRefVariable(g, "bn1/beta");
    const RefVariable gamma = addRefVariable(g, "bn1/gamma");
    const OpId x = addOp(g, "x", "Placeholder");
    addOp(g, "bn1/batchnorm/add", "Add", {out(x), out(beta.read)});
    addOp(g, "bn1/batchnorm/mul", "Mul", {out(x), out(gamma.read)});
    addOp(g, "bn1_1/batchnorm/add", "Add", {out(x), out(beta.read)});
    addOp(g, "bn1_1/batchnorm/sub", "Sub", {out(x), out(beta.read)});
    // A nested module read from a second application (InceptionV3's pattern).
    const RefVariable w = addRefVariable(g, "module/Net/Conv/weights");
    addOp(g, "module/Net/Net/Conv/Conv2D", "Conv2D", {out(x), out(w.read)});
    addOp(g, "module_apply_default/Net/Net/Conv/Conv2D", "Conv2D", {out(x), out(w.read)});
    const auto t = buildScopeTree(g);
    QVERIFY(!t->hasTrace());

    const VariableRecord* b = variableNamed(*t, "bn1/beta");
    QVERIFY(b);
    QCOMPARE(int(b->evidence), int(VariableEvidence::Inferred));
    QCOMPARE(b->ownerPath, std::string("bn1"));
    QVERIFY(b->shared);
    QCOMPARE(b->sharedScopes, 2);
    QCOMPARE(b->reads, 3);
    QCOMPARE(userAt(*b, "bn1")->reads, 1);
    QCOMPARE(userAt(*b, "bn1_1")->reads, 2);

    const VariableRecord* gm = variableNamed(*t, "bn1/gamma");
    QVERIFY(gm);
    QVERIFY(!gm->shared);
    QCOMPARE(gm->sharedScopes, 1);

    const VariableRecord* wv = variableNamed(*t, "module/Net/Conv/weights");
    QVERIFY(wv);
    QVERIFY(wv->shared);
    QVERIFY(userAt(*wv, "module/Net/Net"));
    QVERIFY(userAt(*wv, "module_apply_default"));
    // Without a trace, a scope holding variables is shown as a variable scope.
    QCOMPARE(t->scope(t->findScope("bn1")).kind, ScopeKind::Variable);
    QCOMPARE(t->scope(t->findScope("bn1_1")).kind, ScopeKind::Name);
}

void HierarchyTest::trainingMachineryDoesNotCountAsSharing()
{
    // layer/w is read by its layer and, from other scopes, by the machinery around it: tf.gradients'
    // ops (`gradients/...`), a backward pass under a freely named scope (`my_train/grads/...`, known
    // by its ReluGrad and what is computed from it, such as the dead-end gradient for x), an optimizer
    // update under `train_step`, a saver, an initialization check and a histogram. Only the layer reads.
    Graph g;
    const RefVariable w = addRefVariable(g, "layer/w");
    const OpId x = addOp(g, "x", "Placeholder");
    const OpId mm = addOp(g, "layer/MatMul", "MatMul", {out(x), out(w.read)});
    const OpId relu = addOp(g, "layer/Relu", "Relu", {out(mm)});
    const OpId loss = addOp(g, "loss", "Mean", {out(relu)});
    const OpId shape = addOp(g, "gradients/Shape", "Shape", {out(loss)});
    const OpId fill = addOp(g, "gradients/Fill", "Fill", {out(shape)});
    const OpId rg = addOp(g, "my_train/grads/layer/Relu_grad/ReluGrad", "ReluGrad", {out(fill), out(relu)});
    addOp(g, "my_train/grads/layer/MatMul_grad/MatMul", "MatMul", {out(rg), out(w.read)});
    const OpId dw = addOp(g, "my_train/grads/layer/MatMul_grad/MatMul_1", "MatMul", {out(x), out(rg)});
    addOp(g, "gradients_1/layer/MatMul_grad/MatMul", "MatMul", {out(mm), out(w.read)});
    addOp(g, "train_step/update_layer/w/ApplyGradientDescent", "ApplyGradientDescent", {out(w.var), out(dw)});
    addOp(g, "save/SaveV2", "SaveV2", {out(w.var)});
    const OpId init = addOp(g, "report_uninitialized_variables/IsVariableInitialized", "IsVariableInitialized",
                            {out(w.var)});
    addOp(g, "report_uninitialized_variables/Pack", "Pack", {out(init)});
    addOp(g, "summaries/HistogramSummary", "HistogramSummary", {out(w.read)});
    addOp(g, "init", "NoOp", {}, {w.assign});
    const auto t = buildScopeTree(g);
    const VariableRecord* v = variableNamed(*t, "layer/w");
    QVERIFY(v);
    QVERIFY(!v->shared);
    QCOMPARE(v->reads, 1);
    QCOMPARE(int(v->users.size()), 1);
    const auto readers = t->variableReaders(t->variableOfOp(w.var));
    QCOMPARE(std::vector<OpId>(readers.begin(), readers.end()), std::vector<OpId>{mm});
    // Judged by type: an optimizer update, a gradient kernel; a transposed convolution's forward op is not.
    QCOMPARE(bookkeepingKind("ResourceApplyAdam"), std::string_view("optimizer update"));
    QCOMPARE(bookkeepingKind("FusedBatchNormGradV3"), std::string_view("gradient computation"));
    QCOMPARE(bookkeepingKind("Conv2DBackpropInput"), std::string_view());
    QCOMPARE(bookkeepingKind("StopGradient"), std::string_view());
    QCOMPARE(bookkeepingKind("MatMul"), std::string_view());
}

void HierarchyTest::summariesOfAVariableAreNotAForwardRead()
{
    // TensorBoard's mnist_with_summaries: every weight and bias is read by its own summaries
    // (`layer1/weights/summaries/...`) and by its layer (`layer1/Wx_plus_b`), and Adam runs under
    // `train`. Nothing is shared; each variable has exactly its layer's read.
    const auto g = buildMnistWithSummaries();
    QVERIFY2(g->numOps() > 200, std::to_string(g->numOps()).c_str());
    const auto t = buildScopeTree(*g);
    QVERIFY(!t->hasTrace());
    const auto idx = VariableIndex::build(*g, t);
    int weightsAndBiases = 0;
    for (int32_t v = 0; v < idx->numVariables(); ++v) {
        const std::string name(t->opName(idx->record(v).op));
        QVERIFY2(!idx->isShared(v), name.c_str());
        if (name == "layer1/weights/Variable" || name == "layer2/weights/Variable") {
            ++weightsAndBiases;
            const auto r = idx->readers(v);
            QCOMPARE(int(r.size()), 1);
            QVERIFY2(startsWith(t->opName(r[0]), name.substr(0, 7) + "Wx_plus_b/MatMul"), name.c_str());
        }
        if (name == "layer1/biases/Variable" || name == "layer2/biases/Variable") {
            ++weightsAndBiases;
            QCOMPARE(int(idx->readers(v).size()), 1);
        }
        // Adam's slots and beta powers feed only the update: no forward reads at all.
        if (name.find("/Adam") != std::string::npos || startsWith(name, "beta1_power") ||
            startsWith(name, "beta2_power"))
            QVERIFY2(idx->readers(v).empty(), name.c_str());
    }
    QCOMPARE(weightsAndBiases, 4);
    QCOMPARE(idx->numShared(), 0);
    std::ostringstream os;
    printTree(*idx, os);
    QVERIFY2(os.str().find("[shared: ") == std::string::npos, os.str().c_str());
}

void HierarchyTest::optimizerUnderAFreelyNamedScopeIsNotSharing()
{
    // A BiLSTM-CRF-shaped tagger saved as a GraphDef, trained by Adam under `train_step`: its backward
    // pass (`train_step/gradients/...`) reads every weight, which is not sharing. The CRF loss and the
    // layers still read them.
    const auto g = buildBiLstmCrfLike();
    QVERIFY(g->numOps() > 100);
    QVERIFY(g->findOp("train_step/gradients/Shape"));
    const auto t = buildScopeTree(*g);
    const auto idx = VariableIndex::build(*g, t);
    for (const char* name : {"bilstm/fw/lstm_cell/kernel", "bilstm/bw/lstm_cell/kernel", "proj/W", "proj/b",
                             "crf/transitions"}) {
        const VariableRecord* v = variableNamed(*t, name);
        QVERIFY2(v, name);
        QVERIFY2(!v->shared, name);
        QVERIFY2(v->reads >= 1, name);
        for (OpId r : t->variableReaders(t->variableOfOp(v->op)))
            QVERIFY2(!startsWith(t->opName(r), "train_step/"), std::string(t->opName(r)).c_str());
    }
    QCOMPARE(idx->numShared(), 0);
}

void HierarchyTest::sharingCountsOfTheTestGraphs()
{
    // The number of shared variables per test graph, printed for the record and asserted.
    auto sharedNames = [](const ScopeTree& t) {
        std::set<std::string> s;
        for (const VariableRecord& v : t.variables())
            if (v.shared)
                s.insert(std::string(t.opName(v.op)));
        return s;
    };
    auto report = [](const char* what, const std::set<std::string>& shared) {
        std::string list;
        for (const auto& n : shared)
            list += (list.empty() ? "" : ", ") + n;
        qInfo("%s: %d shared%s%s", what, int(shared.size()), shared.empty() ? "" : ": ",
              shared.size() <= 12 ? list.c_str() : "(list omitted)");
    };

    Graph seed;
    demo::buildSeedDemoGraph(seed);
    const auto seedShared = sharedNames(*buildScopeTree(seed));
    report("seed demo", seedShared);
    QCOMPARE(seedShared,
             (std::set<std::string>{"head/biases", "head/weights", "my_net/biases", "my_net/weights"}));

    Graph inception;
    QVERIFY(importReal("graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb", inception));
    const auto inceptionShared = sharedNames(*buildScopeTree(inception));
    report("InceptionV3", inceptionShared);
    QCOMPARE(int(inceptionShared.size()), 376);

    Graph gan;
    QVERIFY(importReal("graphs/tf0.12-gan-variable-reuse-9622-nodes.graphdef.pb", gan));
    const auto ganShared = sharedNames(*buildScopeTree(gan));
    report("GAN", ganShared);
    QCOMPARE(ganShared, kGanShared);

    for (const char* f : {"graphs/tf1-regression-checkpoint-109-nodes.pb", "graphs/tf1-xla-demo-118-nodes.pbtxt"}) {
        Graph small;
        QVERIFY(importReal(f, small));
        const auto shared = sharedNames(*buildScopeTree(small));
        report(f, shared);
        QVERIFY(shared.empty());
    }

    // A Keras DQN (model and target network): its RMSprop update is written in plain ops at the root
    // (`sub_3 = conv2d_1/kernel/read - truediv`, then Assign), computed from the gradients, so it is
    // the optimizer, not a second user of the kernels.
    Graph dqn;
    QVERIFY(importReal("events/tf1-keras-breakout-dqn-31k-scalars/"
                       "events.out.tfevents.1496968668.young-System-Product-Name",
                       dqn));
    const auto dqnTree = buildScopeTree(dqn);
    const auto dqnShared = sharedNames(*dqnTree);
    report("Keras DQN (event file)", dqnShared);
    QVERIFY(dqnShared.empty());
    const VariableRecord* kernel = variableNamed(*dqnTree, "conv2d_1/kernel");
    QVERIFY(kernel);
    const auto kernelReaders = dqnTree->variableReaders(dqnTree->variableOfOp(kernel->op));
    QCOMPARE(int(kernelReaders.size()), 1);
    QCOMPARE(dqnTree->opName(kernelReaders[0]), std::string_view("conv2d_1/convolution"));

    const auto mnist = buildMnistWithSummaries();
    const auto mnistShared = sharedNames(*buildScopeTree(*mnist));
    report("mnist_with_summaries (reimported)", mnistShared);
    QVERIFY(mnistShared.empty());

    const auto bilstm = buildBiLstmCrfLike();
    const auto bilstmShared = sharedNames(*buildScopeTree(*bilstm));
    report("BiLSTM-CRF-like (reimported)", bilstmShared);
    QVERIFY(bilstmShared.empty());
}

// ---- series and auxiliary ---------------------------------------------------------

namespace {

/// Scopes name, name_1, ... name_{n-1}, each MatMul -> Add, chained one to the next; the member at
/// `different` (if >= 0) gets an extra op.
void addSeries(Graph& g, const std::string& base, int n, int different = -1)
{
    OpId prev = addOp(g, base + "_input", "Placeholder");
    for (int i = 0; i < n; ++i) {
        const std::string s = i == 0 ? base : base + "_" + std::to_string(i);
        const OpId mm = addOp(g, s + "/MatMul", "MatMul", {out(prev)});
        prev = addOp(g, s + "/Add", "Add", {out(mm)});
        if (i == different)
            prev = addOp(g, s + "/Relu", "Relu", {out(prev)});
    }
    addOp(g, base + "_output", "Identity", {out(prev)});
}

} // namespace

void HierarchyTest::seriesOfSevenSimilarScopesCollapses()
{
    Graph g;
    addSeries(g, "name", 7);
    const auto t = buildScopeTree(g);
    QCOMPARE(int(t->series().size()), 1);
    const Series& s = t->series()[0];
    QCOMPARE(int(s.members.size()), 7);
    QCOMPARE(s.base, std::string("name"));
    QCOMPARE(s.label, std::string("name, name_[1-6]"));
    QCOMPARE(s.numbers.front(), int64_t(0));
    QCOMPARE(s.numbers.back(), int64_t(6));
    QCOMPARE(s.opCount, 14);
    for (const Item& m : s.members)
        QCOMPARE(t->seriesOf(m), 0);

    // Grouped: the root shows input, one series node, output; the chain runs through it.
    ExpansionState st;
    VisibleGraph vg = buildVisibleGraph(*t, st);
    QCOMPARE(childLabels(vg, 0), (QStringList{"name_input", "name, name_[1-6]", "name_output"}));
    const NodeKey sk = seriesKey(*t, 0);
    QVERIFY(edgeBetween(vg, opKey(0), sk));
    QCOMPARE(int(vg.edges().size()), 2); // internal member-to-member edges are hidden

    // Expanded series: a frame with the seven members and the six edges between them.
    st.expanded.insert(sk);
    vg = buildVisibleGraph(*t, st);
    const int32_t si = vg.find(sk);
    QVERIFY(vg.nodes()[size_t(si)].expanded);
    QCOMPARE(int(vg.nodes()[size_t(si)].children.size()), 7);
    int inside = 0;
    for (const VisibleEdge& e : vg.edges())
        inside += e.owner == si ? 1 : 0;
    QCOMPARE(inside, 6);

    // Ungrouped: the members are plain siblings again.
    st.ungrouped.insert(sk);
    vg = buildVisibleGraph(*t, st);
    QCOMPARE(int(vg.nodes()[0].children.size()), 9);
    QCOMPARE(vg.find(sk), -1);
}

void HierarchyTest::seriesNeedsSameStructureAndEnoughMembers()
{
    {
        Graph g;
        addSeries(g, "few", 4);
        QCOMPARE(int(buildScopeTree(g)->series().size()), 0);
        HierarchyOptions lower;
        lower.series.minMembers = 3;
        QCOMPARE(int(buildScopeTree(g, lower)->series().size()), 1);
    }
    {
        Graph g;
        addSeries(g, "mixed", 7, 3); // mixed_3 has an extra Relu
        const auto t = buildScopeTree(g);
        QCOMPARE(int(t->series().size()), 1);
        QCOMPARE(int(t->series()[0].members.size()), 6);
        QCOMPARE(t->seriesOf(Item{Item::Kind::Scope, t->findScope("mixed_3")}), -1);
        QCOMPARE(t->series()[0].label, std::string("mixed, mixed_[1,2,4-6]"));
    }
    {
        // layer1 ... layer6: digit suffixes.
        Graph g;
        OpId prev = addOp(g, "in", "Placeholder");
        for (int i = 1; i <= 6; ++i)
            prev = addOp(g, "layer" + std::to_string(i) + "/Relu", "Relu", {out(prev)});
        const auto t = buildScopeTree(g);
        QCOMPARE(int(t->series().size()), 1);
        QCOMPARE(t->series()[0].label, std::string("layer[1-6]"));
        QVERIFY(!t->series()[0].underscore);
    }
}

namespace {

/// Three layers with variables, plus init (NoOp with control inputs) and save/ (reads every variable).
void addTrainingBookkeeping(Graph& g, std::vector<OpId>* initOp = nullptr)
{
    std::vector<RefVariable> vars;
    OpId prev = addOp(g, "x", "Placeholder");
    for (int i = 0; i < 3; ++i) {
        const std::string s = "dense" + std::string(1, char('a' + i));
        vars.push_back(addRefVariable(g, s + "/kernel"));
        prev = addOp(g, s + "/MatMul", "MatMul", {out(prev), out(vars.back().read)});
    }
    addOp(g, "loss", "Mean", {out(prev)});
    std::vector<OpId> assigns;
    std::vector<Output> varOuts;
    for (const RefVariable& v : vars) {
        assigns.push_back(v.assign);
        varOuts.push_back(out(v.var));
    }
    const OpId init = addOp(g, "init", "NoOp", {}, assigns);
    if (initOp)
        initOp->push_back(init);
    const OpId names = addOp(g, "save/SaveV2/tensor_names", "Const", {}, {}, DType::String, Shape{3});
    std::vector<Output> saveIns{out(names)};
    saveIns.insert(saveIns.end(), varOuts.begin(), varOuts.end());
    addOp(g, "save/SaveV2", "SaveV2", saveIns);
    for (size_t i = 0; i < vars.size(); ++i)
        addOp(g, "save/Assign_" + std::to_string(i), "Assign", {out(vars[i].var), out(names)});
}

} // namespace

void HierarchyTest::initAndSaveMoveToTheSideArea()
{
    Graph g;
    addTrainingBookkeeping(g);
    const auto t = buildScopeTree(g);
    const Item init{Item::Kind::Op, g.findOp("init")->id()};
    const Item save{Item::Kind::Scope, t->findScope("save")};
    QVERIFY(!t->auxiliaryReason(init).empty());
    QVERIFY(t->auxiliaryReason(init).find("init") != std::string_view::npos);
    QVERIFY(!t->auxiliaryReason(save).empty());
    QVERIFY(t->auxiliaryReason(save).find("save") != std::string_view::npos);
    QVERIFY(t->auxiliaryReason(Item{Item::Kind::Scope, t->findScope("densea")}).empty());

    const VisibleGraph vg = buildVisibleGraph(*t, ExpansionState{});
    const int32_t area = vg.find(auxAreaKey(RootScope));
    QVERIFY(area >= 0);
    QCOMPARE(vg.nodes()[0].children.back(), area); // the side area comes last
    QCOMPARE(childLabels(vg, area), (QStringList{"init", "save"}));
    const VisibleNode& in = vg.nodes()[size_t(vg.find(itemKey(init)))];
    QVERIFY(in.auxiliary);
    QCOMPARE(in.parent, area);
    QVERIFY(!in.auxReason.empty());
    // Edges from the model to init and save are stubs, not laid out.
    int stubs = 0;
    for (const VisibleEdge& e : vg.edges())
        if (e.auxiliary) {
            ++stubs;
            QVERIFY(vg.nodes()[size_t(e.to)].kind != NodeKind::AuxArea);
        }
    QVERIFY(stubs >= 4); // 3 layers -> init, 3 layers -> save (merged per pair)
    const layout::LayoutRequest req = toLayoutRequest(vg);
    for (const auto& c : req.clusters)
        for (const auto& e : c.edges)
            QVERIFY(!vg.edges()[size_t(e.key)].auxiliary);
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(req);
    QVERIFY(layout::findBox(*r, auxAreaKey(RootScope)));
}

void HierarchyTest::userOverridesAuxiliaryPlacement()
{
    Graph g;
    addTrainingBookkeeping(g);
    const auto t = buildScopeTree(g);
    const NodeKey init = opKey(g.findOp("init")->id());
    const NodeKey dense = scopeKey(t->findScope("denseb"));
    ExpansionState st;
    st.auxiliary[init] = AuxPlacement::ForceMain;
    st.auxiliary[dense] = AuxPlacement::ForceAux;
    const VisibleGraph vg = buildVisibleGraph(*t, st);
    QCOMPARE(vg.nodes()[size_t(vg.find(init))].parent, 0);
    QVERIFY(!vg.nodes()[size_t(vg.find(init))].auxiliary);
    const VisibleNode& d = vg.nodes()[size_t(vg.find(dense))];
    QVERIFY(d.auxiliary);
    QCOMPARE(d.auxReason, std::string_view(ForcedAuxReason));
    QCOMPARE(childLabels(vg, vg.find(auxAreaKey(RootScope))), (QStringList{"denseb", "save"}));

    // Rules off: nothing moves unless forced.
    HierarchyOptions off;
    off.auxiliary.enabled = false;
    const auto t2 = buildScopeTree(g, off);
    QCOMPARE(buildVisibleGraph(*t2, ExpansionState{}).find(auxAreaKey(RootScope)), -1);
}

// ---- variable index ---------------------------------------------------------------------

void HierarchyTest::variableIndexListsReadersThroughReadOps()
{
    // A ref variable read directly and through <var>/read; a resource variable read through
    // ReadVariableOp (any name, InceptionV3-hub style). Assign, the initializer, a summary and the
    // gradient are not readers; the read ops themselves only pass the value on.
    Graph g;
    const RefVariable w = addRefVariable(g, "net/w");
    const OpId x = addOp(g, "x", "Placeholder");
    const OpId mm = addOp(g, "net/MatMul", "MatMul", {out(x), out(w.read)});
    const OpId direct = addOp(g, "net_1/Mul", "Mul", {out(x), out(w.var)});
    addOp(g, "summary/w", "HistogramSummary", {out(w.read)});
    addOp(g, "gradients/net/MatMul_grad/MatMul", "MatMul", {out(x), out(w.read)});
    const OpId h = addOp(g, "res/v", "VarHandleOp", {}, {}, DType::Resource, Shape{});
    const OpId rv = addOp(g, "apply/res/Conv2D/ReadVariableOp", "ReadVariableOp", {out(h)});
    const OpId conv = addOp(g, "apply/res/Conv2D", "Conv2D", {out(x), out(rv)});
    addOp(g, "res/v/Assign", "AssignVariableOp", {out(h), out(x)});
    const auto t = buildScopeTree(g);
    const auto idx = VariableIndex::build(g, t);
    QCOMPARE(idx->numVariables(), int32_t(t->variables().size()));
    const int32_t vw = t->variableOfOp(w.var), vh = t->variableOfOp(h);
    QVERIFY(vw >= 0 && vh >= 0);
    auto rw = idx->readers(vw);
    QCOMPARE(std::vector<OpId>(rw.begin(), rw.end()), (std::vector<OpId>{mm, direct}));
    auto rh = idx->readers(vh);
    QCOMPARE(std::vector<OpId>(rh.begin(), rh.end()), std::vector<OpId>{conv});
    // Items: the op and the scope it anchors stand for the same variable.
    QCOMPARE(idx->variableOf(Item{Item::Kind::Op, w.var}), vw);
    QCOMPARE(idx->variableOf(Item{Item::Kind::Scope, t->findScope("net/w")}), vw);
    QCOMPARE(idx->variableOf(Item{Item::Kind::Op, mm}), -1);
    QVERIFY(idx->readers(-1).empty() && idx->readers(999).empty());
}

void HierarchyTest::variableIndexSharingMatchesTheAnalysis()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    const auto idx = VariableIndex::build(g, t);
    QCOMPARE(idx->numShared(), int32_t(t->numSharedVariables()));
    for (int32_t v = 0; v < idx->numVariables(); ++v) {
        QCOMPARE(idx->isShared(v), t->variables()[size_t(v)].shared);
        QCOMPARE(idx->sharedScopes(v), t->variables()[size_t(v)].sharedScopes);
    }
    // my_net/weights: shared by my_net and my_net_1, read by one MatMul in each tower.
    const OpId w = g.findOp("my_net/weights")->id();
    const int32_t vw = t->variableOfOp(w);
    QVERIFY(idx->isShared(vw));
    std::vector<std::string> names;
    for (OpId r : idx->readers(vw))
        names.emplace_back(g.op(r).name());
    QCOMPARE(names, (std::vector<std::string>{"my_net/MatMul", "my_net_1/MatMul"}));
    // Badges: my_net owns a shared variable, my_net_1 reuses it.
    QVERIFY(idx->scopeSharing(t->findScope("my_net")).owns >= 1);
    QVERIFY(idx->scopeSharing(t->findScope("my_net_1")).reuses >= 1);
    QCOMPARE(idx->scopeSharing(t->findScope("my_net_1")).users, 2);
    QCOMPARE(idx->scopeSharing(-5).owns, 0);
}

void HierarchyTest::variableIndexConsumersAreUniqueAndOrdered()
{
    SmallGraph s;
    const auto idx = VariableIndex::build(s.g, buildScopeTree(s.g));
    // a/y feeds b/z (data) and b/w (control): both, once each, in op order.
    auto cy = idx->consumers(s.ay);
    QCOMPARE(std::vector<OpId>(cy.begin(), cy.end()), (std::vector<OpId>{s.bz, s.bw}));
    // An op reading the same tensor twice is listed once.
    Graph g;
    const OpId a = addOp(g, "a", "Const");
    const OpId b = addOp(g, "b", "Add", {out(a), out(a)});
    const auto i2 = VariableIndex::build(g, buildScopeTree(g));
    QCOMPARE(i2->consumers(a).size(), size_t(1));
    QCOMPARE(i2->consumers(a)[0], b);
    QVERIFY(i2->consumers(b).empty());
    QVERIFY(i2->consumers(-1).empty());
}

// ---- CLI helpers --------------------------------------------------------------------------

void HierarchyTest::printTreeMarksVariablesAndSeries()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    std::ostringstream os;
    printTree(*VariableIndex::build(g, t), os);
    const std::string text = os.str();
    QVERIFY2(text.find("my_net/  ") != std::string::npos, text.c_str());
    QVERIFY2(text.find("[variable scope]") != std::string::npos, text.c_str());
    QVERIFY2(text.find("  weights  VariableV2  ") != std::string::npos, text.c_str());
    QVERIFY2(text.find("[created in my_net/, reused in my_net_1/]  [shared: 2 scopes]") != std::string::npos,
             text.c_str());
    QVERIFY2(text.find("[created in head/, reused in head_1/]  [shared: 2 scopes]") != std::string::npos,
             text.c_str());
    // The weights line is indented under my_net.
    const size_t netLine = text.find("\nmy_net/  ");
    const size_t wLine = text.find("\n  weights  VariableV2", netLine);
    QVERIFY(netLine != std::string::npos && wLine != std::string::npos);

    Graph s;
    addSeries(s, "name", 7);
    std::ostringstream os2;
    printTree(*VariableIndex::build(s, buildScopeTree(s)), os2);
    QVERIFY2(os2.str().find("name, name_[1-6]/  [series x7]  14 ops") != std::string::npos, os2.str().c_str());
    QVERIFY(os2.str().find("name_3/") == std::string::npos);
    PrintTreeOptions expand;
    expand.expandSeries = true;
    expand.ops = true;
    std::ostringstream os3;
    printTree(*VariableIndex::build(s, buildScopeTree(s)), os3, expand);
    QVERIFY(os3.str().find("name_3/  2 ops") != std::string::npos);
    QVERIFY(os3.str().find("  MatMul  MatMul") != std::string::npos);
}

void HierarchyTest::layoutStatsLaysOutAnExpansion()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    layout::LayoutEngine engine;
    std::ostringstream os;
    const LayoutStatsReport all = layoutStats(*t, {"all"}, os, &engine);
    QVERIFY(all.clusters >= t->numScopes()); // every scope is a frame (plus side areas)
    QVERIFY(all.boxes >= t->numOps());
    QCOMPARE(all.laidOut + all.fromCache, all.clusters);
    QVERIFY(os.str().find("layout: ") != std::string::npos);
    QVERIFY(os.str().find(" boxes") != std::string::npos);

    std::ostringstream os2;
    const LayoutStatsReport some = layoutStats(*t, {"my_net/weights,nope"}, os2, &engine);
    QCOMPARE(some.unknownScopes, std::vector<std::string>{"nope"});
    const int32_t sideAreas = buildVisibleGraph(*t, ExpansionState{}).find(auxAreaKey(RootScope)) >= 0 ? 1 : 0;
    QCOMPARE(some.clusters, 3 + sideAreas); // root, my_net, my_net/weights
    QVERIFY(os2.str().find("no scope named 'nope'") != std::string::npos);
    std::ostringstream os3;
    const LayoutStatsReport again = layoutStats(*t, {"my_net/weights"}, os3, &engine);
    QCOMPARE(again.fromCache, again.clusters); // nothing changed: every cluster comes from the cache
    QCOMPARE(again.laidOut, 0);
}

// ---- stability ---------------------------------------------------------------------------------

void HierarchyTest::seedDemoExpandCollapseIsStable()
{
    Graph g;
    demo::buildSeedDemo(g, true);
    const auto t = buildScopeTree(g);
    layout::LayoutEngine engine;
    const ExpansionState top;
    const auto base = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, top)));
    double worst = 0;
    int compared = 0;
    for (ScopeId s : t->scope(RootScope).children) {
        ExpansionState open = top;
        open.expand(s);
        const auto expanded = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, open)));
        const StabilityFigures f = measureStability(*base, *expanded, scopeKey(s));
        worst = std::max(worst, f.maxExcessRatio);
        compared += f.compared;
        const auto back = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, top)));
        QVERIFY2(sameGeometry(*base, *back), "expand then collapse returns every box to its old place");
        QCOMPARE(back->clustersLaidOut, 0);
    }
    qInfo("seed demo: %d sibling boxes compared, worst displacement beyond growth / own size %.3f", compared, worst);
    QVERIFY(compared > 0);
    QVERIFY2(worst < 1.0, "expanding one scope moves its non-ancestor siblings by less than their own size");
}

// ---- bad input -----------------------------------------------------------------------------------

void HierarchyTest::edgesToMissingNodesAreDroppedWithAWarning()
{
    Graph g;
    const OpId a = addOp(g, "a/x", "Const");
    const OpId b = addOp(g, "b/y", "Neg");
    g.setImportedInputs(b, {out(a), Output{9999, 0}, Output{a, 7}}, {-5, 4242});
    const auto t = buildScopeTree(g);
    QCOMPARE(t->numOps(), 2);
    QCOMPARE(int(t->edgesIn(RootScope).size()), 1);
    QCOMPARE(t->edgesIn(RootScope)[0].stats.count, 2); // a/x:0 and the out-of-range a/x:7 (drawn untyped)
    QCOMPARE(int(t->warnings().size()), 4);
    QVERIFY(t->warnings()[0].find("does not exist") != std::string::npos);
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, ExpansionState::all(*t))));
    QCOMPARE(int(r->boxes.size()), 5);
}

void HierarchyTest::cyclesAreDrawn()
{
    // A while loop: Enter -> Merge -> Switch -> body -> NextIteration -> Merge (back edge).
    Graph g;
    const OpId x = addOp(g, "x", "Placeholder");
    const OpId enter = addOp(g, "while/Enter", "Enter", {out(x)});
    const OpId merge = addOp(g, "while/Merge", "Merge", {out(enter)});
    const OpId sw = addOp(g, "while/Switch", "Switch", {out(merge)});
    const OpId body = addOp(g, "while/body/add", "Add", {out(sw)});
    const OpId next = addOp(g, "while/NextIteration", "NextIteration", {out(body)});
    g.setImportedInputs(merge, {out(enter), out(next)}, {});
    addOp(g, "while/Exit", "Exit", {out(sw)});
    // And a two-scope cycle at the top level.
    const OpId p = addOp(g, "p/op", "Add", {});
    const OpId q = addOp(g, "q/op", "Add", {out(p)});
    g.setImportedInputs(p, {out(q)}, {});
    const auto t = buildScopeTree(g);
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, ExpansionState::all(*t))));
    QVERIFY(!r->cancelled);
    QCOMPARE(int(r->boxes.size()), t->numOps() + t->numScopes());
    QVERIFY(layout::findBox(*r, opKey(next)));
}

void HierarchyTest::scopeWithTenThousandChildren()
{
    Graph g;
    OpId prev = addOp(g, "in", "Placeholder");
    for (int i = 0; i < 10000; ++i)
        prev = addOp(g, "big/c" + std::to_string(i) + (i % 2 ? "/Relu" : "/Tanh"), i % 2 ? "Relu" : "Tanh",
                     {out(prev)});
    const auto t = buildScopeTree(g);
    const ScopeId big = t->findScope("big");
    QCOMPARE(int(t->scope(big).children.size()), 10000);
    // c0, c2, ... (Tanh) and c1, c3, ... (Relu) form two series of 5000.
    QCOMPARE(int(t->series().size()), 2);
    QCOMPARE(int(t->series()[0].members.size()), 5000);
    ExpansionState st;
    st.expand(big);
    layout::LayoutEngine engine;
    VisibleGraph vg = buildVisibleGraph(*t, st);
    QCOMPARE(int(vg.nodes()[size_t(vg.find(scopeKey(big)))].children.size()), 2);
    QVERIFY(!engine.layoutNow(toLayoutRequest(vg))->boxes.empty());
    // Ungrouped, the frame really has 10,000 children.
    st.ungrouped.insert(seriesKey(*t, 0));
    st.ungrouped.insert(seriesKey(*t, 1));
    vg = buildVisibleGraph(*t, st);
    QCOMPARE(int(vg.nodes()[size_t(vg.find(scopeKey(big)))].children.size()), 10000);
    const auto r = engine.layoutNow(toLayoutRequest(vg));
    QVERIFY(!r->cancelled);
    QCOMPARE(int(r->boxes.size()), int(vg.nodes().size()));
    QVERIFY(r->clustersFallback >= 1); // too big for dot: the layered fallback draws it
}

void HierarchyTest::oddNamesArePlacedWithAWarning()
{
    Graph g;
    const OpId a = addOp(g, "a//b", "Const");
    const OpId b = addOp(g, "a/c/", "Neg", {out(a)});
    const OpId c = addOp(g, "/lead", "Neg", {out(b)});
    const OpId d = addOp(g, "a/b", "Identity", {out(a)}); // same name as "a//b" once normalized
    const OpId e = addOp(g, "a/b/inner", "Identity", {out(d)});
    const auto t = buildScopeTree(g);
    QCOMPARE(t->opName(a), std::string_view("a/b"));
    QCOMPARE(t->opName(b), std::string_view("a/c"));
    QCOMPARE(t->opName(c), std::string_view("lead"));
    QVERIFY(t->warnings().size() >= 3);
    const ScopeId ab = t->findScope("a/b");
    QVERIFY(ab > 0);
    QCOMPARE(t->opParent(a), ab);
    QCOMPARE(t->opParent(d), ab);
    QCOMPARE(t->opParent(e), ab);
    QCOMPARE(t->scope(RootScope).descendantOps, 5);
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, ExpansionState::all(*t))));
    QCOMPARE(int(r->boxes.size()), t->numOps() + t->numScopes());
    std::ostringstream os;
    printTree(*VariableIndex::build(g, t), os);
    QVERIFY(os.str().find("warning: ") != std::string::npos);
}

void HierarchyTest::emptyGraph()
{
    Graph g;
    const auto t = buildScopeTree(g);
    QCOMPARE(t->numOps(), 0);
    QCOMPARE(t->numScopes(), 1);
    QCOMPARE(t->findScope(""), RootScope);
    const VisibleGraph vg = buildVisibleGraph(*t, ExpansionState::all(*t));
    QCOMPARE(int(vg.nodes().size()), 1);
    layout::LayoutEngine engine;
    const auto r = engine.layoutNow(toLayoutRequest(vg));
    QVERIFY(!r->cancelled);
    std::ostringstream os;
    printTree(*VariableIndex::build(g, t), os);
    QVERIFY(os.str().find("graph: 0 ops") != std::string::npos);
}

// ---- real graphs ------------------------------------------------------------------------------------

void HierarchyTest::ganVariablesSharedWithLaterCalls()
{
    Graph g;
    if (!importReal("graphs/tf0.12-gan-variable-reuse-9622-nodes.graphdef.pb", g))
        QFAIL("GAN graph not importable (the import error is printed above)");
    const auto t = buildScopeTree(g);
    QCOMPARE(t->numOps(), 9622);
    // The generator's batch norms: every call (`bn1_1/batchnorm/sub`, ...) reads beta, and uses the
    // moving mean as the shift of its moments (`bn1_1/Add`).
    for (const char* name : {"bn1/beta", "bn1/moving_mean", "bn2/beta", "bn3/beta"}) {
        const VariableRecord* v = variableNamed(*t, name);
        QVERIFY2(v, name);
        QVERIFY2(v->shared, name);
        const std::string owner = std::string(name).substr(0, 3);
        QCOMPARE(v->ownerPath, owner);
        QVERIFY2(userAt(*v, owner + "_1"), name);
        QCOMPARE(v->sharedScopes, 63);
    }
    // The moving variance is read only by the moving-average update (AssignMovingAvg_1 -> AssignSub): no
    // forward read, so not shared, and not read by the model at all.
    const VariableRecord* var = variableNamed(*t, "bn1/moving_variance");
    QVERIFY(var);
    QVERIFY(!var->shared);
    QCOMPARE(var->reads, 0);
    // The discriminator (d_w1 ... d_b4) is applied to real images (`Conv2D_3`) and to generated ones
    // (`Conv2D_5`), but both applications were built at the root scope: one scope instance, so not shared
    // (the known limit in shared_variables.cpp). Its gradient scopes and histograms do not read it.
    const VariableRecord* dw1 = variableNamed(*t, "d_w1");
    QVERIFY(dw1);
    std::vector<std::string> readers;
    for (OpId r : t->variableReaders(t->variableOfOp(dw1->op)))
        readers.emplace_back(t->opName(r));
    QCOMPARE(readers, (std::vector<std::string>{"Conv2D_3", "Conv2D_5"}));
    for (const char* name : {"d_w1", "d_b1", "d_w2", "d_b2", "d_w3", "d_b3", "d_w4", "d_b4"}) {
        const VariableRecord* v = variableNamed(*t, name);
        QVERIFY2(v, name);
        QVERIFY2(!v->shared, name);
        QCOMPARE(v->reads, 2);
    }
    std::ostringstream os;
    printTree(*VariableIndex::build(g, t), os);
    QVERIFY(os.str().find("[shared: 63 scopes]") != std::string::npos);
}

void HierarchyTest::inceptionV3Has376SharedVariables()
{
    Graph g;
    if (!importReal("graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb", g))
        QFAIL("InceptionV3 graph not importable (the import error is printed above)");
    const auto t = buildScopeTree(g);
    QCOMPARE(t->numOps(), 11040);
    int handles = 0, both = 0;
    for (const VariableRecord& v : t->variables()) {
        if (t->opType(v.op) == "VarHandleOp")
            ++handles;
        bool fromModule = false, fromApply = false;
        for (const VariableUser& u : v.users) {
            fromModule = fromModule || (startsWith(u.path, "module/") && u.reads > 0);
            fromApply = fromApply || (startsWith(u.path, "module_apply_default") && u.reads > 0);
        }
        if (fromModule && fromApply) {
            ++both;
            QVERIFY(v.shared);
        }
    }
    QCOMPARE(handles, 376);
    QCOMPARE(both, 376);
    QCOMPARE(t->numSharedVariables(), 376);
    const VariableRecord* w = variableNamed(*t, "module/InceptionV3/Conv2d_1a_3x3/weights");
    QVERIFY(w);
    QVERIFY(userAt(*w, "module_apply_default"));
}

void HierarchyTest::smallRealGraphsHaveNoSharedMarks()
{
    for (const char* f : {"graphs/tf1-regression-checkpoint-109-nodes.pb", "graphs/tf1-xla-demo-118-nodes.pbtxt"}) {
        Graph g;
        if (!importReal(f, g))
            QFAIL("small real graphs not importable (the import error is printed above)");
        const auto t = buildScopeTree(g);
        QVERIFY2(!t->variables().empty(), f);
        for (const VariableRecord& v : t->variables())
            QVERIFY2(!v.shared, (std::string(f) + ": " + std::string(t->opName(v.op))).c_str());
        std::ostringstream os;
        printTree(*VariableIndex::build(g, t), os);
        QVERIFY2(os.str().find("[shared: ") == std::string::npos, os.str().c_str());
        // init and save are moved aside in these training graphs.
        const ScopeId save = t->findScope("save");
        if (save > 0)
            QVERIFY(!t->auxiliaryReason(Item{Item::Kind::Scope, save}).empty());
    }
}

void HierarchyTest::whileLoopGraphFromEventFile()
{
    Graph g;
    if (!importReal("events/tf1-graph-only-while-loops/events.out.tfevents.1499787150.MacBook-Pro", g))
        QFAIL("while-loop event file not importable (the import error is printed above)");
    const auto t = buildScopeTree(g);
    QCOMPARE(t->numOps(), 815);
    bool backEdge = false;
    for (int i = 0; i < g.numOps(); ++i)
        backEdge = backEdge || g.op(i).type() == "NextIteration";
    QVERIFY(backEdge);
    layout::LayoutEngine engine;
    const auto all = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, ExpansionState::all(*t))));
    QVERIFY(!all->cancelled);
    QVERIFY(int(all->boxes.size()) >= t->numOps());
    const auto top = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, ExpansionState{})));
    QVERIFY(!top->boxes.empty());
}

void HierarchyTest::inceptionV3ExpandIsStable()
{
    Graph g;
    if (!importReal("graphs/tf1.14-inceptionv3-hub-11040-nodes.graphdef.pb", g))
        QFAIL("InceptionV3 graph not importable (the import error is printed above)");
    const auto t = buildScopeTree(g);
    layout::LayoutEngine engine;
    // Open module/InceptionV3/InceptionV3 (the model's blocks), then expand a few blocks one at a time.
    ExpansionState base;
    const ScopeId blocks = t->findScope("module/InceptionV3/InceptionV3");
    QVERIFY(blocks > 0);
    base.reveal(*t, blocks);
    const auto before = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, base)));
    double worst = 0;
    int compared = 0, tried = 0;
    for (ScopeId s : t->scope(blocks).children) {
        if (tried++ >= 6)
            break;
        ExpansionState open = base;
        open.expand(s);
        const auto after = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, open)));
        const StabilityFigures f = measureStability(*before, *after, scopeKey(s));
        worst = std::max(worst, f.maxExcessRatio);
        compared += f.compared;
        const auto back = engine.layoutNow(toLayoutRequest(buildVisibleGraph(*t, base)));
        QVERIFY2(sameGeometry(*before, *back), "expand then collapse returns every box to its old place");
    }
    qInfo("InceptionV3: %d boxes compared, worst displacement beyond growth / own size %.3f", compared, worst);
    QVERIFY(compared > 0);
    QVERIFY2(worst < 1.0, "expanding one scope moves its non-ancestor siblings by less than their own size");
}

QTEST_GUILESS_MAIN(HierarchyTest)
#include "hierarchy_test.moc"
