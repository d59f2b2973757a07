#include "core/layout/layout_types.h"

namespace scopeviz::layout {

const NodeBox* findBox(const LayoutResult& result, uint64_t id)
{
    for (const NodeBox& b : result.boxes)
        if (b.id == id)
            return &b;
    return nullptr;
}

std::optional<Point> anchorShift(const LayoutResult& before, const LayoutResult& after, uint64_t id)
{
    const NodeBox* a = findBox(before, id);
    const NodeBox* b = findBox(after, id);
    if (!a || !b)
        return std::nullopt;
    return Point{(a->x + a->w / 2) - (b->x + b->w / 2), a->y - b->y};
}

std::optional<Point> centreShift(const LayoutResult& before, const LayoutResult& after, uint64_t id)
{
    const NodeBox* a = findBox(before, id);
    const NodeBox* b = findBox(after, id);
    if (!a || !b)
        return std::nullopt;
    return Point{(a->x + a->w / 2) - (b->x + b->w / 2), (a->y + a->h / 2) - (b->y + b->h / 2)};
}

} // namespace scopeviz::layout
