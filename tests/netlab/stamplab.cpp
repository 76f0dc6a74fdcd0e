// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "stamplab.h"

#include <QDeadlineTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int READY_TIMEOUT_MS = 10000;
// A token of the right shape: the reflector never enrolls.
constexpr auto UNUSED_TOKEN = "sse_0000000000000000_unusedunusedunusedunusedunusedunusedunused";

} // namespace

QProcess *startStampReflector(
    Lab &lab, const QString &ns, const QString &agentProgram, quint16 port, const QString &stateDir, QString *error)
{
    QProcess *reflector = lab.startProcess(ns, agentProgram,
        {u"--server"_s, u"ws://127.0.0.1:9"_s, u"--insecure"_s, u"--name"_s, u"reflector"_s, u"--state-dir"_s, stateDir,
            u"--token"_s, QString::fromLatin1(UNUSED_TOKEN), u"--stamp-port"_s, QString::number(port)},
        error);
    if (!reflector)
        return nullptr;
    QByteArray output;
    const QDeadlineTimer deadline(READY_TIMEOUT_MS);
    while (!output.contains("STAMP reflector answering")) {
        if (deadline.hasExpired() || reflector->state() == QProcess::NotRunning) {
            if (error)
                *error = u"The agent's STAMP reflector did not answer: "_s + QString::fromUtf8(output);
            return nullptr;
        }
        reflector->waitForReadyRead(100);
        output += reflector->readAllStandardError() + reflector->readAllStandardOutput();
    }
    return reflector;
}

qint64 nftCounted(const Lab &lab, const QString &ns, const QString &table)
{
    const CommandResult result = lab.run(ns, u"nft"_s, {u"-j"_s, u"list"_s, u"table"_s, u"ip"_s, table});
    if (!result.succeeded())
        return -1;
    qint64 packets = 0;
    const QJsonArray items = QJsonDocument::fromJson(result.out.toUtf8()).object().value(u"nftables"_s).toArray();
    for (const QJsonValue &item : items) {
        for (const QJsonValue &expression : item.toObject().value(u"rule"_s).toObject().value(u"expr"_s).toArray())
            packets += expression.toObject().value(u"counter"_s).toObject().value(u"packets"_s).toInteger();
    }
    return packets;
}

} // namespace StreamSwarm::NetLab
