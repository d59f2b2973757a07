#pragma once
// Export of the graph drawing to SVG (real text) or PNG, from the view or
// headless (`scopeviz --export`).
#include "core/hierarchy/visible_graph.h"
#include "ui/common/graph_document.h"
#include "ui/common/theme.h"
#include "ui/graph/graph_drawing.h"

#include <QString>

#include <optional>

namespace scopeviz::ui {

/// Lays out `doc` with `state` synchronously and writes an .svg or .png; returns "" or an error text.
/// Without `theme`, the application palette's theme.
QString exportGraph(const DocumentPtr& doc, const QString& path, const hierarchy::ExpansionState& state,
                    bool bundle = false, std::optional<Theme> theme = std::nullopt);
/// Writes a drawing to an .svg (real text) or .png file in the drawing's theme; returns "" or an error text.
QString writeDrawing(const GraphDrawing& drawing, const DrawHighlight& hl, const QString& path);

} // namespace scopeviz::ui
