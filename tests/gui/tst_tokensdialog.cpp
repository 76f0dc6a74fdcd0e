// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include <memory>

#include <QAbstractItemModelTester>
#include <QAction>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include "console/models/tokenlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/storage/database.h"
#include "console/storage/storageservice.h"
#include "console/storage/tokenrepository.h"
#include "console/ui/mainwindow.h"
#include "console/ui/tokensdialog.h"
#include "shared/auth/secret.h"
#include "tests/support/mainwindowfixture.h"

using namespace Qt::StringLiterals;
using namespace StreamSwarm;
using namespace StreamSwarm::Console;
using StreamSwarm::Test::child;
using StreamSwarm::Test::screenshotDir;

namespace {

constexpr int WAIT_MS = 5000;
constexpr int ELSEWHERE_MS = 2000; // the CLI's changes must show this fast
constexpr qint64 NOW_MS = 1'780'000'000'000;
constexpr qint64 HOUR_MS = 3600 * 1000;

TokenRecord token(qint64 id, const QString &name, int usesLeft, qint64 expiresAtMs, bool revoked = false)
{
    TokenRecord record;
    record.id = id;
    record.name = name;
    record.usesLeft = usesLeft;
    record.expiresAtMs = expiresAtMs;
    record.createdAtMs = NOW_MS - HOUR_MS;
    record.revoked = revoked;
    return record;
}

QString cell(const QAbstractItemModel *model, int row, int column)
{
    return model->index(row, column).data().toString();
}

int rowNamed(const QAbstractItemModel *model, const QString &name)
{
    for (int row = 0; row < model->rowCount(); ++row) {
        if (cell(model, row, TokenListModel::Name) == name)
            return row;
    }
    return -1;
}

bool showsLabel(const QWidget *parent, const QString &text)
{
    const auto labels = parent->findChildren<QLabel *>();
    return std::any_of(labels.cbegin(), labels.cend(),
        [&](const QLabel *label) { return label->isVisible() && label->text().contains(text); });
}

} // namespace

class TestTokensDialog final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void modelComputesStatesLikeTheCli();
    void modelKeepsRowsOnRefresh();
    void initTestCase();
    void opensFromTheAgentsMenu();
    void showsAnEmptyList();
    void refusesBadNamesWithTheCliMessages();
    void createsAndRevealsTheTokenOnce();
    void copiesTheTokenToTheClipboard();
    void keepsOnlyAHashInTheDatabase();
    void wipesTheTokenWhenTheRevealCloses();
    void wipesTheTokenWhenTheDialogCloses();
    void refusesADuplicateNameLikeTheCli();
    void revokesAfterConfirmation();
    void showsTokensMadeElsewhere();
    void savesListScreenshot();
    void cleanupTestCase();

private:
    void fillForm(const QString &name, int uses, int validCount, const QString &unit);
    void saveScreenshot(const QString &fileName);
    QByteArray databaseBytes() const;

    QTemporaryDir m_dir;
    QString m_path;
    Test::MainWindowFixture m_console;
    ConsoleService *m_service = nullptr;
    MainWindow *m_window = nullptr;
    TokensDialog *m_dialog = nullptr;
    QTableView *m_view = nullptr;
    QString m_token; // the first revealed token, for the checks that follow
};

void TestTokensDialog::modelComputesStatesLikeTheCli()
{
    TokenListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    model.setTokens({token(1, u"active"_s, 3, NOW_MS + HOUR_MS), token(2, u"no-expiry"_s, 1, 0),
                        token(3, u"expired"_s, 3, NOW_MS - 1), token(4, u"expires-now"_s, 3, NOW_MS),
                        token(5, u"used-up"_s, 0, NOW_MS + HOUR_MS), token(6, u"expired-and-used"_s, 0, NOW_MS - 1),
                        token(7, u"revoked"_s, 3, NOW_MS + HOUR_MS, true), token(8, u"revoked-expired"_s, 0, 1, true)},
        NOW_MS);
    QCOMPARE(model.rowCount(), 8);
    QCOMPARE(model.columnCount(), int(TokenListModel::ColumnCount));
    const QStringList expected{
        u"active"_s, u"active"_s, u"expired"_s, u"expired"_s, u"used up"_s, u"expired"_s, u"revoked"_s, u"revoked"_s};
    for (int row = 0; row < model.rowCount(); ++row) {
        QCOMPARE(cell(&model, row, TokenListModel::State), expected.at(row));
        QVERIFY(!model.index(row, TokenListModel::State).data(Qt::ToolTipRole).toString().isEmpty());
    }
    QCOMPARE(model.index(4, 0).data(TokenListModel::TokenStateRole).toInt(), int(TokenState::UsedUp));
    QCOMPARE(model.index(6, 0).data(TokenListModel::TokenIdRole).toLongLong(), 7);
    QCOMPARE(cell(&model, 0, TokenListModel::UsesLeft), u"3"_s);
    QCOMPARE(cell(&model, 1, TokenListModel::Expires), u"never"_s);
    // Local time to the minute.
    const QString minutes = QLocale().dateTimeFormat(QLocale::ShortFormat).remove(u":ss"_s);
    QCOMPARE(cell(&model, 0, TokenListModel::Expires),
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(NOW_MS + HOUR_MS), minutes));
    QCOMPARE(cell(&model, 0, TokenListModel::Created),
        QLocale().toString(QDateTime::fromMSecsSinceEpoch(NOW_MS - HOUR_MS), minutes));
    QCOMPARE(model.headerData(TokenListModel::UsesLeft, Qt::Horizontal).toString(), u"Uses left"_s);
    QVERIFY(!model.index(0, 0).parent().isValid());
    QCOMPARE(model.rowCount(model.index(0, 0)), 0);
    QCOMPARE(model.rowOf(5), 4);
    QCOMPARE(model.rowOf(99), -1);

    // The clock alone moves a token from active to expired.
    model.setTokens(model.tokens(), NOW_MS + 2 * HOUR_MS);
    QCOMPARE(cell(&model, 0, TokenListModel::State), u"expired"_s);
    QCOMPARE(cell(&model, 1, TokenListModel::State), u"active"_s);
}

void TestTokensDialog::modelKeepsRowsOnRefresh()
{
    TokenListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QSignalSpy resets(&model, &QAbstractItemModel::modelReset);
    QSignalSpy changes(&model, &QAbstractItemModel::dataChanged);
    model.setTokens({token(1, u"a"_s, 2, 0), token(2, u"b"_s, 2, 0)}, NOW_MS);
    QCOMPARE(resets.size(), 1);
    model.setTokens({token(1, u"a"_s, 1, 0), token(2, u"b"_s, 2, 0, true)}, NOW_MS);
    QCOMPARE(resets.size(), 1);
    QCOMPARE(changes.size(), 1);
    QCOMPARE(cell(&model, 0, TokenListModel::UsesLeft), u"1"_s);
    QCOMPARE(cell(&model, 1, TokenListModel::State), u"revoked"_s);
    model.setTokens({token(3, u"c"_s, 1, 0)}, NOW_MS);
    QCOMPARE(resets.size(), 2);
    model.setTokens({}, NOW_MS);
    QCOMPARE(model.rowCount(), 0);
    model.setTokens({}, NOW_MS);
    QCOMPARE(changes.size(), 1);
}

void TestTokensDialog::initTestCase()
{
    QStandardPaths::setTestModeEnabled(true);
    QVERIFY(m_dir.isValid());
    m_path = m_dir.filePath(u"streamswarm.db"_s);

    QString error;
    QVERIFY2(m_console.start(m_path, &error, false), qPrintable(error));
    m_service = m_console.service();
    m_window = m_console.window();
}

void TestTokensDialog::opensFromTheAgentsMenu()
{
    auto *action = child<QAction>(m_window, u"enrollmentTokensAction"_s);
    QVERIFY(action);
    QCOMPARE(action->shortcut(), QKeySequence(u"Ctrl+T"_s));
    QVERIFY(action->text().contains(u"Enrollment tokens"_s));
    action->trigger();
    m_dialog = m_window->findChild<TokensDialog *>();
    QVERIFY(m_dialog);
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
    QCOMPARE(m_dialog->windowTitle(), u"Enrollment tokens"_s);
    m_view = child<QTableView>(m_dialog, u"tokensView"_s);
    QVERIFY(m_view);

    // A second trigger brings back the same window.
    action->trigger();
    QCOMPARE(m_window->findChildren<TokensDialog *>().size(), 1);
}

void TestTokensDialog::showsAnEmptyList()
{
    auto *empty = child<QLabel>(m_dialog, u"emptyLabel"_s);
    QVERIFY(empty);
    QTRY_VERIFY_WITH_TIMEOUT(empty->isVisible(), WAIT_MS);
    QVERIFY(!m_view->isVisible());
    QVERIFY(!child<QPushButton>(m_dialog, u"revokeButton"_s)->isEnabled());
    saveScreenshot(u"tokens-empty.png"_s);
}

void TestTokensDialog::fillForm(const QString &name, int uses, int validCount, const QString &unit)
{
    auto *newButton = child<QPushButton>(m_dialog, u"newTokenButton"_s);
    QVERIFY(newButton && newButton->isVisible());
    QTest::mouseClick(newButton, Qt::LeftButton);
    auto *nameEdit = child<QLineEdit>(m_dialog, u"nameEdit"_s);
    QVERIFY(nameEdit && nameEdit->isVisible());
    QVERIFY(nameEdit->text().isEmpty());
    QCOMPARE(child<QSpinBox>(m_dialog, u"usesSpin"_s)->value(), 1); // the CLI's defaults: one use, 7 days
    QCOMPARE(child<QSpinBox>(m_dialog, u"validSpin"_s)->value(), 7);
    QCOMPARE(child<QComboBox>(m_dialog, u"validUnit"_s)->currentText(), u"days"_s);
    QTest::keyClicks(nameEdit, name);
    child<QSpinBox>(m_dialog, u"usesSpin"_s)->setValue(uses);
    child<QSpinBox>(m_dialog, u"validSpin"_s)->setValue(validCount);
    auto *unitBox = child<QComboBox>(m_dialog, u"validUnit"_s);
    unitBox->setCurrentIndex(unitBox->findText(unit));
    QCOMPARE(unitBox->currentText(), unit);
}

void TestTokensDialog::refusesBadNamesWithTheCliMessages()
{
    fillForm(u"bad name!"_s, 1, 7, u"days"_s);
    auto *formError = child<QLabel>(m_dialog, u"formError"_s);
    QTest::mouseClick(child<QPushButton>(m_dialog, u"createButton"_s), Qt::LeftButton);
    QVERIFY(formError->isVisible());
    QCOMPARE(formError->text(),
        u"The token name \"bad name!\" may use only letters, digits, '.', '_' and '-', and must start with a letter "
        "or digit."_s);

    auto *nameEdit = child<QLineEdit>(m_dialog, u"nameEdit"_s);
    nameEdit->clear();
    QTest::keyClick(nameEdit, Qt::Key_Return); // Enter creates, as the default button
    QCOMPARE(formError->text(), u"The token name is empty."_s);
    nameEdit->setText(QString(65, u'a'));
    QTest::mouseClick(child<QPushButton>(m_dialog, u"createButton"_s), Qt::LeftButton);
    QCOMPARE(formError->text(), u"The token name is longer than 64 characters."_s);

    QTest::mouseClick(child<QPushButton>(m_dialog, u"cancelButton"_s), Qt::LeftButton);
    QVERIFY(child<QPushButton>(m_dialog, u"newTokenButton"_s)->isVisible());
    QCOMPARE(m_dialog->model()->rowCount(), 0);
    // The spin box enforces 'token create --uses' range.
    QCOMPARE(child<QSpinBox>(m_dialog, u"usesSpin"_s)->minimum(), 1);
    QCOMPARE(child<QSpinBox>(m_dialog, u"usesSpin"_s)->maximum(), 100000);
}

void TestTokensDialog::createsAndRevealsTheTokenOnce()
{
    fillForm(u"branch-offices"_s, 3, 7, u"days"_s);
    const qint64 before = QDateTime::currentMSecsSinceEpoch();
    QTest::mouseClick(child<QPushButton>(m_dialog, u"createButton"_s), Qt::LeftButton);
    auto *tokenField = child<QLineEdit>(m_dialog, u"tokenField"_s);
    QTRY_VERIFY_WITH_TIMEOUT(tokenField->isVisible() && !tokenField->text().isEmpty(), WAIT_MS);
    m_token = tokenField->text();
    QVERIFY(tokenField->isReadOnly());

    const auto parsed = Auth::Secret::parse(m_token);
    QVERIFY(parsed);
    QVERIFY(parsed->kind == Auth::SecretKind::EnrollmentToken);

    const auto shows = [this](const QString &text) {
        return showsLabel(m_dialog, text);
    };
    QVERIFY(shows(u"Copy this token now. It is shown only once; StreamSwarm keeps only a hash of it."_s));
    QVERIFY(shows(u"Token \"branch-offices\" created"_s));
    QVERIFY(shows(u"It lets 3 agents enroll"_s));
    QVERIFY(!shows(m_token)); // only in the read-only field

    // The command line names a file, never the token (command lines show in ps).
    auto *command = child<QLineEdit>(m_dialog, u"commandField"_s);
    QCOMPARE(command->text(),
        u"streamswarm-agent --server "_s + m_service->listenUrl() + u" --token-file FILE --insecure"_s);
    QVERIFY(!command->text().contains(QString::fromLatin1(parsed->secret)));
    // Listening on loopback: say that other computers need another address.
    QVERIFY(shows(u"in place of 127.0.0.1"_s));

    // Meanwhile the list, behind the reveal, has the token: active, 3 uses, 7 days.
    const QAbstractItemModel *model = m_dialog->model();
    QTRY_COMPARE_WITH_TIMEOUT(rowNamed(model, u"branch-offices"_s), 0, WAIT_MS);
    const TokenRecord &record = m_dialog->model()->tokens().at(0);
    QCOMPARE(record.usesLeft, 3);
    QVERIFY(record.expiresAtMs >= before + 7 * 24 * HOUR_MS);
    QVERIFY(record.expiresAtMs <= QDateTime::currentMSecsSinceEpoch() + 7 * 24 * HOUR_MS);
    QCOMPARE(cell(model, 0, TokenListModel::State), u"active"_s);

    saveScreenshot(u"tokens-reveal.png"_s);
}

void TestTokensDialog::copiesTheTokenToTheClipboard()
{
    QGuiApplication::clipboard()->clear();
    auto *copied = child<QLabel>(m_dialog, u"copiedLabel"_s);
    QVERIFY(!copied->isVisible());
    QTest::mouseClick(child<QPushButton>(m_dialog, u"copyButton"_s), Qt::LeftButton);
    QCOMPARE(QGuiApplication::clipboard()->text(), m_token);
    QVERIFY(copied->isVisible());
    saveScreenshot(u"tokens-reveal-copied.png"_s);
}

QByteArray TestTokensDialog::databaseBytes() const
{
    m_service->storage()->drain();
    QByteArray bytes;
    const QDir dir(m_dir.path());
    const QStringList files = dir.entryList({u"streamswarm.db*"_s}, QDir::Files);
    for (const QString &name : files) {
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            bytes += file.readAll();
    }
    return bytes;
}

void TestTokensDialog::keepsOnlyAHashInTheDatabase()
{
    const auto parsed = Auth::Secret::parse(m_token);
    QVERIFY(parsed);
    const QByteArray bytes = databaseBytes();
    QVERIFY(bytes.contains("branch-offices")); // these are the right files
    QVERIFY(bytes.contains(parsed->lookupId.toLatin1())); // the public half is stored to find the row
    QVERIFY(!bytes.contains(parsed->secret));
    QVERIFY(!bytes.contains(parsed->secret.left(16)));
    QVERIFY(!bytes.contains(m_token.toUtf8()));
    QVERIFY(!bytes.contains(QByteArray(reinterpret_cast<const char *>(m_token.utf16()), m_token.size() * 2)));
}

void TestTokensDialog::wipesTheTokenWhenTheRevealCloses()
{
    auto *tokenField = child<QLineEdit>(m_dialog, u"tokenField"_s);
    QTest::mouseClick(child<QPushButton>(m_dialog, u"doneButton"_s), Qt::LeftButton);
    QVERIFY(tokenField->text().isEmpty());
    QVERIFY(!tokenField->isVisible());
    QVERIFY(m_view->isVisible());
    // The new token is chosen in the list.
    QCOMPARE(m_view->selectionModel()->currentIndex().row(), rowNamed(m_dialog->model(), u"branch-offices"_s));
    QVERIFY(child<QPushButton>(m_dialog, u"revokeButton"_s)->isEnabled());
}

void TestTokensDialog::wipesTheTokenWhenTheDialogCloses()
{
    fillForm(u"second-batch"_s, 1, 12, u"hours"_s);
    QTest::mouseClick(child<QPushButton>(m_dialog, u"createButton"_s), Qt::LeftButton);
    auto *tokenField = child<QLineEdit>(m_dialog, u"tokenField"_s);
    QTRY_VERIFY_WITH_TIMEOUT(tokenField->isVisible() && !tokenField->text().isEmpty(), WAIT_MS);
    QVERIFY(tokenField->text() != m_token);
    QVERIFY(showsLabel(m_dialog, u"It lets one agent enroll, until "_s));

    QTest::keyClick(m_dialog, Qt::Key_Escape);
    QVERIFY(!m_dialog->isVisible());
    QVERIFY(tokenField->text().isEmpty());

    child<QAction>(m_window, u"enrollmentTokensAction"_s)->trigger();
    QVERIFY(QTest::qWaitForWindowExposed(m_dialog));
    QVERIFY(m_view->isVisible());
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(m_dialog->model(), u"second-batch"_s) >= 0, WAIT_MS);
}

void TestTokensDialog::refusesADuplicateNameLikeTheCli()
{
    fillForm(u"branch-offices"_s, 1, 7, u"days"_s);
    QTest::mouseClick(child<QPushButton>(m_dialog, u"createButton"_s), Qt::LeftButton);
    auto *formError = child<QLabel>(m_dialog, u"formError"_s);
    QTRY_VERIFY_WITH_TIMEOUT(formError->isVisible(), WAIT_MS);
    QCOMPARE(formError->text(),
        u"A token named \"branch-offices\" exists already (names stay taken after a token is revoked); pick another name."_s);
    QVERIFY(!child<QLineEdit>(m_dialog, u"tokenField"_s)->isVisible());
    QVERIFY(child<QPushButton>(m_dialog, u"createButton"_s)->isEnabled());
    saveScreenshot(u"tokens-duplicate.png"_s);
    QTest::mouseClick(child<QPushButton>(m_dialog, u"cancelButton"_s), Qt::LeftButton);
    QCOMPARE(m_dialog->model()->rowCount(), 2);
}

void TestTokensDialog::revokesAfterConfirmation()
{
    const QAbstractItemModel *model = m_view->model();
    const int row = rowNamed(model, u"branch-offices"_s);
    QVERIFY(row >= 0);
    QTest::mouseClick(
        m_view->viewport(), Qt::LeftButton, {}, m_view->visualRect(model->index(row, TokenListModel::Name)).center());
    auto *revokeButton = child<QPushButton>(m_dialog, u"revokeButton"_s);
    QVERIFY(revokeButton->isEnabled());

    // "Keep it" changes nothing.
    QTest::mouseClick(revokeButton, Qt::LeftButton);
    auto *box = m_dialog->findChild<QMessageBox *>(u"revokeConfirmation"_s);
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QVERIFY(box->text().contains(u"branch-offices"_s));
    QTest::keyClick(box, Qt::Key_Escape);
    QTRY_VERIFY(!m_dialog->findChild<QMessageBox *>(u"revokeConfirmation"_s));
    m_service->storage()->drain(); // a revoke, had one been sent, has run
    QCoreApplication::processEvents();
    QCOMPARE(cell(model, row, TokenListModel::State), u"active"_s);

    QTest::mouseClick(revokeButton, Qt::LeftButton);
    box = m_dialog->findChild<QMessageBox *>(u"revokeConfirmation"_s);
    QVERIFY(box);
    QTRY_VERIFY(box->isVisible());
    QCoreApplication::processEvents();
    QVERIFY(box->grab().save(screenshotDir() + u"/tokens-revoke-confirmation.png"_s));
    QTest::mouseClick(child<QPushButton>(box, u"confirmRevokeButton"_s), Qt::LeftButton);
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(model, rowNamed(model, u"branch-offices"_s), TokenListModel::State), u"revoked"_s, WAIT_MS);
    QVERIFY(!revokeButton->isEnabled());
    QVERIFY(!child<QLabel>(m_dialog, u"listError"_s)->isVisible());
}

void TestTokensDialog::showsTokensMadeElsewhere()
{
    // As the CLI does it: its own connection to the same file, while the console runs.
    Database db;
    QString error;
    QVERIFY2(db.open(DatabaseUrl::sqliteFile(m_path), u"tst_tokensdialog_cli"_s, &error), qPrintable(error));
    TokenRepository tokens(db);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    QVERIFY2(tokens.create(u"made-by-cli"_s, 25, now + 30 * 24 * HOUR_MS, &error), qPrintable(error));
    const QAbstractItemModel *model = m_dialog->model();
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(model, u"made-by-cli"_s) >= 0, ELSEWHERE_MS);
    QCOMPARE(cell(model, rowNamed(model, u"made-by-cli"_s), TokenListModel::UsesLeft), u"25"_s);

    // An expired one and one whose only use an agent has taken, for the list's picture.
    QVERIFY2(tokens.create(u"lab-2025"_s, 5, now - 24 * HOUR_MS, &error), qPrintable(error));
    const auto used = tokens.create(u"edge-rollout"_s, 1, now + 24 * HOUR_MS, &error);
    QVERIFY2(used, qPrintable(error));
    const auto parsed = Auth::Secret::parse(*used);
    QVERIFY(parsed);
    QVERIFY2(db.beginWrite(&error), qPrintable(error));
    Protocol::EventText refusal;
    QVERIFY2(tokens.consume(*parsed, now, &refusal, &error), qPrintable(error + refusal.text()));
    QVERIFY2(db.commit(&error), qPrintable(error));
    QTRY_VERIFY_WITH_TIMEOUT(rowNamed(model, u"edge-rollout"_s) >= 0, ELSEWHERE_MS);
    QCOMPARE(cell(model, rowNamed(model, u"edge-rollout"_s), TokenListModel::State), u"used up"_s);
    QCOMPARE(cell(model, rowNamed(model, u"lab-2025"_s), TokenListModel::State), u"expired"_s);

    // A revoke from the CLI shows too.
    QVERIFY2(tokens.revoke(u"second-batch"_s, &error), qPrintable(error));
    QTRY_COMPARE_WITH_TIMEOUT(
        cell(model, rowNamed(model, u"second-batch"_s), TokenListModel::State), u"revoked"_s, ELSEWHERE_MS);
    db.close();
}

void TestTokensDialog::savesListScreenshot()
{
    const int row = rowNamed(m_view->model(), u"made-by-cli"_s);
    m_view->selectionModel()->setCurrentIndex(
        m_view->model()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
    QVERIFY(child<QPushButton>(m_dialog, u"revokeButton"_s)->isEnabled());
    saveScreenshot(u"tokens-list.png"_s);
}

void TestTokensDialog::saveScreenshot(const QString &fileName)
{
    QCoreApplication::processEvents();
    const QPixmap shot = m_dialog->grab();
    QVERIFY(QDir().mkpath(screenshotDir()));
    const QString file = screenshotDir() + u'/' + fileName;
    QVERIFY(shot.save(file));
    qInfo("screenshot: %s", qPrintable(file));
}

void TestTokensDialog::cleanupTestCase()
{
    m_console.stop();
}

QTEST_MAIN(TestTokensDialog)

#include "tst_tokensdialog.moc"
