#include "ui/graph/graph_pins.h"

#include "ui/graph/graph_drawing.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QGraphicsRectItem>
#include <QGraphicsScene>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QPainterPath>
#include <QPen>
#include <QSaveFile>
#include <QStandardPaths>
#include <QStyleOptionGraphicsItem>

namespace scopeviz::ui {

QString fileContentHash(const QString& path)
{
    const QFileInfo info(path);
    if (path.isEmpty() || !info.isFile())
        return {};
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&f))
        return {};
    return QString::fromLatin1(hash.result().toHex());
}

QString pinDirectory()
{
    return QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/pins");
}

namespace {

QString pinFile(const QString& hash) { return pinDirectory() + QLatin1Char('/') + hash + QStringLiteral(".json"); }

} // namespace

PinMap loadPins(const QString& hash)
{
    PinMap pins;
    if (hash.isEmpty())
        return pins;
    QFile f(pinFile(hash));
    if (!f.open(QIODevice::ReadOnly))
        return pins;
    const QJsonArray list = QJsonDocument::fromJson(f.readAll()).object().value(QStringLiteral("pins")).toArray();
    for (const QJsonValue& v : list) {
        const QJsonObject o = v.toObject();
        bool ok = false;
        const hierarchy::NodeKey key = o.value(QStringLiteral("key")).toString().toULongLong(&ok, 16);
        const QJsonValue x = o.value(QStringLiteral("x")), y = o.value(QStringLiteral("y"));
        if (ok && x.isDouble() && y.isDouble())
            pins[key] = {x.toDouble(), y.toDouble()};
    }
    return pins;
}

bool savePins(const QString& hash, const PinMap& pins, const QString& fileName)
{
    if (hash.isEmpty())
        return false;
    if (pins.empty())
        return !QFile::exists(pinFile(hash)) || QFile::remove(pinFile(hash));
    if (!QDir().mkpath(pinDirectory()))
        return false;
    QJsonArray list;
    for (const auto& [key, p] : pins)
        list.append(QJsonObject{{QStringLiteral("key"), QString::number(key, 16)},
                                {QStringLiteral("x"), p.x},
                                {QStringLiteral("y"), p.y}});
    // The file name is only a note for whoever opens the folder; the hash is what identifies the graph.
    const QJsonObject root{{QStringLiteral("file"), fileName}, {QStringLiteral("pins"), list}};
    QSaveFile f(pinFile(hash));
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QJsonDocument(root).toJson(QJsonDocument::Indented));
    return f.commit();
}

void applyPins(layout::LayoutRequest& request, const PinMap& pins)
{
    if (pins.empty())
        return;
    for (layout::LayoutClusterInput& c : request.clusters)
        for (layout::LayoutNodeInput& in : c.children)
            if (const auto it = pins.find(in.id); it != pins.end()) {
                in.pinned = true;
                in.pin = it->second;
            }
}

// ---- PinMarks ------------------------------------------------------------------------------------

PinMarks::PinMarks()
{
    setZValue(2);
    setAcceptedMouseButtons(Qt::NoButton);
}

void PinMarks::setMarks(const GraphDrawing* drawing, const PinMap& pins)
{
    prepareGeometryChange();
    m_boxes.clear();
    m_bounds = {};
    if (!drawing)
        return;
    for (const auto& [key, p] : pins) {
        const int i = drawing->find(key);
        if (i < 0)
            continue;
        const QRectF r = drawing->nodes()[size_t(i)].rect;
        m_boxes.push_back(r);
        m_bounds = m_bounds.united(QRectF(r.right() - 8, r.top() - 10, 18, 18));
    }
    update();
}

void PinMarks::paint(QPainter* p, const QStyleOptionGraphicsItem*, QWidget*)
{
    // A drawing pin: a round red head on a short needle, at the box's top-right corner.
    p->setRenderHint(QPainter::Antialiasing, true);
    for (const QRectF& r : m_boxes) {
        const QPointF head(r.right() - 1, r.top() - 2);
        p->setPen(QPen(QColor(70, 70, 70), 1.2));
        p->drawLine(head, head + QPointF(-5, 7));
        p->setPen(QPen(QColor(120, 20, 20), 0.8));
        p->setBrush(QColor(214, 48, 49));
        p->drawEllipse(head, 4, 4);
    }
}

// ---- GraphPins ----------------------------------------------------------------------------------

GraphPins::GraphPins(QGraphicsScene* scene, QObject* parent) : QObject(parent)
{
    m_marks = new PinMarks;
    scene->addItem(m_marks);
    m_ghost = new QGraphicsRectItem;
    m_ghost->setPen(QPen(QColor(214, 48, 49), 0, Qt::DashLine));
    m_ghost->setBrush(QColor(214, 48, 49, 30));
    m_ghost->setZValue(3);
    m_ghost->hide();
    scene->addItem(m_ghost);
}

void GraphPins::setDocument(const DocumentPtr& doc)
{
    if (doc == m_doc)
        return;
    m_doc = doc;
    const bool file = doc && (doc->source == GraphDocument::Source::GraphFile ||
                              doc->source == GraphDocument::Source::EventFile);
    m_hash = file ? fileContentHash(doc->path) : QString();
    m_pins = loadPins(m_hash);
    m_dragging = false;
    m_dragNode = -1;
    m_ghost->hide();
    m_marks->setMarks(nullptr, m_pins);
}

void GraphPins::store()
{
    if (!m_hash.isEmpty())
        savePins(m_hash, m_pins, m_doc ? QFileInfo(m_doc->path).fileName() : QString());
}

bool GraphPins::pin(const GraphDrawing& drawing, hierarchy::NodeKey key, QPointF sceneTopLeft)
{
    const layout::LayoutResult& result = drawing.layout();
    const layout::NodeBox* box = layout::findBox(result, key);
    const int i = drawing.find(key);
    if (!box || i < 0 || box->parent < 0)
        return false; // the whole graph's frame has nowhere to be pinned in
    // The drawing is the layout shifted (to keep the clicked node still): undo that, then measure from the
    // parent's content origin, where the layout reads pins from.
    const QPointF shift = drawing.nodes()[size_t(i)].rect.topLeft() - QPointF(box->x, box->y);
    const layout::NodeBox& parent = result.boxes[size_t(box->parent)];
    const QPointF p = sceneTopLeft - shift - QPointF(parent.x + parent.origin.x, parent.y + parent.origin.y);
    m_pins[key] = {p.x(), p.y()};
    store();
    emit pinsChanged();
    return true;
}

bool GraphPins::unpin(hierarchy::NodeKey key)
{
    if (!m_pins.erase(key))
        return false;
    store();
    emit pinsChanged();
    return true;
}

void GraphPins::showMarks(const GraphDrawing* drawing) { m_marks->setMarks(drawing, m_pins); }

void GraphPins::press(const GraphDrawing* drawing, int node, QPointF scenePos)
{
    m_dragging = false;
    m_dragNode = -1;
    if (!drawing || node < 0)
        return;
    const DrawNode& n = drawing->nodes()[size_t(node)];
    if (n.parent < 0 || n.style == NodeStyle::Root || n.style == NodeStyle::AuxArea)
        return;
    // An open scope is dragged by its title band; pressing inside it pans, as on the background.
    if (n.frame && scenePos.y() > n.rect.top() + kTitleBand)
        return;
    m_dragNode = node;
    m_dragKey = n.key;
    m_dragRect = n.rect;
    m_dragStart = scenePos;
}

bool GraphPins::move(QPointF scenePos, bool beyondClickDistance)
{
    if (m_dragNode < 0)
        return false;
    if (!m_dragging && !beyondClickDistance)
        return true; // a box is under the pointer: no panning, maybe a drag to come
    m_dragging = true;
    m_ghost->setRect(m_dragRect.translated(scenePos - m_dragStart));
    m_ghost->show();
    return true;
}

std::optional<std::pair<hierarchy::NodeKey, QPointF>> GraphPins::release(QPointF scenePos)
{
    const bool dragged = m_dragging;
    m_dragging = false;
    m_dragNode = -1;
    m_ghost->hide();
    if (!dragged)
        return std::nullopt;
    return std::pair{m_dragKey, m_dragRect.topLeft() + (scenePos - m_dragStart)};
}

} // namespace scopeviz::ui
