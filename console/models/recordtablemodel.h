// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <algorithm>

#include <QAbstractTableModel>
#include <QList>

namespace StreamSwarm::Console {

// The shared part of the window's tables: one row per record (anything with an id), replaced by
// snapshots from the service. GUI thread.
template <typename Record>
class RecordTableModel : public QAbstractTableModel
{
public:
    RecordTableModel(int columnCount, QObject *parent)
        : QAbstractTableModel(parent)
        , m_columnCount(columnCount)
    { }

    const QList<Record> &records() const { return m_records; }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_records.size()); }
    int columnCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : m_columnCount; }

protected:
    // The same ids in the same order are updated in place, so selections in the views survive a
    // refresh; anything else resets the model.
    void replaceRecords(const QList<Record> &records)
    {
        const bool sameRows = records.size() == m_records.size()
            && std::equal(records.cbegin(), records.cend(), m_records.cbegin(),
                [](const Record &a, const Record &b) { return a.id == b.id; });
        if (sameRows) {
            m_records = records;
            if (!m_records.isEmpty())
                Q_EMIT this->dataChanged(this->index(0, 0), this->index(rowCount() - 1, m_columnCount - 1));
            return;
        }
        this->beginResetModel();
        m_records = records;
        this->endResetModel();
    }

private:
    QList<Record> m_records;
    int m_columnCount;
};

} // namespace StreamSwarm::Console
