// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/models/recordtablemodel.h"
#include "console/storage/records.h"

namespace StreamSwarm::Console {

// The tests table of the main window: name, type, target, interval, state, agents. Fed with
// snapshots (setTests); lives on the GUI thread.
class TestListModel final : public RecordTableModel<TestRecord>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TestListModel)
public:
    enum Column { Name, Type, Target, Interval, State, Agents, ColumnCount };
    enum Role { TestIdRole = Qt::UserRole + 1, TestTypeRole };

    explicit TestListModel(QObject *parent = nullptr);

    void setTests(const QList<TestRecord> &tests, qint64 nowMs);
    const QList<TestRecord> &tests() const { return records(); }

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 m_nowMs = 0;
};

} // namespace StreamSwarm::Console
