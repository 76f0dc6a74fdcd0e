// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "truthfile.h"

#include <algorithm>
#include <cmath>

#include <QFile>
#include <QStringList>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

QList<TruthRecord> readTruthFile(const QString &path, QString *error, qsizetype maxRecords)
{
    QList<TruthRecord> records;
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly | QIODevice::Text)) {
        if (error)
            *error = u"Cannot read the truth file %1: %2."_s.arg(path, file.errorString());
        return records;
    }
    while (!file.atEnd() && records.size() < maxRecords) {
        TruthRecord record;
        const QStringList fields = QString::fromUtf8(file.readLine()).trimmed().split(u' ', Qt::SkipEmptyParts);
        for (const QString &field : fields)
            record.insert(field.section(u'=', 0, 0), field.section(u'=', 1));
        if (!record.isEmpty())
            records.append(record);
    }
    return records;
}

std::vector<Held> heldInReleaseOrder(
    const QString &path, const QHostAddress &source, const QHostAddress &destination, int *others, QString *error)
{
    std::vector<Held> held;
    *others = 0;
    const QList<TruthRecord> records = readTruthFile(path, error, 100000);
    if (records.isEmpty() && !error->isEmpty())
        return held;
    for (const TruthRecord &fields : records) {
        if (fields.value(u"proto"_s) != u"udp"_s || QHostAddress(fields.value(u"src"_s)) != source
            || QHostAddress(fields.value(u"dst"_s)) != destination) {
            ++*others;
            continue;
        }
        if (fields.value(u"fate"_s) != u"released"_s) {
            *error = u"Test packet n=%1 was not released on time (fate=%2)."_s.arg(
                fields.value(u"n"_s), fields.value(u"fate"_s));
            return {};
        }
        Held packet;
        packet.number = fields.value(u"n"_s).toLongLong();
        packet.delayNs = fields.value(u"delay_ns"_s).toLongLong();
        packet.lateNs = fields.value(u"late_ns"_s).toLongLong();
        packet.dueNs = fields.value(u"arrival_ns"_s).toLongLong() + packet.delayNs;
        packet.releaseNs = packet.dueNs + packet.lateNs;
        held.push_back(packet);
    }
    std::sort(held.begin(), held.end(), [](const Held &a, const Held &b) {
        return a.releaseNs != b.releaseNs ? a.releaseNs < b.releaseNs : a.number < b.number;
    });
    return held;
}

double rfc3550JitterMs(const std::vector<Held> &order, bool withLateness)
{
    double jitter = 0;
    for (size_t i = 1; i < order.size(); ++i) {
        const qint64 previous = order[i - 1].delayNs + (withLateness ? order[i - 1].lateNs : 0);
        const qint64 current = order[i].delayNs + (withLateness ? order[i].lateNs : 0);
        jitter += (std::abs(double(current - previous)) / 1e6 - jitter) / 16.0;
    }
    return jitter;
}

} // namespace StreamSwarm::NetLab
