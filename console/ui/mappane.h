// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QSet>
#include <QTimer>
#include <QWidget>

#include "shared/protocol/messages.h"

class QGraphicsView;
class QLabel;
class QPushButton;

namespace StreamSwarm::Console {

class ConsoleService;
class MapScene;

// The Map tab: the live network map (MapScene) in a view to zoom (wheel) and pan (drag the
// background), and its buttons: lay out from the traced paths, a background picture. Places are
// saved a second after a drag, for every console; a change another console saved is read again
// unless the user is moving something. Follows new rounds and alerts. GUI thread.
class MapPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MapPane)
public:
    static constexpr int SAVE_AFTER_MS = 1000; // a drag has settled
    static constexpr int RELOAD_AFTER_MS = 500; // changes to the database gathered into one read
    static constexpr int REFRESH_MS = 30000; // figures grow old without new rounds

    explicit MapPane(ConsoleService *service, QWidget *parent = nullptr);
    ~MapPane() override;

    MapScene *scene() const { return m_scene; }
    QGraphicsView *view() const;
    QString statusText() const;
    // Reads a PNG or JPEG file as the map's background and saves it; false and why when it cannot.
    bool setBackgroundFile(const QString &path, QString *error);
    void removeBackground();
    // Reads the newest traced paths, lays the map out from them and saves it.
    void layOutFromPaths();
    void zoomToFit();

Q_SIGNALS:
    void saved(); // the places (and background) reached the database
    void laidOut();

protected:
    void showEvent(QShowEvent *event) override;

private:
    void handleListsChanged();
    void handleRoundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void handleNodesMoved();
    void handleSaveDue();
    void reloadLayout();
    void reloadAlerts();
    void readRecentRounds();
    // The newest path of each agent's traceroute test not read yet (all, when again), then then().
    void readPaths(bool again, const std::function<void()> &then);
    void save(bool withBackground);
    void chooseBackground();
    void showStatus(const QString &text);
    void fitOnce();

    ConsoleService *m_service;
    MapScene *m_scene;
    QGraphicsView *m_view;
    QLabel *m_status;
    QPushButton *m_layOut;
    QPushButton *m_removeBackground;
    QTimer m_saveTimer;
    QTimer m_reloadTimer;
    QTimer m_refreshTimer;
    QSet<QPair<qint64, qint64>> m_pathsAsked; // (agent, test)
    quint64 m_changes = 0; // the user's moves and this pane's saves: a layout read before one is out of date
    int m_savesUnderway = 0;
    bool m_readRecent = false;
    bool m_fitted = false;
};

} // namespace StreamSwarm::Console
