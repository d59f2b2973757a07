#include "ui/graph/graph_drawing.h"

#include "core/hierarchy/shared_variables.h"
#include "ui/common/theme.h"

#include <QFontMetricsF>
#include <QPainter>

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace scopeviz::ui {

using hierarchy::Item;
using hierarchy::NodeKind;
using hierarchy::VisibleNode;

namespace {

constexpr double kTitleBand = 22;
constexpr double kMinTextPx = 6;   // text smaller than this on screen is not drawn
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

QFont GraphDrawing::labelFont()
{
    QFont f(QStringLiteral("DejaVu Sans"));
    f.setPixelSize(int(kFontPx));
    return f;
}

GraphDrawing::GraphDrawing(DocumentPtr doc, std::shared_ptr<const hierarchy::VisibleGraph> vg,
                           std::shared_ptr<const layout::LayoutResult> result, QPointF shift)
    : m_doc(std::move(doc)), m_vg(std::move(vg)), m_result(std::move(result)), m_shift(shift)
{
    m_font = labelFont();
    m_boldFont = m_font;
    m_boldFont.setBold(true);
    m_smallFont = m_font;
    m_smallFont.setPixelSize(int(kFontPx) - 2);
    buildNodes();
    buildEdges();
}

void GraphDrawing::buildNodes()
{
    const auto& tree = *m_doc->tree;
    const bool dark = isDarkTheme();
    const auto& vnodes = m_vg->nodes();
    m_nodeOfVis.assign(vnodes.size(), -1);
    m_nodes.reserve(m_result->boxes.size());
    QFontMetricsF fm(m_font), fmBold(m_boldFont), fmSmall(m_smallFont);
    std::vector<int32_t> drawOfBox(m_result->boxes.size(), -1);
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
            n.fill = themeColor(n.style == NodeStyle::VariableScope ? ThemeColor::VariableScope : ThemeColor::NameScope);
            n.detail = QStringLiteral("· %1 ops").arg(vn.opCount);
            if (sc.variable >= 0) {
                const auto& rec = tree.variables()[size_t(sc.variable)];
                n.fill = themeColor(rec.shared ? ThemeColor::SharedVariable : ThemeColor::Variable);
                if (rec.shared) {
                    n.fill = n.fill.lighter(dark ? 100 : 150);
                    n.sharedUsers = rec.sharedScopes;
                }
            } else if (!n.frame) {
                // A collapsed scope that owns shared variables carries the badge too.
                int owned = 0;
                for (const auto& rec : tree.variables())
                    if (rec.shared && rec.ownerScope >= 0 && tree.isAncestorOrSelf(vn.id, rec.ownerScope))
                        owned = std::max(owned, rec.sharedScopes);
                n.sharedUsers = owned;
            }
            break;
        }
        case NodeKind::Op: {
            const std::string& type = tree.opType(vn.id);
            int32_t v = tree.variableOfOp(vn.id);
            if (v >= 0) {
                const auto& rec = tree.variables()[size_t(v)];
                n.style = NodeStyle::Variable;
                n.fill = themeColor(rec.shared ? ThemeColor::SharedVariable : ThemeColor::Variable);
                if (rec.shared) {
                    n.fill = n.fill.lighter(dark ? 100 : 150);
                    n.sharedUsers = rec.sharedScopes;
                }
            } else if (isConstType(type)) {
                n.style = NodeStyle::Const;
                n.fill = dark ? QColor(70, 70, 76) : QColor(240, 240, 242);
            } else if (type.find("Summary") != std::string::npos) {
                n.style = NodeStyle::Op;
                n.fill = themeColor(ThemeColor::Summary);
            } else {
                n.style = NodeStyle::Op;
                n.fill = typeColor(type, dark);
            }
            n.detail = QString::fromStdString(type);
            break;
        }
        case NodeKind::Series:
            n.style = NodeStyle::Series;
            n.fill = themeColor(ThemeColor::NameScope);
            if (vn.id >= 0 && size_t(vn.id) < tree.series().size())
                n.detail = QStringLiteral("×%1").arg(tree.series()[size_t(vn.id)].members.size());
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
            fmBold.horizontalAdvance(label) + fmSmall.horizontalAdvance(n.detail) + 26 > n.rect.width())
            n.detail = QString::number(vn.opCount);
        double avail = n.rect.width() - 14;
        if (!n.frame && (n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope ||
                         n.style == NodeStyle::Series))
            avail -= fmSmall.horizontalAdvance(n.detail) + 6;
        if (n.frame)
            avail -= fmSmall.horizontalAdvance(n.detail) + 8;
        n.label = (n.frame || n.style == NodeStyle::NameScope || n.style == NodeStyle::VariableScope ? fmBold : fm)
                      .elidedText(label, Qt::ElideMiddle, std::max(10.0, avail));
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

void GraphDrawing::paintNode(QPainter& p, const DrawNode& n, const QRectF& r, double lod, uint8_t flag) const
{
    const bool dark = isDarkTheme();
    const QColor text = dark ? QColor(235, 235, 235) : QColor(30, 30, 34);
    const QColor sub = dark ? QColor(180, 180, 185) : QColor(100, 100, 110);
    const QColor hl = themeColor(ThemeColor::Highlight);
    const double px = std::min(r.width(), r.height()) * lod;
    const bool showText = kFontPx * lod >= kMinTextPx;
    QColor border = n.fill.darker(dark ? 70 : 140);
    if (flag == 3)
        border = hl;
    QPen pen(border, flag >= 2 ? 2.5 : 1.0);
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
        p.fillRect(r, flag ? hl : n.fill.darker(dark ? 80 : 115));
        return;
    }
    p.setPen(pen);
    p.setBrush(flag == 2 ? n.fill.lighter(dark ? 130 : 100) : n.fill);
    switch (n.style) {
    case NodeStyle::NameScope:
    case NodeStyle::VariableScope:
        p.drawRoundedRect(r, 5, 5);
        if (n.style == NodeStyle::VariableScope) {
            QColor stripe = themeColor(ThemeColor::VariableScope).darker(dark ? 80 : 130);
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
            QRectF tr = r.adjusted(9, 0, -7, n.style == NodeStyle::Series ? 3 : 0);
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
        p.setPen(Qt::NoPen);
        p.setBrush(themeColor(ThemeColor::SharedVariable));
        p.drawRoundedRect(badge, 7, 7);
        if (showText) {
            p.setPen(Qt::white);
            p.setFont(m_smallFont);
            p.drawText(badge, Qt::AlignCenter, QStringLiteral("⇄ %1").arg(n.sharedUsers));
        }
    }
}

void GraphDrawing::paint(QPainter& p, const QRectF& exposed, double lod, const DrawHighlight& hl) const
{
    const bool animating = hl.progress < 1;
    const double t = hl.progress;
    auto rectOf = [&](const DrawNode& n) {
        if (!animating)
            return n.rect;
        return QRectF(n.from.x() + (n.rect.x() - n.from.x()) * t, n.from.y() + (n.rect.y() - n.from.y()) * t,
                      n.from.width() + (n.rect.width() - n.from.width()) * t,
                      n.from.height() + (n.rect.height() - n.from.height()) * t);
    };
    p.setRenderHint(QPainter::Antialiasing, lod > 0.35);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    // Frames first (they are earlier in the array), then edges, then boxes on top.
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const DrawNode& n = m_nodes[i];
        if (!n.frame || n.style == NodeStyle::Root)
            continue;
        QRectF r = rectOf(n);
        if (r.intersects(exposed))
            paintNode(p, n, r, lod, hl.node.empty() ? 0 : hl.node[i]);
    }
    if (!animating) {
        const bool dark = isDarkTheme();
        const QColor edgeColor = dark ? QColor(160, 160, 168) : QColor(110, 110, 120);
        const QColor varColor = themeColor(ThemeColor::Variable).darker(dark ? 100 : 160);
        const QColor hlColor = themeColor(ThemeColor::Highlight);
        const bool labels = (kFontPx - 2) * lod >= kMinTextPx;
        QPen pen;
        pen.setCosmetic(true);
        pen.setCapStyle(Qt::FlatCap);
        auto drawEdge = [&](const DrawEdge& e, uint8_t flag) {
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
            p.drawLines(m_edgeLines.data(), int(m_edgeLines.size()));
        } else {
            for (size_t i = 0; i < m_edges.size(); ++i) {
                const DrawEdge& e = m_edges[i];
                if ((hl.edge.empty() || !hl.edge[i]) && e.bounds.intersects(exposed))
                    drawEdge(e, 0);
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
                if (hl.edge[i] && m_edges[i].bounds.intersects(exposed))
                    drawEdge(m_edges[i], hl.edge[i]);
    }
    for (size_t i = 0; i < m_nodes.size(); ++i) {
        const DrawNode& n = m_nodes[i];
        if (n.frame)
            continue;
        QRectF r = rectOf(n);
        if (r.intersects(exposed))
            paintNode(p, n, r, lod, hl.node.empty() ? 0 : hl.node[i]);
    }
}

} // namespace scopeviz::ui
