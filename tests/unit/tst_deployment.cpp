// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QSignalSpy>
#include <QTcpServer>
#include <QTest>

#include "console/deploy/deployment.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm::Console;

namespace {

// Tokens and agents as a test sets them: tokens fail or succeed, every one is remembered.
class FakeRegistry final : public DeployRegistry
{
public:
    bool failTokens = false;
    QStringList issued;
    QStringList revoked;

    void issueToken(const TokenRequest &request, Callback<IssuedToken> done) override
    {
        if (failTokens)
            return done(Result<IssuedToken>::failure(u"the database is locked"_s));
        issued.append(request.name);
        done(IssuedToken{request.name, u"sse_"_s + request.name, 1, 0, {}});
    }
    void revokeToken(const QString &name) override { revoked.append(name); }
    void agents(Callback<QList<AgentRecord>> done) override { done(QList<AgentRecord>()); }
};

QList<DeployTarget> targets(int count, quint16 port)
{
    QList<DeployTarget> list;
    for (int index = 0; index < count; ++index)
        list.append(DeployTarget{u"127.0.0.1"_s, port, u"ops"_s, u"agent-%1"_s.arg(index)});
    return list;
}

} // namespace

// How a deployment of many hosts moves along, whatever happens to each: every host ends, the turns
// (four at a time) are handed on, and no token that was made stays usable unless an agent used it.
class TestDeployment : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void failedTokensDoNotStallTheQueue();
    void unreachableHostsEndAndTheirTokensAreRevoked();
    void noHostsFinishesAtOnce();
};

void TestDeployment::failedTokensDoNotStallTheQueue()
{
    FakeRegistry registry;
    registry.failTokens = true;
    Deployment deployment(targets(9, 22), {}, {u"wss://console:8765"_s, {}}, &registry);
    QSignalSpy finished(&deployment, &Deployment::finished);
    deployment.start();
    QTRY_COMPARE(finished.size(), 1); // all nine, each in its turn
    for (int index = 0; index < 9; ++index) {
        QCOMPARE(deployment.status(index).state, DeployStatus::State::Failed);
        QCOMPARE(deployment.status(index).text, u"Could not make an enrollment token: the database is locked"_s);
    }
}

void TestDeployment::unreachableHostsEndAndTheirTokensAreRevoked()
{
    QTcpServer closed; // a port that was just free: nothing listens there any more
    QVERIFY(closed.listen(QHostAddress::LocalHost));
    const quint16 port = closed.serverPort();
    closed.close();
    FakeRegistry registry;
    Deployment deployment(targets(6, port), {}, {u"wss://console:8765"_s, {}}, &registry);
    QSignalSpy finished(&deployment, &Deployment::finished);
    int mostAtOnce = 0;
    connect(&deployment, &Deployment::statusChanged, this, [&] {
        int working = 0;
        for (int index = 0; index < deployment.count(); ++index)
            working += deployment.status(index).state == DeployStatus::State::Working;
        mostAtOnce = std::max(mostAtOnce, working);
    });
    deployment.start();
    QVERIFY(finished.wait(20000));
    QCOMPARE(mostAtOnce, Deployment::PARALLEL_HOSTS);
    for (int index = 0; index < 6; ++index) {
        QCOMPARE(deployment.status(index).state, DeployStatus::State::Failed);
        QVERIFY2(deployment.status(index).text.startsWith(u"Could not connect to 127.0.0.1 port %1: "_s.arg(port)),
            qPrintable(deployment.status(index).text));
    }
    QCOMPARE(registry.issued.size(), 6);
    std::sort(registry.issued.begin(), registry.issued.end());
    std::sort(registry.revoked.begin(), registry.revoked.end());
    QCOMPARE(registry.revoked, registry.issued);
    QCOMPARE(QSet<QString>(registry.issued.cbegin(), registry.issued.cend()).size(), 6); // every name its own
}

void TestDeployment::noHostsFinishesAtOnce()
{
    FakeRegistry registry;
    Deployment deployment({}, {}, {u"wss://console:8765"_s, {}}, &registry);
    QSignalSpy finished(&deployment, &Deployment::finished);
    deployment.start();
    QVERIFY(finished.wait(2000));
    QVERIFY(deployment.allEnded());
}

QTEST_GUILESS_MAIN(TestDeployment)
#include "tst_deployment.moc"
