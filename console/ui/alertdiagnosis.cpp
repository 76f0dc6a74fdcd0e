// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertdiagnosis.h"

#include <algorithm>
#include <memory>

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/detailmodel.h"
#include "console/models/pathmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/listwidgets.h"
#include "console/ui/tableproxies.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr qint64 BEFORE_FIRING_MS = 60 * 1000; // the short tests start when the alert fires

} // namespace

AlertDiagnosis::AlertDiagnosis(ConsoleService *service, QWidget *parent)
    : QWidget(parent)
    , m_service(service)
    , m_heading(new QLabel(this))
    , m_agent(new QComboBox(this))
    , m_pathSummary(new QLabel(this))
    , m_pathModel(new PathModel(this))
    , m_pathView(new QTableView(this))
    , m_dns(new QLabel(this))
{
    setObjectName(u"alertDiagnosis"_s);
    m_heading->setObjectName(u"diagnosisHeading"_s);
    m_heading->setWordWrap(true);
    m_heading->setTextFormat(Qt::PlainText);
    m_agent->setObjectName(u"diagnosisAgent"_s);
    m_agent->setToolTip(tr("The agent whose view of the path is shown"));
    m_agent->hide();
    m_pathSummary->setObjectName(u"diagnosisSummary"_s);
    m_pathSummary->setWordWrap(true);
    m_pathSummary->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dns->setObjectName(u"diagnosisDns"_s);
    m_dns->setWordWrap(true);
    m_dns->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_dns->hide();

    // Address, loss and RTT per hop: the columns that say where the trouble starts.
    m_pathView->setObjectName(u"diagnosisPathView"_s);
    m_pathView->setModel(new PathTableProxy(m_pathModel, this));
    setUpListTable(m_pathView);
    m_pathView->setSelectionMode(QAbstractItemView::NoSelection);
    for (int column : {PathModel::Sent, PathModel::Last, PathModel::Best, PathModel::Worst, PathModel::StdDev})
        m_pathView->setColumnHidden(column, true);
    QHeaderView *header = m_pathView->horizontalHeader();
    header->setStretchLastSection(false);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(PathModel::Host, QHeaderView::Stretch);

    auto *top = new QHBoxLayout;
    top->addWidget(m_heading, 1);
    top->addWidget(m_agent);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(top);
    layout->addWidget(m_pathSummary);
    layout->addWidget(m_pathView, 1);
    layout->addWidget(m_dns);

    connect(m_agent, &QComboBox::currentIndexChanged, this, &AlertDiagnosis::load);
    connect(m_service, &ConsoleService::roundsStored, this, &AlertDiagnosis::handleRoundsStored);
    connect(m_service, &ConsoleService::testsChanged, this, &AlertDiagnosis::handleTestsChanged);
    showIncident(nullptr);
}

AlertDiagnosis::~AlertDiagnosis() = default;

QString AlertDiagnosis::headingText() const
{
    return m_heading->text();
}

QString AlertDiagnosis::dnsText() const
{
    return m_dns->isHidden() ? QString() : m_dns->text();
}

void AlertDiagnosis::showIncident(const AlertIncident *incident)
{
    const qint64 id = incident ? incident->id : 0;
    if (id == m_incidentId && id != 0)
        return; // the same evidence; new rounds of it come through handleRoundsStored
    m_incidentId = id;
    m_startedAtMs = incident ? incident->startedAtMs : 0;
    m_target.clear();
    m_pathTest.clear();
    m_dnsTest.clear();
    if (incident && !incident->diagnosis.isEmpty()) {
        const QJsonObject evidence = QJsonDocument::fromJson(incident->diagnosis.toUtf8()).object();
        m_target = evidence.value(u"target"_s).toString();
        for (const QJsonValue &name : evidence.value(u"tests"_s).toArray()) {
            // The test's type says what it is; a test no longer listed, its name (diag-N-path, -dns).
            const QString test = name.toString();
            const auto &tests = m_service->tests();
            const auto record = std::find_if(
                tests.cbegin(), tests.cend(), [&](const TestRecord &candidate) { return candidate.name == test; });
            const TestTypes::TestType *type = record != tests.cend() ? TestTypes::find(record->type) : nullptr;
            const Protocol::DetailKind kind = type ? type->detailKind : Protocol::DetailKind::None;
            if (kind == Protocol::DetailKind::Traceroute || (!type && test.endsWith(u"-path")))
                m_pathTest = test;
            else if (kind == Protocol::DetailKind::Dns || (!type && test.endsWith(u"-dns")))
                m_dnsTest = test;
        }
    }
    const QSignalBlocker quiet(m_agent);
    m_agent->clear();
    if (incident)
        m_agent->addItems(incident->agents);
    m_agent->setVisible(m_agent->count() > 1);
    load();
}

qint64 AlertDiagnosis::testId(const QString &name) const
{
    for (const TestRecord &test : m_service->tests()) {
        if (test.name == name)
            return test.id;
    }
    return 0;
}

bool AlertDiagnosis::stillRuns(const QString &test) const
{
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const TestRecord &record : m_service->tests()) {
        if (record.name == test) {
            const TestState state = record.stateAt(now);
            return state == TestState::Running || state == TestState::Scheduled;
        }
    }
    return false;
}

qint64 AlertDiagnosis::agentId(const QString &name) const
{
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.name == name)
            return agent.id;
    }
    return 0;
}

void AlertDiagnosis::showMessage(const QString &text)
{
    m_heading->setText(text);
    m_pathSummary->clear();
    m_pathSummary->hide();
    m_pathModel->clear();
    m_pathView->hide();
    m_dns->hide();
}

void AlertDiagnosis::load()
{
    const quint64 generation = ++m_generation;
    if (!m_incidentId) {
        showMessage(tr("Choose a time the alert fired to see the evidence taken then."));
        Q_EMIT loaded();
        return;
    }
    if (m_pathTest.isEmpty() && m_dnsTest.isEmpty()) {
        showMessage(tr("No diagnosis was taken."));
        Q_EMIT loaded();
        return;
    }
    const QString agentName = m_agent->currentText();
    const qint64 agent = agentId(agentName);
    if (!agent) {
        showMessage(tr("No diagnosis to show: the agent %1 is no longer enrolled.").arg(agentName));
        Q_EMIT loaded();
        return;
    }
    m_heading->setText(tr("From %1 to %2, when the alert fired:").arg(agentName, m_target));
    m_heading->setToolTip(QStringList{m_pathTest, m_dnsTest}.join(u' ').trimmed());
    m_pathSummary->show();
    m_pathView->setVisible(!m_pathTest.isEmpty());
    m_dns->setVisible(!m_dnsTest.isEmpty());
    m_pathModel->clear();
    m_pathSummary->setText(m_pathTest.isEmpty() ? tr("No traceroute was taken.") : tr("Loading…"));
    m_dns->setText(tr("Loading…"));

    auto pending = std::make_shared<int>(0);
    const auto read = [this, agent, generation, pending](const QString &test, auto show) {
        const qint64 id = testId(test);
        if (!id) {
            show(Result<ChartHistory>::failure(tr("the console does not list the test %1").arg(test)));
            return;
        }
        ChartHistoryRequest request;
        request.agentId = agent;
        request.testId = id;
        request.fromMs = m_startedAtMs - BEFORE_FIRING_MS;
        request.latestDetail = true;
        ++*pending;
        m_service->administration()->chartHistory(
            request, this, [this, generation, pending, show](const Result<ChartHistory> &history) {
                if (generation != m_generation)
                    return;
                show(history);
                if (--*pending == 0)
                    Q_EMIT loaded();
            });
    };
    if (!m_pathTest.isEmpty()) {
        read(m_pathTest, [this](const Result<ChartHistory> &history) {
            const DetailRecord record = history ? history->latestDetail : DetailRecord();
            if (!history) {
                m_pathSummary->setText(tr("The traceroute could not be read: %1").arg(history.error()));
            } else if (record.detail.kind() == Protocol::DetailKind::Traceroute) {
                m_pathModel->setDetail(record.detail);
                m_pathSummary->setText(tr("%1 (newest round of %2)").arg(m_pathModel->summary(), m_pathTest));
            } else if (!record.error.isEmpty()) {
                m_pathSummary->setText(tr("The traceroute %1 failed: %2").arg(m_pathTest, record.error));
            } else if (stillRuns(m_pathTest)) {
                m_pathSummary->setText(
                    tr("The traceroute %1 has not sent a round yet; it runs %n rounds after the alert fires.", nullptr,
                        Operations::DIAGNOSIS_ROUNDS)
                        .arg(m_pathTest));
            } else {
                m_pathSummary->setText(
                    tr("The traceroute %1 sent no round; the agent may have been offline.").arg(m_pathTest));
            }
        });
    }
    if (!m_dnsTest.isEmpty()) {
        read(m_dnsTest, [this](const Result<ChartHistory> &history) {
            const DetailRecord record = history ? history->latestDetail : DetailRecord();
            if (!history) {
                m_dns->setText(tr("The DNS lookup could not be read: %1").arg(history.error()));
            } else if (record.detail.kind() == Protocol::DetailKind::Dns) {
                DetailModel answer;
                answer.setDetail(record.detail);
                m_dns->setText(tr("DNS lookup: %1").arg(answer.summary()));
            } else if (!record.error.isEmpty()) {
                m_dns->setText(tr("The DNS lookup of %1 failed: %2").arg(m_target, record.error));
            } else {
                m_dns->setText(stillRuns(m_dnsTest) ? tr("The DNS lookup %1 has not answered yet.").arg(m_dnsTest)
                                                    : tr("The DNS lookup %1 sent no answer.").arg(m_dnsTest));
            }
        });
    }
    if (*pending == 0)
        Q_EMIT loaded(); // nothing was asked of the database
}

// An alert that has just fired names short tests the console's list may not hold yet.
void AlertDiagnosis::handleTestsChanged()
{
    const bool missing = (!m_pathTest.isEmpty() && !testId(m_pathTest)) || (!m_dnsTest.isEmpty() && !testId(m_dnsTest));
    if (m_incidentId && missing)
        load();
}

void AlertDiagnosis::handleRoundsStored(qint64 agentId, const QList<Protocol::Round> &rounds)
{
    if (!m_incidentId || agentId != this->agentId(m_agent->currentText()))
        return;
    const qint64 path = testId(m_pathTest);
    const qint64 dns = testId(m_dnsTest);
    for (const Protocol::Round &round : rounds) {
        if ((path && round.testId == path) || (dns && round.testId == dns)) {
            load();
            return;
        }
    }
}

} // namespace StreamSwarm::Console
