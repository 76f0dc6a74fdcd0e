// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mapitems.h"

#include <algorithm>
#include <array>
#include <cmath>

#include <QApplication>
#include <QCursor>
#include <QDateTime>
#include <QFontMetricsF>
#include <QGraphicsSceneMouseEvent>
#include <QLocale>
#include <QPainter>
#include <QPalette>
#include <QWidget>

#include "console/ui/mapscene.h"
#include "console/ui/statusicons.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double AGENT_HEIGHT = 46;
constexpr double TARGET_HEIGHT = 40;
constexpr double HOP_DIAMETER = 14;
constexpr double MIN_BOX_WIDTH = 110;
constexpr double MAX_NAME_WIDTH = 200; // longer names are elided in the middle (the tooltip has them whole)
constexpr double LABEL_PADDING = 4;
constexpr qreal NODE_Z = 2;
constexpr double OBSTACLE_MARGIN = 4;
constexpr int ROUTE_SAMPLES = 24;
constexpr double OTHER_SIDE_COST = 70; // a bow towards the crowd is taken when this much shorter
constexpr std::array<double, 7> BOWS = {50, 80, 110, 150, 200, 260, 340}; // how far the control point moves aside

QFont smallFont(QFont font)
{
    font.setPointSizeF(font.pointSizeF() * 0.9);
    return font;
}

QFont boldFont(QFont font)
{
    font.setBold(true);
    return font;
}

QPalette paletteOf(const QWidget *widget)
{
    return widget ? widget->palette() : QApplication::palette();
}

QString number(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

int severity(LinkState state)
{
    switch (state) {
    case LinkState::NoData:
        return 0;
    case LinkState::Good:
        return 1;
    case LinkState::Degraded:
        return 2;
    case LinkState::Bad:
        return 3;
    }
    return 0;
}

// Where the line from a node's centre towards `towards` leaves its body (a box or an ellipse).
QPointF edgePoint(const MapNodeItem *node, const QPointF &towards, const QRectF &body)
{
    const QPointF centre = node->pos();
    const QPointF d = towards - centre;
    const double length = std::hypot(d.x(), d.y());
    if (length < 1)
        return centre;
    const double hw = body.width() / 2;
    const double hh = body.height() / 2;
    double t = 0;
    if (node->kind() == MapNode::Kind::Agent) {
        t = std::min(
            std::abs(d.x()) > 0 ? hw / std::abs(d.x()) : 1e9, std::abs(d.y()) > 0 ? hh / std::abs(d.y()) : 1e9);
    } else {
        t = 1 / std::sqrt(std::pow(d.x() / hw, 2) + std::pow(d.y() / hh, 2));
    }
    return centre + d * std::min(t, 1.0);
}

} // namespace

LinkState LinkMeasure::state(qint64 nowMs) const
{
    if (timeMs == 0 || nowMs - timeMs > staleAfterMs)
        return LinkState::NoData;
    if (failed)
        return LinkState::Bad;
    if (!latencyMs && !lossPct)
        return LinkState::NoData;
    const double loss = lossPct.value_or(0);
    const double latency = latencyMs.value_or(0);
    if (loss >= BAD_LOSS_PCT || latency >= BAD_LATENCY_MS)
        return LinkState::Bad;
    if (loss > 0 || latency >= DEGRADED_LATENCY_MS)
        return LinkState::Degraded;
    return LinkState::Good;
}

QString LinkMeasure::text(qint64 nowMs) const
{
    if (timeMs == 0)
        return tr("no data yet");
    if (nowMs - timeMs > staleAfterMs)
        return tr("no recent rounds");
    if (failed)
        return tr("round failed");
    const auto lossText = [this] {
        const double loss = *lossPct;
        return number(loss, loss == std::round(loss) ? 0 : 1);
    };
    if (latencyMs && lossPct)
        return tr("%1 ms · %2 % loss").arg(number(*latencyMs, 1), lossText());
    if (latencyMs)
        return tr("%1 ms").arg(number(*latencyMs, 1));
    if (lossPct)
        return tr("%1 % loss").arg(lossText());
    return tr("no data yet");
}

QColor MapColors::ofLink(LinkState state)
{
    switch (state) {
    case LinkState::NoData:
        return StatusColor::Idle;
    case LinkState::Good:
        return StatusColor::Good;
    case LinkState::Degraded:
        return StatusColor::Warning;
    case LinkState::Bad:
        return StatusColor::Error;
    }
    return StatusColor::Idle;
}

QColor MapColors::ofAlert(AlertMark mark)
{
    switch (mark) {
    case AlertMark::None:
        return {};
    case AlertMark::Silenced:
        return StatusColor::Idle;
    case AlertMark::Acknowledged:
        return StatusColor::Warning;
    case AlertMark::Firing:
        return StatusColor::Error;
    }
    return {};
}

MapNodeItem::MapNodeItem(MapNode::Kind kind, const QString &name)
    : m_kind(kind)
    , m_name(name)
{
    setFlags(ItemIsMovable | ItemSendsGeometryChanges);
    setCursor(Qt::OpenHandCursor);
    setZValue(NODE_Z);
    const QFont font = kind == MapNode::Kind::Agent ? boldFont(QApplication::font())
        : kind == MapNode::Kind::Hop                ? smallFont(QApplication::font())
                                                    : QApplication::font();
    const QFontMetricsF metrics(font);
    m_shownName = metrics.elidedText(name, Qt::ElideMiddle, MAX_NAME_WIDTH);
    const double textWidth = metrics.horizontalAdvance(m_shownName);
    switch (kind) {
    case MapNode::Kind::Agent:
        m_size = {std::max(MIN_BOX_WIDTH, textWidth + 36), AGENT_HEIGHT};
        break;
    case MapNode::Kind::Target:
        m_size = {std::max(MIN_BOX_WIDTH, textWidth + 40), TARGET_HEIGHT};
        break;
    case MapNode::Kind::Hop:
        m_size = {HOP_DIAMETER, HOP_DIAMETER};
        break;
    }
    updateToolTip();
}

MapNodeItem::~MapNodeItem()
{
    // The scene removes links before their ends; a link left over must not point here.
    for (MapLinkItem *link : std::as_const(m_links)) {
        if (link->m_from == this)
            link->m_from = nullptr;
        if (link->m_to == this)
            link->m_to = nullptr;
    }
}

QString MapNodeItem::keyOf(MapNode::Kind kind, const QString &name)
{
    return MapNode::kindKey(kind) + u':' + name;
}

void MapNodeItem::setOnline(bool online)
{
    if (online == m_online)
        return;
    m_online = online;
    updateToolTip();
    update();
}

void MapNodeItem::setAlertMark(AlertMark mark, const QStringList &alerts)
{
    if (mark == m_mark && alerts == m_alerts)
        return;
    prepareGeometryChange(); // the tag above it comes or goes
    m_mark = mark;
    m_alerts = alerts;
    updateToolTip();
    update();
}

void MapNodeItem::setDescription(const QString &text)
{
    if (text == m_description)
        return;
    m_description = text;
    updateToolTip();
}

void MapNodeItem::updateToolTip()
{
    QStringList lines{m_name};
    if (!m_description.isEmpty())
        lines.append(m_description);
    if (m_kind == MapNode::Kind::Agent)
        lines.append(m_online ? tr("Agent, online") : tr("Agent, offline"));
    else if (m_kind == MapNode::Kind::Target)
        lines.append(tr("Target"));
    else
        lines.append(tr("Router on a traced path"));
    if (!m_alerts.isEmpty())
        lines.append(tr("Alerts: %1").arg(m_alerts.join(u", "_s)));
    lines.append(tr("Drag to move it; the map keeps where you put it."));
    setToolTip(lines.join(u'\n'));
}

QRectF MapNodeItem::body() const
{
    return {-m_size.width() / 2, -m_size.height() / 2, m_size.width(), m_size.height()};
}

QString MapNodeItem::markText() const
{
    switch (m_mark) {
    case AlertMark::None:
        return {};
    case AlertMark::Silenced:
        return tr("alert silenced");
    case AlertMark::Acknowledged:
        return tr("acknowledged");
    case AlertMark::Firing:
        return tr("alert firing");
    }
    return {};
}

// A tag on the top edge that says the alert's state in words: it does not rest on colour alone.
QRectF MapNodeItem::tagRect() const
{
    const QFontMetricsF metrics(boldFont(smallFont(QApplication::font())));
    const double width = metrics.horizontalAdvance(markText()) + 2 * LABEL_PADDING + 4;
    const double height = metrics.height() + 2;
    return {-width / 2, body().top() - height + 4, width, height};
}

QRectF MapNodeItem::boundingRect() const
{
    const QRectF shape = body().adjusted(-3, -3, 3, 3); // the alert outline
    if (m_kind != MapNode::Kind::Hop)
        return m_mark == AlertMark::None ? shape : shape.united(tagRect());
    // The address under the circle.
    const QFontMetricsF metrics(smallFont(QApplication::font()));
    const double width = metrics.horizontalAdvance(m_shownName) + 2 * LABEL_PADDING;
    return shape.united({-width / 2, shape.bottom(), width, metrics.height() + 2});
}

QPainterPath MapNodeItem::shape() const
{
    QPainterPath path;
    if (m_kind == MapNode::Kind::Agent)
        path.addRoundedRect(body(), 8, 8);
    else if (m_kind == MapNode::Kind::Target)
        path.addEllipse(body());
    else
        path.addRect(boundingRect()); // the small circle and its address: easier to grab
    return path;
}

void MapNodeItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *widget)
{
    const QPalette palette = paletteOf(widget);
    const QColor base = palette.color(QPalette::Base);
    const QColor text = palette.color(QPalette::Text);
    const QColor alert = MapColors::ofAlert(m_mark);
    QColor fill = base;
    QPen outline(palette.color(QPalette::Mid).darker(130), 1.5);
    if (alert.isValid()) {
        // Tinted and outlined in the alert's colour: readable in light and dark palettes alike.
        const auto mix = [](int a, int b) {
            return (a * 3 + b) / 4;
        };
        fill = QColor(mix(base.red(), alert.red()), mix(base.green(), alert.green()), mix(base.blue(), alert.blue()));
        outline = QPen(alert, 3.5);
    }
    painter->setRenderHint(QPainter::Antialiasing);
    painter->setPen(outline);
    const QRectF box = body();
    QFont font = QApplication::font();
    switch (m_kind) {
    case MapNode::Kind::Agent: {
        painter->setBrush(fill);
        painter->drawRoundedRect(box, 8, 8);
        painter->setPen(text);
        painter->setFont(boldFont(font));
        const QRectF upper(box.left(), box.top() + 3, box.width(), box.height() / 2);
        painter->drawText(upper, Qt::AlignCenter, m_shownName);
        // A dot and the word: the state does not rest on colour alone.
        const QFont small = smallFont(font);
        painter->setFont(small);
        const QString state = m_online ? tr("online") : tr("offline");
        const double stateWidth = QFontMetricsF(small).horizontalAdvance(state);
        const QRectF lower(box.left(), box.center().y(), box.width(), box.height() / 2 - 3);
        const double dot = 8;
        const double left = box.center().x() - (stateWidth + dot + 4) / 2;
        painter->setPen(Qt::NoPen);
        painter->setBrush(m_online ? StatusColor::Good : StatusColor::Idle);
        painter->drawEllipse(QRectF(left, lower.center().y() - dot / 2, dot, dot));
        painter->setPen(text);
        painter->drawText(QRectF(left + dot + 4, lower.top(), stateWidth + 2, lower.height()),
            Qt::AlignLeft | Qt::AlignVCenter, state);
        break;
    }
    case MapNode::Kind::Target:
        painter->setBrush(fill);
        painter->drawEllipse(box);
        painter->setPen(text);
        painter->setFont(font);
        painter->drawText(box, Qt::AlignCenter, m_shownName);
        break;
    case MapNode::Kind::Hop: {
        painter->setBrush(alert.isValid() ? alert : StatusColor::Info);
        painter->setPen(QPen(palette.color(QPalette::Text), 1));
        painter->drawEllipse(box);
        const QFont small = smallFont(font);
        const QFontMetricsF metrics(small);
        const double width = metrics.horizontalAdvance(m_shownName) + 2 * LABEL_PADDING;
        const QRectF label(-width / 2, box.bottom() + 3, width, metrics.height());
        QColor veil = base;
        veil.setAlpha(200); // readable over a background picture
        painter->setPen(Qt::NoPen);
        painter->setBrush(veil);
        painter->drawRoundedRect(label, 3, 3);
        painter->setPen(text);
        painter->setFont(small);
        painter->drawText(label, Qt::AlignCenter, m_shownName);
        break;
    }
    }
    if (alert.isValid() && m_kind != MapNode::Kind::Hop) {
        const QRectF tag = tagRect();
        painter->setPen(Qt::NoPen);
        painter->setBrush(alert);
        painter->drawRoundedRect(tag, tag.height() / 2, tag.height() / 2);
        painter->setPen(Qt::white);
        painter->setFont(boldFont(smallFont(font)));
        painter->drawText(tag, Qt::AlignCenter, markText());
    }
}

QVariant MapNodeItem::itemChange(GraphicsItemChange change, const QVariant &value)
{
    if (change == ItemPositionHasChanged) {
        for (MapLinkItem *link : std::as_const(m_links))
            link->adjust();
        if (auto *map = qobject_cast<MapScene *>(scene()))
            map->nodeMoved(this);
    }
    return QGraphicsItem::itemChange(change, value);
}

void MapNodeItem::mousePressEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsItem::mousePressEvent(event);
    if (event->button() == Qt::LeftButton) {
        setCursor(Qt::ClosedHandCursor);
        if (auto *map = qobject_cast<MapScene *>(scene()))
            map->setDragging(true);
    }
}

void MapNodeItem::mouseReleaseEvent(QGraphicsSceneMouseEvent *event)
{
    QGraphicsItem::mouseReleaseEvent(event);
    setCursor(Qt::OpenHandCursor);
    if (auto *map = qobject_cast<MapScene *>(scene()))
        map->setDragging(false);
}

MapLinkItem::MapLinkItem(MapNodeItem *from, MapNodeItem *to)
    : m_from(from)
    , m_to(to)
{
    m_from->m_links.append(this);
    m_to->m_links.append(this);
    setAcceptedMouseButtons(Qt::NoButton); // a click on a link pans the map
    adjust();
}

MapLinkItem::~MapLinkItem()
{
    if (m_from)
        m_from->m_links.removeOne(this);
    if (m_to)
        m_to->m_links.removeOne(this);
}

void MapLinkItem::setMeasures(const QList<LinkMeasure> &measures, bool labelled, qint64 nowMs)
{
    // Per agent its worst figures; the link takes the worst agent's colour.
    QList<const LinkMeasure *> worst;
    for (const LinkMeasure &measure : measures) {
        auto same = std::find_if(
            worst.begin(), worst.end(), [&](const LinkMeasure *seen) { return seen->agent == measure.agent; });
        if (same == worst.end())
            worst.append(&measure);
        else if (severity(measure.state(nowMs)) > severity((*same)->state(nowMs)))
            *same = &measure;
    }
    std::stable_sort(worst.begin(), worst.end(), [nowMs](const LinkMeasure *a, const LinkMeasure *b) {
        const int sa = severity(a->state(nowMs));
        const int sb = severity(b->state(nowMs));
        return sa != sb ? sa > sb : a->agent < b->agent;
    });
    LinkState state = LinkState::NoData;
    for (const LinkMeasure *measure : std::as_const(worst)) {
        if (severity(measure->state(nowMs)) > severity(state))
            state = measure->state(nowMs);
    }
    QStringList lines;
    for (const LinkMeasure *measure : std::as_const(worst)) {
        const LinkState own = measure->state(nowMs);
        if (!labelled && own != LinkState::Degraded && own != LinkState::Bad)
            continue;
        if (lines.size() == MOST_LABEL_LINES) {
            lines.append(tr("and %n more", nullptr, int(worst.size()) - MOST_LABEL_LINES));
            break;
        }
        const QString text = measure->text(nowMs);
        lines.append(worst.size() > 1 ? tr("%1: %2").arg(measure->agent, text) : text);
    }
    if (labelled && worst.isEmpty())
        lines.append(tr("no data yet"));
    QStringList tips;
    for (const LinkMeasure &measure : measures)
        tips.append(tr("%1, %2: %3").arg(measure.agent, measure.source, measure.text(nowMs)));
    setToolTip(tips.join(u'\n'));

    const QString label = lines.join(u'\n');
    m_measures = measures;
    if (state == m_state && label == m_label)
        return;
    prepareGeometryChange();
    m_state = state;
    m_label = label;
    m_labelSize = {};
    if (!m_label.isEmpty()) {
        const QFontMetricsF metrics(QApplication::font());
        double width = 0;
        for (const QString &line : std::as_const(lines))
            width = std::max(width, metrics.horizontalAdvance(line));
        m_labelSize = {width + 2 * LABEL_PADDING + 2, metrics.lineSpacing() * double(lines.size()) + 2 * LABEL_PADDING};
    }
    setZValue(severity(state) * 0.1); // the worst links on top of the others
    adjust(); // the label, too, keeps clear of other things
    update();
}

// Straight when nothing is in the way; else bowed, to one side or the other, just enough that neither
// the line nor its label runs over another thing on the map.
void MapLinkItem::adjust()
{
    if (!m_from || !m_to)
        return;
    const QPainterPath path = routed();
    if (path == m_path)
        return; // nothing to repaint
    prepareGeometryChange();
    m_path = path;
}

QPainterPath MapLinkItem::routed() const
{
    const QPointF a = m_from->pos();
    const QPointF b = m_to->pos();
    QList<QRectF> obstacles;
    if (scene()) {
        for (const QGraphicsItem *item : scene()->items(QRectF(a, b).normalized().adjusted(-300, -300, 300, 300))) {
            if (item->type() == MapNodeItem::Type && item != m_from && item != m_to && item->isVisible())
                obstacles.append(item->sceneBoundingRect().adjusted(
                    -OBSTACLE_MARGIN, -OBSTACLE_MARGIN, OBSTACLE_MARGIN, OBSTACLE_MARGIN));
        }
    }
    const auto route = [&](const QPointF &control) {
        const QPointF start = edgePoint(m_from, control, m_from->body());
        const QPointF end = edgePoint(m_to, control, m_to->body());
        QPainterPath path(start);
        path.quadTo(control, end);
        return path;
    };
    const auto clear = [&](const QPainterPath &path) {
        const QPointF middle = path.pointAtPercent(0.5);
        const QRectF label(middle.x() - m_labelSize.width() / 2, middle.y() - m_labelSize.height() / 2,
            m_labelSize.width(), m_labelSize.height());
        for (const QRectF &obstacle : std::as_const(obstacles)) {
            if (!m_label.isEmpty() && obstacle.intersects(label))
                return false;
            for (int i = 1; i < ROUTE_SAMPLES; ++i) {
                if (obstacle.contains(path.pointAtPercent(double(i) / ROUTE_SAMPLES)))
                    return false;
            }
        }
        return true;
    };
    const QPointF middle = (a + b) / 2;
    const QPainterPath straight = route(middle);
    const QLineF chord(a, b);
    if (obstacles.isEmpty() || chord.length() < 1 || clear(straight))
        return straight;
    QPointF normal = QPointF(-(b - a).y(), (b - a).x()) / chord.length();
    // First away from the things around it: the bow then runs along the map's edge, not through it.
    QPointF crowd;
    for (const QRectF &obstacle : std::as_const(obstacles))
        crowd += obstacle.center() / double(obstacles.size());
    if (QPointF::dotProduct(crowd - middle, normal) > 0)
        normal = -normal;
    QList<std::pair<double, double>> tries; // (cost, signed bow): the other side costs more
    for (double bow : BOWS)
        tries += {{bow, bow}, {bow + OTHER_SIDE_COST, -bow}};
    std::sort(tries.begin(), tries.end());
    for (const auto &[cost, bow] : std::as_const(tries)) {
        const QPainterPath bowed = route(middle + normal * bow);
        if (clear(bowed))
            return bowed;
    }
    return straight; // no way round: straight through
}

QRectF MapLinkItem::labelRect() const
{
    if (m_label.isEmpty())
        return {};
    const QPointF centre = m_path.pointAtPercent(0.5);
    return {centre.x() - m_labelSize.width() / 2, centre.y() - m_labelSize.height() / 2, m_labelSize.width(),
        m_labelSize.height()};
}

QRectF MapLinkItem::boundingRect() const
{
    const QRectF line = m_path.controlPointRect().adjusted(-4, -4, 4, 4);
    return m_label.isEmpty() ? line : line.united(labelRect().adjusted(-2, -2, 2, 2));
}

QPainterPath MapLinkItem::shape() const
{
    QPainterPathStroker stroker;
    stroker.setWidth(8);
    QPainterPath shape = stroker.createStroke(m_path);
    if (!m_label.isEmpty())
        shape.addRect(labelRect());
    return shape;
}

void MapLinkItem::paint(QPainter *painter, const QStyleOptionGraphicsItem *, QWidget *widget)
{
    const QPalette palette = paletteOf(widget);
    const QColor colour = color();
    painter->setRenderHint(QPainter::Antialiasing);
    QPen pen(colour, m_state == LinkState::Bad ? 3.5 : 2.5);
    if (m_state == LinkState::NoData)
        pen.setStyle(Qt::DashLine);
    pen.setCapStyle(Qt::RoundCap);
    painter->setPen(pen);
    painter->setBrush(Qt::NoBrush);
    painter->drawPath(m_path);
    if (m_label.isEmpty())
        return;
    const QRectF box = labelRect();
    QColor veil = palette.color(QPalette::Base);
    veil.setAlpha(235);
    painter->setPen(QPen(colour, 1.5));
    painter->setBrush(veil);
    painter->drawRoundedRect(box, 4, 4);
    painter->setPen(palette.color(QPalette::Text));
    painter->setFont(QApplication::font());
    painter->drawText(
        box.adjusted(LABEL_PADDING, LABEL_PADDING, -LABEL_PADDING, -LABEL_PADDING), Qt::AlignCenter, m_label);
}

} // namespace StreamSwarm::Console
