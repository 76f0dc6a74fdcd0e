// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <algorithm>
#include <chrono>
#include <future>
#include <memory>

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrl>

#include "console/alerts/alertmessage.h"
#include "console/alerts/delivery.h"
#include "console/alerts/notifier.h"
#include "console/alerts/notifytarget.h"
#include "tests/support/httpreceiver.h"
#include "tests/support/smtpsink.h"
#include "tests/support/testcertificates.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::HttpReceiver;
using StreamSwarm::Test::SmtpSink;
using StreamSwarm::Test::TestCertificateAuthority;

Q_DECLARE_METATYPE(NotifyTarget::Kind)

namespace {

constexpr int WAIT_MS = 10000; // for one delivery that should take milliseconds
const QString USER = u"alerts"_s;
const QString PASSWORD = u"Corr3ct-Horse"_s;

AlertMessage sampleMessage(const QString &id = u"42"_s)
{
    AlertMessage message;
    message.id = id;
    message.alertName = u"Loss to web"_s;
    message.state = u"firing"_s;
    message.severity = u"critical"_s;
    message.testName = u"web"_s;
    message.metric = u"ping.loss_pct"_s;
    message.comparison = u"above"_s;
    message.unit = u"%"_s;
    message.agents = {u"branch-1"_s, u"branch-2"_s};
    message.value = 27.5;
    message.threshold = 20;
    message.clearLevel = 5;
    message.timeMs = 1'772'366'400'000; // 2026-03-01T12:00:00Z
    message.summary = u"ping.loss_pct above 20 for 3 of 5 rounds on 2 agents."_s;
    message.diagnosis = u"Both agents lose packets past hop 4 (10.0.0.1)."_s;
    message.consoleHost = u"noc-console"_s;
    return message;
}

NotifyTarget target(const QString &text)
{
    QString error;
    const auto parsed = NotifyTarget::parse(text, &error);
    if (!parsed)
        qFatal("bad target in the test: %s", qPrintable(error));
    return *parsed;
}

qint64 monotonicNow()
{
    QElapsedTimer clock;
    clock.start();
    return clock.msecsSinceReference();
}

// Runs a blocking delivery on a thread of its own while this thread's event loop serves the sink
// or receiver it talks to.
template <typename Call>
DeliveryOutcome aside(Call call)
{
    auto future = std::async(std::launch::async, call);
    const auto ready = [&] {
        return future.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
    };
    if (!QTest::qWaitFor(ready, 30000))
        return {false, false, u"the delivery did not end within 30 s"_s};
    return future.get();
}

QJsonObject jsonOf(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

// Whether the process runs: a zombie has ended, whenever its new parent gets round to reaping it.
bool isRunning(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return false;
    const QByteArray text = stat.readAll();
    const qsizetype afterName = text.lastIndexOf(')'); // "PID (NAME) STATE ..."
    return afterName > 0 && text.mid(afterName + 2, 1) != "Z";
}

bool writeScript(const QString &path, const QByteArray &text)
{
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return false;
    file.write("#!/bin/sh\n" + text);
    file.close();
    return file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
}

} // namespace

// The notification delivery layer: targets as --notify reads them, the message and its payload, the
// webhook, e-mail and command senders against real sockets and processes, and the notifier's
// retries, rate limit and queue.
class TestNotifications final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();

    void parsesTargets_data();
    void parsesTargets();
    void hidesWebhookSecrets();
    void describesTheAlert();
    void writesMailText();
    void checksMailSettings_data();
    void checksMailSettings();

    void postsWebhook();
    void retriesWebhookWithBackOff();
    void clientErrorIsFinal();
    void classifiesWebhookAnswers_data();
    void classifiesWebhookAnswers();
    void unreachableWebhookIsRetryable();
    void verifiesWebhookCertificates();

    void sendsMail_data();
    void sendsMail();
    void sendsMailWithImplicitTls();
    void wrongPasswordIsFinal();
    void refusesServerWithoutStartTls();
    void retriesMailAfterTemporaryRefusal();

    void runsCommand();
    void commandFailureIsRetryable();
    void missingCommandIsFinal();
    void stopsCommandAtTimeout();

    void showsDesktopNotifications();
    void limitsRatePerTarget();
    void givesUpAfterLastAttempt();
    void boundsQueue();
    void stopsPromptlyWhileDelivering();

private:
    DeliverySettings mailSettings(const SmtpSink &sink) const;
    bool startMailSink(SmtpSink &sink, bool tls);
    Notifier::Options fastOptions() const;

    QTemporaryDir m_directory;
    std::unique_ptr<TestCertificateAuthority> m_ca;
};

void TestNotifications::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    qputenv("NO_PROXY", "127.0.0.1,localhost"); // the receivers are here, whatever proxy the machine has
    QVERIFY(m_directory.isValid());
    m_ca = std::make_unique<TestCertificateAuthority>(m_directory.path());
    QVERIFY2(m_ca->isValid(), qPrintable(m_ca->error()));
    QString error;
    QVERIFY2(m_ca->issue(u"server"_s, {}, &error), qPrintable(error));
}

DeliverySettings TestNotifications::mailSettings(const SmtpSink &sink) const
{
    DeliverySettings settings;
    settings.smtp.server = sink.url();
    settings.smtp.from = u"streamswarm@example.net"_s;
    settings.smtp.user = USER;
    settings.smtp.password = PASSWORD;
    settings.smtp.caFile = m_ca->caFile();
    settings.connectTimeoutMs = 3000;
    settings.emailTimeoutMs = 8000;
    return settings;
}

bool TestNotifications::startMailSink(SmtpSink &sink, bool tls)
{
    QString error;
    if (tls && !sink.useTls(m_ca->certificateFile(u"server"_s), m_ca->keyFile(u"server"_s), &error))
        qWarning("%s", qPrintable(error));
    sink.requireAuth(USER, PASSWORD);
    return sink.listen(&error);
}

Notifier::Options TestNotifications::fastOptions() const
{
    Notifier::Options options;
    options.retryDelaysMs = {300, 600};
    options.delivery.connectTimeoutMs = 3000;
    options.delivery.webhookTimeoutMs = 5000;
    options.delivery.commandTimeoutMs = 5000;
    return options;
}

void TestNotifications::parsesTargets_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("valid");
    QTest::addColumn<NotifyTarget::Kind>("kind");
    QTest::addColumn<QString>("expected"); // the target, or a piece of the error

    using Kind = NotifyTarget::Kind;
    QTest::newRow("webhook") << u"webhook:https://hooks.example.net/alerts"_s << true << Kind::Webhook
                             << u"https://hooks.example.net/alerts"_s;
    QTest::newRow("webhook with login") << u"webhook:http://u:p@127.0.0.1:8080/x?a=1"_s << true << Kind::Webhook
                                        << u"http://u:p@127.0.0.1:8080/x?a=1"_s;
    QTest::newRow("email") << u"email:noc@example.net"_s << true << Kind::Email << u"noc@example.net"_s;
    QTest::newRow("command") << u"command:/usr/local/bin/page-oncall"_s << true << Kind::Command
                             << u"/usr/local/bin/page-oncall"_s;
    QTest::newRow("desktop") << u" desktop "_s << true << Kind::Desktop << QString();
    QTest::newRow("kind in capitals") << u"EMAIL:noc@example.net"_s << true << Kind::Email << u"noc@example.net"_s;

    QTest::newRow("empty") << u"  "_s << false << Kind::Desktop << u"is empty"_s;
    QTest::newRow("unknown kind") << u"sms:+4912345"_s << false << Kind::Desktop << u"is not a notification target"_s;
    QTest::newRow("nothing after colon") << u"webhook:"_s << false << Kind::Desktop << u"after the colon"_s;
    QTest::newRow("ftp") << u"webhook:ftp://example.net/x"_s << false << Kind::Desktop
                         << u"is not an http or https URL"_s;
    QTest::newRow("not a url") << u"webhook:hooks example"_s << false << Kind::Desktop
                               << u"is not an http or https URL"_s;
    QTest::newRow("no host") << u"webhook:https:///x"_s << false << Kind::Desktop << u"names no host"_s;
    QTest::newRow("no domain") << u"email:noc"_s << false << Kind::Desktop << u"is not an e-mail address"_s;
    QTest::newRow("two addresses") << u"email:a@example.net,b@example.net"_s << false << Kind::Desktop
                                   << u"one address per --notify"_s;
    QTest::newRow("space") << u"email:a b@example.net"_s << false << Kind::Desktop << u"one address per --notify"_s;
    QTest::newRow("header injection") << u"email:a@example.net\r\nBcc: x@example.net"_s << false << Kind::Desktop
                                      << u"line break"_s;
    QTest::newRow("bad domain") << u"email:a@-example.net"_s << false << Kind::Desktop << u"is not an e-mail address"_s;
    QTest::newRow("relative command") << u"command:bin/page"_s << false << Kind::Desktop
                                      << u"is not an absolute path"_s;
    QTest::newRow("home command") << u"command:~/page"_s << false << Kind::Desktop << u"is not an absolute path"_s;
    QTest::newRow("desktop with target") << u"desktop:me"_s << false << Kind::Desktop << u"desktop alone"_s;
    QTest::newRow("too long") << u"webhook:https://example.net/"_s + QString(2100, u'x') << false << Kind::Desktop
                              << u"characters long"_s;
}

void TestNotifications::parsesTargets()
{
    QFETCH(QString, text);
    QFETCH(bool, valid);
    QFETCH(NotifyTarget::Kind, kind);
    QFETCH(QString, expected);

    QString error;
    const auto parsed = NotifyTarget::parse(text, &error);
    QCOMPARE(parsed.has_value(), valid);
    if (valid) {
        QCOMPARE(parsed->kind, kind);
        QCOMPARE(parsed->target, expected);
        QString again;
        QCOMPARE(NotifyTarget::parse(parsed->toString(), &again), parsed); // toString() reads back
        return;
    }
    QVERIFY2(error.contains(expected), qPrintable(error));
    // One plain sentence: a capital or a quote first, a full stop last, no line break.
    QVERIFY2(error.endsWith(u'.') && !error.contains(u'\n'), qPrintable(error));
    QVERIFY2(error.contains(u"write") || error.contains(u"give"), qPrintable(error)); // says what to write instead
}

void TestNotifications::hidesWebhookSecrets()
{
    const NotifyTarget hook = target(u"webhook:https://bot:hunter2@hooks.example.net/services/T000/SECRET"_s);
    QCOMPARE(hook.displayText(), u"webhook:https://hooks.example.net/…"_s);
    QCOMPARE(target(u"email:noc@example.net"_s).displayText(), u"email:noc@example.net"_s);
    QString error;
    for (const QString &text :
        {u"webhook:ftp://bot:hunter2@example.net/x"_s, u"webhook:https://bot:hunter2@ex ample/x"_s}) {
        QVERIFY(!NotifyTarget::parse(text, &error));
        QVERIFY2(error.contains(u"//ex") && !error.contains(u"hunter2"), qPrintable(error));
    }
}

void TestNotifications::describesTheAlert()
{
    const AlertMessage message = sampleMessage();
    QCOMPARE(message.subject(), u"[FIRING] critical: Loss to web (ping.loss_pct above 20)"_s);
    QCOMPARE(
        message.oneLine(), u"[FIRING] critical: Loss to web (ping.loss_pct above 20): 27.5 % on branch-1, branch-2"_s);

    const QJsonObject json = message.toJson();
    QCOMPARE(json.value(u"version").toInt(), AlertMessage::PAYLOAD_VERSION);
    QCOMPARE(json.value(u"text").toString(), message.oneLine());
    QCOMPARE(json.value(u"alert").toString(), u"Loss to web"_s);
    QCOMPARE(json.value(u"state").toString(), u"firing"_s);
    QCOMPARE(json.value(u"severity").toString(), u"critical"_s);
    QCOMPARE(json.value(u"metric").toString(), u"ping.loss_pct"_s);
    QCOMPARE(json.value(u"agents").toArray().size(), 2);
    QCOMPARE(json.value(u"value").toDouble(), 27.5);
    QCOMPARE(json.value(u"threshold").toDouble(), 20.0);
    QCOMPARE(json.value(u"clearLevel").toDouble(), 5.0);
    QCOMPARE(json.value(u"time").toString(), u"2026-03-01T12:00:00.000Z"_s);
    QCOMPARE(json.value(u"console").toString(), u"noc-console"_s);

    const auto back = AlertMessage::fromJson(json);
    QVERIFY(back);
    QCOMPARE(back->toJson(), json);
    AlertMessage quiet = message;
    quiet.value.reset();
    quiet.clearLevel.reset();
    QVERIFY(quiet.toJson().value(u"value").isNull());
    QCOMPARE(AlertMessage::fromJson(quiet.toJson())->value, std::nullopt);
    QJsonObject broken = json;
    broken.insert(u"agents"_s, 3);
    QVERIFY(!AlertMessage::fromJson(broken));

    const QString body = message.plainText();
    QVERIFY2(body.contains(u"The alert \"Loss to web\" is firing (critical)."), qPrintable(body));
    QVERIFY2(body.contains(u"is 27.5 %; the alert fires above 20 %. It clears at 5 %."), qPrintable(body));
    QVERIFY2(body.contains(u"branch-1, branch-2"), qPrintable(body));
    QVERIFY2(body.contains(u"2026-03-01T12:00:00Z (UTC)"), qPrintable(body));
    QVERIFY2(body.contains(u"hop 4"), qPrintable(body));
    QVERIFY2(body.contains(u"alert ack \"Loss to web\""), qPrintable(body));
    AlertMessage cleared = message;
    cleared.state = u"cleared"_s;
    QCOMPARE(cleared.subject(), u"[CLEARED] critical: Loss to web (ping.loss_pct above 20)"_s);
    QVERIFY(cleared.plainText().contains(u"nothing is needed"));
}

void TestNotifications::writesMailText()
{
    AlertMessage message = sampleMessage();
    QByteArray text = Delivery::emailText(u"streamswarm@example.net"_s, u"noc@example.net"_s, message);
    QVERIFY(!text.contains("\r\r") && text.count('\n') == text.count("\r\n")); // CRLF only
    const qsizetype end = text.indexOf("\r\n\r\n");
    QVERIFY(end > 0);
    const QByteArray head = text.left(end);
    for (const char *name : {"Date: ", "From: StreamSwarm <streamswarm@example.net>", "To: <noc@example.net>",
             "Subject: [FIRING] critical: Loss to web", "Message-ID: <streamswarm.42.", "MIME-Version: 1.0",
             "Content-Type: text/plain; charset=UTF-8", "Content-Transfer-Encoding: 7bit"})
        QVERIFY2(head.contains(name), name);

    // Not ASCII: the subject in RFC 2047 words, the body quoted-printable, each line short.
    message.alertName = u"Verlust zur Zentrale Düsseldorf – Überlastung der Leitung nach Köln, Nürnberg und München"_s;
    message.diagnosis = QString(1200, u'x');
    text = Delivery::emailText(u"streamswarm@example.net"_s, u"noc@example.net"_s, message);
    SmtpSink::Message parsed;
    parsed.raw = text;
    QCOMPARE(SmtpSink::decodeHeader(parsed.header("Subject")), message.subject());
    QCOMPARE(SmtpSink::decodeHeader(parsed.header("X-StreamSwarm-Alert")), message.alertName);
    QVERIFY(parsed.header("Content-Transfer-Encoding") == "quoted-printable");
    for (const QByteArray &line : text.split('\n')) {
        QVERIFY2(line.size() <= 78, line.constData());
        QVERIFY(std::all_of(line.cbegin(), line.cend(), [](char c) { return (c & 0x80) == 0; }));
    }
    QCOMPARE(Delivery::headerField("Subject", u"a\r\nBcc: x@example.net"_s), "Subject: a  Bcc: x@example.net");
}

void TestNotifications::checksMailSettings_data()
{
    QTest::addColumn<QString>("server");
    QTest::addColumn<QString>("from");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("password");
    QTest::addColumn<QString>("expected"); // empty: fine

    QTest::newRow("fine") << u"smtp://mail.example.net:587"_s << u"s@example.net"_s << u"u"_s << u"p"_s << QString();
    QTest::newRow("smtps") << u"smtps://mail.example.net:465"_s << u"s@example.net"_s << QString() << QString()
                           << QString();
    QTest::newRow("no server") << QString() << u"s@example.net"_s << QString() << QString()
                               << u"No mail server is set: give --smtp-server smtp://HOST:PORT in the console's "
                                  "settings."_s;
    QTest::newRow("http") << u"http://mail.example.net"_s << u"s@example.net"_s << QString() << QString()
                          << u"write smtp://HOST:PORT"_s;
    QTest::newRow("bad url with login") << u"smtp://u:secret@mail example"_s << u"s@example.net"_s << QString()
                                        << QString() << u"\"smtp://mail example\" is not a URL"_s;
    QTest::newRow("login in url") << u"smtp://u:secret@mail.example.net"_s << u"s@example.net"_s << QString()
                                  << QString() << u"holds a user or password"_s;
    QTest::newRow("no sender") << u"smtp://mail.example.net"_s << QString() << QString() << QString()
                               << u"No sender address"_s;
    QTest::newRow("bad sender") << u"smtp://mail.example.net"_s << u"streamswarm"_s << QString() << QString()
                                << u"is not an e-mail address"_s;
    QTest::newRow("password alone") << u"smtp://mail.example.net"_s << u"s@example.net"_s << QString() << u"p"_s
                                    << u"no user"_s;
}

void TestNotifications::checksMailSettings()
{
    QFETCH(QString, server);
    QFETCH(QString, from);
    QFETCH(QString, user);
    QFETCH(QString, password);
    QFETCH(QString, expected);
    SmtpSettings settings;
    settings.server = server;
    settings.from = from;
    settings.user = user;
    settings.password = password;
    QString error;
    QCOMPARE(settings.check(&error), expected.isEmpty());
    QVERIFY2(error.contains(expected), qPrintable(error));
    QVERIFY2(!error.contains(u"secret"), qPrintable(error));
}

void TestNotifications::postsWebhook()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    Notifier notifier(fastOptions());
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    QSignalSpy failed(&notifier, &Notifier::failed);

    const quint64 id = notifier.send(target(u"webhook:"_s + receiver.url()), sampleMessage());
    QVERIFY(id != 0);
    QVERIFY(delivered.wait(WAIT_MS));
    QCOMPARE(delivered.first().first().value<quint64>(), id);
    QCOMPARE(failed.size(), 0);
    QCOMPARE(notifier.queuedCount(), 0); // nothing left to send: it arrives once

    QCOMPARE(receiver.requests().size(), 1);
    const HttpReceiver::Request &request = receiver.requests().first();
    QCOMPARE(request.method, "POST");
    QCOMPARE(request.path, "/hook");
    QCOMPARE(request.field("content-type"), "application/json");
    QVERIFY(request.field("user-agent").startsWith("StreamSwarm/"));
    const QJsonObject json = jsonOf(request.body);
    QCOMPARE(json, sampleMessage().toJson());
    QCOMPARE(json.value(u"text").toString(), sampleMessage().oneLine());
}

void TestNotifications::retriesWebhookWithBackOff()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    receiver.failNext(2, 500);
    Notifier notifier(fastOptions());
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    QSignalSpy failed(&notifier, &Notifier::failed);

    const quint64 id = notifier.send(target(u"webhook:"_s + receiver.url()), sampleMessage());
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, WAIT_MS);
    QCOMPARE(failed.size(), 2);
    for (const QList<QVariant> &failure : std::as_const(failed)) {
        QCOMPARE(failure.at(0).value<quint64>(), id);
        QVERIFY2(failure.at(1).toString().contains(u"HTTP 500"), qPrintable(failure.at(1).toString()));
        QCOMPARE(failure.at(2).toBool(), false); // tried again
    }
    const QList<HttpReceiver::Request> &requests = receiver.requests();
    QCOMPARE(requests.size(), 3);
    QCOMPARE(requests[0].answeredStatus, 500);
    QCOMPARE(requests[1].answeredStatus, 500);
    QCOMPARE(requests[2].answeredStatus, 200); // taken once
    QCOMPARE(notifier.queuedCount(), 0);
    // The back-off: 300 ms, then 600 ms (a millisecond of rounding between the two clocks' readings).
    QVERIFY2(requests[1].receivedAtMs - requests[0].receivedAtMs >= 299,
        qPrintable(QString::number(requests[1].receivedAtMs - requests[0].receivedAtMs)));
    QVERIFY2(requests[2].receivedAtMs - requests[1].receivedAtMs >= 599,
        qPrintable(QString::number(requests[2].receivedAtMs - requests[1].receivedAtMs)));
    // Every attempt is the same notification, so a receiver can drop repeats.
    for (const HttpReceiver::Request &request : requests)
        QCOMPARE(jsonOf(request.body).value(u"id").toString(), u"42"_s);
}

void TestNotifications::clientErrorIsFinal()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    receiver.failNext(1, 404);
    Notifier notifier(fastOptions());
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    QSignalSpy failed(&notifier, &Notifier::failed);

    notifier.send(target(u"webhook:"_s + receiver.url(u"/hooks/SECRET-TOKEN"_s)), sampleMessage());
    QVERIFY(failed.wait(WAIT_MS));
    QCOMPARE(failed.first().at(2).toBool(), true);
    const QString why = failed.first().at(1).toString();
    QVERIFY2(why.contains(u"HTTP 404") && why.contains(u"127.0.0.1"), qPrintable(why));
    QVERIFY2(!why.contains(u"SECRET"), qPrintable(why));
    QCOMPARE(notifier.queuedCount(), 0); // no retry is waiting
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(delivered.size(), 0);
}

void TestNotifications::classifiesWebhookAnswers_data()
{
    QTest::addColumn<int>("status");
    QTest::addColumn<bool>("delivered");
    QTest::addColumn<bool>("retryable");
    QTest::newRow("200") << 200 << true << false;
    QTest::newRow("204") << 204 << true << false;
    QTest::newRow("301") << 301 << false << false;
    QTest::newRow("400") << 400 << false << false;
    QTest::newRow("401") << 401 << false << false;
    QTest::newRow("408") << 408 << false << true;
    QTest::newRow("429") << 429 << false << true;
    QTest::newRow("500") << 500 << false << true;
    QTest::newRow("503") << 503 << false << true;
}

void TestNotifications::classifiesWebhookAnswers()
{
    QFETCH(int, status);
    QFETCH(bool, delivered);
    QFETCH(bool, retryable);
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    receiver.setStatus(status);
    DeliverySettings settings;
    const QUrl url(u"http://bot:hunter2@127.0.0.1:%1/hook"_s.arg(receiver.serverPort()));
    const DeliveryOutcome outcome = aside([&] { return Delivery::postWebhook(url, "{}", settings); });
    QCOMPARE(outcome.delivered, delivered);
    QCOMPARE(outcome.retryable, retryable);
    QVERIFY2(!outcome.why.contains(u"hunter2"), qPrintable(outcome.why));
    QCOMPARE(receiver.requests().size(), 1);
    QCOMPARE(receiver.requests().first().field("authorization"), "Basic " + QByteArray("bot:hunter2").toBase64());
}

void TestNotifications::unreachableWebhookIsRetryable()
{
    QTcpServer closed;
    QVERIFY(closed.listen(QHostAddress::LocalHost, 0));
    const quint16 port = closed.serverPort();
    closed.close(); // nothing listens there now: the connection is refused
    DeliverySettings settings;
    const DeliveryOutcome outcome
        = Delivery::postWebhook(QUrl(u"http://127.0.0.1:%1/hook"_s.arg(port)), "{}", settings);
    QVERIFY(!outcome.delivered);
    QVERIFY(outcome.retryable);
    QVERIFY2(outcome.why.contains(u"Could not reach the webhook at http://127.0.0.1"), qPrintable(outcome.why));
}

void TestNotifications::verifiesWebhookCertificates()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(
        receiver.useTls(m_ca->certificateFile(u"server"_s), m_ca->keyFile(u"server"_s), &error), qPrintable(error));
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    const QUrl url(receiver.url());
    DeliverySettings settings;
    settings.connectTimeoutMs = 3000;
    settings.webhookTimeoutMs = 5000;

    // Not trusted without the test's authority: final, and said so.
    DeliveryOutcome outcome = aside([&] { return Delivery::postWebhook(url, "{}", settings); });
    QVERIFY(!outcome.delivered);
    QVERIFY(!outcome.retryable);
    QVERIFY2(outcome.why.contains(u"certificate"), qPrintable(outcome.why));
    QCOMPARE(receiver.requests().size(), 0);

    settings.webhookCaFile = m_ca->caFile();
    outcome = aside([&] { return Delivery::postWebhook(url, "{}", settings); });
    QVERIFY2(outcome.delivered, qPrintable(outcome.why));
    QCOMPARE(receiver.requests().size(), 1);
    QVERIFY(receiver.requests().first().overTls);
}

void TestNotifications::sendsMail_data()
{
    QTest::addColumn<QString>("mechanism");
    QTest::newRow("AUTH PLAIN") << u"PLAIN"_s;
    QTest::newRow("AUTH LOGIN") << u"LOGIN"_s;
}

void TestNotifications::sendsMail()
{
    QFETCH(QString, mechanism);
    SmtpSink sink;
    QVERIFY(startMailSink(sink, true));
    sink.requireAuth(USER, PASSWORD, {mechanism});
    const DeliverySettings settings = mailSettings(sink);
    const AlertMessage message = sampleMessage();

    const DeliveryOutcome outcome = aside([&] { return Delivery::sendEmail(u"noc@example.net"_s, message, settings); });
    QVERIFY2(outcome.delivered, qPrintable(outcome.why));
    QCOMPARE(sink.messages().size(), 1);
    const SmtpSink::Message &mail = sink.messages().first();
    QVERIFY(mail.overTls); // STARTTLS came before the login and the message
    QCOMPARE(mail.user, USER);
    QCOMPARE(mail.from, u"streamswarm@example.net"_s);
    QCOMPARE(mail.recipients, QStringList{u"noc@example.net"_s});
    QCOMPARE(mail.header("From"), "StreamSwarm <streamswarm@example.net>");
    QCOMPARE(mail.header("To"), "<noc@example.net>");
    QCOMPARE(mail.subject, message.subject());
    QVERIFY(!mail.header("Date").isEmpty());
    QVERIFY(mail.header("Message-ID").startsWith("<streamswarm.42."));
    QCOMPARE(mail.body, message.plainText().toUtf8().replace("\n", "\r\n"));
}

void TestNotifications::sendsMailWithImplicitTls()
{
    SmtpSink sink;
    sink.setImplicitTls(true);
    QVERIFY(startMailSink(sink, true));
    const DeliverySettings settings = mailSettings(sink);
    QVERIFY(settings.smtp.server.startsWith(u"smtps://"));
    const DeliveryOutcome outcome
        = aside([&] { return Delivery::sendEmail(u"noc@example.net"_s, sampleMessage(), settings); });
    QVERIFY2(outcome.delivered, qPrintable(outcome.why));
    QCOMPARE(sink.messages().size(), 1);
    QVERIFY(sink.messages().first().overTls);
}

void TestNotifications::wrongPasswordIsFinal()
{
    SmtpSink sink;
    QVERIFY(startMailSink(sink, true));
    DeliverySettings settings = mailSettings(sink);
    settings.smtp.password = u"Wr0ng-Battery"_s;
    const DeliveryOutcome outcome
        = aside([&] { return Delivery::sendEmail(u"noc@example.net"_s, sampleMessage(), settings); });
    QVERIFY(!outcome.delivered);
    QVERIFY(!outcome.retryable);
    QVERIFY2(outcome.why.contains(u"refused the login of \"alerts\""), qPrintable(outcome.why));
    QVERIFY2(!outcome.why.contains(u"Wr0ng") && !outcome.why.contains(PASSWORD), qPrintable(outcome.why));
    QCOMPARE(sink.refusedLogins(), 1);
    QCOMPARE(sink.messages().size(), 0);
}

void TestNotifications::refusesServerWithoutStartTls()
{
    SmtpSink sink;
    QVERIFY(startMailSink(sink, false)); // AUTH offered in the clear, no STARTTLS
    const DeliverySettings settings = mailSettings(sink);
    QVERIFY(settings.smtp.requireTls);
    const DeliveryOutcome outcome
        = aside([&] { return Delivery::sendEmail(u"noc@example.net"_s, sampleMessage(), settings); });
    QVERIFY(!outcome.delivered);
    QVERIFY(!outcome.retryable);
    QVERIFY2(outcome.why.contains(u"does not offer STARTTLS"), qPrintable(outcome.why));
    QCOMPARE(sink.refusedLogins(), 0); // the password never went out in the clear
    QCOMPARE(sink.messages().size(), 0);
}

void TestNotifications::retriesMailAfterTemporaryRefusal()
{
    SmtpSink sink;
    QVERIFY(startMailSink(sink, true));
    sink.refuseNext(1);
    Notifier::Options options = fastOptions();
    options.delivery = mailSettings(sink);
    Notifier notifier(options);
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    QSignalSpy failed(&notifier, &Notifier::failed);

    notifier.send(target(u"email:noc@example.net"_s), sampleMessage());
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 1, WAIT_MS);
    QCOMPARE(failed.size(), 1);
    QVERIFY2(failed.first().at(1).toString().contains(u"451"), qPrintable(failed.first().at(1).toString()));
    QCOMPARE(failed.first().at(2).toBool(), false);
    QCOMPARE(sink.messages().size(), 1);
    QCOMPARE(sink.connectionCount(), 2);
}

void TestNotifications::runsCommand()
{
    const QString script = m_directory.filePath(u"page-ok"_s);
    QVERIFY(writeScript(script, "cat > \"$0.json\"\nexit 0\n"));
    Notifier notifier(fastOptions());
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    QSignalSpy failed(&notifier, &Notifier::failed);
    notifier.send(target(u"command:"_s + script), sampleMessage());
    QVERIFY(delivered.wait(WAIT_MS));
    QCOMPARE(failed.size(), 0);
    QFile received(script + u".json"_s);
    QVERIFY(received.open(QIODevice::ReadOnly));
    QCOMPARE(jsonOf(received.readAll()), sampleMessage().toJson());
}

void TestNotifications::commandFailureIsRetryable()
{
    const QString script = m_directory.filePath(u"page-busy"_s);
    QVERIFY(writeScript(script, "cat > /dev/null\necho 'pager gateway busy' >&2\nexit 3\n"));
    DeliverySettings settings;
    const DeliveryOutcome outcome = Delivery::runCommand(script, "{}", settings);
    QVERIFY(!outcome.delivered);
    QVERIFY(outcome.retryable);
    QVERIFY2(
        outcome.why.contains(u"exit code 3") && outcome.why.contains(u"pager gateway busy"), qPrintable(outcome.why));
}

void TestNotifications::missingCommandIsFinal()
{
    DeliverySettings settings;
    DeliveryOutcome outcome = Delivery::runCommand(m_directory.filePath(u"no-such-program"_s), "{}", settings);
    QVERIFY(!outcome.delivered);
    QVERIFY(!outcome.retryable);
    QVERIFY2(outcome.why.contains(u"does not exist"), qPrintable(outcome.why));

    const QString notExecutable = m_directory.filePath(u"not-executable"_s);
    QVERIFY(writeScript(notExecutable, "exit 0\n"));
    QVERIFY(QFile::setPermissions(notExecutable, QFile::ReadOwner | QFile::WriteOwner));
    outcome = Delivery::runCommand(notExecutable, "{}", settings);
    QVERIFY(!outcome.retryable);
    QVERIFY2(outcome.why.contains(u"is not executable"), qPrintable(outcome.why));
}

void TestNotifications::stopsCommandAtTimeout()
{
    const QString script = m_directory.filePath(u"page-hangs"_s);
    QVERIFY(writeScript(script, "sleep 30 &\necho $! > \"$0.pid\"\nwait\n"));
    DeliverySettings settings;
    settings.commandTimeoutMs = 500;
    QElapsedTimer clock;
    clock.start();
    const DeliveryOutcome outcome = Delivery::runCommand(script, "{}", settings);
    QVERIFY2(clock.elapsed() < 5000, qPrintable(QString::number(clock.elapsed())));
    QVERIFY(!outcome.delivered);
    QVERIFY(outcome.retryable);
    QVERIFY2(outcome.why.contains(u"did not finish within 0.5 s"), qPrintable(outcome.why));
    // What the command started went with it.
    QFile pidFile(script + u".pid"_s);
    QVERIFY(pidFile.open(QIODevice::ReadOnly));
    const qint64 child = pidFile.readAll().trimmed().toLongLong();
    QVERIFY(child > 0);
    QVERIFY(isRunning(QCoreApplication::applicationPid())); // the check can see a running process
    QTRY_VERIFY_WITH_TIMEOUT(!isRunning(child), 3000);
}

void TestNotifications::showsDesktopNotifications()
{
    Notifier notifier(fastOptions());
    QSignalSpy shown(&notifier, &Notifier::desktopNotification);
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    const quint64 id = notifier.send(target(u"desktop"_s), sampleMessage());
    QVERIFY(delivered.wait(WAIT_MS));
    QCOMPARE(delivered.first().first().value<quint64>(), id);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(shown.first().first().value<AlertMessage>().alertName, u"Loss to web"_s);
}

void TestNotifications::limitsRatePerTarget()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    Notifier::Options options = fastOptions();
    options.rateLimit = 20;
    options.rateWindowMs = 2000;
    Notifier notifier(options);
    QSignalSpy delivered(&notifier, &Notifier::delivered);

    const qint64 start = monotonicNow();
    for (int i = 0; i < 25; ++i)
        QVERIFY(notifier.send(target(u"webhook:"_s + receiver.url()), sampleMessage(QString::number(i))) != 0);
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 25, WAIT_MS);
    const QList<HttpReceiver::Request> &requests = receiver.requests();
    QCOMPARE(requests.size(), 25);
    for (int i = 0; i < 25; ++i) // in the order sent
        QCOMPARE(jsonOf(requests[i].body).value(u"id").toString(), QString::number(i));
    // The first 20 at once, the rest once the first has left the window; none dropped.
    QVERIFY2(requests[19].receivedAtMs - start < 1500, qPrintable(QString::number(requests[19].receivedAtMs - start)));
    QVERIFY2(requests[20].receivedAtMs - start >= 2000, qPrintable(QString::number(requests[20].receivedAtMs - start)));
}

void TestNotifications::givesUpAfterLastAttempt()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    receiver.failNext(100, 503);
    Notifier::Options options = fastOptions();
    options.retryDelaysMs = {100, 100};
    Notifier notifier(options);
    QSignalSpy failed(&notifier, &Notifier::failed);
    notifier.send(target(u"webhook:"_s + receiver.url()), sampleMessage());
    QTRY_COMPARE_WITH_TIMEOUT(failed.size(), 3, WAIT_MS);
    QCOMPARE(failed.at(0).at(2).toBool(), false);
    QCOMPARE(failed.at(1).at(2).toBool(), false);
    QCOMPARE(failed.at(2).at(2).toBool(), true);
    QVERIFY2(failed.at(2).at(1).toString().startsWith(u"Gave up after 3 attempts: "),
        qPrintable(failed.at(2).at(1).toString()));
    QCOMPARE(receiver.requests().size(), 3);
    QCOMPARE(notifier.queuedCount(), 0);
}

void TestNotifications::boundsQueue()
{
    HttpReceiver receiver;
    QString error;
    QVERIFY2(receiver.listen(&error), qPrintable(error));
    Notifier::Options options = fastOptions();
    options.maxQueued = 3;
    Notifier notifier(options);
    QSignalSpy delivered(&notifier, &Notifier::delivered);
    const NotifyTarget hook = target(u"webhook:"_s + receiver.url());
    for (int i = 0; i < 3; ++i)
        QVERIFY(notifier.send(hook, sampleMessage()) != 0);
    QCOMPARE(notifier.send(hook, sampleMessage(), &error), 0u);
    QVERIFY2(error.contains(u"queue is full (3 waiting)"), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 3, WAIT_MS);
    QVERIFY(notifier.send(hook, sampleMessage()) != 0); // room again
    QTRY_COMPARE_WITH_TIMEOUT(delivered.size(), 4, WAIT_MS);
}

void TestNotifications::stopsPromptlyWhileDelivering()
{
    // A receiver that takes the connection and never answers.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost, 0));
    QElapsedTimer clock;
    {
        Notifier notifier(fastOptions());
        notifier.send(target(u"webhook:http://127.0.0.1:%1/hook"_s.arg(silent.serverPort())), sampleMessage());
        QTRY_VERIFY_WITH_TIMEOUT(silent.hasPendingConnections(), WAIT_MS);
        clock.start();
    }
    QVERIFY2(clock.elapsed() < 3000, qPrintable(QString::number(clock.elapsed()))); // not the 5 s timeout
}

QTEST_GUILESS_MAIN(TestNotifications)
#include "tst_notifications.moc"
