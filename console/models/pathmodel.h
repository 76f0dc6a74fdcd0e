// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QAbstractTableModel>
#include <QList>

#include "shared/protocol/details.h"

namespace StreamSwarm::Console {

// The hops of a traceroute test's newest round, mtr-style: one row per hop with its address (and
// name), loss and RTT figures, marking the hop where loss or latency starts and the hops that only
// limit their own ICMP replies (MarkRole; the window picks colours for them). Fed with the round's
// detail record; no widgets, no painting. GUI thread.
class PathModel final : public QAbstractTableModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PathModel)
public:
    enum Column { Hop, Host, Loss, Sent, Last, Avg, Best, Worst, StdDev, ColumnCount };
    enum Role { MarkRole = Qt::UserRole + 1 };
    // What a cell stands for: where loss or latency starts (Alarm), loss that only an ICMP rate limit
    // makes (Muted).
    enum class Mark { None, Muted, Alarm };
    Q_ENUM(Mark)

    explicit PathModel(QObject *parent = nullptr);

    // A traceroute round's detail; anything else empties the model.
    void setDetail(const Protocol::RoundDetail &detail);
    void clear();
    // One sentence on the path: whether it reached the target, and where loss or latency starts.
    QString summary() const { return m_summary; }

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    struct Member
    {
        QString address;
        QString name;
        qint64 received = 0;
    };
    struct Row
    {
        int ttl = 0;
        QString address; // empty when nothing answered
        QString name;
        qint64 sent = 0;
        qint64 received = 0;
        double lossPct = 0;
        bool hasRtt = false;
        double last = 0, avg = 0, best = 0, worst = 0, stddev = 0;
        QList<Member> members; // every address seen at this hop (load balancing), primary first
        bool lossStartsHere = false;
        double lossStepPct = 0;
        bool latencyStartsHere = false;
        double latencyStepMs = 0;
        bool rateLimited = false;
    };

    QString hostText(const Row &row) const;
    QString hostToolTip(const Row &row) const;
    QString describeSummary(const Protocol::TracerouteDetail &path) const;

    QList<Row> m_rows;
    QString m_summary;
};

} // namespace StreamSwarm::Console
