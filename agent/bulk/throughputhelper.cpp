// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "throughputhelper.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

QString throughputHelperProgram()
{
    if (const QString given = qEnvironmentVariable("STREAMSWARM_THROUGHPUT_HELPER"); !given.isEmpty())
        return given;
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath(QLatin1StringView(THROUGHPUT_HELPER_NAME)),
             here.filePath(u"../libexec/streamswarm/"_s + QLatin1StringView(THROUGHPUT_HELPER_NAME))}) {
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate);
    }
    return QString();
}

void stopThroughputHelper(QProcess *helper, const QObject *owner)
{
    if (!helper)
        return;
    helper->disconnect(owner);
    if (helper->state() != QProcess::NotRunning) {
        helper->kill();
        helper->waitForFinished(1000);
    }
    helper->deleteLater();
}

} // namespace StreamSwarm::Agent
