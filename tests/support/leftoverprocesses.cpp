// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "leftoverprocesses.h"

#include <algorithm>
#include <csignal>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QHash>
#include <QThread>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

namespace {

constexpr int MAX_ANCESTORS = 64; // a bound on the walk up; real chains are a handful deep

struct ProcessInfo
{
    qint64 parent = 0;
    QString exe;
    QList<QByteArray> arguments;
    QList<QByteArray> environment;
};

QList<QByteArray> readNulSeparated(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    QList<QByteArray> parts = file.readAll().split('\0');
    if (!parts.isEmpty() && parts.last().isEmpty())
        parts.removeLast();
    return parts;
}

// /proc/<pid>/stat: "pid (comm) state ppid ...", where comm may hold spaces and parentheses.
qint64 parentOf(const QString &procDir)
{
    QFile file(procDir + u"/stat"_s);
    if (!file.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray stat = file.readAll();
    const qsizetype close = stat.lastIndexOf(')');
    const QList<QByteArray> fields = stat.mid(close + 2).split(' ');
    return fields.size() > 1 ? fields.at(1).toLongLong() : 0;
}

ProcessInfo readProcess(qint64 pid)
{
    const QString dir = u"/proc/"_s + QString::number(pid);
    ProcessInfo info;
    info.parent = parentOf(dir);
    info.exe = QFile::symLinkTarget(dir + u"/exe"_s);
    // A program rebuilt while it runs reads "<path> (deleted)".
    if (info.exe.endsWith(u" (deleted)"_s))
        info.exe.chop(10);
    info.arguments = readNulSeparated(dir + u"/cmdline"_s);
    info.environment = readNulSeparated(dir + u"/environ"_s);
    return info;
}

QByteArray environmentValue(const ProcessInfo &info, const QByteArray &name)
{
    const QByteArray prefix = name + '=';
    for (const QByteArray &entry : info.environment) {
        if (entry.startsWith(prefix))
            return entry.mid(prefix.size());
    }
    return {};
}

} // namespace

QList<LeftoverProcess> leftoverProcesses(const QString &binaryDir, qint64 ownerTreatedAsGone)
{
    const QString tree = QDir::cleanPath(QFileInfo(binaryDir).absoluteFilePath());
    const QStringList programs{tree + u"/agent/streamswarm-agent"_s, tree + u"/console/streamswarm-console"_s};
    const QByteArray treeBytes = tree.toUtf8();

    QHash<qint64, ProcessInfo> processes;
    const QStringList entries = QDir(u"/proc"_s).entryList(QDir::Dirs | QDir::NoDotAndDotDot);
    for (const QString &entry : entries) {
        bool number = false;
        const qint64 pid = entry.toLongLong(&number);
        if (number && pid > 0)
            processes.insert(pid, readProcess(pid));
    }
    const auto isOurs = [&](const ProcessInfo &info) {
        if (programs.contains(info.exe))
            return true;
        return std::any_of(info.arguments.cbegin(), info.arguments.cend(),
            [&](const QByteArray &argument) { return programs.contains(QString::fromUtf8(argument)); });
    };
    const auto isUnderTest = [&](const ProcessInfo &info) {
        return environmentValue(info, "STREAMSWARM_BINARY_DIR") == treeBytes;
    };

    QList<LeftoverProcess> leftovers;
    for (auto it = processes.cbegin(); it != processes.cend(); ++it) {
        const ProcessInfo &info = it.value();
        if (it.key() == QCoreApplication::applicationPid() || !isOurs(info) || !isUnderTest(info))
            continue;
        const qint64 owner = environmentValue(info, "STREAMSWARM_TEST_OWNER").toLongLong();
        if (owner > 0 && owner != ownerTreatedAsGone && processes.contains(owner)
            && isUnderTest(processes.value(owner)))
            continue;
        bool owned = false;
        qint64 ancestor = info.parent;
        for (int depth = 0; depth < MAX_ANCESTORS && ancestor > 1 && !owned; ++depth) {
            const auto found = processes.constFind(ancestor);
            if (found == processes.cend())
                break;
            owned = !isOurs(found.value()) && isUnderTest(found.value());
            ancestor = found.value().parent;
        }
        if (owned)
            continue;
        QStringList arguments;
        for (const QByteArray &argument : info.arguments)
            arguments.append(QString::fromUtf8(argument));
        leftovers.append({it.key(), arguments.join(u' ')});
    }
    std::sort(leftovers.begin(), leftovers.end(),
        [](const LeftoverProcess &a, const LeftoverProcess &b) { return a.pid < b.pid; });
    return leftovers;
}

QList<LeftoverProcess> killLeftovers(const QList<LeftoverProcess> &processes, int timeoutMs)
{
    for (const LeftoverProcess &process : processes)
        ::kill(pid_t(process.pid), SIGKILL);
    QDeadlineTimer deadline(timeoutMs);
    QList<LeftoverProcess> remaining = processes;
    while (!remaining.isEmpty()) {
        // Gone, or a zombie that init reaps: either way it runs no more.
        remaining.removeIf([](const LeftoverProcess &process) {
            QFile stat(u"/proc/"_s + QString::number(process.pid) + u"/stat"_s);
            if (!stat.open(QIODevice::ReadOnly))
                return true;
            const QByteArray text = stat.readAll();
            const qsizetype close = text.lastIndexOf(')');
            return close < 0 || text.mid(close + 2, 1) == "Z";
        });
        if (remaining.isEmpty() || deadline.hasExpired())
            break;
        QThread::msleep(20);
    }
    return remaining;
}

} // namespace StreamSwarm::Test
