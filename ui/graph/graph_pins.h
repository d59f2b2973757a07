#pragma once
// Pinned boxes: a box the user dragged stays where it was put.
//
// What is kept. A pin is a box's top-left corner in its parent scope's content
// coordinates (layout::NodeBox::origin of the parent: the coordinates of the
// parent's layout before anything grew or was pinned), keyed by the box's
// NodeKey. The layout takes pins as input (LayoutNodeInput::pinned/pin) and
// places everything else around them (core/layout/grow_in_place.cpp), so a pin
// survives re-layout, expanding and collapsing other scopes, and re-opening
// the file.
//
// Per file, by content. Pins belong to one graph: a file is identified by the
// SHA-256 of its bytes, not by its name, so a different file saved under the
// same name does not get them (NodeKeys are only meaningful for the graph they
// were made from). Each file's pins are one small JSON file,
// <AppDataLocation>/pins/<sha256>.json, rewritten on every change (a handful of
// pins, written when the user drops or unpins a box). Documents that are not a
// file (the seed demo, a live script) keep their pins in memory only. Tests use
// QStandardPaths::setTestModeEnabled(true) so they never see the user's pins.
//
// Drawing. The pin mark and the outline that follows the pointer while a box is
// dragged are two small scene items above the one canvas item (graph_drawing.h
// paints the graph; these only read the drawing's rectangles).
#include "core/hierarchy/visible_graph.h"
#include "core/layout/layout_types.h"
#include "ui/common/graph_document.h"

#include <QGraphicsItem>
#include <QObject>
#include <QPointF>
#include <QString>

#include <functional>
#include <memory>
#include <optional>
#include <unordered_map>

class QGraphicsRectItem;
class QGraphicsScene;

namespace scopeviz::ui {

class GraphDrawing;

/// Pinned top-left corners by node key, in the parent scope's content coordinates.
using PinMap = std::unordered_map<hierarchy::NodeKey, layout::Point>;

/// SHA-256 of a file's bytes as lower-case hex, "" when it cannot be read or is not a regular file.
QString fileContentHash(const QString& path);
/// Folder holding one JSON file of pins per graph file content.
QString pinDirectory();
/// Pins stored for a content hash (empty when none or hash is "").
PinMap loadPins(const QString& hash);
/// Stores the pins of a content hash (removes the file when empty); false when it cannot be written.
bool savePins(const QString& hash, const PinMap& pins, const QString& fileName = {});
/// Marks the request's children that have a pin (the layout then keeps them there).
void applyPins(layout::LayoutRequest& request, const PinMap& pins);

/// Draws a small pin mark at the top-right corner of every pinned box.
class PinMarks : public QGraphicsItem {
public:
    PinMarks();
    /// What to mark: the drawing's rectangles of the pinned keys.
    void setMarks(const GraphDrawing* drawing, const PinMap& pins);
    QRectF boundingRect() const override { return m_bounds; }
    void paint(QPainter* p, const QStyleOptionGraphicsItem* opt, QWidget* w) override;

private:
    std::vector<QRectF> m_boxes;
    QRectF m_bounds;
};

/// The pins of the shown document and the drag that sets them; owned by the GraphView.
class GraphPins : public QObject {
    Q_OBJECT
public:
    /// Adds its items to `scene` (owned by the scene).
    GraphPins(QGraphicsScene* scene, QObject* parent);

    /// Loads the pins of a newly shown document (by file content; in memory only for other documents).
    void setDocument(const DocumentPtr& doc);
    /// The pins of the shown document.
    const PinMap& pins() const { return m_pins; }
    /// True when the node is pinned.
    bool isPinned(hierarchy::NodeKey key) const { return m_pins.count(key) > 0; }
    /// Pins the node of the drawing so that its top-left goes to `sceneTopLeft`; false if it cannot be pinned.
    bool pin(const GraphDrawing& drawing, hierarchy::NodeKey key, QPointF sceneTopLeft);
    /// Removes a pin; false when the node was not pinned.
    bool unpin(hierarchy::NodeKey key);
    /// The content hash pins are stored under ("" for a document that is not a file).
    const QString& contentHash() const { return m_hash; }
    /// Refreshes the pin marks for a newly shown drawing.
    void showMarks(const GraphDrawing* drawing);

    /// Pointer pressed on draw node `node` (-1: none) at `scenePos`: remembers it as a drag candidate.
    void press(const GraphDrawing* drawing, int node, QPointF scenePos);
    /// Pointer moved with the button down: true when a box drag is in progress (the outline follows).
    bool move(QPointF scenePos, bool beyondClickDistance);
    /// Pointer released: the key and top-left (scene) where the dragged box was dropped, if a drag ended.
    std::optional<std::pair<hierarchy::NodeKey, QPointF>> release(QPointF scenePos);
    /// True while a box is being dragged.
    bool dragging() const { return m_dragging; }

signals:
    /// Pins were added or removed (the view lays out again).
    void pinsChanged();

private:
    void store();

    DocumentPtr m_doc;
    QString m_hash;
    PinMap m_pins;
    PinMarks* m_marks = nullptr;
    QGraphicsRectItem* m_ghost = nullptr;
    int m_dragNode = -1;
    hierarchy::NodeKey m_dragKey = 0;
    QRectF m_dragRect;
    QPointF m_dragStart;
    bool m_dragging = false;
};

} // namespace scopeviz::ui
