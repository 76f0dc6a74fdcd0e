// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <functional>
#include <memory>

#include <QAction>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QInputDialog>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPointer>
#include <QProcess>
#include <QPushButton>
#include <QRadioButton>
#include <QRegularExpression>
#include <QSet>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QTreeWidget>

#include "console/models/agentlistmodel.h"
#include "console/models/testlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/storage/agentrepository.h"
#include "console/storage/database.h"
#include "console/ui/addtestdialog.h"
#include "console/ui/mainwindow.h"
#include "shared/testtypes/testtype.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;

namespace {

constexpr int WAIT_MS = 5000;

QString binaryDir()
{
    const QString dir = qEnvironmentVariable("STREAMSWARM_BINARY_DIR");
    return dir.isEmpty() ? QDir::currentPath() : dir;
}

// What the command line says for the same mistake: the window must say the same.
QString cliError(const QString &dataDir, const QStringList &arguments)
{
    QProcess cli;
    cli.start(binaryDir() + u"/console/streamswarm-console"_s,
        QStringList{u"test"_s, u"add"_s} + arguments + QStringList{u"--data-dir"_s, dataDir});
    if (!cli.waitForFinished(30000))
        return u"(the command line did not finish)"_s;
    return QString::fromUtf8(cli.readAllStandardError()).trimmed().section(u": "_s, 1);
}

} // namespace

// The window's "Add test": same checks and messages as `streamswarm-console test add`, the test
// lands in the database with its parameters and an audit line, and the running console assigns it.
class TestAddTestDialog final : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase();
    void opensFromTheTestsMenu();
    void refusesMistakesWithTheCliMessages_data();
    void refusesMistakesWithTheCliMessages();
    void formFollowsTheTestType();
    void addsATestWithItsParameters();
    void refusesADuplicateName();
    void checksAsTheUserTypes();
    void editsAndDuplicatesTheSelectedTest();
    void pausesResumesAndDeletesTheSelectedTest();
    void tagsAndRenamesTheSelectedAgent();
    void cleanupTestCase();

private:
    void selectRow(QAbstractItemView *view, int role, qint64 id);
    // Runs answer on the modal dialog that action opens (a message box or an input dialog), then triggers
    // it; exec() returns once answer has clicked or accepted.
    void triggerAndAnswer(QAction *action, const std::function<void(QWidget *)> &answer);
    const TestRecord *testNamed(const QString &name) const;
    AddTestDialog *openDialog();
    void fill(AddTestDialog *dialog, const QString &name, const QString &target, const QString &interval,
        const QString &params, bool allAgents);
    void saveScreenshot(QWidget *widget, const QString &file);

    QTemporaryDir m_dir;
    QString m_path;
    Test::MainWindowFixture m_console;
    ConsoleService *m_service = nullptr;
    MainWindow *m_window = nullptr;
};

void TestAddTestDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(u"streamswarm.db"_s);
    {
        Database db;
        QString error;
        QVERIFY2(db.open(DatabaseUrl::sqliteFile(m_path), u"seed"_s, &error), qPrintable(error));
        AgentRepository agents(db);
        qint64 id = 0;
        QVERIFY2(db.beginWrite(&error), qPrintable(error));
        const qint64 now = QDateTime::currentMSecsSinceEpoch();
        QVERIFY2(agents.enroll({u"edge-1"_s, u"edge-1.lab"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s}}, 0,
                     now, &id, &error),
            qPrintable(error));
        QVERIFY2(agents.enroll({u"branch-2"_s, u"br2.lab"_s, u"Debian GNU/Linux 12"_s, u"0.1.0"_s, {u"ping"_s}}, 0, now,
                     &id, &error),
            qPrintable(error));
        QVERIFY2(db.commit(&error), qPrintable(error));
    }
    QString error;
    QVERIFY2(m_console.startService(m_path, &error, false), qPrintable(error));
    m_service = m_console.service();
    QTRY_COMPARE_WITH_TIMEOUT(m_service->agents().size(), 2, WAIT_MS);
    QVERIFY2(m_console.showWindow(&error), qPrintable(error));
    m_window = m_console.window();
}

AddTestDialog *TestAddTestDialog::openDialog()
{
    auto *action = child<QAction>(m_window, u"addTestAction"_s);
    if (!action)
        return nullptr;
    action->trigger();
    const auto dialogs = m_window->findChildren<AddTestDialog *>();
    return dialogs.isEmpty() ? nullptr : dialogs.last();
}

void TestAddTestDialog::fill(AddTestDialog *dialog, const QString &name, const QString &target, const QString &interval,
    const QString &params, bool allAgents)
{
    child<QLineEdit>(dialog, u"name"_s)->setText(name);
    child<QLineEdit>(dialog, u"target"_s)->setText(target);
    child<QLineEdit>(dialog, u"interval"_s)->setText(interval);
    // key=value per line, typed into the field the type's descriptor made for each key
    for (const QString &line : params.split(u'\n', Qt::SkipEmptyParts)) {
        const QString key = line.section(u'=', 0, 0);
        const QString value = line.section(u'=', 1);
        if (auto *edit = dialog->findChild<QLineEdit *>(u"param-"_s + key)) {
            edit->setText(value);
        } else if (auto *box = dialog->findChild<QComboBox *>(u"param-"_s + key)) {
            box->setCurrentIndex(box->findData(value));
        } else {
            QFAIL(qPrintable(u"the form has no field for %1"_s.arg(key)));
        }
    }
    child<QCheckBox>(dialog, u"allAgents"_s)->setChecked(allAgents);
}

void TestAddTestDialog::saveScreenshot(QWidget *widget, const QString &file)
{
    const QString dir = Test::screenshotDir();
    QDir().mkpath(dir);
    QVERIFY(widget->grab().save(dir + u'/' + file));
}

void TestAddTestDialog::opensFromTheTestsMenu()
{
    auto *action = child<QAction>(m_window, u"addTestAction"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(QKeySequence::New));
    AddTestDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QCOMPARE(dialog->windowTitle(), u"Add test"_s);
    auto *agents = child<QListWidget>(dialog, u"agents"_s);
    QCOMPARE(agents->count(), 2);
    QCOMPARE(child<QComboBox>(dialog, u"type"_s)->currentText(), u"ping"_s);
    QVERIFY(child<QRadioButton>(dialog, u"continuous"_s)->isChecked());
    saveScreenshot(dialog, u"addtest-empty.png"_s);
    dialog->close();
}

void TestAddTestDialog::refusesMistakesWithTheCliMessages_data()
{
    QTest::addColumn<QString>("name");
    QTest::addColumn<QString>("target");
    QTest::addColumn<QString>("interval");
    QTest::addColumn<QString>("params");
    QTest::addColumn<QStringList>("cliArguments");

    const QStringList good{u"--type"_s, u"ping"_s, u"--continuous"_s, u"--agents"_s, u"all"_s};
    QTest::newRow("bad name") << u"gw latency"_s << u"127.0.0.1"_s << u"1s"_s << QString()
                              << (QStringList{u"--name"_s, u"gw latency"_s, u"--target"_s, u"127.0.0.1"_s} + good);
    QTest::newRow("bad target") << u"gw"_s << u"-oops"_s << u"1s"_s << QString()
                                << (QStringList{u"--name"_s, u"gw"_s, u"--target"_s, u"-oops"_s} + good);
    QTest::newRow("broadcast target") << u"gw"_s << u"255.255.255.255"_s << u"1s"_s << QString()
                                      << (QStringList{u"--name"_s, u"gw"_s, u"--target"_s, u"255.255.255.255"_s}
                                             + good);
    QTest::newRow("bad parameter")
        << u"gw"_s << u"127.0.0.1"_s << u"1s"_s << u"count=0"_s
        << (QStringList{u"--name"_s, u"gw"_s, u"--target"_s, u"127.0.0.1"_s, u"--param"_s, u"count=0"_s} + good);
    QTest::newRow("round longer than the interval")
        << u"gw"_s << u"127.0.0.1"_s << u"1s"_s << u"count=20\nspacing=100ms"_s
        << (QStringList{u"--name"_s, u"gw"_s, u"--target"_s, u"127.0.0.1"_s, u"--param"_s, u"count=20"_s, u"--param"_s,
                u"spacing=100ms"_s}
               + good);
}

void TestAddTestDialog::refusesMistakesWithTheCliMessages()
{
    QFETCH(QString, name);
    QFETCH(QString, target);
    QFETCH(QString, interval);
    QFETCH(QString, params);
    QFETCH(QStringList, cliArguments);

    AddTestDialog *dialog = openDialog();
    QVERIFY(dialog);
    fill(dialog, name, target, interval, params, true);
    child<QPushButton>(dialog, u"add"_s)->click();
    auto *error = child<QLabel>(dialog, u"error"_s);
    QVERIFY(error->isVisible());
    const QString expected = cliError(m_dir.filePath(u"cli"_s), cliArguments);
    QVERIFY2(!expected.isEmpty(), "the command line accepted what the window refused");
    QCOMPARE(error->text(), expected);
    QVERIFY(dialog->isVisible()); // nothing lost: the form stays for a correction
    if (QByteArray(QTest::currentDataTag()) == "bad target")
        saveScreenshot(dialog, u"addtest-error.png"_s);
    dialog->close();
    QCOMPARE(m_service->tests().size(), 0);
}

void TestAddTestDialog::addsATestWithItsParameters()
{
    // Guarded: the dialog deletes itself when it closes after adding.
    QPointer<AddTestDialog> dialog = openDialog();
    QVERIFY(dialog);
    fill(dialog, u"gateway-latency"_s, u"127.0.0.1"_s, u"2s"_s, u"count=3\nspacing=50ms"_s, false);
    auto *add = child<QPushButton>(dialog, u"add"_s);
    add->click();
    // No agent ticked: said plainly.
    QCOMPARE(child<QLabel>(dialog, u"error"_s)->text(),
        u"Tick the agents that should run the test, name tags, or choose \"All agents\"."_s);
    child<QListWidget>(dialog, u"agents"_s)->item(0)->setCheckState(Qt::Checked);
    child<QRadioButton>(dialog, u"forDuration"_s)->setChecked(true);
    child<QLineEdit>(dialog, u"duration"_s)->setText(u"5m"_s);
    saveScreenshot(dialog, u"addtest-filled.png"_s);
    add->click();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog || !dialog->isVisible(), WAIT_MS);
    QTRY_COMPARE_WITH_TIMEOUT(m_service->tests().size(), 1, WAIT_MS);

    // As the command line sees it, from the database file.
    QProcess cli;
    cli.start(binaryDir() + u"/console/streamswarm-console"_s,
        {u"test"_s, u"list"_s, u"--json"_s, u"--db"_s, u"sqlite:"_s + m_path});
    QVERIFY(cli.waitForFinished(30000));
    const QJsonArray tests = QJsonDocument::fromJson(cli.readAllStandardOutput()).array();
    QCOMPARE(tests.size(), 1);
    const QJsonObject test = tests.first().toObject();
    QCOMPARE(test.value(u"name"_s).toString(), u"gateway-latency"_s);
    QCOMPARE(test.value(u"type"_s).toString(), u"ping"_s);
    qInfo().noquote() << QJsonDocument(test).toJson(QJsonDocument::Compact);
    const QString listed = QString::fromUtf8(QJsonDocument(test).toJson(QJsonDocument::Compact));
    QVERIFY2(listed.contains(u"edge-1"_s) || listed.contains(u"branch-2"_s), qPrintable(listed));
    QVERIFY2(listed.contains(u"count"_s) && listed.contains(u"50ms"_s), qPrintable(listed));

    QProcess events;
    events.start(
        binaryDir() + u"/console/streamswarm-console"_s, {u"event"_s, u"list"_s, u"--db"_s, u"sqlite:"_s + m_path});
    QVERIFY(events.waitForFinished(30000));
    QVERIFY(QString::fromUtf8(events.readAllStandardOutput()).contains(u"Test \"gateway-latency\" added (by "_s));
}

// The parameter fields are the chosen type's, from its descriptor; a value typed for a parameter
// both types have survives the switch.
void TestAddTestDialog::formFollowsTheTestType()
{
    AddTestDialog *dialog = openDialog();
    QVERIFY(dialog);
    auto *type = child<QComboBox>(dialog, u"type"_s);
    QCOMPARE(type->count(), TestTypes::all().size());
    for (const TestTypes::TestType &testType : TestTypes::all()) {
        type->setCurrentText(testType.name);
        const QStringList fields = [&] {
            QStringList names;
            for (QWidget *field : dialog->findChildren<QWidget *>(QRegularExpression(u"^param-"_s)))
                names.append(field->objectName().mid(6));
            return names;
        }();
        const QStringList keys = testType.paramKeys();
        QCOMPARE(QSet<QString>(fields.cbegin(), fields.cend()), QSet<QString>(keys.cbegin(), keys.cend()));
        QCOMPARE(child<QLabel>(dialog, u"typeSummary"_s)->text(), TestTypes::text(testType.summary));
    }
    type->setCurrentText(u"ping"_s);
    fill(dialog, u"path"_s, u"127.0.0.1"_s, u"5s"_s, u"timeout=3s\ncount=4"_s, true);
    type->setCurrentText(u"traceroute"_s);
    QCOMPARE(child<QLineEdit>(dialog, u"param-timeout"_s)->text(), u"3s"_s);
    auto *protocol = child<QComboBox>(dialog, u"param-protocol"_s);
    QCOMPARE(protocol->count(), 4); // the default, then icmp, udp and tcp
    protocol->setCurrentIndex(protocol->findData(u"tcp"_s));
    saveScreenshot(dialog, u"addtest-traceroute.png"_s);
    // 30 hops are two waves of 3s: longer than the 5s interval, and said in the traceroute's words.
    child<QPushButton>(dialog, u"add"_s)->click();
    auto *error = child<QLabel>(dialog, u"error"_s);
    QVERIFY2(error->text().startsWith(u"A traceroute round (up to 2 waves"_s), qPrintable(error->text()));
    dialog->close();
    QCOMPARE(m_service->tests().size(), 0);
}

void TestAddTestDialog::refusesADuplicateName()
{
    AddTestDialog *dialog = openDialog();
    QVERIFY(dialog);
    fill(dialog, u"gateway-latency"_s, u"127.0.0.2"_s, u"1s"_s, QString(), true);
    child<QPushButton>(dialog, u"add"_s)->click();
    auto *error = child<QLabel>(dialog, u"error"_s);
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), WAIT_MS);
    QVERIFY2(error->text().contains(u"gateway-latency"_s), qPrintable(error->text()));
    QVERIFY(dialog->isVisible());
    QCOMPARE(m_service->tests().size(), 1);
    dialog->close();
}

void TestAddTestDialog::selectRow(QAbstractItemView *view, int role, qint64 id)
{
    // Also in the agents' groups.
    const QModelIndexList found = view->model()->match(
        view->model()->index(0, 0), role, id, 1, Qt::MatchExactly | Qt::MatchRecursive | Qt::MatchWrap);
    QVERIFY2(!found.isEmpty(), "no row of that id");
    view->setCurrentIndex(found.constFirst());
}

void TestAddTestDialog::triggerAndAnswer(QAction *action, const std::function<void(QWidget *)> &answer)
{
    bool answered = false;
    QTimer::singleShot(0, this, [&] {
        QTRY_VERIFY_WITH_TIMEOUT(QApplication::activeModalWidget(), WAIT_MS);
        answer(QApplication::activeModalWidget());
        answered = true;
    });
    action->trigger();
    QVERIFY(answered);
}

const TestRecord *TestAddTestDialog::testNamed(const QString &name) const
{
    for (const TestRecord &test : m_service->tests()) {
        if (test.name == name)
            return &test;
    }
    return nullptr;
}

// Typed with real key events: a mistake is marked and said once the typing pauses, and a form
// that would work says in one line what will run.
void TestAddTestDialog::checksAsTheUserTypes()
{
    AddTestDialog *dialog = openDialog();
    QVERIFY(dialog);
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    auto *error = child<QLabel>(dialog, u"error"_s);
    auto *preview = child<QLabel>(dialog, u"preview"_s);
    QVERIFY(!error->isVisible()); // nothing said before the user typed
    QTest::keyClicks(child<QLineEdit>(dialog, u"name"_s), u"lan-gateway"_s);
    QTest::keyClicks(child<QLineEdit>(dialog, u"target"_s), u"192.0.2.1"_s);
    auto *interval = child<QLineEdit>(dialog, u"interval"_s);
    interval->selectAll();
    QTest::keyClicks(interval, u"5 parsecs"_s);
    QTRY_VERIFY_WITH_TIMEOUT(error->isVisible(), WAIT_MS);
    QVERIFY2(error->text().contains(u"parsecs"_s), qPrintable(error->text()));
    QCOMPARE(interval->toolTip(), error->text()); // the field in the way carries the reason
    QVERIFY(preview->text().isEmpty());
    saveScreenshot(dialog, u"addtest-typing-error.png"_s);
    interval->selectAll();
    QTest::keyClicks(interval, u"5s"_s);
    child<QCheckBox>(dialog, u"allAgents"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!error->isVisible(), WAIT_MS);
    QCOMPARE(preview->text(), u"Runs ping on 192.0.2.1 every 5s, until stopped, starting now; on all agents."_s);
    QVERIFY(interval->toolTip() != error->text());
    dialog->close();
}

// Tests > Edit test opens the form filled with the test, its type fixed; saving changes it as
// `test edit` does. Duplicate opens the same form under a new name and adds a second test.
void TestAddTestDialog::editsAndDuplicatesTheSelectedTest()
{
    QTRY_VERIFY_WITH_TIMEOUT(testNamed(u"gateway-latency"_s), WAIT_MS);
    selectRow(m_console.testsView(), TestListModel::TestIdRole, testNamed(u"gateway-latency"_s)->id);
    auto *edit = child<QAction>(m_window, u"editTestAction"_s);
    QVERIFY(edit->isEnabled());
    QCOMPARE(edit->shortcut(), QKeySequence(Qt::Key_F2));
    edit->trigger();
    QPointer<AddTestDialog> dialog = m_window->findChildren<AddTestDialog *>().last();
    QVERIFY(QTest::qWaitForWindowExposed(dialog));
    QCOMPARE(dialog->windowTitle(), u"Edit test"_s);
    QCOMPARE(child<QLineEdit>(dialog, u"name"_s)->text(), u"gateway-latency"_s);
    QVERIFY(!child<QComboBox>(dialog, u"type"_s)->isEnabled());
    QCOMPARE(child<QLineEdit>(dialog, u"interval"_s)->text(), u"2s"_s);
    QCOMPARE(child<QLineEdit>(dialog, u"duration"_s)->text(), u"5m"_s);
    QCOMPARE(child<QLineEdit>(dialog, u"param-count"_s)->text(), u"3"_s);
    QCOMPARE(child<QPushButton>(dialog, u"add"_s)->text(), u"Save changes"_s);
    child<QLineEdit>(dialog, u"interval"_s)->setText(u"10s"_s);
    child<QLineEdit>(dialog, u"tags"_s)->setText(u"core, lab"_s);
    child<QLineEdit>(dialog, u"start"_s)->setText(u"tomorrow"_s);
    child<QPushButton>(dialog, u"add"_s)->click();
    QVERIFY2(child<QLabel>(dialog, u"error"_s)->text().contains(u"is not a start time"_s),
        qPrintable(child<QLabel>(dialog, u"error"_s)->text()));
    child<QLineEdit>(dialog, u"start"_s)->setText(u"+1h"_s);
    saveScreenshot(dialog, u"edittest.png"_s);
    child<QPushButton>(dialog, u"add"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(!dialog, WAIT_MS);
    QTRY_COMPARE_WITH_TIMEOUT(testNamed(u"gateway-latency"_s)->intervalMs, qint64(10000), WAIT_MS);
    const TestRecord edited = *testNamed(u"gateway-latency"_s);
    QCOMPARE(edited.agentTags, (QStringList{u"core"_s, u"lab"_s}));
    QCOMPARE(edited.stateAt(QDateTime::currentMSecsSinceEpoch()), TestState::Scheduled);
    QCOMPARE(edited.params.value(u"count"_s), u"3"_s);

    child<QAction>(m_window, u"duplicateTestAction"_s)->trigger();
    dialog = m_window->findChildren<AddTestDialog *>().last();
    QCOMPARE(dialog->windowTitle(), u"Duplicate test"_s);
    QCOMPARE(child<QLineEdit>(dialog, u"name"_s)->text(), u"gateway-latency-copy"_s);
    QVERIFY(child<QComboBox>(dialog, u"type"_s)->isEnabled());
    QCOMPARE(child<QLineEdit>(dialog, u"start"_s)->text(), QString()); // a copy starts now
    child<QPushButton>(dialog, u"add"_s)->click();
    QTRY_VERIFY_WITH_TIMEOUT(testNamed(u"gateway-latency-copy"_s), WAIT_MS);
    QCOMPARE(testNamed(u"gateway-latency-copy"_s)->intervalMs, qint64(10000));
    QCOMPARE(testNamed(u"gateway-latency-copy"_s)->agentTags, (QStringList{u"core"_s, u"lab"_s}));
}

// Pause and resume follow the test's state; Delete asks whether to keep the data.
void TestAddTestDialog::pausesResumesAndDeletesTheSelectedTest()
{
    QTRY_VERIFY_WITH_TIMEOUT(testNamed(u"gateway-latency-copy"_s), WAIT_MS);
    const qint64 id = testNamed(u"gateway-latency-copy"_s)->id;
    selectRow(m_console.testsView(), TestListModel::TestIdRole, id);
    auto *pause = child<QAction>(m_window, u"pauseTestAction"_s);
    auto *resume = child<QAction>(m_window, u"resumeTestAction"_s);
    QVERIFY(pause->isEnabled());
    QVERIFY(!resume->isEnabled());
    pause->trigger();
    const auto state = [&] {
        return testNamed(u"gateway-latency-copy"_s)->stateAt(QDateTime::currentMSecsSinceEpoch());
    };
    QTRY_COMPARE_WITH_TIMEOUT(state(), TestState::Paused, WAIT_MS);
    // The list re-sorts (running tests first) and its selection follows the chart: pick the row again.
    selectRow(m_console.testsView(), TestListModel::TestIdRole, id);
    QTRY_VERIFY_WITH_TIMEOUT(resume->isEnabled() && !pause->isEnabled(), WAIT_MS);
    resume->trigger();
    QTRY_COMPARE_WITH_TIMEOUT(state(), TestState::Running, WAIT_MS);
    selectRow(m_console.testsView(), TestListModel::TestIdRole, id);

    // Cancelled: nothing happens.
    auto *remove = child<QAction>(m_window, u"deleteTestAction"_s);
    triggerAndAnswer(remove, [](QWidget *box) { qobject_cast<QMessageBox *>(box)->reject(); });
    QTest::qWait(200);
    QVERIFY(testNamed(u"gateway-latency-copy"_s));
    triggerAndAnswer(remove, [](QWidget *box) {
        QVERIFY2(qobject_cast<QMessageBox *>(box)->text().contains(u"Keep its measurements?"_s),
            qPrintable(qobject_cast<QMessageBox *>(box)->text()));
        child<QPushButton>(box, u"keepData"_s)->click();
    });
    QTRY_VERIFY_WITH_TIMEOUT(!testNamed(u"gateway-latency-copy"_s), WAIT_MS);
    QTRY_VERIFY_WITH_TIMEOUT(m_console.eventsView()->topLevelItemCount() > 0
            && m_console.eventsView()->topLevelItem(0)->text(4).contains(u"its data is kept as"_s),
        WAIT_MS);
}

// Agents > Tags and Rename, through the same application layer as `agent tag` and `agent rename`.
void TestAddTestDialog::tagsAndRenamesTheSelectedAgent()
{
    const auto agentNamed = [this](const QString &name) -> const AgentRecord * {
        for (const AgentRecord &agent : m_service->agents()) {
            if (agent.name == name)
                return &agent;
        }
        return nullptr;
    };
    QVERIFY(agentNamed(u"edge-1"_s));
    selectRow(m_console.agentsView(), AgentListModel::AgentIdRole, agentNamed(u"edge-1"_s)->id);
    triggerAndAnswer(child<QAction>(m_window, u"tagAgentAction"_s), [](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QVERIFY(input);
        input->setTextValue(u"lab, core , lab"_s);
        input->accept();
    });
    QTRY_COMPARE_WITH_TIMEOUT(agentNamed(u"edge-1"_s)->tags, (QStringList{u"core"_s, u"lab"_s}), WAIT_MS);
    triggerAndAnswer(child<QAction>(m_window, u"renameAgentAction"_s), [](QWidget *dialog) {
        auto *input = qobject_cast<QInputDialog *>(dialog);
        QVERIFY(input);
        QCOMPARE(input->textValue(), u"edge-1"_s);
        input->setTextValue(u"edge-one"_s);
        input->accept();
    });
    QTRY_VERIFY_WITH_TIMEOUT(agentNamed(u"edge-one"_s), WAIT_MS);
    QCOMPARE(agentNamed(u"edge-one"_s)->tags, (QStringList{u"core"_s, u"lab"_s}));
    // A name already taken: the window says why, in the application layer's words.
    selectRow(m_console.agentsView(), AgentListModel::AgentIdRole, agentNamed(u"edge-one"_s)->id);
    // The warning comes when the storage thread answers: a timer closes it from inside its own loop.
    QString warning;
    QTimer closer;
    connect(&closer, &QTimer::timeout, this, [&] {
        if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget())) {
            warning = box->text();
            box->accept();
        }
    });
    triggerAndAnswer(child<QAction>(m_window, u"renameAgentAction"_s), [&](QWidget *dialog) {
        qobject_cast<QInputDialog *>(dialog)->setTextValue(u"branch-2"_s);
        qobject_cast<QInputDialog *>(dialog)->accept();
    });
    closer.start(20);
    QTRY_VERIFY_WITH_TIMEOUT(!warning.isEmpty(), WAIT_MS);
    QVERIFY2(warning.contains(u"An agent named \"branch-2\" exists already"_s), qPrintable(warning));
    QVERIFY(agentNamed(u"edge-one"_s));
}

void TestAddTestDialog::cleanupTestCase()
{
    m_console.stop();
}

QTEST_MAIN(TestAddTestDialog)
#include "tst_addtestdialog.moc"
