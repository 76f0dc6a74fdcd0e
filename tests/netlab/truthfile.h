// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace StreamSwarm::NetLab {

// One line of a truth file that the responder or the delay element wrote (tests/netlab/README.md):
// its key=value fields.
using TruthRecord = QHash<QString, QString>;

// The records of a truth file in file order, at most maxRecords (blank lines skipped). On a file that
// cannot be read: none, and *error says why.
QList<TruthRecord> readTruthFile(const QString &path, QString *error = nullptr, qsizetype maxRecords = 1'000'000);

} // namespace StreamSwarm::NetLab
