// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "deployment.h"

#include <QDateTime>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QThread>

#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int POLL_INTERVAL_MS = 500;
constexpr qint64 TOKEN_VALIDITY_MS = 3600 * 1000; // long enough for a slow apt-get, short if it leaks

// "deploy-web1.example.net-20261207T021500-3fa9c1": the host and moment in the token list, and a random
// end, as names stay taken for good and two rows may name the same host.
QString tokenNameFor(const DeployTarget &target)
{
    QString host = target.host;
    host.replace(QRegularExpression(u"[^A-Za-z0-9._-]"_s), u"-"_s);
    const QString end = QDateTime::currentDateTimeUtc().toString(u"yyyyMMddThhmmss"_s) + u'-'
        + QString::number(QRandomGenerator::global()->bounded(0x1000000), 16).rightJustified(6, u'0');
    return u"deploy-"_s + host.left(Validation::MAX_NAME_LENGTH - 8 - end.size()) + u'-' + end;
}

// "Installed 0.2.0", "Upgraded 0.1.0 to 0.2.0", "Installed 0.2.0 again".
QString installedWhat(const DeployReport &report)
{
    if (report.previousVersion.isEmpty())
        return Deployment::tr("Installed %1").arg(report.version);
    if (report.previousVersion == report.version)
        return Deployment::tr("Installed %1 again").arg(report.version);
    return Deployment::tr("Upgraded %1 to %2").arg(report.previousVersion, report.version);
}

} // namespace

Deployment::Deployment(QList<DeployTarget> targets, DeployParameters parameters, ConsoleAddress console,
    DeployRegistry *registry, QObject *parent)
    : QObject(parent)
    , m_parameters(std::move(parameters))
    , m_console(std::move(console))
    , m_registry(registry)
{
    for (DeployTarget &target : targets)
        m_hosts.append(Host{std::move(target), {}, {}, {}, nullptr, {}, 0, false});
    m_poll.setInterval(POLL_INTERVAL_MS);
    connect(&m_poll, &QTimer::timeout, this, &Deployment::pollAgents);
}

Deployment::~Deployment()
{
    for (Host &host : m_hosts) {
        if (host.job)
            host.job->cancel();
        if (host.thread) {
            host.thread->quit();
            host.thread->wait();
            delete host.job; // its deleteLater would come after this object is gone
        }
    }
}

QByteArray Deployment::agentSettings(const ConsoleAddress &console, const QString &token, const QString &agentName)
{
    QString text = u"# Written by streamswarm-console deploy on %1.\n[agent]\n"_s.arg(
        QDateTime::currentDateTimeUtc().toString(Qt::ISODate));
    text += u"server = %1\n"_s.arg(console.serverUrl);
    if (!console.fingerprint.isEmpty())
        text += u"fingerprint = %1\n"_s.arg(console.fingerprint);
    text += u"# Used once to enroll; the agent then keeps its own credential.\ntoken = %1\n"_s.arg(token);
    text += u"name = %1\n"_s.arg(agentName);
    return text.toUtf8();
}

bool Deployment::allEnded() const
{
    return std::all_of(m_hosts.cbegin(), m_hosts.cend(), [](const Host &host) { return host.status.ended(); });
}

void Deployment::start()
{
    for (int index = 0; index < m_hosts.size(); ++index)
        update(index, DeployStatus::State::Queued, tr("Waiting for its turn"));
    startNext();
    if (m_hosts.isEmpty())
        QMetaObject::invokeMethod(this, &Deployment::finished, Qt::QueuedConnection);
}

void Deployment::startNext()
{
    for (int index = 0; index < m_hosts.size() && m_running < PARALLEL_HOSTS; ++index) {
        Host &host = m_hosts[index];
        if (host.status.state != DeployStatus::State::Queued)
            continue;
        ++m_running;
        update(index, DeployStatus::State::Working, tr("Making an enrollment token"));
        host.startedAtMs = QDateTime::currentMSecsSinceEpoch();
        host.tokenName = tokenNameFor(host.target);
        host.tokenPending = true;
        const TokenRequest request{host.tokenName, 1, TOKEN_VALIDITY_MS, {}};
        m_registry->issueToken(request, [this, index](const Result<IssuedToken> &token) {
            Host &asked = m_hosts[index];
            if (asked.status.ended()) { // cancelled meanwhile, and end() freed its turn
                if (token)
                    m_registry->revokeToken(token->name);
                return;
            }
            asked.tokenPending = false;
            if (!token) {
                asked.tokenName.clear();
                --m_running;
                end(index, DeployStatus::State::Failed,
                    tr("Could not make an enrollment token: %1").arg(token.error()));
                QMetaObject::invokeMethod(this, &Deployment::startNext, Qt::QueuedConnection); // its turn is free
                return;
            }
            begin(index, *token);
        });
    }
}

void Deployment::begin(int index, const IssuedToken &token)
{
    Host &host = m_hosts[index];
    const ConsoleAddress console = m_console;
    const QString tokenText = token.text;
    auto makeSettings = [console, tokenText](const QString &agentName) {
        return agentSettings(console, tokenText, agentName);
    };
    auto *job = new DeployJob(host.target, m_parameters, m_askHostKey, makeSettings);
    auto *thread = new QThread(this);
    job->moveToThread(thread);
    host.job = job;
    host.thread = thread;
    connect(thread, &QThread::started, job, &DeployJob::run);
    connect(job, &DeployJob::stageChanged, this, [this, index](DeployJob::Stage stage, const QString &text) {
        if (stage != DeployJob::Stage::Copying)
            m_hosts[index].status.percent = -1;
        update(index, DeployStatus::State::Working, text);
    });
    connect(job, &DeployJob::copied, this, [this, index](qint64 bytes, qint64 total) {
        const int percent = total > 0 ? int(bytes * 100 / total) : 100;
        if (percent != m_hosts[index].status.percent) {
            m_hosts[index].status.percent = percent;
            Q_EMIT statusChanged(index);
        }
    });
    connect(job, &DeployJob::finished, this, [this, index](const DeployReport &report) { jobEnded(index, report); });
    connect(job, &DeployJob::finished, thread, &QThread::quit);
    connect(thread, &QThread::finished, job, &QObject::deleteLater);
    thread->start();
}

void Deployment::jobEnded(int index, const DeployReport &report)
{
    Host &host = m_hosts[index];
    host.status.report = report;
    host.status.percent = -1;
    --m_running;
    if (!report.ok || report.settingsKept) {
        m_registry->revokeToken(host.tokenName); // never to be used: the host failed, or has its own
        host.tokenName.clear();
    }
    if (!report.ok) {
        end(index, report.cancelled ? DeployStatus::State::Cancelled : DeployStatus::State::Failed, report.error);
    } else {
        const QString how = report.manager == u"systemd" ? tr("systemd") : tr("its init script");
        host.waitingSince.start();
        update(index, DeployStatus::State::WaitingForAgent,
            (report.settingsKept ? tr("%1, started by %2; waiting for agent %3 to come back")
                                 : tr("%1, started by %2; waiting for agent %3 to enroll"))
                .arg(installedWhat(report), how, report.agentName));
        if (!m_poll.isActive())
            m_poll.start();
    }
    startNext();
}

void Deployment::pollAgents()
{
    if (m_polling)
        return;
    m_polling = true;
    m_registry->agents([this](const Result<QList<AgentRecord>> &agents) {
        m_polling = false;
        bool waiting = false;
        for (int index = 0; index < m_hosts.size(); ++index) {
            Host &host = m_hosts[index];
            if (host.status.state != DeployStatus::State::WaitingForAgent)
                continue;
            const DeployReport &report = host.status.report;
            const bool online = agents && std::any_of(agents->cbegin(), agents->cend(), [&](const AgentRecord &agent) {
                return agent.name == report.agentName && agent.online && !agent.revoked
                    && (report.settingsKept || agent.enrolledAtMs >= host.startedAtMs);
            });
            if (online) {
                end(index, DeployStatus::State::Done,
                    report.settingsKept
                        ? tr("%1; agent %2 is online, on its own settings and credential")
                              .arg(installedWhat(report), report.agentName)
                        : tr("%1; agent %2 enrolled and is online").arg(installedWhat(report), report.agentName));
            } else if (host.waitingSince.hasExpired(m_onlineTimeoutMs)) {
                end(index, DeployStatus::State::Failed,
                    tr("The agent is installed and running, but %1 did not come online within %2 s. Can the host reach "
                       "%3? Its log on the host: /var/log/streamswarm-agent.log, or journalctl -u streamswarm-agent.")
                        .arg(report.agentName)
                        .arg(m_onlineTimeoutMs / 1000)
                        .arg(m_console.serverUrl));
            } else {
                waiting = true;
            }
        }
        if (!waiting)
            m_poll.stop();
    });
}

void Deployment::cancel(int index)
{
    Host &host = m_hosts[index];
    switch (host.status.state) {
    case DeployStatus::State::Queued:
        end(index, DeployStatus::State::Cancelled, tr("Cancelled before it began."));
        break;
    case DeployStatus::State::Working:
        if (host.job)
            host.job->cancel(); // it ends, and says how far it got
        else
            end(index, DeployStatus::State::Cancelled, tr("Cancelled before it began."));
        break;
    case DeployStatus::State::WaitingForAgent:
        end(index, DeployStatus::State::Cancelled,
            tr("Stopped waiting; the agent is installed and may still come online."));
        break;
    default:
        break;
    }
}

void Deployment::cancelAll()
{
    for (int index = 0; index < m_hosts.size(); ++index)
        cancel(index);
}

void Deployment::update(int index, DeployStatus::State state, const QString &text)
{
    DeployStatus &status = m_hosts[index].status;
    status.state = state;
    status.text = text;
    Q_EMIT statusChanged(index);
}

void Deployment::end(int index, DeployStatus::State state, const QString &text)
{
    if (std::exchange(m_hosts[index].tokenPending, false)) {
        --m_running; // cancelled while its token was being made: its turn is free
        QMetaObject::invokeMethod(this, &Deployment::startNext, Qt::QueuedConnection);
    }
    update(index, state, text);
    if (allEnded()) {
        m_parameters.credentials.password.fill(u'\0'); // no longer needed by anyone
        Q_EMIT finished();
    }
}

} // namespace StreamSwarm::Console
