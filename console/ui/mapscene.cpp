// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mapscene.h"

#include <algorithm>
#include <cmath>
#include <limits>

#include <QDateTime>
#include <QGraphicsPixmapItem>
#include <QPixmap>
#include <QSet>

#include "console/app/operations.h"
#include "console/ui/maplayering.h"
#include "console/ui/summarypane.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double ORIGIN_X = 40; // the laid-out map's top left corner (a background picture's is at 0, 0)
constexpr double ORIGIN_Y = 40;
constexpr double FIRST_TARGET_X = 520; // the targets' column while the map has none
constexpr double NODE_MARGIN = 12; // free space kept around a node placed on its own
constexpr int MOST_PLACE_TRIES = 400;
constexpr double SCENE_MARGIN = 200;
constexpr double LABEL_CLEARANCE = 24; // between a link's label and the things at its ends
constexpr qreal BACKGROUND_Z = -100;

std::pair<MapNode::Kind, QString> splitKey(const QString &key)
{
    const qsizetype colon = key.indexOf(u':');
    MapNode::Kind kind = MapNode::Kind::Target;
    MapNode::kindFromKey(key.left(colon), &kind);
    return {kind, key.mid(colon + 1)};
}

qint64 now()
{
    return QDateTime::currentMSecsSinceEpoch();
}

int rank(AlertMark mark)
{
    return int(mark);
}

} // namespace

MapScene::MapScene(QObject *parent)
    : QGraphicsScene(parent)
{
    m_rebuildTimer.setSingleShot(true);
    m_rebuildTimer.setInterval(REBUILD_MS);
    connect(&m_rebuildTimer, &QTimer::timeout, this, &MapScene::rebuild);
}

MapScene::~MapScene()
{
    // Links first: they unhook themselves from their ends.
    for (MapLinkItem *link : std::as_const(m_links))
        delete link;
    m_links.clear();
}

void MapScene::setAgentsAndTests(const QList<AgentRecord> &agents, const QList<TestRecord> &tests)
{
    m_agents = agents;
    m_tests = tests;
    scheduleRebuild();
}

void MapScene::addRound(qint64 agentId, const Protocol::Round &round)
{
    const TestRecord *record = test(round.testId);
    if (!record)
        return;
    if (const auto *path = round.detail.get<Protocol::TracerouteDetail>())
        setPath(agentId, round.testId, round.timeMs, *path);
    const HealthSeries series = healthSeriesOf(*record, agentId);
    LinkMeasure measure;
    measure.timeMs = round.timeMs;
    measure.failed = !round.error.isEmpty();
    for (const Protocol::MetricValue &value : round.values) {
        if (value.metric == series.lossMetric)
            measure.lossPct = value.value;
        else if (value.metric == series.lineMetric && series.lineIsLatency)
            measure.latencyMs = value.value;
    }
    if (measure.failed || measure.latencyMs || measure.lossPct)
        addMeasure(agentId, round.testId, measure);
}

void MapScene::addMeasure(qint64 agentId, qint64 testId, const LinkMeasure &measure)
{
    const auto key = qMakePair(agentId, testId);
    const auto known = m_measures.constFind(key);
    if (known != m_measures.cend() && known->timeMs > measure.timeMs)
        return; // an older round read back after a newer one came live
    m_measures.insert(key, measure);
    scheduleRebuild();
}

void MapScene::setPath(qint64 agentId, qint64 testId, qint64 timeMs, const Protocol::TracerouteDetail &path)
{
    const auto key = qMakePair(agentId, testId);
    const auto known = m_paths.constFind(key);
    if (known != m_paths.cend() && (timeMs == 0 || known->timeMs > timeMs))
        return;
    m_paths.insert(key, {timeMs, path});
    if (m_showsPaths)
        scheduleRebuild();
}

void MapScene::setAlerts(const QList<AlertStatus> &alerts)
{
    m_alerts = alerts;
    updateAlertMarks();
}

void MapScene::setShowsPaths(bool shows)
{
    if (shows == m_showsPaths)
        return;
    m_showsPaths = shows;
    scheduleRebuild();
}

void MapScene::applyLayout(const MapLayout &layout)
{
    QHash<QString, QPointF> saved;
    for (const MapNode &node : layout.nodes) {
        saved.insert(MapNodeItem::keyOf(node.kind, node.name), {node.x, node.y});
        if (node.kind == MapNode::Kind::Hop)
            m_showsPaths = true;
    }
    for (MapNodeItem *item : std::as_const(m_nodes)) {
        if (const auto place = saved.constFind(item->key()); place != saved.cend())
            setPlace(item, *place);
    }
    m_places = saved;
    m_hasLayout = true;
    rebuildNow();
    reroute();
}

MapLayout MapScene::layout() const
{
    QHash<QString, QPointF> places = m_places;
    for (const MapNodeItem *item : std::as_const(m_nodes))
        places.insert(item->key(), item->pos());
    MapLayout layout;
    QStringList keys = places.keys();
    keys.sort();
    for (const QString &key : std::as_const(keys)) {
        const auto [kind, name] = splitKey(key);
        // Routers that no traced path passes any longer are forgotten; they come and go with routes.
        if (kind == MapNode::Kind::Hop && m_pathsRead && !m_nodes.contains(key))
            continue;
        const QPointF place = places.value(key);
        layout.nodes.append({kind, name, place.x(), place.y()});
    }
    return layout;
}

bool MapScene::setBackground(const QByteArray &picture)
{
    if (picture.isEmpty()) {
        delete m_backgroundItem;
        m_backgroundItem = nullptr;
        m_background.clear();
        fitSceneRect();
        return true;
    }
    QPixmap pixmap;
    if (!pixmap.loadFromData(picture))
        return false;
    if (!m_backgroundItem) {
        m_backgroundItem = addPixmap(pixmap);
        m_backgroundItem->setZValue(BACKGROUND_Z);
        m_backgroundItem->setTransformationMode(Qt::SmoothTransformation);
    } else {
        m_backgroundItem->setPixmap(pixmap);
    }
    m_background = picture;
    fitSceneRect();
    return true;
}

MapNodeItem *MapScene::node(MapNode::Kind kind, const QString &name) const
{
    return m_nodes.value(MapNodeItem::keyOf(kind, name));
}

MapLinkItem *MapScene::link(const MapNodeItem *from, const MapNodeItem *to) const
{
    if (!from || !to)
        return nullptr;
    if (MapLinkItem *found = m_links.value({from->key(), to->key()}))
        return found;
    return m_links.value({to->key(), from->key()});
}

QList<MapNodeItem *> MapScene::nodes() const
{
    return m_nodes.values();
}

QList<MapLinkItem *> MapScene::links() const
{
    return m_links.values();
}

void MapScene::rebuildNow()
{
    rebuild();
}

void MapScene::refreshStates()
{
    scheduleRebuild();
}

void MapScene::nodeMoved(MapNodeItem *)
{
    if (!m_placing)
        Q_EMIT nodesMoved();
}

void MapScene::setDragging(bool dragging)
{
    m_dragging = dragging;
    if (!dragging)
        reroute();
}

void MapScene::reroute()
{
    for (MapLinkItem *link : std::as_const(m_links))
        link->adjust();
    fitSceneRect();
}

void MapScene::scheduleRebuild()
{
    if (!m_rebuildTimer.isActive())
        m_rebuildTimer.start();
}

const TestRecord *MapScene::test(qint64 id) const
{
    const auto found = std::find_if(m_tests.cbegin(), m_tests.cend(), [id](const TestRecord &t) { return t.id == id; });
    return found == m_tests.cend() ? nullptr : &*found;
}

QString MapScene::targetKeyOf(const TestRecord &record) const
{
    const TestTypes::TestType *type = TestTypes::find(record.type);
    if ((type && type->target == TestTypes::TargetKind::ThisHost) || record.target.isEmpty()
        || record.target == QStringView(Validation::LOCAL_TARGET))
        return {};
    if (const QString agent = Validation::agentTargetName(record.target); !agent.isEmpty())
        return MapNodeItem::keyOf(MapNode::Kind::Agent, agent);
    return MapNodeItem::keyOf(MapNode::Kind::Target, record.target);
}

QList<MapScene::Pair> MapScene::pairs() const
{
    const qint64 at = now();
    QList<Pair> found;
    for (const TestRecord &record : m_tests) {
        const TestState state = record.stateAt(at);
        if (record.deletedAtMs || state == TestState::Stopped || state == TestState::Finished)
            continue;
        const QString targetKey = targetKeyOf(record);
        if (targetKey.isEmpty())
            continue;
        const TestTypes::TestType *type = TestTypes::find(record.type);
        const bool traced = type && type->detailKind == Protocol::DetailKind::Traceroute;
        for (const AgentRecord &agent : m_agents) {
            const QString agentKey = MapNodeItem::keyOf(MapNode::Kind::Agent, agent.name);
            if (agent.revoked || !record.isFor(agent) || agentKey == targetKey)
                continue;
            found.append({agent.id, record.id, agent.name, record.name, targetKey, traced});
        }
    }
    return found;
}

QStringList MapScene::hopsOf(const Pair &pair, const Path &path, QList<const Protocol::TracerouteHop *> *hops) const
{
    const QString target = splitKey(pair.targetKey).second;
    QStringList addresses;
    for (const Protocol::TracerouteHop &hop : path.detail.hops) {
        if (hop.address.isEmpty())
            continue; // nothing answered at this TTL
        if (hop.address == path.detail.address || hop.address == target)
            break; // the destination: the target itself
        if (addresses.contains(hop.address))
            continue; // a loop; drawn once
        addresses.append(hop.address);
        hops->append(&hop);
    }
    return addresses;
}

QList<MapScene::LinkPlan> MapScene::planLinks(const QList<Pair> &pairs, QHash<QString, QString> *hopNames) const
{
    QList<LinkPlan> plans;
    QHash<QPair<QString, QString>, qsizetype> index;
    const auto plan = [&](const QString &from, const QString &to) -> LinkPlan & {
        auto found = index.constFind({from, to});
        if (found == index.cend()) {
            found = index.insert({from, to}, plans.size());
            plans.append({from, to, {}, false});
        }
        return plans[*found];
    };
    const auto staleAfter = [this](qint64 testId) {
        const TestRecord *record = test(testId);
        return std::max(LinkMeasure::STALE_MS, record ? 3 * record->intervalMs : 0);
    };

    // Each agent's figures towards each target, whichever of its tests measured them.
    QList<QPair<QString, QString>> ends; // (agent key, target key), in the tests' order
    QHash<QPair<QString, QString>, QList<LinkMeasure>> figures;
    for (const Pair &pair : pairs) {
        const QPair<QString, QString> end{MapNodeItem::keyOf(MapNode::Kind::Agent, pair.agentName), pair.targetKey};
        if (!figures.contains(end))
            ends.append(end);
        QList<LinkMeasure> &list = figures[end];
        if (const auto measure = m_measures.constFind({pair.agentId, pair.testId}); measure != m_measures.cend()) {
            LinkMeasure named = *measure;
            named.agent = pair.agentName;
            named.source = pair.testName;
            named.staleAfterMs = staleAfter(pair.testId);
            list.append(named);
        }
    }

    // Traced paths hop by hop: each router's link coloured by what this agent sees there; a loss
    // counts only where it carries on to the later hops (a router that limits its own replies loses
    // nothing).
    QHash<QPair<QString, QString>, QString> lastHop; // (agent key, target key) -> the node before the target
    for (const Pair &pair : pairs) {
        const QPair<QString, QString> end{MapNodeItem::keyOf(MapNode::Kind::Agent, pair.agentName), pair.targetKey};
        const auto path = m_paths.constFind({pair.agentId, pair.testId});
        if (!m_showsPaths || !pair.traced || path == m_paths.cend() || lastHop.contains(end))
            continue;
        QList<const Protocol::TracerouteHop *> hops;
        const QStringList addresses = hopsOf(pair, *path, &hops);
        QString from = end.first;
        for (qsizetype i = 0; i < hops.size(); ++i) {
            const Protocol::TracerouteHop &hop = *hops.at(i);
            const QString key = MapNodeItem::keyOf(MapNode::Kind::Hop, addresses.at(i));
            LinkMeasure measure;
            measure.agent = pair.agentName;
            measure.source = tr("hop %1 of %2").arg(hop.ttl).arg(pair.testName);
            measure.timeMs = path->timeMs;
            measure.staleAfterMs = staleAfter(pair.testId);
            if (hop.hasRtt)
                measure.latencyMs = hop.avgMs;
            double carried = hop.lossPct;
            for (const Protocol::TracerouteHop &later : path->detail.hops) {
                if (later.ttl > hop.ttl && !later.address.isEmpty())
                    carried = std::min(carried, later.lossPct);
            }
            measure.lossPct = carried;
            plan(from, key).measures.append(measure);
            if (!hop.name.isEmpty())
                hopNames->insert(key, hop.name);
            else if (!hopNames->contains(key))
                hopNames->insert(key, QString());
            from = key;
        }
        lastHop.insert(end, from);
    }

    // The end to end figures on the link into the target: straight from the agent, or from the last
    // router of its traced path.
    for (const auto &end : std::as_const(ends)) {
        LinkPlan &into = plan(lastHop.value(end, end.first), end.second);
        into.measures += figures.value(end);
        into.labelled = true;
    }
    return plans;
}

void MapScene::rebuild()
{
    m_rebuildTimer.stop();
    if (!m_hasLayout)
        return; // nothing is placed before the saved places are known
    const qint64 at = now();
    const QList<Pair> found = pairs();
    QHash<QString, QString> hopNames;
    const QList<LinkPlan> plans = planLinks(found, &hopNames);

    // The things wanted on the map, agents first, then routers in path order, then targets.
    QStringList wanted;
    QSet<QString> wantedKeys;
    const auto want = [&](const QString &key) {
        if (!wantedKeys.contains(key)) {
            wantedKeys.insert(key);
            wanted.append(key);
        }
    };
    for (const AgentRecord &agent : std::as_const(m_agents)) {
        if (!agent.revoked)
            want(MapNodeItem::keyOf(MapNode::Kind::Agent, agent.name));
    }
    const QString hopPrefix = MapNode::kindKey(MapNode::Kind::Hop) + u':';
    for (const LinkPlan &plan : plans) {
        if (plan.to.startsWith(hopPrefix))
            want(plan.to);
    }
    for (const Pair &pair : found)
        want(pair.targetKey);
    QSet<QPair<QString, QString>> plannedLinks;
    for (const LinkPlan &plan : plans)
        plannedLinks.insert({plan.from, plan.to});

    for (auto it = m_links.begin(); it != m_links.end();) {
        if (plannedLinks.contains(it.key()) && wantedKeys.contains(it.key().first)
            && wantedKeys.contains(it.key().second)) {
            ++it;
            continue;
        }
        delete it.value();
        it = m_links.erase(it);
    }
    bool reshaped = false; // things came or went: links may now have things in their way
    for (auto it = m_nodes.begin(); it != m_nodes.end();) {
        if (wantedKeys.contains(it.key())) {
            ++it;
            continue;
        }
        m_places.insert(it.key(), it.value()->pos());
        delete it.value();
        it = m_nodes.erase(it);
        reshaped = true;
    }
    if (m_dragging && !mouseGrabberItem())
        m_dragging = false; // the thing being dragged went (its test was deleted)
    QList<MapNodeItem *> unplaced;
    for (const QString &key : std::as_const(wanted)) {
        if (m_nodes.contains(key))
            continue;
        const auto [kind, name] = splitKey(key);
        auto *item = new MapNodeItem(kind, name);
        m_nodes.insert(key, item);
        if (const auto place = m_places.constFind(key); place != m_places.cend()) {
            setPlace(item, *place);
        } else {
            item->setVisible(false); // not in the way of those placed before it
            unplaced.append(item);
        }
        addItem(item);
        reshaped = true;
    }
    // In order, each once the ones before it stand: a router goes between its neighbours.
    for (MapNodeItem *item : std::as_const(unplaced)) {
        placeNew(item, plans);
        item->setVisible(true);
    }

    for (const AgentRecord &agent : std::as_const(m_agents)) {
        if (MapNodeItem *item = node(MapNode::Kind::Agent, agent.name))
            item->setOnline(agent.online);
    }
    for (auto it = hopNames.cbegin(); it != hopNames.cend(); ++it) {
        if (MapNodeItem *item = m_nodes.value(it.key()))
            item->setDescription(it.value());
    }
    for (const LinkPlan &plan : plans) {
        MapNodeItem *from = m_nodes.value(plan.from);
        MapNodeItem *to = m_nodes.value(plan.to);
        if (!from || !to)
            continue;
        MapLinkItem *&item = m_links[{plan.from, plan.to}];
        if (!item) {
            item = new MapLinkItem(from, to);
            addItem(item);
        }
        item->setMeasures(plan.measures, plan.labelled, at);
    }
    updateAlertMarks();
    if (reshaped && !m_dragging)
        reroute();
}

void MapScene::placeNew(MapNodeItem *item, const QList<LinkPlan> &plans)
{
    const auto placed = [this](const QString &key) {
        const MapNodeItem *other = m_nodes.value(key);
        return other && other->isVisible() ? other : nullptr;
    };
    QList<QPointF> before;
    QList<QPointF> after;
    for (const LinkPlan &plan : plans) {
        if (plan.to == item->key()) {
            if (const MapNodeItem *other = placed(plan.from))
                before.append(other->pos());
        } else if (plan.from == item->key()) {
            if (const MapNodeItem *other = placed(plan.to))
                after.append(other->pos());
        }
    }
    const auto mean = [](const QList<QPointF> &points) {
        QPointF sum;
        for (const QPointF &point : points)
            sum += point;
        return sum / double(points.size());
    };
    double columnX = std::numeric_limits<double>::quiet_NaN();
    double lowest = std::numeric_limits<double>::lowest();
    double rightmost = ORIGIN_X;
    for (const MapNodeItem *other : std::as_const(m_nodes)) {
        if (other == item || !other->isVisible())
            continue;
        rightmost = std::max(rightmost, other->sceneBoundingRect().right());
        if (other->kind() != item->kind())
            continue;
        columnX = item->kind() == MapNode::Kind::Target
            ? std::max(std::isnan(columnX) ? other->x() : columnX, other->x())
            : std::min(std::isnan(columnX) ? other->x() : columnX, other->x());
        lowest = std::max(lowest, other->y());
    }
    QPointF wanted;
    switch (item->kind()) {
    case MapNode::Kind::Agent:
        wanted = std::isnan(columnX) ? QPointF(ORIGIN_X + item->boundingRect().width() / 2, ORIGIN_Y + 30)
                                     : QPointF(columnX, lowest + ROW_SPACING);
        break;
    case MapNode::Kind::Target: {
        const double x = std::isnan(columnX) ? std::max(FIRST_TARGET_X, rightmost + COLUMN_ROOM) : columnX;
        wanted = {x,
            before.isEmpty() ? (lowest > std::numeric_limits<double>::lowest() ? lowest + ROW_SPACING : ORIGIN_Y)
                             : mean(before).y()};
        break;
    }
    case MapNode::Kind::Hop:
        if (!before.isEmpty() && !after.isEmpty())
            wanted = (mean(before) + mean(after)) / 2;
        else if (!before.isEmpty())
            wanted = mean(before) + QPointF(COLUMN_ROOM, 0);
        else if (!after.isEmpty())
            wanted = mean(after) - QPointF(COLUMN_ROOM, 0);
        else
            wanted = {rightmost + COLUMN_ROOM, ORIGIN_Y};
        break;
    }
    setPlace(item, freePlace(item, wanted));
}

QPointF MapScene::freePlace(const MapNodeItem *item, QPointF wanted) const
{
    const QRectF own = item->boundingRect().adjusted(-NODE_MARGIN, -NODE_MARGIN, NODE_MARGIN, NODE_MARGIN);
    const auto fits = [&](const QPointF &place) {
        const QRectF rect = own.translated(place);
        return std::none_of(m_nodes.cbegin(), m_nodes.cend(), [&](const MapNodeItem *other) {
            return other != item && other->isVisible() && other->sceneBoundingRect().intersects(rect);
        });
    };
    const double step = ROW_SPACING / 2;
    for (int i = 0; i < MOST_PLACE_TRIES; ++i) {
        // 0, +1, -1, +2, -2 … steps down and up.
        const int k = (i + 1) / 2 * (i % 2 ? 1 : -1);
        const QPointF place = wanted + QPointF(0, k * step);
        if (fits(place))
            return place;
    }
    return wanted;
}

void MapScene::setPlace(MapNodeItem *item, const QPointF &place)
{
    m_placing = true;
    item->setPos(place);
    m_placing = false;
}

void MapScene::updateAlertMarks()
{
    QHash<QString, std::pair<AlertMark, QStringList>> marks;
    const auto mark = [&marks](const QString &key, AlertMark level, const QString &alert) {
        auto &[worst, names] = marks[key];
        if (rank(level) > rank(worst))
            worst = level;
        if (!names.contains(alert))
            names.append(alert);
    };
    for (const AlertStatus &status : std::as_const(m_alerts)) {
        AlertMark level = AlertMark::None;
        switch (status.state) {
        case AlertState::Ok:
            continue;
        case AlertState::Firing:
            level = AlertMark::Firing;
            break;
        case AlertState::Acknowledged:
            level = AlertMark::Acknowledged;
            break;
        case AlertState::Silenced:
            level = AlertMark::Silenced;
            break;
        }
        const auto record = std::find_if(m_tests.cbegin(), m_tests.cend(),
            [&](const TestRecord &t) { return t.name == status.rule.testName && !t.deletedAtMs; });
        if (record != m_tests.cend()) {
            if (const QString key = targetKeyOf(*record); !key.isEmpty())
                mark(key, level, status.rule.name);
        }
        const QStringList agents
            = status.open && !status.open->agents.isEmpty() ? status.open->agents : status.troubledAgents;
        for (const QString &agent : agents)
            mark(MapNodeItem::keyOf(MapNode::Kind::Agent, agent), level, status.rule.name);
    }
    for (MapNodeItem *item : std::as_const(m_nodes)) {
        const auto found = marks.constFind(item->key());
        if (found == marks.cend())
            item->setAlertMark(AlertMark::None, {});
        else
            item->setAlertMark(found->first, found->second);
    }
}

void MapScene::layOutFromPaths()
{
    rebuildNow(); // the routers of the newest paths are on the map
    const QList<Pair> found = pairs();
    QHash<QString, int> column;
    int lastHopColumn = 0;
    for (const Pair &pair : found) {
        const auto path = m_paths.constFind({pair.agentId, pair.testId});
        if (!pair.traced || path == m_paths.cend())
            continue;
        QList<const Protocol::TracerouteHop *> hops;
        const QStringList addresses = hopsOf(pair, *path, &hops);
        for (qsizetype i = 0; i < hops.size(); ++i) {
            int &at = column[MapNodeItem::keyOf(MapNode::Kind::Hop, addresses.at(i))];
            at = std::max(at, hops.at(i)->ttl);
            lastHopColumn = std::max(lastHopColumn, at);
        }
    }
    QList<MapLayering::Thing> things;
    for (const MapNodeItem *item : std::as_const(m_nodes)) {
        const int at = item->kind() == MapNode::Kind::Agent ? 0
            : item->kind() == MapNode::Kind::Target         ? lastHopColumn + 1
                                                            : column.value(item->key(), 1);
        const QRectF bounds = item->boundingRect();
        things.append({item->key(), item->name(), at, bounds.width() / 2, -bounds.top()});
    }
    QList<MapLayering::Line> lines;
    for (auto it = m_links.cbegin(); it != m_links.cend(); ++it)
        lines.append({it.key().first, it.key().second, it.value()->labelSize().width()});
    const QHash<QString, QPointF> places
        = MapLayering::places(things, lines, {{ORIGIN_X, ORIGIN_Y}, COLUMN_ROOM, ROW_SPACING, LABEL_CLEARANCE});
    for (MapNodeItem *item : std::as_const(m_nodes))
        setPlace(item, places.value(item->key()));
    reroute();
}

void MapScene::fitSceneRect()
{
    QRectF bounds;
    for (QGraphicsItem *item : items()) {
        if (item->isVisible())
            bounds |= item->sceneBoundingRect();
    }
    setSceneRect(bounds.adjusted(-SCENE_MARGIN, -SCENE_MARGIN, SCENE_MARGIN, SCENE_MARGIN));
}

} // namespace StreamSwarm::Console
