// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "turnserver.h"

#include <algorithm>
#include <climits>
#include <utility>

#include "agent/bulk/bulkslot.h"
#include "agent/bulk/throughputhelper.h"
#include "shared/util/duration.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

// The most of the helper's stderr kept: its "listening PORT" line, or a complaint to pass on.
constexpr qsizetype MAX_SAID_BYTES = 4096;

} // namespace

TurnServer::TurnServer(QObject *parent)
    : QObject(parent)
{
    m_waitLimit.setSingleShot(true);
    m_waitLimit.setTimerType(Qt::PreciseTimer);
    connect(&m_waitLimit, &QTimer::timeout, this, [this] {
        answer(0,
            tr("its own bandwidth test was still running after the %1 the turn could wait.")
                .arg(formatDurationMs(m_waitLimit.interval())));
        finish();
    });
    m_limit.setSingleShot(true);
    m_limit.setTimerType(Qt::PreciseTimer);
    connect(&m_limit, &QTimer::timeout, this, [this] {
        if (!m_answered)
            answer(0, tr("its iperf3 server did not start listening in time."));
        finish();
    });
}

TurnServer::~TurnServer()
{
    finish();
}

void TurnServer::serve(const Protocol::Serve &order)
{
    finish(); // the console gives one turn at a time: an earlier one is over
    m_lease = order.lease;
    m_limitMs = order.limitMs;
    m_answered = false;
    m_waitLimit.start(int(std::clamp<qint64>(order.waitMs, 0, INT_MAX)));
    BulkSlot::instance().request(this, [this] {
        m_waitLimit.stop();
        launch();
    });
}

void TurnServer::stop(qint64 lease)
{
    if (lease == m_lease)
        finish();
}

void TurnServer::stopAll()
{
    finish();
}

void TurnServer::launch()
{
    const QString program = throughputHelperProgram();
    if (program.isEmpty()) {
        answer(0,
            tr("the bandwidth helper %1 is not installed beside it; reinstall the agent package.")
                .arg(QLatin1StringView(THROUGHPUT_HELPER_NAME)));
        finish();
        return;
    }
    auto *helper = new QProcess(this);
    m_helper = helper;
    m_said.clear();
    helper->setProgram(program);
    helper->setArguments({u"server"_s, u"0"_s});
    helper->setStandardInputFile(QProcess::nullDevice());
    helper->setStandardOutputFile(QProcess::nullDevice()); // the report is the measuring agent's to read
    connect(helper, &QProcess::readyReadStandardError, this, &TurnServer::readHelperOutput);
    connect(helper, &QProcess::finished, this, [this, helper] {
        if (helper != m_helper)
            return;
        readHelperOutput();
        if (!m_answered) {
            const QString said = QString::fromUtf8(m_said).trimmed().left(300);
            answer(0,
                tr("its iperf3 server ended before it listened (%1).")
                    .arg(said.isEmpty() ? tr("exit status %1").arg(helper->exitCode()) : said));
        }
        finish(); // one measurement served: the turn's port is closed
    });
    connect(helper, &QProcess::errorOccurred, this, [this, helper](QProcess::ProcessError error) {
        if (error != QProcess::FailedToStart || helper != m_helper)
            return;
        answer(0, tr("its bandwidth helper %1 could not start: %2.").arg(helper->program(), helper->errorString()));
        finish();
    });
    m_limit.start(int(std::clamp<qint64>(m_limitMs, 0, INT_MAX)));
    helper->start();
}

void TurnServer::readHelperOutput()
{
    if (!m_helper)
        return;
    m_said += m_helper->readAllStandardError();
    if (m_said.size() > MAX_SAID_BYTES)
        m_said = m_said.right(MAX_SAID_BYTES);
    if (m_answered)
        return;
    static constexpr QByteArrayView prefix = "listening ";
    for (const QByteArray &line : m_said.split('\n')) {
        if (!line.startsWith(prefix))
            continue;
        bool ok = false;
        const uint port = line.mid(prefix.size()).trimmed().toUInt(&ok);
        if (ok && port > 0 && port <= 65535) {
            answer(quint16(port), QString());
            return;
        }
    }
}

void TurnServer::answer(quint16 port, const QString &error)
{
    if (m_answered || !m_lease)
        return;
    m_answered = true;
    qCDebug(lcAgent).noquote() << "serving bandwidth turn" << m_lease << "on port" << port << error;
    Q_EMIT sendToConsole({Protocol::Serving{m_lease, port, error}});
}

void TurnServer::finish()
{
    m_waitLimit.stop();
    m_limit.stop();
    m_lease = 0;
    BulkSlot::instance().release(this);
    stopThroughputHelper(std::exchange(m_helper, nullptr), this);
}

} // namespace StreamSwarm::Agent
