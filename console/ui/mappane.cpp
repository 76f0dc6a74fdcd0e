// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "mappane.h"

#include <algorithm>
#include <cmath>
#include <memory>

#include <QBuffer>
#include <QDateTime>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QGraphicsPixmapItem>
#include <QGraphicsView>
#include <QHBoxLayout>
#include <QImageReader>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>
#include <QWheelEvent>

#include "console/alerts/alertengine.h"
#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/appearance.h"
#include "console/ui/mapscene.h"
#include "console/ui/summarypane.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double MIN_ZOOM = 0.1;
constexpr double MAX_ZOOM = 4;
constexpr double FIT_MARGIN = 30;

// Zooms with the wheel around the pointer; a drag on the background moves the map.
class MapView final : public QGraphicsView
{
public:
    MapView(QGraphicsScene *scene, QWidget *parent)
        : QGraphicsView(scene, parent)
    {
        setObjectName(u"mapView"_s);
        setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing | QPainter::SmoothPixmapTransform);
        setDragMode(QGraphicsView::ScrollHandDrag);
        setTransformationAnchor(QGraphicsView::AnchorUnderMouse);
        setResizeAnchor(QGraphicsView::AnchorViewCenter);
        setViewportUpdateMode(QGraphicsView::SmartViewportUpdate);
    }
    Q_DISABLE_COPY_MOVE(MapView)

protected:
    void wheelEvent(QWheelEvent *event) override
    {
        const double factor = std::pow(1.0015, event->angleDelta().y());
        const double zoom = transform().m11() * factor;
        if (zoom >= MIN_ZOOM && zoom <= MAX_ZOOM)
            scale(factor, factor);
        event->accept();
    }
};

bool isTraced(const TestRecord &test)
{
    const TestTypes::TestType *type = TestTypes::find(test.type);
    return type && type->detailKind == Protocol::DetailKind::Traceroute;
}

} // namespace

MapPane::MapPane(ConsoleService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_scene(new MapScene(this))
    , m_view(new MapView(m_scene, this))
    , m_status(new QLabel(this))
    , m_layOut(new QPushButton(tr("Lay &out from paths"), this))
    , m_removeBackground(new QPushButton(tr("Remove background"), this))
{
    setObjectName(u"mapPane"_s);
    m_layOut->setObjectName(u"mapLayOutButton"_s);
    m_layOut->setToolTip(tr("Agents on the left, the routers of their traced paths in between (by hop), targets on "
                            "the right. Moves everything on the map."));
    connect(m_layOut, &QPushButton::clicked, this, &MapPane::layOutFromPaths);
    auto *background = new QPushButton(tr("&Background picture…"), this);
    background->setObjectName(u"mapBackgroundButton"_s);
    background->setToolTip(tr("A PNG or JPEG picture under the map, such as a floor plan or a site diagram"));
    connect(background, &QPushButton::clicked, this, &MapPane::chooseBackground);
    m_removeBackground->setObjectName(u"mapRemoveBackgroundButton"_s);
    m_removeBackground->setEnabled(false);
    connect(m_removeBackground, &QPushButton::clicked, this, &MapPane::removeBackground);
    auto *fit = new QPushButton(Appearance::icon(u"zoom-reset"_s), tr("F&it"), this);
    fit->setObjectName(u"mapFitButton"_s);
    fit->setToolTip(tr("Shows the whole map (turn the wheel to zoom, drag the background to move around)"));
    connect(fit, &QPushButton::clicked, this, &MapPane::zoomToFit);
    m_status->setObjectName(u"mapStatus"_s);
    m_status->setWordWrap(true);
    m_status->setText(tr("Drag agents and targets to where they belong; every console sees the same map."));

    auto *bar = new QHBoxLayout;
    bar->addWidget(m_layOut);
    bar->addWidget(background);
    bar->addWidget(m_removeBackground);
    bar->addWidget(fit);
    bar->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(8, 6, 8, 2);
    layout->addLayout(bar);
    layout->addWidget(m_view, 1);

    m_saveTimer.setSingleShot(true);
    m_saveTimer.setInterval(SAVE_AFTER_MS);
    connect(&m_saveTimer, &QTimer::timeout, this, &MapPane::handleSaveDue);
    m_reloadTimer.setSingleShot(true);
    m_reloadTimer.setInterval(RELOAD_AFTER_MS);
    connect(&m_reloadTimer, &QTimer::timeout, this, [this] {
        reloadAlerts();
        reloadLayout();
    });
    m_refreshTimer.setInterval(REFRESH_MS);
    connect(&m_refreshTimer, &QTimer::timeout, m_scene, &MapScene::refreshStates);
    m_refreshTimer.start();

    // Gathered, not one read per change: the database may change several times a second.
    const auto changed = [this] {
        if (!m_reloadTimer.isActive())
            m_reloadTimer.start();
    };
    connect(m_service->administration(), &Administration::changed, this, changed);
    if (AlertEngine *alerts = m_service->alertEngine())
        connect(alerts, &AlertEngine::alertsChanged, this, changed);
    connect(m_service, &ConsoleService::agentsChanged, this, &MapPane::handleListsChanged);
    connect(m_service, &ConsoleService::testsChanged, this, &MapPane::handleListsChanged);
    connect(m_service, &ConsoleService::roundsStored, this, &MapPane::handleRoundsStored);
    connect(m_scene, &MapScene::nodesMoved, this, &MapPane::handleNodesMoved);

    handleListsChanged();
    reloadLayout();
    reloadAlerts();
}

MapPane::~MapPane() = default;

QGraphicsView *MapPane::view() const
{
    return m_view;
}

QString MapPane::statusText() const
{
    return m_status->text();
}

void MapPane::showStatus(const QString &text)
{
    m_status->setText(text);
}

void MapPane::showEvent(QShowEvent *event)
{
    QWidget::showEvent(event);
    fitOnce();
}

void MapPane::fitOnce()
{
    if (m_fitted || !isVisible() || !m_scene->hasLayout())
        return;
    m_fitted = true;
    m_scene->rebuildNow();
    zoomToFit();
}

void MapPane::zoomToFit()
{
    // The things and their links, at a size to read; a larger background picture shows in part.
    QRectF content;
    for (QGraphicsItem *item : m_scene->items()) {
        if (item->isVisible() && item != m_scene->backgroundItem())
            content |= item->sceneBoundingRect();
    }
    if (content.isEmpty() && m_scene->backgroundItem())
        content = m_scene->backgroundItem()->sceneBoundingRect();
    if (content.isEmpty())
        return;
    content.adjust(-FIT_MARGIN, -FIT_MARGIN, FIT_MARGIN, FIT_MARGIN);
    m_view->fitInView(content, Qt::KeepAspectRatio);
    if (m_view->transform().m11() > 1) { // a small map at its own size, not blown up
        m_view->resetTransform();
        m_view->centerOn(content.center());
    }
}

void MapPane::handleListsChanged()
{
    m_scene->setAgentsAndTests(m_service->agents(), m_service->tests());
    readRecentRounds();
    if (!m_service->tests().isEmpty() && !m_service->agents().isEmpty())
        readPaths(false, [this] { m_scene->setPathsRead(); });
}

void MapPane::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    for (const Protocol::Round &round : rounds)
        m_scene->addRound(agentId, round);
}

// The figures of the last minutes, once agents and tests are known; live rounds keep them current.
void MapPane::readRecentRounds()
{
    if (m_readRecent || m_service->tests().isEmpty() || m_service->agents().isEmpty())
        return;
    m_readRecent = true;
    QList<HealthSeries> series;
    for (const TestRecord &test : m_service->tests()) {
        for (const AgentRecord &agent : m_service->agents()) {
            if (test.isFor(agent))
                series.append(healthSeriesOf(test, agent.id));
        }
    }
    const qint64 from = QDateTime::currentMSecsSinceEpoch() - LinkMeasure::STALE_MS;
    m_service->administration()->recentHealth(
        series, from, this, [this](const Result<QList<HealthSummary::Round>> &rounds) {
            if (!rounds) {
                showStatus(tr("Could not read the latest rounds: %1").arg(rounds.error()));
                return;
            }
            for (const HealthSummary::Round &round : *rounds) {
                LinkMeasure measure;
                measure.timeMs = round.timeMs;
                measure.failed = round.failed;
                measure.latencyMs = round.latencyMs;
                measure.lossPct = round.lossPct;
                m_scene->addMeasure(round.agentId, round.testId, measure);
            }
        });
}

void MapPane::readPaths(bool again, const std::function<void()> &then)
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    auto waiting = std::make_shared<int>(0);
    for (const TestRecord &test : m_service->tests()) {
        const TestState state = test.stateAt(now);
        if (!isTraced(test) || test.deletedAtMs || state == TestState::Stopped || state == TestState::Finished)
            continue;
        for (const AgentRecord &agent : m_service->agents()) {
            const QPair<qint64, qint64> key{agent.id, test.id};
            if (!test.isFor(agent) || (!again && m_pathsAsked.contains(key)))
                continue;
            m_pathsAsked.insert(key);
            ChartHistoryRequest request;
            request.agentId = agent.id;
            request.testId = test.id;
            request.metrics = {TestTypes::find(test.type)->chart.line};
            // The newest round's time, when recent: an old path is drawn, but its figures grey.
            request.fromMs = now - std::max(LinkMeasure::STALE_MS, 3 * test.intervalMs);
            request.latestDetail = true;
            ++*waiting;
            m_service->administration()->chartHistory(
                request, this, [this, key, waiting, then](const Result<ChartHistory> &history) {
                    if (history) {
                        const auto *path = history->latestDetail.detail.get<Protocol::TracerouteDetail>();
                        const QList<double> &times = history->series.value(0).times;
                        if (path)
                            m_scene->setPath(
                                key.first, key.second, times.isEmpty() ? 0 : qint64(times.constLast() * 1000), *path);
                    } else {
                        showStatus(tr("Could not read a traced path: %1").arg(history.error()));
                    }
                    if (--*waiting == 0)
                        then();
                });
        }
    }
    if (*waiting == 0)
        then();
}

void MapPane::layOutFromPaths()
{
    m_layOut->setEnabled(false);
    showStatus(tr("Reading the newest traced paths…"));
    m_scene->setShowsPaths(true);
    readPaths(true, [this] {
        m_layOut->setEnabled(true);
        m_scene->setPathsRead();
        m_scene->layOutFromPaths();
        ++m_changes;
        save(false);
        zoomToFit();
        const QList<MapNodeItem *> nodes = m_scene->nodes();
        const bool hops = std::any_of(
            nodes.cbegin(), nodes.cend(), [](const MapNodeItem *node) { return node->kind() == MapNode::Kind::Hop; });
        showStatus(hops ? tr("Laid out from the newest traced paths.")
                        : tr("No traced paths yet (add a traceroute test to see the routers between): agents "
                             "on the left, targets on the right."));
        Q_EMIT laidOut();
    });
}

void MapPane::handleNodesMoved()
{
    ++m_changes;
    m_saveTimer.start();
}

void MapPane::handleSaveDue()
{
    if (m_scene->dragging()) {
        m_saveTimer.start(); // not in the middle of a drag
        return;
    }
    save(false);
}

void MapPane::save(bool withBackground)
{
    m_saveTimer.stop();
    MapLayout layout = m_scene->layout();
    if (withBackground)
        layout.background = m_scene->background();
    ++m_savesUnderway;
    m_service->administration()->saveMapLayout(layout, withBackground, this, [this](const Result<Done> &done) {
        --m_savesUnderway;
        if (!done) {
            showStatus(tr("Could not save the map: %1").arg(done.error()));
            return;
        }
        Q_EMIT saved();
    });
}

void MapPane::reloadLayout()
{
    // What is being moved here wins: it is saved in a moment.
    const auto busy = [this] {
        return m_scene->dragging() || m_saveTimer.isActive() || m_savesUnderway > 0;
    };
    if (m_scene->hasLayout() && busy())
        return;
    const quint64 changes = m_changes;
    m_service->administration()->mapLayout(this, [this, changes, busy](const Result<MapLayout> &layout) {
        if (m_scene->hasLayout() && (changes != m_changes || busy()))
            return; // read before a move here
        if (!layout) {
            showStatus(tr("Could not read the map: %1").arg(layout.error()));
            if (!m_scene->hasLayout())
                m_scene->applyLayout({}); // start from nothing rather than show nothing
            fitOnce();
            return;
        }
        if (layout->background != m_scene->background() && !m_scene->setBackground(layout->background))
            showStatus(tr("The map's background picture cannot be shown: it is not a PNG or JPEG picture."));
        m_removeBackground->setEnabled(!m_scene->background().isEmpty());
        m_scene->applyLayout(*layout);
        fitOnce();
    });
}

void MapPane::reloadAlerts()
{
    m_service->administration()->alerts(this, [this](const Result<QList<AlertStatus>> &alerts) {
        if (alerts)
            m_scene->setAlerts(*alerts);
    });
}

void MapPane::chooseBackground()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Choose a background picture"), QString(), tr("Pictures (*.png *.jpg *.jpeg)"));
    if (path.isEmpty())
        return;
    QString error;
    if (!setBackgroundFile(path, &error))
        showStatus(error);
}

bool MapPane::setBackgroundFile(const QString &path, QString *error)
{
    const QString name = QFileInfo(path).fileName();
    QFile file(path);
    if (file.size() > MapLayout::MAX_BACKGROUND_BYTES) {
        *error = tr("%1 is larger than 16 MB; choose a smaller picture.").arg(name);
        return false;
    }
    if (!file.open(QIODevice::ReadOnly)) {
        *error = tr("Could not read %1: %2").arg(name, file.errorString());
        return false;
    }
    QByteArray picture = file.readAll();
    QBuffer buffer(&picture);
    buffer.open(QIODevice::ReadOnly);
    const QByteArray format = QImageReader::imageFormat(&buffer);
    if ((format != "png" && format != "jpeg") || !m_scene->setBackground(picture)) {
        *error = tr("%1 is not a PNG or JPEG picture.").arg(name);
        return false;
    }
    m_removeBackground->setEnabled(true);
    ++m_changes;
    save(true);
    showStatus(tr("The background picture is saved with the map."));
    zoomToFit();
    return true;
}

void MapPane::removeBackground()
{
    m_scene->setBackground({});
    m_removeBackground->setEnabled(false);
    ++m_changes;
    save(true);
    showStatus(tr("The background picture is removed."));
}

} // namespace StreamSwarm::Console
