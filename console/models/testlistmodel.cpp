// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testlistmodel.h"

#include "shared/util/duration.h"

namespace StreamSwarm::Console {

TestListModel::TestListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void TestListModel::setTests(const QList<TestRecord> &tests, qint64 nowMs)
{
    const bool sameRows = tests.size() == m_tests.size()
        && std::equal(tests.cbegin(), tests.cend(), m_tests.cbegin(),
            [](const TestRecord &a, const TestRecord &b) { return a.id == b.id; });
    m_nowMs = nowMs;
    if (sameRows) {
        m_tests = tests;
        if (!m_tests.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_tests = tests;
    endResetModel();
}

int TestListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tests.size());
}

int TestListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TestListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TestRecord &test = m_tests.at(index.row());
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
    case Agents:
        return test.allAgents ? tr("all") : test.agentNames.join(QLatin1String(", "));
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
