#include "ui/graph/graph_labels.h"

#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace scopeviz::ui {

double labelFontPx(LabelAnchor anchor) { return anchor == LabelAnchor::Op ? kOpLabelPx : kScopeLabelPx; }

double labelHeight(LabelAnchor anchor) { return labelFontPx(anchor) + 4; }

double labelTextRoom(const LabelCandidate& c, const QRectF& screenBox)
{
    if (c.textWidth <= 0)
        return 0;
    if (c.anchor != LabelAnchor::Op) // may stick out of the box, up to kMaxLabelPx
        return std::min<double>(c.textWidth, std::max(screenBox.width() - 2 * kLabelPad, kMaxLabelPx));
    if (screenBox.height() < labelHeight(c.anchor) - 4)
        return 0;
    const double room = kOpOverflow * screenBox.width() - 2 * kLabelPad;
    if (c.textWidth <= room)
        return c.textWidth;
    return room >= kMinOpLabelPx ? room : 0;
}

namespace {

/// `r` moved into `bounds` as far as it fits (left and top win when it is larger).
QRectF keepInside(QRectF r, const QRectF& bounds)
{
    if (bounds.isEmpty())
        return r;
    if (r.right() > bounds.right())
        r.moveRight(bounds.right());
    if (r.left() < bounds.left())
        r.moveLeft(bounds.left());
    if (r.bottom() > bounds.bottom())
        r.moveBottom(bounds.bottom());
    if (r.top() < bounds.top())
        r.moveTop(bounds.top());
    return r;
}

} // namespace

int labelPositions(LabelAnchor anchor) { return anchor == LabelAnchor::Op ? 1 : anchor == LabelAnchor::Frame ? 2 : 3; }

QRectF labelRect(LabelAnchor anchor, int position, const QRectF& b, double textWidth, double zoom,
                 const QRectF& screenBounds)
{
    const double w = textWidth + 2 * kLabelPad, h = labelHeight(anchor);
    if (anchor != LabelAnchor::Frame) {
        // Centred on the box, else just above it, else just below it.
        const double y = position == 1 ? b.top() - 1 - h : position == 2 ? b.bottom() + 1 : b.center().y() - h / 2;
        return keepInside(QRectF(b.center().x() - w / 2, y, w, h), screenBounds);
    }
    // In the title band where the in-box title would be; a frame narrower than its name gets it centred
    // on top, and one lower than a label gets it centred both ways (it then reads like a collapsed box).
    const double band = kTitleBand * zoom;
    const double x = b.width() >= w + 8 ? b.left() + 4 : b.center().x() - w / 2;
    double y = band >= h ? b.top() + (band - h) / 2 : b.top() + 1;
    if (b.height() < h + 2)
        y = b.center().y() - h / 2;
    if (position == 1) // above the frame
        y = b.top() - 1 - h;
    return keepInside(QRectF(x, y, w, h), screenBounds);
}

std::vector<LabelSlot> placeLabels(const std::vector<LabelCandidate>& candidates, double zoom, const QRectF& bounds)
{
    std::vector<LabelSlot> out;
    if (!(zoom > 0))
        return out;
    const QRectF screenBounds(bounds.x() * zoom, bounds.y() * zoom, bounds.width() * zoom, bounds.height() * zoom);
    std::vector<QRectF> placed;
    // The grid: each cell's first entry, and per entry (placed label, next entry in the cell, -1 ends).
    // One hash lookup per cell and no allocation per cell.
    std::unordered_map<int64_t, int32_t> head;
    head.reserve(candidates.size());
    std::vector<std::pair<int32_t, int32_t>> entries;
    auto cells = [](const QRectF& r, auto&& visit) {
        const auto x0 = int64_t(std::floor(r.left() / kGridPx)), x1 = int64_t(std::floor(r.right() / kGridPx));
        const auto y0 = int64_t(std::floor(r.top() / kGridPx)), y1 = int64_t(std::floor(r.bottom() / kGridPx));
        for (int64_t x = x0; x <= x1; ++x)
            for (int64_t y = y0; y <= y1; ++y)
                if (!visit((x << 32) ^ (y & 0xffffffff)))
                    return false;
        return true;
    };
    for (size_t i = 0; i < candidates.size(); ++i) {
        const LabelCandidate& c = candidates[i];
        const QRectF b(c.box.x() * zoom, c.box.y() * zoom, c.box.width() * zoom, c.box.height() * zoom);
        if (b.width() * b.height() < kMinBoxAreaPx)
            break; // ordered by area: every later box is smaller still
        const double room = labelTextRoom(c, b);
        if (room <= 0)
            continue;
        QRectF r;
        int position = 0;
        for (; position < labelPositions(c.anchor); ++position) {
            r = labelRect(c.anchor, position, b, room, zoom, screenBounds);
            const QRectF keepOut = r.adjusted(-kLabelGap, -kLabelGap, kLabelGap, kLabelGap);
            const bool free = cells(keepOut, [&](int64_t key) {
                const auto it = head.find(key);
                for (int32_t e = it == head.end() ? -1 : it->second; e >= 0; e = entries[size_t(e)].second)
                    if (placed[size_t(entries[size_t(e)].first)].intersects(keepOut))
                        return false;
                return true;
            });
            if (free)
                break;
        }
        if (position == labelPositions(c.anchor))
            continue;
        const auto index = int32_t(placed.size());
        placed.push_back(r);
        cells(r, [&](int64_t key) {
            auto [it, added] = head.try_emplace(key, -1);
            entries.emplace_back(index, it->second);
            it->second = int32_t(entries.size() - 1);
            return true;
        });
        out.push_back({int32_t(i), float(room), uint8_t(position)});
    }
    return out;
}

} // namespace scopeviz::ui
