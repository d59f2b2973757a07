#include "ui/graph/graph_drawing.h"

#include "core/hierarchy/layout_bridge.h"
#include "core/hierarchy/shared_variables.h"
#include "ui/common/theme.h"

#include <QFontMetricsF>
#include <QPainter>
#include <QStyleOptionGraphicsItem>

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace scopeviz::ui {

using hierarchy::Item;
using hierarchy::NodeKind;
using hierarchy::VisibleNode;

namespace {

constexpr double kLabelMargin = 30; // labels stay inside the drawing plus this (the view keeps 40 around it)
constexpr double kMinTextPx = 6;   // small text (details, edge labels, badges) smaller than this on screen is not drawn
constexpr double kFontPx = 11;     // label font size in scene units

QString qs(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }

/// A soft colour per op type, stable across runs (hash of the type name).
QColor typeColor(const std::string& type, bool dark)
{
    static const QColor light[] = {QColor(227, 238, 250), QColor(232, 245, 233), QColor(255, 243, 224),
                                   QColor(243, 229, 245), QColor(224, 242, 241), QColor(252, 228, 236),
                                   QColor(241, 248, 233), QColor(236, 239, 241)};
    static const QColor darkc[] = {QColor(52, 72, 96), QColor(50, 80, 58), QColor(96, 78, 50), QColor(80, 58, 90),
                                   QColor(44, 82, 80),  QColor(96, 56, 70), QColor(70, 86, 52), QColor(66, 70, 76)};
    uint32_t h = 2166136261u;
    for (char c : type)
        h = (h ^ uint8_t(c)) * 16777619u;
    return dark ? darkc[h % 8] : light[h % 8];
}

bool isConstType(const std::string& t) { return t == "Const" || t == "Identity" || t == "NoOp"; }

/// `from` moved towards `to` by `t` in [0, 1] (the expand animation).
QRectF lerpRect(const QRectF& from, const QRectF& to, double t)
{
    return QRectF(from.x() + (to.x() - from.x()) * t, from.y() + (to.y() - from.y()) * t,
                  from.width() + (to.width() - from.width()) * t, from.height() + (to.height() - from.height()) * t);
}

} // namespace

QString shapeText(const Shape& s)
{
    if (!s.rankKnown())
        return {};
    if (s.rank() == 0)
        return QStringLiteral("scalar");
    QString out;
    for (int i = 0; i < s.rank(); ++i) {
        if (i)
            out += QChar(0x00D7);
        int64_t d = s.dim(i);
        out += d < 0 ? QStringLiteral("?") : QString::number(d);
    }
    return out;
}

// ---- box sizes -------------------------------------------------------------------------
//
// The layout gets every box's width from here, measured with the same fonts and the same
// insets paintNode() uses, so that a name is cut only when it is longer than kMaxBoxWidth
// allows. Heights, paddings and the root stay as the core's SizePolicy says.

namespace {

/// The label fonts: regular, bold (scopes, series, frame titles), small (details, constants), and the
/// label layer's two, sized in device pixels (graph_labels.h).
enum class Face { Regular, Bold, Small, LayerBold, LayerOp };
constexpr size_t kFaces = 5;

QFont faceFont(Face f)
{
    QFont font = GraphDrawing::labelFont();
    font.setBold(f == Face::Bold || f == Face::LayerBold);
    if (f == Face::Small)
        font.setPixelSize(int(kFontPx) - 2);
    else if (f == Face::LayerBold)
        font.setPixelSize(int(kScopeLabelPx));
    else if (f == Face::LayerOp)
        font.setPixelSize(int(kOpLabelPx));
    return font;
}

/// Text widths for layout and eliding. Names are almost always ASCII and details Latin-1 ("·", "×"),
/// so the advances of the first 256 code points are measured once per face and summed; anything
/// else asks QFontMetricsF. A
/// fully expanded InceptionV3 has ~17k boxes: QFontMetricsF::horizontalAdvance for each cost ~85 ms
/// on the GUI thread, the table a few. Kerning is ignored, which can only overestimate (pairs in
/// DejaVu Sans kern inwards), so a name measured as fitting does fit.
const std::array<double, 256>& advances(Face f)
{
    static const auto tables = [] {
        std::array<std::array<double, 256>, kFaces> t{};
        for (Face face : {Face::Regular, Face::Bold, Face::Small, Face::LayerBold, Face::LayerOp}) {
            const QFontMetricsF fm(faceFont(face));
            for (int c = 0; c < 256; ++c)
                t[size_t(face)][size_t(c)] = fm.horizontalAdvance(QChar(c));
        }
        return t;
    }();
    return tables[size_t(f)];
}

double textWidth(Face f, QStringView s)
{
    const auto& adv = advances(f);
    double w = 0;
    for (QChar c : s) {
        if (c.unicode() >= 256)
            return QFontMetricsF(faceFont(f)).horizontalAdvance(s.toString());
        w += adv[c.unicode()];
    }
    return w;
}

/// Same for UTF-8 names straight from the tree (no QString made for ASCII).
double textWidth(Face f, std::string_view s)
{
    const auto& adv = advances(f);
    double w = 0;
    for (char c : s) {
        if (uint8_t(c) >= 128)
            return textWidth(f, QString::fromUtf8(s.data(), qsizetype(s.size())));
        w += adv[uint8_t(c)];
    }
    return w;
}

/// Measures boxes the way GraphDrawing paints them.
class BoxMeasure {
public:
    /// Width of a collapsed box (scope, series, op, variable, constant).
    static double boxWidth(const hierarchy::VisibleNode& vn, const hierarchy::ScopeTree& tree)
    {
        const std::string_view label = vn.label;
        const double bold = textWidth(Face::Bold, label);
        double w = 0;
        switch (vn.kind) {
        case NodeKind::Scope:
            // Bold name left, "· N ops" right; paintNode needs 26 px of insets and gaps (see buildNodes).
            w = bold + textWidth(Face::Small, opsText(vn.opCount)) + 30;
            if (w > kMaxBoxWidth) // the drawing then shows only the number
                w = bold + textWidth(Face::Small, QString::number(vn.opCount)) + 30;
            break;
        case NodeKind::Series: {
            QString count = QStringLiteral("×0");
            if (vn.id >= 0 && size_t(vn.id) < tree.series().size())
                count = QString::fromStdString(hierarchy::seriesCountText(tree.series()[size_t(vn.id)]));
            w = bold + textWidth(Face::Small, count) + 34;
            break;
        }
        case NodeKind::Op: {
            const std::string& type = tree.opType(vn.id);
            if (type == "Const" || type == "Identity" || type == "NoOp") // a pill inset by 10 % a side
                w = std::max(textWidth(Face::Regular, label) + 16, (textWidth(Face::Small, label) + 14) / 0.8);
            else // round caps of a pill 22 high, or a double-bordered variable box
                w = textWidth(Face::Regular, label) + 26;
            break;
        }
        case NodeKind::AuxArea:
            w = bold + 30;
            break;
        }
        return std::clamp(w, 40.0, kMaxBoxWidth);
    }

    /// Smallest width of an open frame: its title and "· N ops" in the title band.
    static double titleWidth(const hierarchy::VisibleNode& vn)
    {
        const QString detail = vn.kind == NodeKind::Scope ? opsText(vn.opCount) : QString();
        return std::clamp(textWidth(Face::Bold, vn.label) + textWidth(Face::Small, detail) + 34, 40.0,
                          kMaxBoxWidth);
    }

    static QString opsText(int32_t n) { return QStringLiteral("· %1 ops").arg(n); }
};

} // namespace

layout::LayoutRequest measuredLayoutRequest(const hierarchy::VisibleGraph& vg, uint64_t generation)
{
    layout::LayoutRequest req = hierarchy::toLayoutRequest(vg, hierarchy::SizePolicy{}, generation);
    const auto& nodes = vg.nodes();
    for (layout::LayoutClusterInput& c : req.clusters) {
        const int32_t fi = vg.find(c.id);
        if (fi >= 0 && nodes[size_t(fi)].parent >= 0)
            c.minWidth = BoxMeasure::titleWidth(nodes[size_t(fi)]);
        for (layout::LayoutNodeInput& in : c.children) {
            const int32_t i = vg.find(in.id);
            if (i < 0)
                continue;
            // An expanded child grows around its collapsed box: measure that box as it was drawn.
            (in.isCluster() ? in.collapsedWidth : in.width) = BoxMeasure::boxWidth(nodes[size_t(i)], vg.tree());
        }
    }
    return req;
}

QFont GraphDrawing::labelFont()
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(int(kFontPx));
    return f;
}

GraphDrawing::GraphDrawing(DocumentPtr doc, std::shared_ptr<const hierarchy::VisibleGraph> vg,
                           std::shared_ptr<const layout::LayoutResult> result, QPointF shift, Theme theme)
    : m_doc(std::move(doc)), m_vg(std::move(vg)), m_result(std::move(result)), m_shift(shift), m_theme(theme)
{
    m_font = faceFont(Face::Regular); // the same fonts the layout's box widths were measured with
    m_boldFont = faceFont(Face::Bold);
    m_smallFont = faceFont(Face::Small);
    m_labelFont = faceFont(Face::LayerOp);
    m_labelBoldFont = faceFont(Face::LayerBold);
    buildNodes();
    buildEdges();
    buildLabelCandidates();
    buildBirths();
}

void GraphDrawing::buildBirths()
{
    // A node exists in a construction replay from its first op on: ops are created in id order, so
    // a scope's first op (ScopeNode::firstOp) is when its box appears. Side areas and the root take
    // the earliest of their children (frames come before their children in m_nodes).
    const auto& tree = *m_doc->tree;
    const auto& vnodes = m_vg->nodes();
    constexpr int32_t kNever = std::numeric_limits<int32_t>::max();
    m_birth.assign(m_nodes.size(), kNever);
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const hierarchy::VisibleNode& vn = vnodes[size_t(m_nodes[i].vis)];
        switch (vn.kind) {
        case NodeKind::Scope: m_birth[i] = tree.scope(vn.id).firstOp; break;
        case NodeKind::Op: m_birth[i] = vn.id; break;
        case NodeKind::Series:
            for (const hierarchy::Item& m : tree.series()[size_t(vn.id)].members)
                m_birth[i] = std::min(m_birth[i], m.isScope() ? tree.scope(m.id).firstOp : m.id);
            break;
        case NodeKind::AuxArea: break;
        }
    }
    for (size_t i = m_nodes.size(); i-- > 0;) {
        const int32_t parent = m_nodes[i].parent;
        if (parent >= 0 && vnodes[size_t(m_nodes[size_t(parent)].vis)].kind == NodeKind::AuxArea)
            m_birth[size_t(parent)] = std::min(m_birth[size_t(parent)], m_birth[i]);
    }
    m_edgeBirth.resize(m_edges.size());
    for (size_t e = 0; e < m_edges.size(); ++e) {
        const DrawEdge& d = m_edges[e];
        m_edgeBirth[e] = std::max(d.from >= 0 ? m_birth[size_t(d.from)] : 0, d.to >= 0 ? m_birth[size_t(d.to)] : 0);
    }
}

void GraphDrawing::paintMaybeGhost(QPainter& p, size_t i, const QRectF& r, double lod, const DrawHighlight& hl) const
{
    if (!isGhost(i, hl)) {
        paintNode(p, m_nodes[i], r, lod, hl.nodeLevel(i));
        return;
    }
    // Not built yet at the replay's step: a faint outline where it will appear, so the picture does
    // not jump as the slider moves (the layout is the finished graph's).
    // The scope an event has just opened is a ghost too until its first op, drawn stronger and framed.
    const bool newest = int32_t(i) == hl.newest;
    const double before = p.opacity();
    p.setOpacity(before * (newest ? kNewGhostOpacity : kGhostOpacity));
    paintNode(p, m_nodes[i], r, lod, newest ? HighlightLevel::Selected : HighlightLevel::None);
    p.setOpacity(before);
}

void GraphDrawing::buildNodes()
{
    const auto& tree = *m_doc->tree;
    const bool dark = m_theme.dark;
    const auto& vnodes = m_vg->nodes();
    m_nodeOfVis.assign(vnodes.size(), -1);
    m_nodes.reserve(m_result->boxes.size());
    QFontMetricsF fm(m_font), fmBold(m_boldFont);
    std::vector<int32_t> drawOfBox(m_result->boxes.size(), -1);
    // A variable's colour and "used by N scopes" badge: the document's VariableIndex decides.
    auto markVariable = [&](DrawNode& n, int32_t v) {
        const bool shared = m_doc->index->isShared(v);
        n.fill = m_theme.color(shared ? ThemeColor::SharedVariable : ThemeColor::Variable);
        if (shared) {
            n.fill = n.fill.lighter(dark ? 100 : 150);
            n.sharedUsers = m_doc->index->uses(v);
        }
    };
    for (size_t bi = 0; bi < m_result->boxes.size(); ++bi) {
        const layout::NodeBox& b = m_result->boxes[bi];
        int32_t vi = m_vg->find(b.id);
        if (vi < 0)
            continue;
        const VisibleNode& vn = vnodes[size_t(vi)];
        DrawNode n;
        n.rect = QRectF(b.x + m_shift.x(), b.y + m_shift.y(), b.w, b.h);
        n.from = n.rect;
        n.key = b.id;
        n.vis = vi;
        n.parent = b.parent >= 0 ? drawOfBox[size_t(b.parent)] : -1;
        n.frame = b.isCluster;
        n.depth = b.depth;
        QString label = vn.label.empty() ? QString() : qs(vn.label);
        switch (vn.kind) {
        case NodeKind::Scope: {
            const auto& sc = tree.scope(vn.id);
            if (vn.id == hierarchy::RootScope) {
                n.style = NodeStyle::Root;
                break;
            }
            n.style = sc.kind == hierarchy::ScopeKind::Variable ? NodeStyle::VariableScope : NodeStyle::NameScope;
            n.fill = m_theme.color(n.style == NodeStyle::VariableScope ? ThemeColor::VariableScope : ThemeColor::NameScope);
            n.detail = BoxMeasure::opsText(vn.opCount);
            if (sc.variable >= 0) {
                markVariable(n, sc.variable);
            } else if (!n.frame) {
                // A collapsed scope that creates shared variables carries the badge too; one that only
                // reuses them (my_net_1 after my_net) a hollow one.
                const ScopeSharing& sh = m_doc->index->scopeSharing(vn.id);
                n.sharedUsers = sh.users;
                n.reusesShared = sh.owns == 0 && sh.reuses > 0;
            }
            break;
        }
        case NodeKind::Op: {
            const std::string& type = tree.opType(vn.id);
            int32_t v = tree.variableOfOp(vn.id);
            if (v >= 0) {
                n.style = NodeStyle::Variable;
                markVariable(n, v);
            } else if (isConstType(type)) {
                n.style = NodeStyle::Const;
                n.fill = dark ? QColor(70, 70, 76) : QColor(240, 240, 242);
            } else if (type.find("Summary") != std::string::npos) {
                n.style = NodeStyle::Op;
                n.fill = m_theme.color(ThemeColor::Summary);
            } else {
                n.style = NodeStyle::Op;
                n.fill = typeColor(type, dark);
            }
            n.detail = QString::fromStdString(type);
            break;
        }
        case NodeKind::Series:
            n.style = NodeStyle::Series;
            n.fill = m_theme.color(ThemeColor::NameScope);
            if (vn.id >= 0 && size_t(vn.id) < tree.series().size())
                n.detail = QString::fromStdString(hierarchy::seriesCountText(tree.series()[size_t(vn.id)]));
            break;
        case NodeKind::AuxArea:
            n.style = NodeStyle::AuxArea;
            n.fill = dark ? QColor(60, 60, 60) : QColor(248, 248, 248);
            label = QStringLiteral("auxiliary");
            break;
        }
        // Elide once here: the label font lives in scene units, so the width never changes with zoom.
        // The layout only reserves room for the digits of the op count, so drop "· ... ops" when the name
        // would otherwise be cut.
        if (n.detail.startsWith(QStringLiteral("· ")) &&
            textWidth(Face::Bold, label) + textWidth(Face::Small, n.detail) + 26 > n.rect.width())
            n.detail = QString::number(vn.opCount);
        double avail = n.rect.width() - 14;
        if (!n.frame && (n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope ||
                         n.style == NodeStyle::Series))
            avail -= textWidth(Face::Small, n.detail) + (n.style == NodeStyle::Series ? 12 : 6);
        if (n.frame)
            avail -= textWidth(Face::Small, n.detail) + 8;
        // Frames, scopes and series paint their name in bold: elide with the bold metrics, or it overflows.
        const bool bold = n.frame || n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope ||
                          n.style == NodeStyle::Series;
        n.label = textWidth(bold ? Face::Bold : Face::Regular, label) <= avail
                      ? label
                      : (bold ? fmBold : fm).elidedText(label, Qt::ElideMiddle, std::max(10.0, avail));
        drawOfBox[bi] = int32_t(m_nodes.size());
        m_nodeOfVis[size_t(vi)] = int32_t(m_nodes.size());
        m_nodes.push_back(std::move(n));
    }
    const auto& bd = m_result->bounds;
    m_bounds = QRectF(bd.x + m_shift.x(), bd.y + m_shift.y(), bd.w, bd.h);
}

void GraphDrawing::buildEdges()
{
    const auto& tree = *m_doc->tree;
    const Graph& g = *m_doc->graph;
    const auto& vedges = m_vg->edges();
    const auto& vnodes = m_vg->nodes();
    m_edges.reserve(m_result->edges.size());
    std::unordered_map<uint64_t, std::vector<int32_t>> groups; // variable edges by (source, owner)
    for (const layout::EdgePath& ep : m_result->edges) {
        if (ep.key >= vedges.size() || ep.bezier.size() < 2)
            continue;
        const hierarchy::VisibleEdge& ve = vedges[size_t(ep.key)];
        DrawEdge e;
        e.vis = int32_t(ep.key);
        e.from = ve.from >= 0 ? m_nodeOfVis[size_t(ve.from)] : -1;
        e.to = ve.to >= 0 ? m_nodeOfVis[size_t(ve.to)] : -1;
        const QPointF s = m_shift;
        e.path.moveTo(QPointF(ep.bezier[0].x, ep.bezier[0].y) + s);
        for (size_t i = 1; i + 2 < ep.bezier.size(); i += 3) {
            e.path.cubicTo(QPointF(ep.bezier[i].x, ep.bezier[i].y) + s, QPointF(ep.bezier[i + 1].x, ep.bezier[i + 1].y) + s,
                           QPointF(ep.bezier[i + 2].x, ep.bezier[i + 2].y) + s);
        }
        e.arrow = ep.hasArrow;
        e.base = QPointF(ep.bezier.back().x, ep.bezier.back().y) + s;
        e.tip = e.arrow ? QPointF(ep.arrowTip.x, ep.arrowTip.y) + s : e.base;
        e.bounds = e.path.controlPointRect().united(QRectF(e.tip, QSizeF(1, 1))).adjusted(-4, -4, 4, 4);
        e.control = !ve.stats.hasData();
        e.reference = ve.stats.reference;
        e.variable = ve.stats.onlyVariables();
        // Pen width by tensor size, log scale: a scalar is 1 px, a 1M-element tensor about 4 px.
        e.width = e.control ? 1.0f
                            : float(std::clamp(1.0 + std::log10(double(std::max<int64_t>(1, ve.stats.elements))) * 0.5,
                                               1.0, 4.5));
        const int data = ve.stats.count - ve.stats.controlCount;
        if (data == 1 && ve.from >= 0 && vnodes[size_t(ve.from)].kind == NodeKind::Op) {
            const auto& outs = g.op(vnodes[size_t(ve.from)].id).outputs();
            if (!outs.empty())
                e.label = shapeText(outs[0].shape);
        } else if (data > 1) {
            e.label = QStringLiteral("%1 tensors").arg(data);
        }
        e.labelPos = e.path.pointAtPercent(0.5);
        if (e.variable && !e.control && e.from >= 0)
            groups[(uint64_t(uint32_t(e.from)) << 32) | uint32_t(ve.owner)].push_back(int32_t(m_edges.size()));
        m_edgeLines.emplace_back(e.path.pointAtPercent(0), e.tip);
        m_edges.push_back(std::move(e));
    }
    (void)tree;
    // Bundles: a variable feeding several consumers in one frame gets one trunk to a fan point,
    // then short branches, instead of N long parallel curves (tensorboard #3118).
    for (auto& [k, list] : groups) {
        if (list.size() < 2)
            continue;
        EdgeBundle b;
        b.count = int(list.size());
        QPointF start = m_edges[size_t(list[0])].path.pointAtPercent(0);
        QPointF mean;
        for (int32_t ei : list)
            mean += m_edges[size_t(ei)].tip;
        mean /= double(list.size());
        b.fan = start + (mean - start) * 0.45;
        b.trunk.moveTo(start);
        b.trunk.lineTo(b.fan);
        b.bounds = QRectF(start, b.fan).normalized().adjusted(-20, -20, 20, 20);
        const int bi = int(m_bundles.size());
        for (int32_t ei : list) {
            DrawEdge& e = m_edges[size_t(ei)];
            e.bundle = bi;
            QPointF ctrl(e.base.x(), b.fan.y() + (e.base.y() - b.fan.y()) * 0.3);
            e.bundled.moveTo(b.fan);
            e.bundled.quadTo(ctrl, e.base);
            e.bounds = e.bounds.united(e.bundled.controlPointRect().adjusted(-4, -4, 4, 4));
        }
        m_bundles.push_back(std::move(b));
    }
}

int GraphDrawing::find(hierarchy::NodeKey key) const
{
    int32_t vi = m_vg->find(key);
    return vi < 0 ? -1 : m_nodeOfVis[size_t(vi)];
}

int GraphDrawing::nodeAt(QPointF pos) const
{
    int frameHit = -1;
    for (int i = int(m_nodes.size()) - 1; i >= 0; --i) {
        const DrawNode& n = m_nodes[size_t(i)];
        if (n.style == NodeStyle::Root || !n.rect.contains(pos))
            continue;
        if (!n.frame)
            return i;
        if (pos.y() <= n.rect.top() + kTitleBand)
            return i;
        if (frameHit < 0)
            frameHit = i;
    }
    return frameHit;
}

void GraphDrawing::setAnimationStart(const GraphDrawing* previous)
{
    if (!previous)
        return;
    for (DrawNode& n : m_nodes) {
        int old = previous->find(n.key);
        if (old >= 0) {
            n.from = previous->m_nodes[size_t(old)].rect;
            continue;
        }
        // A new node grows out of the nearest ancestor that was drawn before (the box that was expanded).
        int a = n.parent;
        while (a >= 0 && previous->find(m_nodes[size_t(a)].key) < 0)
            a = m_nodes[size_t(a)].parent;
        if (a >= 0) {
            QRectF r = previous->m_nodes[size_t(previous->find(m_nodes[size_t(a)].key))].rect;
            n.from = QRectF(r.center() - QPointF(n.rect.width() / 4, n.rect.height() / 4), n.rect.size() / 2);
        }
    }
}

void GraphDrawing::paintNode(QPainter& p, const DrawNode& n, const QRectF& r, double lod, HighlightLevel flag) const
{
    const bool dark = m_theme.dark;
    const QColor text = dark ? QColor(235, 235, 235) : QColor(30, 30, 34);
    const QColor sub = dark ? QColor(180, 180, 185) : QColor(100, 100, 110);
    const QColor hl = m_theme.color(ThemeColor::Highlight);
    const double px = std::min(r.width(), r.height()) * lod;
    const bool showText = namesInBoxes(lod); // else the label layer shows the name
    // Selected: a thick border in the highlight colour; a highlighted consumer of the selected shared
    // variable: the same colour, thinner, so the eye finds every reader at once.
    QColor border = n.fill.darker(dark ? 70 : 140);
    if (flag >= HighlightLevel::Consumer)
        border = hl;
    QPen pen(border, flag == HighlightLevel::Selected ? 3.0 : flag == HighlightLevel::Consumer ? 2.0 : 1.0);
    pen.setCosmetic(true);
    if (n.frame) {
        QColor fill = n.fill;
        fill.setAlpha(dark ? 70 : 90);
        p.setPen(pen);
        p.setBrush(fill);
        if (n.style == NodeStyle::AuxArea) {
            QPen dash = pen;
            dash.setStyle(Qt::DashLine);
            p.setPen(dash);
        }
        if (px < 40) { // far away: rounded corners and title bands are sub-pixel detail
            p.drawRect(r);
            return;
        }
        p.drawRoundedRect(r, 6, 6);
        if (n.style == NodeStyle::VariableScope && px > 3) {
            // Variable scopes: a solid coloured title band; name scopes only a rule under the title.
            QPainterPath band;
            band.addRoundedRect(QRectF(r.left(), r.top(), r.width(), std::min(kTitleBand, r.height())), 6, 6);
            p.fillPath(band, n.fill.darker(dark ? 90 : 112));
        } else if (px > 3) {
            p.drawLine(QPointF(r.left() + 6, r.top() + kTitleBand), QPointF(r.right() - 6, r.top() + kTitleBand));
        }
        if (showText) {
            p.setPen(text);
            p.setFont(m_boldFont);
            QRectF tr(r.left() + 8, r.top(), r.width() - 16, kTitleBand);
            p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, n.label);
            p.setPen(sub);
            p.setFont(m_smallFont);
            p.drawText(tr, Qt::AlignRight | Qt::AlignVCenter, n.detail);
        }
        return;
    }
    if (px < 3) { // far away: a plain rectangle is all the eye can see
        p.fillRect(r, flag != HighlightLevel::None ? hl : n.fill.darker(dark ? 80 : 115));
        return;
    }
    p.setPen(pen);
    p.setBrush(flag == HighlightLevel::Consumer ? n.fill.lighter(dark ? 130 : 100) : n.fill);
    switch (n.style) {
    case NodeStyle::NameScope:
    case NodeStyle::VariableScope:
        p.drawRoundedRect(r, 5, 5);
        if (n.style == NodeStyle::VariableScope) {
            QColor stripe = m_theme.color(ThemeColor::VariableScope).darker(dark ? 80 : 130);
            p.fillRect(QRectF(r.left() + 1, r.top() + 3, 4, r.height() - 6), stripe);
        }
        break;
    case NodeStyle::Series: {
        QRectF back = r.adjusted(6, 0, 0, -6);
        p.drawRoundedRect(back.translated(0, 0), 5, 5);
        p.drawRoundedRect(r.adjusted(3, 3, -3, -3), 5, 5);
        p.drawRoundedRect(r.adjusted(0, 6, -6, 0), 5, 5);
        break;
    }
    case NodeStyle::Variable: {
        // Variables: a rectangle with a double border, so they stand out from computation pills.
        p.drawRect(r);
        QPen inner = pen;
        inner.setWidthF(1);
        p.setPen(inner);
        p.setBrush(Qt::NoBrush);
        p.drawRect(r.adjusted(2.5, 2.5, -2.5, -2.5));
        break;
    }
    case NodeStyle::Const:
        p.drawRoundedRect(r.adjusted(r.width() * 0.1, 3, -r.width() * 0.1, -3), (r.height() - 6) / 2,
                          (r.height() - 6) / 2);
        break;
    default:
        p.drawRoundedRect(r, r.height() / 2, r.height() / 2);
        break;
    }
    if (showText) {
        p.setPen(text);
        const bool scopeLike =
            n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope || n.style == NodeStyle::Series;
        if (scopeLike) {
            // A series writes on its front card (the stack's lower-left one, see above).
            QRectF tr = n.style == NodeStyle::Series ? r.adjusted(9, 6, -13, 0) : r.adjusted(9, 0, -7, 0);
            p.setFont(m_boldFont);
            p.drawText(tr, Qt::AlignLeft | Qt::AlignVCenter, n.label);
            p.setPen(sub);
            p.setFont(m_smallFont);
            p.drawText(tr, Qt::AlignRight | Qt::AlignVCenter, n.detail);
        } else {
            p.setFont(n.style == NodeStyle::Const ? m_smallFont : m_font);
            p.drawText(r, Qt::AlignCenter, n.label);
        }
    }
    if (n.sharedUsers > 1 && px > 6) {
        // "used by N scopes" badge at the top-right corner.
        QRectF badge(r.right() - 26, r.top() - 8, 30, 14);
        const QColor shared = m_theme.color(ThemeColor::SharedVariable);
        if (n.reusesShared) {
            QPen outline(shared, 1.5);
            outline.setCosmetic(true);
            p.setPen(outline);
            p.setBrush(dark ? QColor(40, 40, 44) : QColor(255, 255, 255));
        } else {
            p.setPen(Qt::NoPen);
            p.setBrush(shared);
        }
        p.drawRoundedRect(badge, 7, 7);
        if (kFontPx * lod >= kMinTextPx) {
            p.setPen(n.reusesShared ? (dark ? shared.lighter(130) : shared.darker(130)) : QColor(Qt::white));
            p.setFont(m_smallFont);
            p.drawText(badge, Qt::AlignCenter, QStringLiteral("⇄ %1").arg(n.sharedUsers));
        }
    }
}

void GraphDrawing::paint(QPainter& p, const QRectF& exposed, double lod, const DrawHighlight& hl, bool labelLayer) const
{
    const bool animating = hl.progress < 1;
    auto rectOf = [&](const DrawNode& n) { return animating ? lerpRect(n.from, n.rect, hl.progress) : n.rect; };
    p.setRenderHint(QPainter::Antialiasing, lod > 0.35);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    // Frames first (they are earlier in the array), then edges, then boxes on top.
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const DrawNode& n = m_nodes[i];
        if (!n.frame || n.style == NodeStyle::Root)
            continue;
        QRectF r = rectOf(n);
        if (r.intersects(exposed))
            paintMaybeGhost(p, i, r, lod, hl);
    }
    if (!animating) {
        const bool dark = m_theme.dark;
        const QColor edgeColor = dark ? QColor(160, 160, 168) : QColor(110, 110, 120);
        const QColor varColor = m_theme.color(ThemeColor::Variable).darker(dark ? 100 : 160);
        const QColor hlColor = m_theme.color(ThemeColor::Highlight);
        const bool labels = (kFontPx - 2) * lod >= kMinTextPx;
        QPen pen;
        pen.setCosmetic(true);
        pen.setCapStyle(Qt::FlatCap);
        auto drawEdge = [&](const DrawEdge& e, HighlightLevel level) {
            const bool flag = level != HighlightLevel::None;
            const QColor c = flag ? hlColor : (e.variable ? varColor : edgeColor);
            pen.setColor(c);
            pen.setWidthF(flag ? std::max(2.0f, e.width + 1) : e.width);
            pen.setStyle(e.control ? Qt::DashLine : Qt::SolidLine);
            p.setPen(pen);
            p.setBrush(Qt::NoBrush);
            const bool bundled = hl.bundle && e.bundle >= 0;
            p.drawPath(bundled ? e.bundled : e.path);
            if (e.reference && lod > 0.3) {
                // Reference edges: a hollow diamond at the tail.
                QPointF s = e.path.pointAtPercent(0);
                QPolygonF d{{s.x(), s.y() - 4}, {s.x() + 4, s.y()}, {s.x(), s.y() + 4}, {s.x() - 4, s.y()}};
                pen.setStyle(Qt::SolidLine);
                pen.setWidthF(1);
                p.setPen(pen);
                p.setBrush(dark ? QColor(30, 30, 32) : Qt::white);
                p.drawPolygon(d);
            }
            if (e.arrow && lod > 0.2) {
                QPointF dir = e.tip - e.base;
                double len = std::hypot(dir.x(), dir.y());
                if (len > 0.01) {
                    QPointF nrm(-dir.y() / len, dir.x() / len);
                    double hw = std::max(3.0, len * 0.45);
                    QPolygonF tri{e.tip, e.base + nrm * hw, e.base - nrm * hw};
                    p.setPen(Qt::NoPen);
                    p.setBrush(c);
                    p.drawPolygon(tri);
                }
            }
            if (labels && !e.label.isEmpty() && !bundled) {
                p.setPen(flag ? hlColor : (dark ? QColor(170, 170, 175) : QColor(120, 120, 130)));
                p.setFont(m_smallFont);
                p.drawText(e.labelPos + QPointF(4, 3), e.label);
            }
        };
        if (lod < 0.12) {
            // Far away the curves are a few pixels long: one batched call of straight segments
            // draws them all (a 17k-box overview went from ~120 ms to a few ms per frame this way).
            pen.setColor(edgeColor);
            pen.setWidthF(1);
            pen.setStyle(Qt::SolidLine);
            p.setPen(pen);
            if (hl.cutoff < 0) {
                p.drawLines(m_edgeLines.data(), int(m_edgeLines.size()));
            } else {
                std::vector<QLineF> built;
                built.reserve(m_edgeLines.size());
                for (size_t i = 0; i < m_edgeLines.size(); ++i)
                    if (!isGhostEdge(i, hl))
                        built.push_back(m_edgeLines[i]);
                p.drawLines(built.data(), int(built.size()));
            }
        } else {
            for (size_t i = 0; i < m_edges.size(); ++i) {
                const DrawEdge& e = m_edges[i];
                if (isGhostEdge(i, hl))
                    continue;
                if ((hl.edge.empty() || hl.edge[i] == HighlightLevel::None) && e.bounds.intersects(exposed))
                    drawEdge(e, HighlightLevel::None);
            }
        }
        if (hl.bundle) {
            for (const EdgeBundle& b : m_bundles) {
                if (!b.bounds.intersects(exposed))
                    continue;
                pen.setColor(varColor);
                pen.setStyle(Qt::SolidLine);
                pen.setWidthF(4);
                p.setPen(pen);
                p.drawPath(b.trunk);
                p.setBrush(varColor);
                p.setPen(Qt::NoPen);
                p.drawEllipse(b.fan, 4, 4);
                if (labels) {
                    p.setPen(varColor);
                    p.setFont(m_smallFont);
                    p.drawText(b.fan + QPointF(7, 4), QStringLiteral("×%1").arg(b.count));
                }
            }
        }
        if (!hl.edge.empty())
            for (size_t i = 0; i < m_edges.size(); ++i)
                if (hl.edge[i] != HighlightLevel::None && !isGhostEdge(i, hl) && m_edges[i].bounds.intersects(exposed))
                    drawEdge(m_edges[i], hl.edge[i]);
    }
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const DrawNode& n = m_nodes[i];
        if (n.frame)
            continue;
        QRectF r = rectOf(n);
        if (r.intersects(exposed))
            paintMaybeGhost(p, i, r, lod, hl);
    }
    if (labelLayer && !namesInBoxes(lod))
        paintLabels(p, exposed, lod, hl);
}

// ---- the label layer (graph_labels.h) ------------------------------------------------------

bool GraphDrawing::namesInBoxes(double lod) { return kFontPx * lod >= kScopeLabelPx - 1e-9; }

QRectF GraphDrawing::labelBounds() const { return m_bounds.adjusted(-kLabelMargin, -kLabelMargin, kLabelMargin, kLabelMargin); }

QString GraphDrawing::labelName(const DrawNode& n) const
{
    if (n.style == NodeStyle::AuxArea)
        return QStringLiteral("auxiliary");
    return qs(m_vg->nodes()[size_t(n.vis)].label);
}

void GraphDrawing::buildLabelCandidates()
{
    std::vector<int32_t> order;
    order.reserve(m_nodes.size());
    for (size_t i = 0; i < m_nodes.size(); ++i)
        if (m_nodes[i].style != NodeStyle::Root && m_nodes[i].vis >= 0)
            order.push_back(int32_t(i));
    // Largest box first; the placement's "larger boxes win" and its early stop both rest on this order.
    auto area = [this](int32_t i) { return m_nodes[size_t(i)].rect.width() * m_nodes[size_t(i)].rect.height(); };
    std::sort(order.begin(), order.end(), [&](int32_t a, int32_t b) {
        const double aa = area(a), ab = area(b);
        if (aa != ab)
            return aa > ab;
        if (m_nodes[size_t(a)].depth != m_nodes[size_t(b)].depth)
            return m_nodes[size_t(a)].depth < m_nodes[size_t(b)].depth;
        return a < b;
    });
    m_labelCandidates.reserve(order.size());
    for (int32_t i : order) {
        const DrawNode& n = m_nodes[size_t(i)];
        const bool op = !n.frame && (n.style == NodeStyle::Op || n.style == NodeStyle::Variable ||
                                     n.style == NodeStyle::Const);
        LabelCandidate c;
        c.box = n.rect;
        c.node = i;
        c.anchor = n.frame ? LabelAnchor::Frame : op ? LabelAnchor::Op : LabelAnchor::Centred;
        const std::string_view name =
            n.style == NodeStyle::AuxArea ? std::string_view("auxiliary") : m_vg->nodes()[size_t(n.vis)].label;
        c.textWidth = float(textWidth(op ? Face::LayerOp : Face::LayerBold, name));
        m_labelCandidates.push_back(c);
    }
}

QString GraphDrawing::labelText(const LabelSlot& slot) const
{
    const LabelCandidate& c = m_labelCandidates[size_t(slot.candidate)];
    QString name = labelName(m_nodes[size_t(c.node)]);
    if (slot.textWidth < c.textWidth) // the room was shorter than the name
        name = QFontMetricsF(c.anchor == LabelAnchor::Op ? m_labelFont : m_labelBoldFont)
                   .elidedText(name, Qt::ElideMiddle, slot.textWidth);
    return name;
}

GraphDrawing::LabelPlacement& GraphDrawing::labelPlacement(double zoom) const
{
    constexpr size_t kCached = 8; // a few zoom levels: the bench's zoom jitter, a wheel step back and forth
    for (LabelPlacement& c : m_labelCache)
        if (c.zoom == zoom)
            return c;
    LabelPlacement pl;
    pl.zoom = zoom;
    pl.kept = placeLabels(m_labelCandidates, zoom, labelBounds());
    // Texts are made (and elided) when a label is first in view: near 1:1 on a big graph thousands are
    // placed, a few dozen seen.
    pl.texts.resize(pl.kept.size());
    if (m_labelCache.size() < kCached) {
        m_labelCache.reserve(kCached);
        m_labelCache.push_back(std::move(pl));
        return m_labelCache.back();
    }
    LabelPlacement& slot = m_labelCache[m_labelCacheNext++ % kCached];
    slot = std::move(pl);
    return slot;
}

std::vector<PlacedLabel> GraphDrawing::labelsIn(const QTransform& xf, const QRectF& deviceRect, double lod,
                                                double progress) const
{
    std::vector<PlacedLabel> out;
    if (namesInBoxes(lod) || m_labelCandidates.empty())
        return out;
    LabelPlacement& pl = labelPlacement(lod);
    const QRectF bounds = xf.mapRect(labelBounds());
    for (size_t k = 0; k < pl.kept.size(); ++k) {
        const LabelSlot& slot = pl.kept[k];
        const LabelCandidate& c = m_labelCandidates[size_t(slot.candidate)];
        const DrawNode& n = m_nodes[size_t(c.node)];
        const QRectF box = xf.mapRect(progress < 1 ? lerpRect(n.from, n.rect, progress) : n.rect);
        const QRectF r = labelRect(c.anchor, slot.position, box, slot.textWidth, lod, bounds);
        if (!r.intersects(deviceRect))
            continue;
        if (pl.texts[k].isNull())
            pl.texts[k] = labelText(slot);
        out.push_back({c.node, r, pl.texts[k], c.anchor != LabelAnchor::Op});
    }
    return out;
}

std::vector<PlacedLabel> GraphDrawing::placedLabels(const QTransform& sceneToDevice, const QRectF& deviceRect) const
{
    return labelsIn(sceneToDevice, deviceRect, QStyleOptionGraphicsItem::levelOfDetailFromTransform(sceneToDevice), 1);
}

void GraphDrawing::paintLabels(QPainter& p, const QRectF& exposed, double lod, const DrawHighlight& hl) const
{
    const QTransform xf = p.worldTransform();
    const std::vector<PlacedLabel> labels = labelsIn(xf, xf.mapRect(exposed), lod, hl.progress);
    if (labels.empty())
        return;
    const bool dark = m_theme.dark;
    const QColor text = dark ? QColor(235, 235, 235) : QColor(30, 30, 34);
    const QColor hlColor = m_theme.color(ThemeColor::Highlight);
    p.save();
    p.resetTransform(); // labels are sized in device pixels, whatever the zoom
    p.setRenderHint(QPainter::Antialiasing, true);
    for (const PlacedLabel& l : labels) {
        const DrawNode& n = m_nodes[size_t(l.node)];
        if (isGhost(size_t(l.node), hl) && l.node != hl.newest)
            continue; // a replay's ghost keeps its shape but not its name (a scope just opened keeps both)
        const HighlightLevel flag = hl.nodeLevel(size_t(l.node));
        const QRectF box = xf.mapRect(hl.progress < 1 ? lerpRect(n.from, n.rect, hl.progress) : n.rect);
        // A name inside its box (or an open scope's title band) needs nothing behind it; one that sticks
        // out or lies over a frame's children gets a plate in the box's colour, so it reads over edges
        // and says which box it names.
        const bool inBand = !n.frame || kTitleBand * lod >= l.rect.height();
        const bool plate = flag >= HighlightLevel::Consumer || !(inBand && box.contains(l.rect));
        if (plate) {
            QPen pen(flag >= HighlightLevel::Consumer ? hlColor : n.fill.darker(dark ? 70 : 140),
                     flag == HighlightLevel::Selected ? 2.0 : 1.0);
            p.setPen(pen);
            QColor fill = n.fill;
            if (n.frame && n.style == NodeStyle::VariableScope)
                fill = fill.darker(dark ? 90 : 112); // the colour of its title band
            p.setBrush(fill);
            const double radius = l.bold ? 3 : l.rect.height() / 2; // ops: a pill like their box
            p.drawRoundedRect(l.rect, radius, radius);
        }
        p.setPen(text);
        p.setFont(l.bold ? m_labelBoldFont : m_labelFont);
        p.drawText(l.rect, Qt::AlignCenter, l.text);
    }
    p.restore();
}

} // namespace scopeviz::ui
