// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QWidget>

#include "console/storage/records.h"
#include "shared/protocol/messages.h"

class QHeaderView;
class QLabel;
class QLineEdit;
class QSortFilterProxyModel;
class QTableView;

namespace StreamSwarm::Console {

class ConsoleService;
class ResultsModel;

// The charted agent's test as a table of rounds over the last day: sortable by any column, filtered
// by what the user types, copied with Ctrl+C, and the chosen rows (or all) exported as CSV or JSON.
// GUI thread.
class ResultsPane final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ResultsPane)
public:
    static constexpr qint64 SPAN_MS = 24 * 3600 * 1000;
    enum class Format { Csv, Json };

    explicit ResultsPane(ConsoleService *service, QWidget *parent = nullptr);
    ~ResultsPane() override;

    // Loads this agent's rounds of the test (either may be null: the table empties).
    void showTest(const AgentRecord *agent, const TestRecord *test);
    void addRounds(qint64 agentId, const QList<Protocol::Round> &rounds);

    QTableView *view() const { return m_view; }
    QHeaderView *header() const;
    // The selected rows, in the order shown; all shown rows when none is selected.
    QList<int> chosenRows() const;
    void copyChosen() const;
    // Writes the chosen rows to path; false and why.
    bool exportTo(const QString &path, Format format, QString *error) const;

private:
    void handleExport();
    void updateCount();

    ConsoleService *m_service;
    ResultsModel *m_model;
    QSortFilterProxyModel *m_proxy;
    QLineEdit *m_filter;
    QLabel *m_count;
    QTableView *m_view;
    qint64 m_agentId = 0;
    qint64 m_testId = 0;
    quint64 m_generation = 0; // a load for a chart the user has left is dropped
    bool m_loading = false;
};

} // namespace StreamSwarm::Console
