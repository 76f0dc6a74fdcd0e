// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
// The whole alert cycle with real processes: a headless console, an agent in a lab namespace pinging
// a responder behind a router, the responder going from 0 % to 50 % loss and back; the test suite's
// mail server and webhook receiver count what arrives. Then the same under a maintenance window.
#include <QDateTime>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

#include "tests/netlab/lab.h"
#include "tests/support/httpreceiver.h"
#include "tests/support/processharness.h"
#include "tests/support/smtpsink.h"
#include "tests/support/testcertificates.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;
using StreamSwarm::NetLab::Lab;

namespace {

constexpr int FIRE_WITHIN_MS = 30000; // 3 of 5 one-second rounds, plus the agent's batching
const QString MAIL_USER = u"alerts"_s;
const QString MAIL_PASSWORD = u"correct horse battery staple"_s;

} // namespace

class TestAlerting final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void cleanupTestCase();
    void lossFiresOnceAndClearsOnce();
    void maintenanceKeepsTheSameSequenceQuiet();
    void aSharedRouterFailingSendsOneAlertNamingIt();
    void aTestMessageReachesEveryTarget();
    void anAgentAwayForAMinuteFiresOnce();

private:
    QJsonObject alert(const QString &name);
    QJsonArray events(const QString &kind);
    bool run(const QString &ns, const QStringList &arguments);
    bool setLoss(int percent);
    bool waitFor(const std::function<bool()> &condition, int timeoutMs);

    QTemporaryDir m_dir;
    std::unique_ptr<Lab> m_lab;
    std::optional<StreamSwarm::NetLab::RouterChain> m_chain;
    QProcess *m_responder = nullptr;
    std::unique_ptr<TestCertificateAuthority> m_ca;
    std::unique_ptr<SmtpSink> m_mail;
    std::unique_ptr<HttpReceiver> m_webhook;
    std::unique_ptr<ConsoleHarness> m_console;
    QString m_consoleUrl;
    QStringList m_mailOptions;
    QProcess *m_agent = nullptr;
};

void TestAlerting::initTestCase()
{
    QString why;
    if (!Lab::available(&why))
        QSKIP(qPrintable(why));
    QVERIFY(m_dir.isValid());
    m_ca = std::make_unique<TestCertificateAuthority>(m_dir.path());
    QVERIFY2(m_ca->isValid(), qPrintable(m_ca->error()));
    QVERIFY2(m_ca->issue(u"mail"_s, {}, &why), qPrintable(why));
    m_mail = std::make_unique<SmtpSink>();
    QVERIFY2(m_mail->useTls(m_ca->certificateFile(u"mail"_s), m_ca->keyFile(u"mail"_s), &why), qPrintable(why));
    m_mail->requireAuth(MAIL_USER, MAIL_PASSWORD);
    QVERIFY2(m_mail->listen(&why), qPrintable(why));
    m_webhook = std::make_unique<HttpReceiver>();
    QVERIFY2(m_webhook->listen(&why), qPrintable(why));

    // client (the agent) -> r1 -> server (the responder); the console in the root namespace.
    m_lab = std::make_unique<Lab>();
    m_chain = m_lab->routerChain(1, &why);
    QVERIFY2(m_chain, qPrintable(why));
    const auto uplink = m_lab->connect(QString(), m_chain->client, u"10.81.1.0/30"_s, QString(), &why);
    QVERIFY2(uplink, qPrintable(why));
    QVERIFY(setLoss(0));

    const QString passwordFile = m_dir.filePath(u"mail-password"_s);
    QFile file(passwordFile);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(MAIL_PASSWORD.toUtf8() + "\n");
    file.close();
    const quint16 port = freeLocalPort();
    m_mailOptions = QStringList{u"--smtp-server"_s, m_mail->url(), u"--smtp-from"_s, u"streamswarm@example.net"_s,
        u"--smtp-user"_s, MAIL_USER, u"--smtp-password-file"_s, passwordFile, u"--smtp-ca-file"_s, m_ca->caFile()};
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), false, m_mailOptions, port);
    m_console->setListenHost(uplink->a.ipv4.toString());
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"branch"_s});
    QVERIFY2(token.exitCode == 0, qPrintable(token.err));
    QVERIFY2(m_lab->settle(&why), qPrintable(why));
    m_consoleUrl = u"ws://%1:%2"_s.arg(uplink->a.ipv4.toString()).arg(port);
    QProcess *agent = m_agent = m_lab->startProcess(m_chain->client, agentBinary(),
        {u"--server"_s, m_consoleUrl, u"--insecure"_s, u"--name"_s, u"branch"_s, u"--state-dir"_s,
            m_dir.filePath(u"agent"_s), u"--token"_s, token.out.trimmed()},
        &why);
    QVERIFY2(agent, qPrintable(why));
    QVERIFY2(waitFor(
                 [&] {
                     return m_console->cli({u"agent"_s, u"list"_s}).out.contains(u"branch"_s);
                 },
                 20000),
        qPrintable(QString::fromUtf8(agent->readAllStandardError())));
    const QString target = m_chain->serverAddress().toString();
    const CommandResult test = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"lossy"_s, u"--type"_s, u"ping"_s,
        u"--target"_s, target, u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"branch"_s, u"--param"_s,
        u"count=20"_s, u"--param"_s, u"spacing=20ms"_s});
    QVERIFY2(test.exitCode == 0, qPrintable(test.err));
    const CommandResult rule = m_console->cli(
        {u"alert"_s, u"add"_s, u"--name"_s, u"loss"_s, u"--test"_s, u"lossy"_s, u"--metric"_s, u"ping.loss_pct"_s,
            u"--above"_s, u"20"_s, u"--for"_s, u"3"_s, u"--of"_s, u"5"_s, u"--clear"_s, u"5"_s, u"--severity"_s,
            u"critical"_s, u"--notify"_s, u"webhook:"_s + m_webhook->url(), u"--notify"_s, u"email:noc@example.net"_s});
    QVERIFY2(rule.exitCode == 0, qPrintable(rule.err));
    // Measuring, and quiet while nothing is lost.
    QVERIFY2(waitFor([&] { return !alert(u"loss"_s).isEmpty(); }, 10000), "alert list does not show the alert");
    QTest::qWait(6000);
    QCOMPARE(alert(u"loss"_s).value(u"state"_s).toString(), u"ok"_s);
    QCOMPARE(m_mail->messages().size(), 0);
    QCOMPARE(m_webhook->requests().size(), 0);
}

void TestAlerting::cleanupTestCase()
{
    m_console.reset();
    m_lab.reset();
}

QJsonObject TestAlerting::alert(const QString &name)
{
    const CommandResult list = m_console->cli({u"alert"_s, u"list"_s, u"--json"_s});
    for (const QJsonValue &value : QJsonDocument::fromJson(list.out.toUtf8()).array()) {
        if (value.toObject().value(u"name"_s).toString() == name)
            return value.toObject();
    }
    return {};
}

bool TestAlerting::run(const QString &ns, const QStringList &arguments)
{
    const StreamSwarm::NetLab::CommandResult result = m_lab->run(ns, u"ip"_s, arguments);
    if (!result.succeeded())
        qWarning().noquote() << "ip" << arguments.join(u' ') << "in" << ns << "failed:" << result.err;
    return result.succeeded();
}

QJsonArray TestAlerting::events(const QString &kind)
{
    const CommandResult list
        = m_console->cli({u"event"_s, u"list"_s, u"--kind"_s, kind, u"--limit"_s, u"200"_s, u"--json"_s});
    QJsonArray matching;
    for (const QJsonValue &value : QJsonDocument::fromJson(list.out.toUtf8()).array()) {
        if (value.toObject().value(u"kind"_s).toString() == kind)
            matching.append(value);
        else
            return {}; // --kind let another kind through
    }
    return matching;
}

bool TestAlerting::setLoss(int percent)
{
    if (m_responder)
        Lab::stopProcess(std::exchange(m_responder, nullptr));
    QString why;
    m_responder
        = m_lab->startResponder(m_chain->server, {u"--loss"_s, QString::number(percent), u"--seed"_s, u"20"_s}, &why);
    if (!m_responder)
        qWarning().noquote() << why;
    return m_responder != nullptr;
}

bool TestAlerting::waitFor(const std::function<bool()> &condition, int timeoutMs)
{
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < timeoutMs) {
        if (condition())
            return true;
        QTest::qWait(250);
    }
    return condition();
}

void TestAlerting::lossFiresOnceAndClearsOnce()
{
    QElapsedTimer clock;
    clock.start();
    QVERIFY(setLoss(50));
    QVERIFY2(
        waitFor([&] { return m_webhook->requests().size() >= 1 && m_mail->messages().size() >= 1; }, FIRE_WITHIN_MS),
        qPrintable(m_console->process().output().right(3000)));
    qInfo() << "fired and notified" << clock.elapsed() << "ms after the loss began";
    const QJsonObject firing = alert(u"loss"_s);
    QCOMPARE(firing.value(u"state"_s).toString(), u"firing"_s);
    QCOMPARE(firing.value(u"firedOn"_s).toArray(), QJsonArray{u"branch"_s});

    // What arrived: one webhook with the documented payload, one e-mail over STARTTLS with a login.
    const HttpReceiver::Request hook = m_webhook->requests().constFirst();
    QCOMPARE(hook.method, QByteArray("POST"));
    const QJsonObject payload = QJsonDocument::fromJson(hook.body).object();
    QCOMPARE(payload.value(u"state"_s).toString(), u"firing"_s);
    QCOMPARE(payload.value(u"alert"_s).toString(), u"loss"_s);
    QVERIFY2(payload.value(u"value"_s).toDouble() > 20, hook.body.constData());
    QVERIFY(!payload.value(u"text"_s).toString().isEmpty());
    const SmtpSink::Message mail = m_mail->messages().constFirst();
    QCOMPARE(mail.recipients, QStringList{u"noc@example.net"_s});
    QCOMPARE(mail.from, u"streamswarm@example.net"_s);
    QVERIFY(mail.overTls);
    QCOMPARE(mail.user, MAIL_USER);
    QVERIFY2(mail.subject.contains(u"FIRING"_s) && mail.subject.contains(u"loss"_s), qPrintable(mail.subject));

    // The evidence: a traceroute from the agent towards the target, through r1.
    const QJsonArray fired = events(u"alert-fired"_s);
    QCOMPARE(fired.size(), 1);
    const CommandResult tests = m_console->cli({u"test"_s, u"list"_s, u"--json"_s});
    QString diagnosisTest;
    for (const QJsonValue &value : QJsonDocument::fromJson(tests.out.toUtf8()).array()) {
        const QString name = value.toObject().value(u"name"_s).toString();
        if (name.startsWith(u"diag-"_s) && name.endsWith(u"-path"_s))
            diagnosisTest = name;
    }
    QVERIFY2(!diagnosisTest.isEmpty(), qPrintable(tests.out));
    const QString hop = m_chain->hops().constFirst().toString();
    QVERIFY2(waitFor(
                 [&] {
                     const CommandResult exported
                         = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, diagnosisTest});
                     return exported.out.contains(hop) && exported.out.contains(m_chain->serverAddress().toString());
                 },
                 20000),
        "the diagnosis traceroute did not reach the database");

    // Still losing: nothing more is sent.
    QTest::qWait(5000);
    QCOMPARE(m_webhook->requests().size(), 1);
    QCOMPARE(m_mail->messages().size(), 1);

    QVERIFY(setLoss(0));
    QVERIFY2(
        waitFor([&] { return m_webhook->requests().size() >= 2 && m_mail->messages().size() >= 2; }, FIRE_WITHIN_MS),
        "no clearing message");
    QCOMPARE(
        QJsonDocument::fromJson(m_webhook->requests().at(1).body).object().value(u"state"_s).toString(), u"cleared"_s);
    QVERIFY(m_mail->messages().at(1).subject.contains(u"CLEARED"_s, Qt::CaseInsensitive));
    QCOMPARE(alert(u"loss"_s).value(u"state"_s).toString(), u"ok"_s);
    QTest::qWait(5000);
    QCOMPARE(m_webhook->requests().size(), 2);
    QCOMPARE(m_mail->messages().size(), 2);
    QCOMPARE(events(u"alert-cleared"_s).size(), 1);
    // Judged from the traceroute: every hop clean but the target, which loses: the remote end.
    QJsonObject incident;
    QVERIFY2(waitFor(
                 [&] {
                     const CommandResult history = m_console->cli({u"alert"_s, u"history"_s, u"--json"_s});
                     const QJsonArray incidents = QJsonDocument::fromJson(history.out.toUtf8()).array();
                     incident = incidents.size() == 1 ? incidents.at(0).toObject() : QJsonObject();
                     return incident.contains(u"verdict"_s);
                 },
                 30000),
        QJsonDocument(incident).toJson().constData());
    QCOMPARE(incident.value(u"verdict"_s).toObject().value(u"kind"_s).toString(), u"remote"_s);
    QVERIFY(incident.contains(u"cleared"_s));
    QCOMPARE(incident.value(u"diagnosis"_s).toObject().value(u"tests"_s).toArray().at(0).toString(), diagnosisTest);
}

void TestAlerting::maintenanceKeepsTheSameSequenceQuiet()
{
    const CommandResult window = m_console->cli({u"maintenance"_s, u"add"_s, u"--name"_s, u"works"_s, u"--from"_s,
        u"now"_s, u"--to"_s, u"+30m"_s, u"--agents"_s, u"branch"_s});
    QVERIFY2(window.exitCode == 0, qPrintable(window.err));
    const qsizetype mails = m_mail->messages().size();
    const qsizetype hooks = m_webhook->requests().size();
    const qsizetype firedBefore = events(u"alert-fired"_s).size();
    QVERIFY(setLoss(50));
    QVERIFY2(waitFor([&] { return events(u"alert-fired"_s).size() > firedBefore; }, FIRE_WITHIN_MS),
        "the alert did not fire under maintenance");
    QVERIFY(events(u"alert-fired"_s).at(0).toObject().value(u"message"_s).toString().contains(u"works"_s));
    QCOMPARE(alert(u"loss"_s).value(u"state"_s).toString(), u"silenced"_s);
    QCOMPARE(alert(u"loss"_s).value(u"silencedBy"_s).toString(), u"works"_s);
    const CommandResult acked = m_console->cli({u"alert"_s, u"ack"_s, u"loss"_s, u"--comment"_s, u"planned works"_s});
    QVERIFY2(acked.exitCode == 0, qPrintable(acked.err));
    QCOMPARE(alert(u"loss"_s).value(u"state"_s).toString(), u"acknowledged"_s);
    QCOMPARE(alert(u"loss"_s).value(u"comment"_s).toString(), u"planned works"_s);
    QVERIFY(setLoss(0));
    QVERIFY2(
        waitFor([&] { return alert(u"loss"_s).value(u"state"_s).toString() != u"acknowledged"_s; }, FIRE_WITHIN_MS),
        "the alert did not clear");
    // The window is still open, but it covers only branch, and the alert watches every agent.
    QCOMPARE(alert(u"loss"_s).value(u"state"_s).toString(), u"ok"_s);
    QTest::qWait(3000);
    QCOMPARE(m_mail->messages().size(), mails);
    QCOMPARE(m_webhook->requests().size(), hooks);
    // Measuring went on all along.
    const CommandResult summary = m_console->cli({u"summary"_s, u"--test"_s, u"lossy"_s, u"--json"_s});
    QVERIFY2(summary.exitCode == 0 && summary.out.contains(u"branch"_s), qPrintable(summary.err));
    const CommandResult removed = m_console->cli({u"maintenance"_s, u"remove"_s, u"works"_s});
    QVERIFY2(removed.exitCode == 0, qPrintable(removed.err));
    QVERIFY(!m_console->cli({u"maintenance"_s, u"list"_s}).out.contains(u"works"_s));
}

void TestAlerting::aSharedRouterFailingSendsOneAlertNamingIt()
{
    // Three agents (s1, s2, s3) behind one router (hub) on their way to a server (far); each has an
    // alert of its own. The hub answers traceroute from one address, its loopback, as routers do.
    // The hub's link to far fails: one alert is sent, naming the hub; the other two are held.
    QString why;
    const QString hub = u"hub"_s;
    const QString far = u"far"_s;
    QVERIFY2(m_lab->addNamespace(hub, &why) && m_lab->addNamespace(far, &why), qPrintable(why));
    const auto farLink = m_lab->connect(hub, far, u"10.83.9.0/30"_s, QString(), &why);
    QVERIFY2(farLink, qPrintable(why));
    QVERIFY2(m_lab->sysctl(hub, u"net.ipv4.ip_forward"_s, u"1"_s, &why), qPrintable(why));
    for (const auto &[key, value] :
        {std::pair{u"net.ipv4.icmp_ratelimit"_s, u"0"_s}, std::pair{u"net.ipv4.icmp_msgs_per_sec"_s, u"1000000"_s}}) {
        QVERIFY2(m_lab->sysctl(hub, key, value, &why), qPrintable(why));
    }
    QVERIFY(run(hub, {u"addr"_s, u"add"_s, u"10.83.99.1/32"_s, u"dev"_s, u"lo"_s}));
    QVERIFY2(m_lab->addRoute(far, u"10.83.0.0/16"_s, farLink->a.ipv4, &why), qPrintable(why));
    const QString target = farLink->b.ipv4.toString();
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"behind-hub"_s, u"--uses"_s, u"3"_s});
    QVERIFY2(token.exitCode == 0, qPrintable(token.err));
    QStringList names;
    for (int i = 1; i <= 3; ++i) {
        const QString name = u"s%1"_s.arg(i);
        names.append(name);
        QVERIFY2(m_lab->addNamespace(name, &why), qPrintable(why));
        const auto up = m_lab->connect(QString(), name, u"10.81.1%1.0/30"_s.arg(i), QString(), &why);
        const auto down = up ? m_lab->connect(name, hub, u"10.83.%1.0/30"_s.arg(i), QString(), &why) : std::nullopt;
        QVERIFY2(down, qPrintable(why));
        QVERIFY2(m_lab->addRoute(name, u"10.83.9.0/30"_s, down->b.ipv4, &why), qPrintable(why));
        QVERIFY2(m_lab->addRoute(name, u"10.81.1.0/30"_s, up->a.ipv4, &why), qPrintable(why));
        // Time exceeded from the hub's loopback, whichever side the probe came in on.
        QVERIFY(run(hub,
            {u"route"_s, u"replace"_s, u"10.83.%1.0/30"_s.arg(i), u"dev"_s, down->b.interface, u"src"_s,
                u"10.83.99.1"_s}));
        QVERIFY2(m_lab->settle(&why), qPrintable(why));
        QVERIFY2(m_lab->startProcess(name, agentBinary(),
                     {u"--server"_s, m_consoleUrl, u"--insecure"_s, u"--name"_s, name, u"--state-dir"_s,
                         m_dir.filePath(name), u"--token"_s, token.out.trimmed()},
                     &why),
            qPrintable(why));
    }
    QVERIFY2(waitFor(
                 [&] {
                     const QString agents = m_console->cli({u"agent"_s, u"list"_s}).out;
                     return agents.contains(u"s1"_s) && agents.contains(u"s2"_s) && agents.contains(u"s3"_s);
                 },
                 20000),
        "the three agents did not enroll");
    for (const QStringList &test : {QStringList{u"--name"_s, u"uplink"_s, u"--type"_s, u"ping"_s, u"--interval"_s,
                                        u"1s"_s, u"--param"_s, u"count=5"_s, u"--param"_s, u"spacing=20ms"_s},
             QStringList{u"--name"_s, u"paths"_s, u"--type"_s, u"traceroute"_s, u"--interval"_s, u"5s"_s}}) {
        const CommandResult added = m_console->cli(QStringList{u"test"_s, u"add"_s} + test
            + QStringList{u"--target"_s, target, u"--continuous"_s, u"--agents"_s, names.join(u',')});
        QVERIFY2(added.exitCode == 0, qPrintable(added.err));
    }
    m_webhook->clear();
    for (const QString &name : std::as_const(names)) {
        const CommandResult rule = m_console->cli({u"alert"_s, u"add"_s, u"--name"_s, u"loss-"_s + name, u"--test"_s,
            u"uplink"_s, u"--metric"_s, u"ping.loss_pct"_s, u"--above"_s, u"50"_s, u"--for"_s, u"2"_s, u"--of"_s,
            u"3"_s, u"--agents"_s, name, u"--notify"_s, u"webhook:"_s + m_webhook->url()});
        QVERIFY2(rule.exitCode == 0, qPrintable(rule.err));
    }
    // Each agent's traced path through the hub is known before the failure.
    QVERIFY2(waitFor(
                 [&] {
                     const QString paths
                         = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, u"paths"_s}).out;
                     return paths.count(u"10.83.99.1"_s) >= 3;
                 },
                 30000),
        "the agents' traced paths did not arrive");

    QVERIFY2(m_lab->setLinkUp(*farLink, false, StreamSwarm::NetLab::Cut::Silent, &why), qPrintable(why));
    QElapsedTimer clock;
    clock.start();
    QVERIFY2(waitFor([&] { return m_webhook->requests().size() >= 1; }, 45000),
        qPrintable(m_console->process().output().right(3000)));
    qInfo() << "one alert sent" << clock.elapsed() << "ms after the hub's link failed";
    QTest::qWait(4000);
    QCOMPARE(m_webhook->requests().size(), 1);
    const QJsonObject payload = QJsonDocument::fromJson(m_webhook->requests().constFirst().body).object();
    QCOMPARE(payload.value(u"state"_s).toString(), u"firing"_s);
    QVERIFY2(
        QJsonDocument(payload).toJson().contains("10.83.99.1"), m_webhook->requests().constFirst().body.constData());
    QStringList firing;
    QStringList held;
    for (const QString &name : std::as_const(names)) {
        const QJsonObject state = alert(u"loss-"_s + name);
        if (state.value(u"state"_s).toString() == u"firing")
            firing.append(name);
        else if (state.contains(u"heldBy"_s))
            held.append(name);
    }
    QCOMPARE(firing.size(), 1);
    QCOMPARE(held.size(), 2);
    QCOMPARE(alert(u"loss-"_s + firing.constFirst()).value(u"sharedHop"_s).toString(), u"10.83.99.1"_s);
    QCOMPARE(events(u"alert-held"_s).size(), 2);

    QVERIFY2(m_lab->setLinkUp(*farLink, true, StreamSwarm::NetLab::Cut::Silent, &why), qPrintable(why));
    QVERIFY2(waitFor([&] { return m_webhook->requests().size() >= 2; }, 30000), "no clearing message");
    QTest::qWait(4000);
    QCOMPARE(m_webhook->requests().size(), 2);
    QCOMPARE(
        QJsonDocument::fromJson(m_webhook->requests().at(1).body).object().value(u"state"_s).toString(), u"cleared"_s);
}

void TestAlerting::aTestMessageReachesEveryTarget()
{
    // As the Test button does: the command line sends as the console would, with the same settings.
    // It runs while this process answers as the mail server and the webhook, so it must not block here.
    const qsizetype mails = m_mail->messages().size();
    const qsizetype hooks = m_webhook->requests().size();
    QProcess cli;
    cli.start(consoleBinary(),
        QStringList{u"alert"_s, u"test"_s, u"loss"_s, u"--data-dir"_s, m_dir.filePath(u"console"_s)}
            + m_console->database().arguments() + m_mailOptions);
    QVERIFY(QTest::qWaitFor([&] { return cli.state() == QProcess::NotRunning; }, 60000));
    const QString said = QString::fromUtf8(cli.readAllStandardOutput() + cli.readAllStandardError());
    QVERIFY2(cli.exitCode() == 0, qPrintable(said));
    QCOMPARE(said.count(u"sent."_s), 2);
    QVERIFY2(said.contains(u"webhook:http://127.0.0.1"_s) && !said.contains(u"/hook"_s), qPrintable(said));
    QCOMPARE(m_mail->messages().size(), mails + 1);
    QCOMPARE(m_webhook->requests().size(), hooks + 1);
    QCOMPARE(QJsonDocument::fromJson(m_webhook->requests().constLast().body).object().value(u"state"_s).toString(),
        u"test"_s);
    // A wrong password: said plainly, and the password is nowhere in it.
    const QString wrongFile = m_dir.filePath(u"wrong-password"_s);
    QFile wrong(wrongFile);
    QVERIFY(wrong.open(QIODevice::WriteOnly));
    wrong.write("not the password\n");
    wrong.close();
    QStringList options = m_mailOptions;
    options[options.indexOf(u"--smtp-password-file"_s) + 1] = wrongFile;
    QProcess refused;
    refused.start(consoleBinary(),
        QStringList{u"alert"_s, u"test"_s, u"loss"_s, u"--data-dir"_s, m_dir.filePath(u"console"_s)}
            + m_console->database().arguments() + options);
    QVERIFY(QTest::qWaitFor([&] { return refused.state() == QProcess::NotRunning; }, 60000));
    const QString refusal = QString::fromUtf8(refused.readAllStandardOutput() + refused.readAllStandardError());
    QCOMPARE(refused.exitCode(), 1);
    QVERIFY2(refusal.contains(u"noc@example.net: not sent"_s), qPrintable(refusal));
    QVERIFY(!refusal.contains(u"not the password"_s));
}

void TestAlerting::anAgentAwayForAMinuteFiresOnce()
{
    const CommandResult rule = m_console->cli({u"alert"_s, u"add"_s, u"--name"_s, u"away"_s, u"--on"_s,
        u"agent-offline"_s, u"--agents"_s, u"branch"_s, u"--notify"_s, u"webhook:"_s + m_webhook->url()});
    QVERIFY2(rule.exitCode == 0, qPrintable(rule.err));
    m_webhook->clear();
    QVERIFY(Lab::stopProcess(std::exchange(m_agent, nullptr)));
    QElapsedTimer away;
    away.start();
    // Not at once: a restart or a short outage is no alert.
    QTest::qWait(20000);
    QCOMPARE(m_webhook->requests().size(), 0);
    QVERIFY2(waitFor([&] { return m_webhook->requests().size() >= 1; }, 70000),
        qPrintable(m_console->cli({u"alert"_s, u"list"_s, u"--json"_s}).out));
    qInfo() << "the agent away was alerted after" << away.elapsed() << "ms";
    QVERIFY(away.elapsed() >= 60000);
    const QJsonObject payload = QJsonDocument::fromJson(m_webhook->requests().constFirst().body).object();
    QCOMPARE(payload.value(u"alert"_s).toString(), u"away"_s);
    QCOMPARE(payload.value(u"state"_s).toString(), u"firing"_s);
    QCOMPARE(payload.value(u"agents"_s).toArray(), QJsonArray{u"branch"_s});
    QCOMPARE(alert(u"away"_s).value(u"state"_s).toString(), u"firing"_s);

    // Back: it clears, once.
    QString why;
    m_agent = m_lab->startProcess(m_chain->client, agentBinary(),
        {u"--server"_s, m_consoleUrl, u"--insecure"_s, u"--name"_s, u"branch"_s, u"--state-dir"_s,
            m_dir.filePath(u"agent"_s)},
        &why);
    QVERIFY2(m_agent, qPrintable(why));
    QVERIFY2(waitFor([&] { return m_webhook->requests().size() >= 2; }, 30000), "no clearing message");
    QCOMPARE(
        QJsonDocument::fromJson(m_webhook->requests().at(1).body).object().value(u"state"_s).toString(), u"cleared"_s);
    QTest::qWait(6000);
    QCOMPARE(m_webhook->requests().size(), 2);
}

QTEST_GUILESS_MAIN(TestAlerting)
#include "tst_alerting.moc"
