// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include "console/alerts/alertrule.h"

namespace StreamSwarm::Console {

// A time when alerts stay silent: once from fromMs to toMs, or again every everyMs after that.
// Measurements go on being stored; an alert that fires inside the window is recorded as silenced
// and sends nothing. It covers the agents named (all when none) and the tests named (all when none).
struct MaintenanceWindow
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::MaintenanceWindow)
public:
    static constexpr qint64 MIN_EVERY_MS = 60 * 60 * 1000; // --every at least an hour

    qint64 id = 0;
    QString name;
    qint64 fromMs = 0;
    qint64 toMs = 0;
    qint64 everyMs = 0; // 0: once
    AgentSelection agents; // all: every agent
    QStringList tests; // empty: every test
    qint64 createdAtMs = 0;

    // Whether the window is open at nowMs.
    bool isOpenAt(qint64 nowMs) const;
    // When the window that is open at nowMs closes (0 when it is not open).
    qint64 closesAfter(qint64 nowMs) const;
    // The next time it opens at or after nowMs (0: never again).
    qint64 nextOpening(qint64 nowMs) const;
    // Whether it covers an alert of this test seen on these agents (name and tags of each).
    bool covers(const QString &testName, const QList<QPair<QString, QStringList>> &agents) const;
    bool check(QString *error) const;
};

} // namespace StreamSwarm::Console
