#include "ui/graph/graph_highlight.h"

#include "core/hierarchy/scope_tree.h"
#include "core/hierarchy/variable_index.h"
#include "ui/graph/graph_drawing.h"

#include <algorithm>

namespace scopeviz::ui {

using hierarchy::Item;

void GraphHighlighter::setDrawing(std::shared_ptr<const GraphDrawing> drawing)
{
    m_drawing = std::move(drawing);
    m_hover = -1;
    m_incidentOffsets.clear();
    m_incident.clear();
    if (m_drawing) {
        const auto& edges = m_drawing->edges();
        const size_t n = m_drawing->nodes().size();
        m_incidentOffsets.assign(n + 1, 0);
        auto ends = [&](const DrawEdge& e, auto&& f) {
            if (e.from >= 0)
                f(e.from);
            if (e.to >= 0 && e.to != e.from)
                f(e.to);
        };
        for (const DrawEdge& e : edges)
            ends(e, [&](int v) { ++m_incidentOffsets[size_t(v) + 1]; });
        for (size_t i = 0; i < n; ++i)
            m_incidentOffsets[i + 1] += m_incidentOffsets[i];
        m_incident.resize(size_t(m_incidentOffsets[n]));
        std::vector<int32_t> fill(m_incidentOffsets.begin(), m_incidentOffsets.end() - 1);
        for (size_t i = 0; i < edges.size(); ++i)
            ends(edges[i], [&](int v) { m_incident[size_t(fill[size_t(v)]++)] = int32_t(i); });
    }
    setSelection(m_selected);
}

void GraphHighlighter::applyHover(int node, bool on)
{
    if (node < 0 || size_t(node) + 1 >= m_incidentOffsets.size())
        return;
    const auto& edges = m_drawing->edges();
    for (int32_t k = m_incidentOffsets[size_t(node)]; k < m_incidentOffsets[size_t(node) + 1]; ++k) {
        const size_t e = size_t(m_incident[size_t(k)]);
        const int other = edges[e].from == node ? edges[e].to : edges[e].from;
        if (on) {
            m_state.edge[e] = std::max(m_state.edge[e], HighlightLevel::Hover);
            if (other >= 0)
                m_state.node[size_t(other)] = std::max(m_state.node[size_t(other)], HighlightLevel::Hover);
        } else {
            m_state.edge[e] = m_selEdge[e];
            if (other >= 0)
                m_state.node[size_t(other)] = m_selNode[size_t(other)];
        }
    }
}

void GraphHighlighter::setHover(int node)
{
    if (node == m_hover)
        return;
    applyHover(m_hover, false);
    m_hover = node;
    applyHover(m_hover, true);
}

void GraphHighlighter::setSelection(std::optional<Item> item)
{
    m_selected = item;
    m_selectedNode = -1;
    if (!m_drawing) {
        m_selNode.clear();
        m_selEdge.clear();
        m_state.node.clear();
        m_state.edge.clear();
        return;
    }
    const auto& nodes = m_drawing->nodes();
    const auto& edges = m_drawing->edges();
    m_selNode.assign(nodes.size(), HighlightLevel::None);
    m_selEdge.assign(edges.size(), HighlightLevel::None);
    [&] {
        if (!m_selected)
            return;
        const auto& vg = m_drawing->visible();
        const int32_t selVis = vg.nodeShowing(*m_selected);
        const int sel = selVis >= 0 ? m_drawing->find(vg.nodes()[size_t(selVis)].key) : -1;
        if (sel < 0)
            return;
        m_selectedNode = sel;
        m_selNode[size_t(sel)] = HighlightLevel::Selected;
        const auto& index = *m_drawing->document()->index;
        const int32_t var = index.variableOf(*m_selected);
        if (!index.isShared(var)) {
            for (int32_t k = m_incidentOffsets[size_t(sel)]; k < m_incidentOffsets[size_t(sel) + 1]; ++k)
                m_selEdge[size_t(m_incident[size_t(k)])] = HighlightLevel::Consumer;
            return;
        }
        // A shared variable: every reader, shown by the deepest visible node that contains it.
        auto mark = [&](int32_t visIndex) {
            if (visIndex < 0)
                return;
            const int d = m_drawing->find(vg.nodes()[size_t(visIndex)].key);
            if (d < 0 || d == sel || nodes[size_t(d)].frame || nodes[size_t(d)].style == NodeStyle::Root)
                return;
            m_selNode[size_t(d)] = std::max(m_selNode[size_t(d)], HighlightLevel::Consumer);
        };
        for (const auto& u : index.record(var).users)
            if (u.scope >= 0 && (!u.owner || u.reads > 0))
                mark(vg.nodeShowing(Item{Item::Kind::Scope, u.scope}));
        for (OpId op : index.readers(var))
            mark(vg.nodeShowingOp(op));
        // The variable's edges between the selection's frames and the consumers' frames.
        std::vector<uint8_t> inA(nodes.size(), 0), inB(nodes.size(), 0);
        for (size_t i = 0; i < nodes.size(); ++i)
            if (m_selNode[i] == HighlightLevel::Consumer)
                for (int a = int(i); a >= 0 && !inB[size_t(a)]; a = nodes[size_t(a)].parent)
                    inB[size_t(a)] = 1;
        for (int a = sel; a >= 0; a = nodes[size_t(a)].parent)
            inA[size_t(a)] = 1;
        for (size_t i = 0; i < edges.size(); ++i) {
            const auto& e = edges[i];
            if (e.from < 0 || e.to < 0)
                continue;
            const auto& st = vg.edges()[size_t(e.vis)].stats;
            if (st.variableCount > 0 &&
                ((inA[size_t(e.from)] && inB[size_t(e.to)]) || (inB[size_t(e.from)] && inA[size_t(e.to)])))
                m_selEdge[i] = HighlightLevel::Consumer;
        }
    }();
    m_state.node = m_selNode;
    m_state.edge = m_selEdge;
    applyHover(m_hover, true);
}

} // namespace scopeviz::ui
