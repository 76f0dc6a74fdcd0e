// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include "console/models/recordtablemodel.h"
#include "console/storage/records.h"

namespace StreamSwarm::Console {

// The enrollment tokens table: name, state, uses left, expiry and creation in local time. Fed with
// snapshots (setTokens); never sees a token's text, which exists only once at creation. GUI thread.
class TokenListModel final : public RecordTableModel<TokenRecord>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenListModel)
public:
    enum Column { Name, State, UsesLeft, Expires, Created, ColumnCount };
    enum Role { TokenIdRole = Qt::UserRole + 1, TokenStateRole };

    explicit TokenListModel(QObject *parent = nullptr);

    void setTokens(const QList<TokenRecord> &tokens, qint64 nowMs);
    const QList<TokenRecord> &tokens() const { return records(); }
    int rowOf(qint64 tokenId) const; // -1 when absent

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    qint64 m_nowMs = 0;
};

} // namespace StreamSwarm::Console
