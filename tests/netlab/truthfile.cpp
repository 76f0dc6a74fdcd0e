// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "truthfile.h"

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

} // namespace StreamSwarm::NetLab
