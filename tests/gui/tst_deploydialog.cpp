// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <QAction>
#include <QApplication>
#include <QElapsedTimer>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QStandardPaths>
#include <QTableView>
#include <QTableWidget>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/deploydialog.h"
#include "console/ui/deploymentmodel.h"
#include "console/ui/mainwindow.h"
#include "tests/support/mainwindowfixture.h"
#include "tests/support/processharness.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;
using StreamSwarm::Test::screenshotDir;

// The Install agents window as a user meets it: opened from the Agents menu, refusing a form that
// cannot work with a sentence, and a row per host that ends in a plain reason when the host cannot be
// reached or is not an SSH server. (The whole way to an enrolled agent runs in tst_deploy, through
// the CLI, on the same Deployment.)
class TestDeployDialog : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void opensFromTheAgentsMenu();
    void refusesWhatCannotWork();
    void showsEachHostsFailure();
    void cancelStopsEveryHost();

private:
    QStringList tokenStates();

    QTemporaryDir m_dir;
    Test::MainWindowFixture m_console;
    QPointer<DeployDialog> m_dialog;
    QString m_package;
};

void TestDeployDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(m_console.start(m_dir.filePath(u"streamswarm.db"_s), &error), qPrintable(error));
    // Not a package anyone installs: the hosts here fail before anything is copied.
    m_package = m_dir.filePath(u"streamswarm-agent_0.1.0_amd64.deb"_s);
    QFile package(m_package);
    QVERIFY(package.open(QIODevice::WriteOnly));
    package.write("!<arch>\ndebian-binary   0           0     0     100644  4         `\n2.0\n");
}

void TestDeployDialog::opensFromTheAgentsMenu()
{
    auto *action = child<QAction>(m_console.window(), u"deployAction"_s);
    QVERIFY(action);
    QCOMPARE(action->text(), u"&Install agents over SSH…"_s);
    action->trigger();
    m_dialog = m_console.window()->findChild<DeployDialog *>();
    QVERIFY(m_dialog);
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
    QCOMPARE(m_dialog->windowTitle(), u"Install agents over SSH"_s);
}

void TestDeployDialog::refusesWhatCannotWork()
{
    auto *install = child<QPushButton>(m_dialog, u"installButton"_s);
    auto *error = child<QLabel>(m_dialog, u"setupError"_s);
    install->click();
    QCOMPARE(error->text(), u"Add at least one host."_s);
    QVERIFY(error->isVisible());

    m_dialog->addHost(u"bad host!"_s, 22, u"ops"_s, {});
    install->click();
    QCOMPARE(error->text(), u"Row 1: \"bad host!\" is not a host name or IP address."_s);
    auto *hosts = child<QTableWidget>(m_dialog, u"hosts"_s);
    hosts->removeRow(0);

    m_dialog->addHost(u"127.0.0.1"_s, 70000, u"ops"_s, {});
    install->click();
    QCOMPARE(error->text(), u"Row 1: the port must be a number from 1 to 65535."_s);
    hosts->removeRow(0);

    m_dialog->addHost(u"127.0.0.1"_s, 22, u"ops"_s, {});
    m_dialog->setPackage(m_dir.filePath(u"missing.deb"_s));
    install->click();
    QCOMPARE(error->text(), u"Choose the agent's package (a .deb file made with cpack -G DEB)."_s);
    m_dialog->setPackage(m_dir.filePath(u"streamswarm.db"_s));
    install->click();
    QVERIFY2(error->text().endsWith(u"streamswarm.db is not a Debian package (.deb)."_s), qPrintable(error->text()));
    hosts->removeRow(0);
    QVERIFY(tokenStates().isEmpty()); // nothing was started, so no token was made
}

void TestDeployDialog::showsEachHostsFailure()
{
    // One address where nothing listens, one where something that is not SSH answers.
    const quint16 closedPort = Test::freeLocalPort();
    QTcpServer notSsh;
    QVERIFY(notSsh.listen(QHostAddress::LocalHost));
    connect(&notSsh, &QTcpServer::newConnection, this, [&notSsh] {
        QTcpSocket *socket = notSsh.nextPendingConnection();
        socket->write("HTTP/1.1 400 Bad Request\r\n\r\n");
        socket->disconnectFromHost();
    });
    m_dialog->addHost(u"127.0.0.1"_s, closedPort, u"ops"_s, u"branch-1"_s);
    m_dialog->addHost(u"127.0.0.1"_s, notSsh.serverPort(), u"ops"_s, u"branch-2"_s);
    m_dialog->setPackage(m_package);
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
    QVERIFY(m_dialog->grab().save(screenshotDir() + u"/deploy-setup.png"_s));

    child<QPushButton>(m_dialog, u"installButton"_s)->click();
    auto *progress = child<QTableView>(m_dialog, u"progress"_s);
    QVERIFY(progress->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->deploymentEnded(), 30000);
    const QAbstractItemModel *model = m_dialog->model();
    QCOMPARE(model->rowCount(), 2);
    QCOMPARE(model->index(0, DeploymentModel::Host).data().toString(), u"ops@127.0.0.1:%1"_s.arg(closedPort));
    QCOMPARE(model->index(0, DeploymentModel::Agent).data().toString(), u"branch-1"_s);
    const QString refused = model->index(0, DeploymentModel::Status).data().toString();
    QVERIFY2(refused.startsWith(u"Could not connect to 127.0.0.1 port %1: "_s.arg(closedPort)), qPrintable(refused));
    const QString mismatch = model->index(1, DeploymentModel::Status).data().toString();
    QVERIFY2(mismatch.startsWith(u"Could not connect to 127.0.0.1 port %1: "_s.arg(notSsh.serverPort())),
        qPrintable(mismatch));
    for (int row = 0; row < 2; ++row)
        QCOMPARE(model->index(row, 0).data(DeploymentModel::StateRole).toInt(), int(DeployStatus::State::Failed));

    // The selected host's whole story below the table; Back is open again once every host has ended.
    progress->selectRow(1);
    QTRY_VERIFY(child<QPlainTextEdit>(m_dialog, u"details"_s)->toPlainText().contains(mismatch));
    QVERIFY(child<QPushButton>(m_dialog, u"backButton"_s)->isEnabled());
    // The two tokens made for them were never used: revoked, none left that could enroll anyone.
    QTRY_COMPARE(tokenStates(), (QStringList{u"revoked"_s, u"revoked"_s}));
    QVERIFY(m_dialog->grab().save(screenshotDir() + u"/deploy-progress.png"_s));
}

void TestDeployDialog::cancelStopsEveryHost()
{
    // A host that takes the connection and never says a word: the hosts wait there (four at a time,
    // two queued) until Cancel all, which must not wait for the 15 s timeout.
    QTcpServer silent;
    QVERIFY(silent.listen(QHostAddress::LocalHost));
    child<QPushButton>(m_dialog, u"backButton"_s)->click();
    auto *hosts = child<QTableWidget>(m_dialog, u"hosts"_s);
    hosts->setRowCount(0);
    for (int row = 0; row < 6; ++row)
        m_dialog->addHost(u"127.0.0.1"_s, silent.serverPort(), u"ops"_s, u"silent-%1"_s.arg(row));
    child<QPushButton>(m_dialog, u"installButton"_s)->click();
    const QAbstractItemModel *model = m_dialog->model();
    QTRY_COMPARE(model->index(0, DeploymentModel::Status).data().toString(), u"Connecting"_s);
    QCOMPARE(model->index(5, DeploymentModel::Status).data().toString(), u"Waiting for its turn"_s);
    QElapsedTimer cancelling;
    cancelling.start();
    auto *cancelAll = m_dialog->findChild<QPushButton *>(u"cancelAllButton"_s);
    QVERIFY(cancelAll && cancelAll->isEnabled());
    cancelAll->click();
    QTRY_VERIFY_WITH_TIMEOUT(m_dialog->deploymentEnded(), 5000);
    QVERIFY2(cancelling.elapsed() < 3000, qPrintable(QString::number(cancelling.elapsed())));
    for (int row = 0; row < 6; ++row) {
        QCOMPARE(model->index(row, 0).data(DeploymentModel::StateRole).toInt(), int(DeployStatus::State::Cancelled));
        const QString text = model->index(row, DeploymentModel::Status).data().toString();
        QVERIFY2(text == u"Cancelled; nothing was installed."_s || text == u"Cancelled before it began."_s,
            qPrintable(text));
    }
    QTRY_VERIFY(!tokenStates().contains(u"active"_s));
}

QStringList TestDeployDialog::tokenStates()
{
    QStringList states;
    bool answered = false;
    m_console.service()->administration()->tokens(this, [&](const Result<QList<TokenRecord>> &tokens) {
        for (const TokenRecord &token : *tokens)
            states.append(tokenStateName(token.stateAt(QDateTime::currentMSecsSinceEpoch())));
        answered = true;
    });
    if (!QTest::qWaitFor([&] { return answered; }, 5000))
        return {u"no answer"_s};
    return states;
}

QTEST_MAIN(TestDeployDialog)
#include "tst_deploydialog.moc"
