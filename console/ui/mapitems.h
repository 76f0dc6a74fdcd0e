// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QGraphicsItem>
#include <QList>
#include <QPainterPath>

#include "console/map/mapnode.h"

namespace StreamSwarm::Console {

class MapLinkItem;

// How a link does now, judged from its newest round: grey until a round has come (or for a while none).
enum class LinkState { NoData, Good, Degraded, Bad };
// The worst alert a node is part of: firing before acknowledged before silenced.
enum class AlertMark { None, Silenced, Acknowledged, Firing };

// One agent's newest figures on a link: from one of its tests, or from one hop of a traced path.
struct LinkMeasure
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::LinkMeasure)
public:
    // Amber from any loss or this latency on, red from these.
    static constexpr double DEGRADED_LATENCY_MS = 100;
    static constexpr double BAD_LOSS_PCT = 5;
    static constexpr double BAD_LATENCY_MS = 250;
    static constexpr qint64 STALE_MS = 15 * 60 * 1000; // at least; three of the test's intervals when longer

    QString agent;
    QString source; // the test, or the hop of a traced path, that measured it
    qint64 timeMs = 0; // of the round; 0: unknown, shown as no data
    qint64 staleAfterMs = STALE_MS;
    bool failed = false;
    std::optional<double> latencyMs;
    std::optional<double> lossPct;

    LinkState state(qint64 nowMs) const;
    // "12.3 ms · 0 % loss", or what stands in for it ("failed", "no data yet").
    QString text(qint64 nowMs) const;
};

namespace MapColors {
QColor ofLink(LinkState state);
QColor ofAlert(AlertMark mark); // invalid for None
} // namespace MapColors

// A thing on the network map: an agent (rounded box with its name and whether it is online), a
// target (ellipse) or a router of a traced path (small circle with its address). Its position is its
// centre; the user drags it. GUI thread.
class MapNodeItem final : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::MapNodeItem)
public:
    enum { Type = UserType + 1 };

    MapNodeItem(MapNode::Kind kind, const QString &name);
    ~MapNodeItem() override;
    Q_DISABLE_COPY_MOVE(MapNodeItem)

    static QString keyOf(MapNode::Kind kind, const QString &name);
    QString key() const { return keyOf(m_kind, m_name); }
    MapNode::Kind kind() const { return m_kind; }
    const QString &name() const { return m_name; }
    void setOnline(bool online);
    bool online() const { return m_online; }
    void setAlertMark(AlertMark mark, const QStringList &alerts);
    AlertMark alertMark() const { return m_mark; }
    void setDescription(const QString &text); // under the name in the tooltip (a hop's host name)
    const QList<MapLinkItem *> &links() const { return m_links; }

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

protected:
    QVariant itemChange(GraphicsItemChange change, const QVariant &value) override;
    void mousePressEvent(QGraphicsSceneMouseEvent *event) override;
    void mouseReleaseEvent(QGraphicsSceneMouseEvent *event) override;

private:
    friend class MapLinkItem;
    QRectF body() const; // the box, ellipse or circle, around (0, 0)
    QString markText() const;
    QRectF tagRect() const;
    void updateToolTip();

    MapNode::Kind m_kind;
    QString m_name;
    QString m_shownName; // elided when long
    QString m_description;
    QStringList m_alerts;
    bool m_online = false;
    AlertMark m_mark = AlertMark::None;
    QSizeF m_size;
    QList<MapLinkItem *> m_links;
};

// A line between two things on the map, coloured by its worst agent's state and labelled with the
// figures ("12.3 ms · 0 % loss"; one line per agent when several agents' paths share it). Follows its
// ends when they move. GUI thread.
class MapLinkItem final : public QGraphicsItem
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::MapLinkItem)
public:
    enum { Type = UserType + 2 };
    static constexpr int MOST_LABEL_LINES = 3;

    MapLinkItem(MapNodeItem *from, MapNodeItem *to);
    ~MapLinkItem() override;
    Q_DISABLE_COPY_MOVE(MapLinkItem)

    MapNodeItem *from() const { return m_from; }
    MapNodeItem *to() const { return m_to; }
    // labelled: always show the label; otherwise only while something is wrong (a hop along a path).
    void setMeasures(const QList<LinkMeasure> &measures, bool labelled, qint64 nowMs);
    const QList<LinkMeasure> &measures() const { return m_measures; }
    LinkState state() const { return m_state; }
    QColor color() const { return MapColors::ofLink(m_state); }
    QString label() const { return m_label; } // empty when none is shown
    QSizeF labelSize() const { return m_labelSize; }
    void adjust(); // its ends, or things in its way, moved

    int type() const override { return Type; }
    QRectF boundingRect() const override;
    QPainterPath shape() const override;
    void paint(QPainter *painter, const QStyleOptionGraphicsItem *option, QWidget *widget) override;

private:
    friend class MapNodeItem; // unhooks a link from an end that goes first
    QRectF labelRect() const;
    QPainterPath routed() const;

    MapNodeItem *m_from;
    MapNodeItem *m_to;
    QList<LinkMeasure> m_measures;
    LinkState m_state = LinkState::NoData;
    QString m_label;
    QPainterPath m_path;
    QSizeF m_labelSize;
};

} // namespace StreamSwarm::Console
