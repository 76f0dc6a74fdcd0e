// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QStringList>
#include <QWidget>

#include "console/alerts/alertincident.h"
#include "shared/protocol/messages.h"

class QComboBox;
class QLabel;
class QTableView;

namespace StreamSwarm::Console {

class ConsoleService;
class PathModel;

// The evidence taken when an alert fired: the path its traceroute (the short test diag-N-path) saw
// from an agent in trouble, hop by hop with loss and RTT, and what its DNS lookup (diag-N-dns)
// answered. Read through the application layer; follows the short tests' rounds while they run.
// GUI thread.
class AlertDiagnosis final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AlertDiagnosis)
public:
    explicit AlertDiagnosis(ConsoleService *service, QWidget *parent = nullptr);
    ~AlertDiagnosis() override;

    // Shows this incident's evidence; nullptr: none chosen.
    void showIncident(const AlertIncident *incident);

    QTableView *pathView() const { return m_pathView; }
    PathModel *pathModel() const { return m_pathModel; }
    QString headingText() const;
    QString dnsText() const;

Q_SIGNALS:
    void loaded(); // what the database holds for the chosen agent is shown

private:
    void load();
    void handleRoundsStored(qint64 agentId, const QList<StreamSwarm::Protocol::Round> &rounds);
    void handleTestsChanged();
    qint64 testId(const QString &name) const;
    qint64 agentId(const QString &name) const;
    bool stillRuns(const QString &test) const; // the short test may still send rounds
    void showMessage(const QString &text);

    ConsoleService *m_service;
    QLabel *m_heading;
    QComboBox *m_agent;
    QLabel *m_pathSummary;
    PathModel *m_pathModel;
    QTableView *m_pathView;
    QLabel *m_dns;
    qint64 m_incidentId = 0;
    qint64 m_startedAtMs = 0;
    QString m_target;
    QString m_pathTest;
    QString m_dnsTest;
    quint64 m_generation = 0; // an answer for an incident or agent the user has left is dropped
};

} // namespace StreamSwarm::Console
