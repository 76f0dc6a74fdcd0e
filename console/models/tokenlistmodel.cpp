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
    : RecordTableModel(ColumnCount, parent)
{ }

void TokenListModel::setTokens(const QList<TokenRecord> &tokens, qint64 nowMs)
{
    m_nowMs = nowMs;
    replaceRecords(tokens);
}

int TokenListModel::rowOf(qint64 tokenId) const
{
    const auto it = std::find_if(
        records().cbegin(), records().cend(), [tokenId](const TokenRecord &token) { return token.id == tokenId; });
    return it != records().cend() ? int(it - records().cbegin()) : -1;
}

QVariant TokenListModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const TokenRecord &token = records().at(index.row());
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
