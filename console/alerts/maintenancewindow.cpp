// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "maintenancewindow.h"

#include "shared/protocol/validation.h"

namespace StreamSwarm::Console {

namespace {

// The start of the repetition that nowMs falls in or after (fromMs when it has not begun).
qint64 repetitionStart(const MaintenanceWindow &window, qint64 nowMs)
{
    if (window.everyMs <= 0 || nowMs < window.fromMs)
        return window.fromMs;
    return window.fromMs + (nowMs - window.fromMs) / window.everyMs * window.everyMs;
}

} // namespace

bool MaintenanceWindow::isOpenAt(qint64 nowMs) const
{
    return closesAfter(nowMs) != 0;
}

qint64 MaintenanceWindow::closesAfter(qint64 nowMs) const
{
    const qint64 start = repetitionStart(*this, nowMs);
    const qint64 end = start + (toMs - fromMs);
    return nowMs >= start && nowMs < end ? end : 0;
}

qint64 MaintenanceWindow::nextOpening(qint64 nowMs) const
{
    if (nowMs <= fromMs)
        return fromMs;
    if (everyMs <= 0)
        return isOpenAt(nowMs) ? nowMs : 0;
    if (isOpenAt(nowMs))
        return nowMs;
    return repetitionStart(*this, nowMs) + everyMs;
}

bool MaintenanceWindow::covers(const QString &testName, const QList<QPair<QString, QStringList>> &seenOn) const
{
    if (!tests.isEmpty() && !tests.contains(testName))
        return false;
    if (agents.all)
        return true;
    // Every agent that saw the trouble must be in maintenance; one outside it is news.
    for (const auto &[name, tags] : seenOn) {
        if (!agents.covers(name, tags))
            return false;
    }
    return !seenOn.isEmpty();
}

bool MaintenanceWindow::check(QString *error) const
{
    if (!Validation::checkName(tr("maintenance window name"), name, error))
        return false;
    if (toMs <= fromMs) {
        *error = tr("The window must end after it starts: give --to later than --from.");
        return false;
    }
    if (everyMs != 0 && everyMs < MIN_EVERY_MS) {
        *error = tr("--every must be at least an hour (e.g. 1d or 1w).");
        return false;
    }
    if (everyMs != 0 && toMs - fromMs >= everyMs) {
        *error = tr("The window is as long as its repetition or longer, so it would never close; make it shorter "
                    "than --every.");
        return false;
    }
    for (const QString &test : tests) {
        if (!Validation::checkName(tr("test name"), test, error))
            return false;
    }
    return true;
}

} // namespace StreamSwarm::Console
