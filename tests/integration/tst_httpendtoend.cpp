// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
//
// The http test through the real programs: `test add --type http --target URL --param ...` on the
// console's command line, an agent that runs it against the suite's HTTPS server, and `export
// --format json` with the http.* samples and the detail; and the one-line refusals of bad URLs.
// The agent loads libcurl only when its first http test starts, and says so plainly when it cannot.
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTemporaryDir>
#include <QTest>

#include "tests/support/processharness.h"
#include "tests/support/testcertificates.h"
#include "tests/support/webserver/webserverprocess.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Test;

namespace {

bool mapsLibcurl(qint64 pid)
{
    QFile maps(u"/proc/%1/maps"_s.arg(pid));
    return maps.open(QIODevice::ReadOnly) && maps.readAll().contains("/libcurl.so");
}

} // namespace

class TestHttpEndToEnd : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void samplesAndDetailArrive();
    void withoutLibcurlRoundsSaySo();
    void badUrlsAreRefusedWithOneLine_data();
    void badUrlsAreRefusedWithOneLine();

private:
    QTemporaryDir m_dir;
    std::unique_ptr<TestCertificateAuthority> m_authority;
    WebServerProcess m_server;
    std::unique_ptr<ConsoleHarness> m_console;
    std::unique_ptr<ManagedProcess> m_agent;
};

void TestHttpEndToEnd::initTestCase()
{
    QVERIFY(m_dir.isValid());
    m_authority = std::make_unique<TestCertificateAuthority>(m_dir.path());
    QString error;
    QVERIFY2(m_authority->isValid() && m_authority->issue(u"web"_s, {}, &error), qPrintable(error));
    QVERIFY2(m_server.start(m_authority->certificateFile(u"web"_s), m_authority->keyFile(u"web"_s), &error),
        qPrintable(error));
    m_console = std::make_unique<ConsoleHarness>(m_dir.filePath(u"console"_s), true);
    QVERIFY2(m_console->start(), qPrintable(m_console->process().output()));
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"web"_s});
    QCOMPARE(token.exitCode, 0);
    m_agent = std::make_unique<ManagedProcess>(agentBinary(),
        QStringList{u"--server"_s, m_console->serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s, u"edge"_s,
            u"--state-dir"_s, m_dir.filePath(u"agent"_s), u"--insecure"_s});
    QVERIFY(m_agent->start());
    QVERIFY2(m_agent->waitForOutput(u"online as edge"_s, 10000), qPrintable(m_agent->output()));
    QVERIFY2(!mapsLibcurl(m_agent->pid()), "libcurl was loaded before any http test ran");
}

void TestHttpEndToEnd::samplesAndDetailArrive()
{
    const QString url = m_server.baseUrl() + u"/think?ms=40&clip=intro"_s;
    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"front"_s, u"--type"_s, u"http"_s,
        u"--target"_s, url, u"--interval"_s, u"1s"_s, u"--continuous"_s, u"--agents"_s, u"edge"_s, u"--param"_s,
        u"ca-file="_s + m_authority->caFile(), u"--param"_s, u"requests=2"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const auto exported = [&] {
        const CommandResult result = m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, u"front"_s});
        return QJsonDocument::fromJson(result.out.toUtf8()).object();
    };
    const auto metricsOf = [](const QJsonObject &document) {
        QSet<QString> names;
        for (const QJsonValue &sample : document[u"samples"_s].toArray())
            names.insert(sample[u"metric"_s].toString());
        return names;
    };
    const QSet<QString> expected{u"http.dns_ms"_s, u"http.connect_ms"_s, u"http.tls_ms"_s, u"http.ttfb_ms"_s,
        u"http.total_ms"_s, u"http.download_bytes"_s, u"http.throughput_mbps"_s, u"http.status"_s, u"http.redirects"_s,
        u"http.compression_ratio"_s, u"http.cert_validation_ms"_s, u"http.reused"_s, u"http.reused_ttfb_ms"_s,
        u"http.reused_total_ms"_s};
    QTRY_VERIFY_WITH_TIMEOUT(metricsOf(exported()).contains(expected), 20000);
    QVERIFY(mapsLibcurl(m_agent->pid()));
    const QJsonObject document = exported();
    for (const QJsonValue &sample : document[u"samples"_s].toArray()) {
        if (sample[u"metric"_s].toString() == u"http.ttfb_ms")
            QVERIFY2(sample[u"value"_s].toDouble() >= 40, QJsonDocument(sample.toObject()).toJson().constData());
        if (sample[u"metric"_s].toString() == u"http.status")
            QCOMPARE(sample[u"value"_s].toDouble(), 200.0);
    }
    const QByteArray json = QJsonDocument(document).toJson(QJsonDocument::Compact);
    QVERIFY2(json.contains("\"kind\":\"http\""), json.left(2000).constData());
    QVERIFY2(json.contains("\"tlsVersion\":\"TLSv1.3\""), json.left(2000).constData());
    QVERIFY(json.contains("\"trusted\":true"));
    QVERIFY(json.contains(url.toUtf8()));
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"front"_s}).exitCode, 0);
}

void TestHttpEndToEnd::withoutLibcurlRoundsSaySo()
{
    const CommandResult token = m_console->cli({u"token"_s, u"create"_s, u"nocurl"_s});
    QCOMPARE(token.exitCode, 0);
    QProcessEnvironment environment = QProcessEnvironment::systemEnvironment();
    environment.insert(u"LD_LIBRARY_PATH"_s, QStringLiteral(STREAMSWARM_FAKE_CURL_DIR));
    ManagedProcess agent(agentBinary(),
        {u"--server"_s, m_console->serverUrl(), u"--token"_s, token.out.trimmed(), u"--name"_s, u"nocurl"_s,
            u"--state-dir"_s, m_dir.filePath(u"nocurl"_s), u"--insecure"_s},
        environment);
    QVERIFY(agent.start());
    QVERIFY2(agent.waitForOutput(u"online as nocurl"_s, 10000), qPrintable(agent.output()));
    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"nocurl-web"_s, u"--type"_s, u"http"_s,
        u"--target"_s, m_server.baseUrl() + u"/think?ms=1"_s, u"--interval"_s, u"1s"_s, u"--continuous"_s,
        u"--agents"_s, u"nocurl"_s});
    QVERIFY2(add.exitCode == 0, qPrintable(add.err));
    const QString says = u"http tests need libcurl 7.85 or newer; the installed "_s;
    const auto exported = [&] {
        return m_console->cli({u"export"_s, u"--format"_s, u"json"_s, u"--test"_s, u"nocurl-web"_s}).out;
    };
    QTRY_VERIFY_WITH_TIMEOUT(exported().contains(says), 15000);
    QVERIFY2(exported().contains(u"has no curl_version_info"_s), qPrintable(exported().left(2000)));
    QVERIFY(agent.isRunning());
    QCOMPARE(m_console->cli({u"test"_s, u"stop"_s, u"nocurl-web"_s}).exitCode, 0);
}

void TestHttpEndToEnd::badUrlsAreRefusedWithOneLine_data()
{
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("says");
    QTest::newRow("no scheme") << u"www.example.com/video"_s << u"is not a URL; give one that starts with http://"_s;
    QTest::newRow("ftp") << u"ftp://example.com/"_s << u"The scheme \"ftp\" is not supported"_s;
    QTest::newRow("malformed") << u"http://exa mple.com/"_s << u"must not contain blanks"_s;
}

void TestHttpEndToEnd::badUrlsAreRefusedWithOneLine()
{
    QFETCH(QString, target);
    QFETCH(QString, says);
    const CommandResult add = m_console->cli({u"test"_s, u"add"_s, u"--name"_s, u"bad"_s, u"--type"_s, u"http"_s,
        u"--target"_s, target, u"--agents"_s, u"edge"_s});
    QVERIFY(add.exitCode != 0);
    QVERIFY2(add.err.contains(says), qPrintable(add.err));
    QCOMPARE(add.err.trimmed().count(u'\n'), 0);
}

QTEST_GUILESS_MAIN(TestHttpEndToEnd)
#include "tst_httpendtoend.moc"
