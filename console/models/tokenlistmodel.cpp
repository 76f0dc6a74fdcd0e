// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tokenlistmodel.h"

#include <algorithm>

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// The locale's short date and time, without seconds (only the C locale's format has them).
QString localTime(qint64 ms)
{
    const QLocale locale;
    return locale.toString(
        QDateTime::fromMSecsSinceEpoch(ms), locale.dateTimeFormat(QLocale::ShortFormat).remove(u":ss"_s));
}

} // namespace

TokenListModel::TokenListModel(QObject *parent)
    : QAbstractTableModel(parent)
{ }

void TokenListModel::setTokens(const QList<TokenRecord> &tokens, qint64 nowMs)
{
    // Same rows in the same order: update in place so the selection survives a refresh.
    const bool sameRows = tokens.size() == m_tokens.size()
        && std::equal(tokens.cbegin(), tokens.cend(), m_tokens.cbegin(),
            [](const TokenRecord &a, const TokenRecord &b) { return a.id == b.id; });
    m_nowMs = nowMs;
    if (sameRows) {
        m_tokens = tokens;
        if (!m_tokens.isEmpty())
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1));
        return;
    }
    beginResetModel();
    m_tokens = tokens;
    endResetModel();
}

int TokenListModel::rowOf(qint64 tokenId) const
{
    const auto it = std::find_if(
        m_tokens.cbegin(), m_tokens.cend(), [tokenId](const TokenRecord &token) { return token.id == tokenId; });
    return it != m_tokens.cend() ? int(it - m_tokens.cbegin()) : -1;
}

int TokenListModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_tokens.size());
}

int TokenListModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant TokenListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TokenRecord &token = m_tokens.at(index.row());
    const TokenState state = token.stateAt(m_nowMs);
    if (role == TokenIdRole)
        return token.id;
    if (role == TokenStateRole)
        return int(state);
    if (role == Qt::ToolTipRole && index.column() == State) {
        switch (state) {
        case TokenState::Active:
            return tr("New agents can enroll with this token.");
        case TokenState::Expired:
            return tr("This token has expired; agents can no longer enroll with it.");
        case TokenState::UsedUp:
            return tr("Every enrollment this token allowed has been used.");
        case TokenState::Revoked:
            return tr("This token was revoked; agents can no longer enroll with it.");
        }
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Name:
        return token.name;
    case State:
        return tokenStateName(state);
    case UsesLeft:
        return QLocale().toString(token.usesLeft);
    case Expires:
        return token.expiresAtMs ? localTime(token.expiresAtMs) : tr("never");
    case Created:
        return localTime(token.createdAtMs);
    }
    return {};
}

QVariant TokenListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Name:
        return tr("Token");
    case State:
        return tr("State");
    case UsesLeft:
        return tr("Uses left");
    case Expires:
        return tr("Expires");
    case Created:
        return tr("Created");
    }
    return {};
}

} // namespace StreamSwarm::Console
