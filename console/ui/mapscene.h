// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QGraphicsScene>
#include <QHash>
#include <QPointF>
#include <QTimer>

#include "console/alerts/alertincident.h"
#include "console/map/mapnode.h"
#include "console/storage/records.h"
#include "console/ui/mapitems.h"
#include "shared/protocol/details.h"

class QGraphicsPixmapItem;

namespace StreamSwarm::Console {

// The live network map: the agents, the targets of the tests they run and (once laid out from paths)
// the routers of their traced paths, joined by links coloured and labelled by their newest rounds and
// marked by the alerts they are part of. Remembers where each thing was put, also things that are not
// on the map now, so that saving keeps them. Rebuilds at most every REBUILD_MS. GUI thread.
class MapScene final : public QGraphicsScene
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MapScene)
public:
    static constexpr int REBUILD_MS = 200;
    static constexpr double COLUMN_ROOM = 160; // between columns, for the links' labels
    static constexpr double ROW_SPACING = 74;

    explicit MapScene(QObject *parent = nullptr);
    ~MapScene() override;

    // What is on the map: agents that are not revoked, and the targets of the tests they run.
    void setAgentsAndTests(const QList<AgentRecord> &agents, const QList<TestRecord> &tests);
    // A round of an agent's test as it was stored (or read back): its latency and loss, its path.
    void addRound(qint64 agentId, const Protocol::Round &round);
    void addMeasure(qint64 agentId, qint64 testId, const LinkMeasure &measure);
    // The newest traced path of an agent's test, of a round at timeMs (0: unknown).
    void setPath(qint64 agentId, qint64 testId, qint64 timeMs, const Protocol::TracerouteDetail &path);
    void setAlerts(const QList<AlertStatus> &alerts);
    // Draw traced paths hop by hop (on once laid out from paths, or when the saved map has hops).
    void setShowsPaths(bool shows);
    bool showsPaths() const { return m_showsPaths; }
    // Every path the agents' tests trace has been read: routers no longer on one may be forgotten.
    void setPathsRead() { m_pathsRead = true; }

    // The saved places: things on the map move there. Things are placed only once this has been
    // called (before, they would land on each other's places).
    void applyLayout(const MapLayout &layout);
    bool hasLayout() const { return m_hasLayout; }
    // Where everything is (and was), for saving; without the background.
    MapLayout layout() const;
    // A PNG or JPEG picture under the map (empty: none); false when the bytes are no picture.
    bool setBackground(const QByteArray &picture);
    const QByteArray &background() const { return m_background; }
    QGraphicsPixmapItem *backgroundItem() const { return m_backgroundItem; }
    // Agents in a column on the left, routers in columns by their distance (TTL) along the traced
    // paths, targets in a column on the right.
    void layOutFromPaths();

    MapNodeItem *node(MapNode::Kind kind, const QString &name) const;
    MapLinkItem *link(const MapNodeItem *from, const MapNodeItem *to) const;
    QList<MapNodeItem *> nodes() const;
    QList<MapLinkItem *> links() const;
    // The scene as the data say now, not at the next rebuild.
    void rebuildNow();
    // Re-judges the links (figures grow old without new rounds).
    void refreshStates();

    // For its items.
    void nodeMoved(MapNodeItem *node);
    void setDragging(bool dragging);
    bool dragging() const { return m_dragging; }

Q_SIGNALS:
    // The user moved something (it is to be saved).
    void nodesMoved();

private:
    struct Pair // one agent's test towards its target
    {
        qint64 agentId = 0;
        qint64 testId = 0;
        QString agentName;
        QString testName;
        QString targetKey;
        bool traced = false; // its rounds carry paths
    };
    struct Path
    {
        qint64 timeMs = 0;
        Protocol::TracerouteDetail detail;
    };
    struct LinkPlan
    {
        QString from;
        QString to;
        QList<LinkMeasure> measures;
        bool labelled = false;
    };

    void scheduleRebuild();
    void rebuild();
    QList<Pair> pairs() const;
    QString targetKeyOf(const TestRecord &test) const;
    // The routers of a path in order (those that answered), without its destination.
    QStringList hopsOf(const Pair &pair, const Path &path, QList<const Protocol::TracerouteHop *> *hops) const;
    QList<LinkPlan> planLinks(const QList<Pair> &pairs, QHash<QString, QString> *hopNames) const;
    void placeNew(MapNodeItem *item, const QList<LinkPlan> &plans);
    QPointF freePlace(const MapNodeItem *item, QPointF wanted) const;
    void updateAlertMarks();
    void setPlace(MapNodeItem *item, const QPointF &place); // without counting as the user's move
    void reroute(); // links around the things in their way, once things stand
    void fitSceneRect();
    const TestRecord *test(qint64 id) const;

    QList<AgentRecord> m_agents;
    QList<TestRecord> m_tests;
    QList<AlertStatus> m_alerts;
    QHash<QPair<qint64, qint64>, LinkMeasure> m_measures; // (agent, test) -> newest
    QHash<QPair<qint64, qint64>, Path> m_paths; // (agent, test) -> newest traced path
    QHash<QString, QPointF> m_places; // node key -> where it was put, on the map or not
    QHash<QString, MapNodeItem *> m_nodes; // by key
    QHash<QPair<QString, QString>, MapLinkItem *> m_links; // (from key, to key)
    QByteArray m_background;
    QGraphicsPixmapItem *m_backgroundItem = nullptr;
    QTimer m_rebuildTimer;
    bool m_hasLayout = false;
    bool m_showsPaths = false;
    bool m_pathsRead = false;
    bool m_dragging = false;
    bool m_placing = false; // positions set here, not by the user
};

} // namespace StreamSwarm::Console
