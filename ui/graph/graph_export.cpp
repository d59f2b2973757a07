#include "ui/graph/graph_export.h"

#include "core/hierarchy/layout_bridge.h"
#include "core/layout/layout_engine.h"

#include <QFileInfo>
#include <QGuiApplication>
#include <QImage>
#include <QPainter>
#include <QSvgGenerator>

#include <algorithm>

namespace scopeviz::ui {

QString writeDrawing(const GraphDrawing& drawing, const DrawHighlight& hl, const QString& path)
{
    const QRectF b = drawing.bounds().adjusted(-16, -16, 16, 16);
    const QString suffix = QFileInfo(path).suffix().toLower();
    const QColor bg = drawing.theme().dark ? QColor(30, 30, 32) : Qt::white;
    if (suffix == "svg") {
        QSvgGenerator gen;
        gen.setFileName(path);
        gen.setSize(b.size().toSize());
        gen.setViewBox(QRectF(QPointF(0, 0), b.size()));
        gen.setTitle(drawing.document()->title);
        gen.setDescription(QStringLiteral("scopeviz graph export"));
        QPainter p;
        if (!p.begin(&gen))
            return QStringLiteral("Cannot write %1").arg(path);
        p.fillRect(QRectF(QPointF(0, 0), b.size()), bg);
        p.translate(-b.topLeft());
        drawing.paint(p, b, 1.0, hl);
        p.end();
    } else if (suffix == "png" || suffix == "jpg" || suffix == "jpeg") {
        // 2x for crisp slides, but never beyond 16k pixels a side.
        double scale = std::min(2.0, 16000.0 / std::max(b.width(), b.height()));
        QImage img((b.size() * scale).toSize().expandedTo(QSize(1, 1)), QImage::Format_ARGB32_Premultiplied);
        if (img.isNull())
            return QStringLiteral("Cannot allocate an image for %1").arg(path);
        img.fill(bg);
        QPainter p(&img);
        p.scale(scale, scale);
        p.translate(-b.topLeft());
        drawing.paint(p, b, scale, hl);
        p.end();
        if (!img.save(path))
            return QStringLiteral("Cannot write %1").arg(path);
    } else {
        return QStringLiteral("Unknown export format '%1' (use .svg or .png)").arg(suffix);
    }
    QFileInfo fi(path);
    if (!fi.exists() || fi.size() == 0)
        return QStringLiteral("Cannot write %1").arg(path);
    return {};
}

QString exportGraph(const DocumentPtr& doc, const QString& path, const hierarchy::ExpansionState& state, bool bundle,
                    std::optional<Theme> theme)
{
    if (!doc || !doc->tree)
        return QStringLiteral("No graph to export");
    auto vg = std::make_shared<hierarchy::VisibleGraph>(hierarchy::buildVisibleGraph(*doc->tree, state));
    layout::LayoutEngine engine;
    auto result = engine.layoutNow(measuredLayoutRequest(*vg));
    if (!result || result->boxes.empty())
        return QStringLiteral("Layout failed for %1").arg(doc->title);
    GraphDrawing drawing(doc, vg, result, {}, theme.value_or(Theme::of(QGuiApplication::palette())));
    DrawHighlight hl;
    hl.bundle = bundle;
    return writeDrawing(drawing, hl, path);
}

} // namespace scopeviz::ui
