// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QList>
#include <QStringList>

#include "shared/protocol/details.h"

namespace StreamSwarm::Console {

// The newest round's detail of a service test, for the table under its chart: one sentence on what
// was agreed or answered, and a table (a TLS server's certificate chain, a DNS server's answers,
// a host's drives).
// Each detail kind says what its table holds in detailmodel.cpp. No widgets. GUI thread.
class DetailModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DetailModel)
public:
    explicit DetailModel(QObject *parent = nullptr);

    // A round's detail; a kind without a table empties the model.
    void setDetail(const Protocol::RoundDetail &detail);
    QString summary() const { return m_summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    void setWireless(const Protocol::WirelessDetail &wifi);
    void setVoice(const Protocol::VoiceDetail &voice);
    void setBandwidth(const Protocol::BandwidthDetail &bandwidth);

    QString m_summary;
    QStringList m_headers;
    QList<QStringList> m_rows;
    QList<QString> m_tooltips; // per row: the whole of what a cell may cut short
};

} // namespace StreamSwarm::Console
