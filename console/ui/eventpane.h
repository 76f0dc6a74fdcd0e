// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QTreeWidget>

#include "console/storage/records.h"

namespace StreamSwarm::Console {

class ConsoleService;

// The newest events, newest first: what agents reported, what the console decided and what anyone
// did, from this window or the command line. Reloads through the application layer when the
// service says the events changed, one read at a time. GUI thread.
class EventPane final : public QTreeWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EventPane)
public:
    static constexpr int EVENT_LIMIT = 200;

    explicit EventPane(ConsoleService *service, QWidget *parent = nullptr);
    ~EventPane() override;

    void reload();

Q_SIGNALS:
    void failed(const QString &error);

private:
    void show(const QList<EventRecord> &events);

    ConsoleService *m_service;
    bool m_loading = false;
    bool m_again = false;
};

} // namespace StreamSwarm::Console
