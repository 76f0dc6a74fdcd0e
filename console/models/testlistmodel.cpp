// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testlistmodel.h"

#include "shared/util/duration.h"

namespace StreamSwarm::Console {

TestListModel::TestListModel(QObject *parent)
    : RecordTableModel(ColumnCount, parent)
{ }

void TestListModel::setTests(const QList<TestRecord> &tests, qint64 nowMs)
{
    m_nowMs = nowMs;
    replaceRecords(tests);
}

QVariant TestListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TestRecord &test = records().at(index.row());
    if (role == TestIdRole)
        return test.id;
    if (role == TestTypeRole)
        return test.type;
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return test.name;
    case Type:
        return test.type;
    case Target:
        return test.target;
    case Interval:
        return formatDurationMs(test.intervalMs);
    case State:
        return testStateName(test.stateAt(m_nowMs));
    case Agents: {
        if (test.allAgents)
            return tr("all");
        QStringList agents = test.agentNames;
        for (const QString &tag : test.agentTags)
            agents.append(tr("tag %1").arg(tag));
        return agents.join(QLatin1String(", "));
    }
    }
    return {};
}

QVariant TestListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Test");
    case Type:
        return tr("Type");
    case Target:
        return tr("Target");
    case Interval:
        return tr("Every");
    case State:
        return tr("State");
    case Agents:
        return tr("Agents");
    }
    return {};
}

} // namespace StreamSwarm::Console
