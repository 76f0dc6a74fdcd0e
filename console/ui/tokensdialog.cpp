// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tokensdialog.h"

#include <QApplication>
#include <QClipboard>
#include <QComboBox>
#include <QDateTime>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QHostAddress>
#include <QIdentityProxyModel>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QMessageBox>
#include <QPainter>
#include <QPushButton>
#include <QSpinBox>
#include <QStackedWidget>
#include <QStyle>
#include <QTableView>
#include <QUrl>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/models/tokenlistmodel.h"
#include "console/server/consoleservice.h"
#include "console/ui/statusicons.h"
#include "shared/protocol/validation.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MAX_VALID_COUNT = 9999; // days: Operations::MAX_TOKEN_VALIDITY_MS
constexpr int DEFAULT_VALID_DAYS = 7;
constexpr int REFRESH_MS = 5000; // expiry moves with the clock; PostgreSQL has no change signal

const QColor &ACTIVE_COLOR = StatusColor::Good;
const QColor &ENDED_COLOR = StatusColor::Idle;
const QColor &REVOKED_COLOR = StatusColor::Revoked;
const QColor &ERROR_COLOR = StatusColor::Error;

QLabel *errorLabel(const QString &objectName, QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextFormat(Qt::PlainText);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPalette palette = label->palette();
    palette.setColor(QPalette::WindowText, ERROR_COLOR);
    label->setPalette(palette);
    label->hide();
    return label;
}

void showError(QLabel *label, const QString &text)
{
    label->setText(text);
    label->setVisible(!text.isEmpty());
}

QLabel *boldLabel(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    QFont font = label->font();
    font.setBold(true);
    font.setPointSizeF(font.pointSizeF() * 1.1);
    label->setFont(font);
    return label;
}

QLineEdit *monospaceField(const QString &objectName, QWidget *parent)
{
    auto *field = new QLineEdit(parent);
    field->setObjectName(objectName);
    field->setReadOnly(true);
    field->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return field;
}

// A dot and a colour for the state; rows that can no longer enroll anyone are muted.
class TokenTableProxy final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokenTableProxy)
public:
    explicit TokenTableProxy(TokenListModel *source, QObject *parent)
        : QIdentityProxyModel(parent)
        , m_active(dotIcon(ACTIVE_COLOR))
        , m_ended(dotIcon(ENDED_COLOR))
        , m_revoked(dotIcon(REVOKED_COLOR))
    {
        setSourceModel(source);
    }

    QVariant data(const QModelIndex &index, int role) const override
    {
        if (index.isValid() && (role == Qt::DecorationRole || role == Qt::ForegroundRole)) {
            const auto state = TokenState(index.data(TokenListModel::TokenStateRole).toInt());
            if (index.column() == TokenListModel::State) {
                const QColor color = state == TokenState::Active ? ACTIVE_COLOR.darker(120)
                    : state == TokenState::Revoked               ? REVOKED_COLOR
                                                                 : ENDED_COLOR;
                if (role == Qt::ForegroundRole)
                    return color;
                return state == TokenState::Active ? m_active : state == TokenState::Revoked ? m_revoked : m_ended;
            }
            if (role == Qt::ForegroundRole && state != TokenState::Active)
                return QApplication::palette().color(QPalette::Disabled, QPalette::Text);
        }
        return QIdentityProxyModel::data(index, role);
    }

private:
    QIcon m_active;
    QIcon m_ended;
    QIcon m_revoked;
};

} // namespace

TokensDialog::TokensDialog(ConsoleService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_model(new TokenListModel(this))
{
    setWindowTitle(tr("Enrollment tokens"));
    m_pages = new QStackedWidget(this);
    m_listPage = createListPage();
    m_formPage = createFormPage();
    m_revealPage = createRevealPage();
    m_pages->addWidget(m_listPage);
    m_pages->addWidget(m_formPage);
    m_pages->addWidget(m_revealPage);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_pages);
    resize(760, 440);

    // Agents that enroll use up tokens; the CLI may create or revoke them meanwhile.
    connect(m_service->administration(), &Administration::changed, this, &TokensDialog::handleDatabaseChanged);
    connect(m_service, &ConsoleService::agentsChanged, this, &TokensDialog::handleDatabaseChanged);
    connect(&m_refreshTimer, &QTimer::timeout, this, &TokensDialog::handleDatabaseChanged);
    m_refreshTimer.setInterval(REFRESH_MS);
    showListPage();
}

TokensDialog::~TokensDialog()
{
    clearToken();
}

QWidget *TokensDialog::createListPage()
{
    auto *page = new QWidget(this);
    auto *intro = new QLabel(tr("An agent joins this console once, with an enrollment token. After that it signs in "
                                "with its own key, so a token can be revoked as soon as its agents have joined."),
        page);
    intro->setWordWrap(true);

    m_view = new QTableView(page);
    m_view->setObjectName(u"tokensView"_s);
    m_view->setModel(new TokenTableProxy(m_model, this));
    m_view->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_view->setSelectionMode(QAbstractItemView::SingleSelection);
    m_view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_view->setAlternatingRowColors(true);
    m_view->setShowGrid(false);
    m_view->setWordWrap(false);
    m_view->verticalHeader()->setVisible(false);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);
    QHeaderView *header = m_view->horizontalHeader();
    header->setHighlightSections(false);
    header->setDefaultAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(TokenListModel::Name, QHeaderView::Stretch);
    connect(
        m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this, &TokensDialog::handleSelectionChanged);

    auto *empty = new QLabel(tr("No enrollment tokens yet.\nCreate one to let agents join this console."), page);
    empty->setObjectName(u"emptyLabel"_s);
    empty->setAlignment(Qt::AlignCenter);
    empty->setEnabled(false);
    empty->setFrameShape(QFrame::StyledPanel);
    m_tableOrEmpty = new QStackedWidget(page);
    m_tableOrEmpty->addWidget(m_view);
    m_tableOrEmpty->addWidget(empty);

    m_listError = errorLabel(u"listError"_s, page);
    m_newButton = new QPushButton(tr("New token…"), page);
    m_newButton->setObjectName(u"newTokenButton"_s);
    m_revokeButton = new QPushButton(tr("Revoke…"), page);
    m_revokeButton->setObjectName(u"revokeButton"_s);
    m_revokeButton->setToolTip(tr("Stop agents from enrolling with the chosen token"));
    m_closeButton = new QPushButton(tr("Close"), page);
    m_closeButton->setObjectName(u"closeButton"_s);
    connect(m_newButton, &QPushButton::clicked, this, &TokensDialog::handleNewToken);
    connect(m_revokeButton, &QPushButton::clicked, this, &TokensDialog::handleRevoke);
    connect(m_closeButton, &QPushButton::clicked, this, &QDialog::reject);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_newButton);
    buttons->addWidget(m_revokeButton);
    buttons->addStretch(1);
    buttons->addWidget(m_closeButton);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(intro);
    layout->addWidget(m_tableOrEmpty, 1);
    layout->addWidget(m_listError);
    layout->addLayout(buttons);
    return page;
}

QWidget *TokensDialog::createFormPage()
{
    auto *page = new QWidget(this);
    m_nameEdit = new QLineEdit(page);
    m_nameEdit->setObjectName(u"nameEdit"_s);
    m_nameEdit->setPlaceholderText(tr("for example branch-offices"));
    auto *nameHint = new QLabel(
        tr("Letters, digits, '.', '_' and '-'; at most %1 characters.").arg(Validation::MAX_NAME_LENGTH), page);
    nameHint->setEnabled(false);

    m_usesSpin = new QSpinBox(page);
    m_usesSpin->setObjectName(u"usesSpin"_s);
    m_usesSpin->setRange(1, Operations::MAX_TOKEN_USES);
    m_usesSpin->setValue(1);
    m_usesSpin->setToolTip(tr("How many agents may enroll with this token"));
    m_usesSpin->setMinimumWidth(m_usesSpin->fontMetrics().horizontalAdvance(u"0000000"_s) + 32);

    m_validSpin = new QSpinBox(page);
    m_validSpin->setObjectName(u"validSpin"_s);
    m_validSpin->setRange(1, MAX_VALID_COUNT);
    m_validSpin->setValue(DEFAULT_VALID_DAYS);
    m_validSpin->setMinimumWidth(m_usesSpin->minimumWidth());
    m_validUnit = new QComboBox(page);
    m_validUnit->setObjectName(u"validUnit"_s);
    // The suffixes are parseDurationMs's, so the form and 'token create --expires' share one rule.
    m_validUnit->addItem(QString(), QVariant(u"m"_s));
    m_validUnit->addItem(QString(), QVariant(u"h"_s));
    m_validUnit->addItem(QString(), QVariant(u"d"_s));
    m_validUnit->setCurrentIndex(2);
    handleUnitsChanged(m_validSpin->value());
    connect(m_validSpin, &QSpinBox::valueChanged, this, &TokensDialog::handleUnitsChanged);
    auto *validRow = new QHBoxLayout;
    validRow->addWidget(m_validSpin);
    validRow->addWidget(m_validUnit);
    validRow->addStretch(1);

    auto *form = new QFormLayout;
    form->setFieldGrowthPolicy(QFormLayout::ExpandingFieldsGrow);
    form->addRow(tr("Name:"), m_nameEdit);
    form->addRow(QString(), nameHint);
    form->addRow(tr("Agents it can enroll:"), m_usesSpin);
    form->addRow(tr("Valid for:"), validRow);

    auto *onceNote
        = new QLabel(tr("The token is shown only once, right after you create it, so be ready to copy it."), page);
    onceNote->setWordWrap(true);

    m_formError = errorLabel(u"formError"_s, page);
    m_createButton = new QPushButton(tr("Create token"), page);
    m_createButton->setObjectName(u"createButton"_s);
    m_cancelButton = new QPushButton(tr("Cancel"), page);
    m_cancelButton->setObjectName(u"cancelButton"_s);
    connect(m_createButton, &QPushButton::clicked, this, &TokensDialog::handleCreate);
    connect(m_cancelButton, &QPushButton::clicked, this, &TokensDialog::showListPage);
    connect(m_nameEdit, &QLineEdit::textEdited, m_formError, &QWidget::hide);

    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_createButton);
    buttons->addWidget(m_cancelButton);
    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(boldLabel(tr("New enrollment token"), page));
    layout->addSpacing(6);
    layout->addLayout(form);
    layout->addSpacing(6);
    layout->addWidget(onceNote);
    layout->addWidget(m_formError);
    layout->addStretch(1);
    layout->addLayout(buttons);
    return page;
}

QWidget *TokensDialog::createRevealPage()
{
    auto *page = new QWidget(this);
    m_revealTitle = boldLabel({}, page);
    m_revealTitle->setTextFormat(Qt::PlainText);
    m_revealSummary = new QLabel(page);
    m_revealSummary->setWordWrap(true);

    m_tokenField = monospaceField(u"tokenField"_s, page);
    m_copyButton = new QPushButton(tr("Copy"), page);
    m_copyButton->setObjectName(u"copyButton"_s);
    m_copyButton->setToolTip(tr("Copy the token to the clipboard"));
    connect(m_copyButton, &QPushButton::clicked, this, &TokensDialog::handleCopy);
    auto *tokenRow = new QHBoxLayout;
    tokenRow->addWidget(m_tokenField, 1);
    tokenRow->addWidget(m_copyButton);
    m_copiedLabel = new QLabel(tr("Copied to the clipboard."), page);
    m_copiedLabel->setObjectName(u"copiedLabel"_s);
    QPalette copiedPalette = m_copiedLabel->palette();
    copiedPalette.setColor(QPalette::WindowText, ACTIVE_COLOR.darker(130));
    m_copiedLabel->setPalette(copiedPalette);
    QSizePolicy keepSpace = m_copiedLabel->sizePolicy();
    keepSpace.setRetainSizeWhenHidden(true);
    m_copiedLabel->setSizePolicy(keepSpace);

    auto *warning
        = new QLabel(tr("Copy this token now. It is shown only once; StreamSwarm keeps only a hash of it."), page);
    warning->setObjectName(u"onceWarning"_s);
    warning->setWordWrap(true);
    QFont warningFont = warning->font();
    warningFont.setBold(true);
    warning->setFont(warningFont);
    auto *warningIcon = new QLabel(page);
    const int iconSize = style()->pixelMetric(QStyle::PM_SmallIconSize);
    warningIcon->setPixmap(style()->standardIcon(QStyle::SP_MessageBoxWarning).pixmap(iconSize, iconSize));
    auto *warningRow = new QHBoxLayout;
    warningRow->addWidget(warningIcon, 0, Qt::AlignTop);
    warningRow->addWidget(warning, 1);

    auto *howTo = new QLabel(tr("To enroll an agent, save the token in a file on the agent's computer, readable only "
                                "by the account the agent runs as, and start the agent with:"),
        page);
    howTo->setWordWrap(true);
    m_commandField = monospaceField(u"commandField"_s, page);
    m_addressNote = new QLabel(page);
    m_addressNote->setObjectName(u"addressNote"_s);
    m_addressNote->setWordWrap(true);
    auto *after = new QLabel(tr("Once the agent has joined, it signs in with its own key: then delete the file, and "
                                "leave out --token-file when you start the agent again."),
        page);
    after->setWordWrap(true);

    m_doneButton = new QPushButton(tr("Done"), page);
    m_doneButton->setObjectName(u"doneButton"_s);
    connect(m_doneButton, &QPushButton::clicked, this, &TokensDialog::handleRevealDone);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_doneButton);

    auto *layout = new QVBoxLayout(page);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_revealTitle);
    layout->addWidget(m_revealSummary);
    layout->addSpacing(8);
    layout->addLayout(tokenRow);
    layout->addWidget(m_copiedLabel);
    layout->addLayout(warningRow);
    layout->addSpacing(12);
    layout->addWidget(howTo);
    layout->addWidget(m_commandField);
    layout->addWidget(m_addressNote);
    layout->addWidget(after);
    layout->addStretch(1);
    layout->addLayout(buttons);
    return page;
}

void TokensDialog::done(int result)
{
    clearToken();
    showListPage();
    m_refreshTimer.stop();
    QDialog::done(result);
}

void TokensDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    m_refreshTimer.start();
    reload();
}

void TokensDialog::handleNewToken()
{
    m_nameEdit->clear();
    m_usesSpin->setValue(1);
    m_validSpin->setValue(DEFAULT_VALID_DAYS);
    m_validUnit->setCurrentIndex(2);
    showError(m_formError, {});
    m_pages->setCurrentWidget(m_formPage);
    m_createButton->setDefault(true);
    m_nameEdit->setFocus();
    updateButtons();
}

void TokensDialog::handleCreate()
{
    if (m_creating)
        return;
    // The same checks, in the same words, as 'streamswarm-console token create': the same code.
    TokenRequest request;
    request.name = m_nameEdit->text();
    request.uses = m_usesSpin->value();
    const QString validText = QString::number(m_validSpin->value()) + m_validUnit->currentData().toString();
    QString error;
    const auto validFor = parseDurationMs(validText, &error);
    if (!validFor) {
        showError(m_formError, error);
        return;
    }
    request.validForMs = *validFor;
    if (!Operations::checkTokenRequest(request, &error)) {
        showError(m_formError, error);
        m_nameEdit->setFocus();
        return;
    }
    showError(m_formError, {});
    m_creating = true;
    updateButtons();
    m_service->administration()->createToken(
        request, this, [this](const Result<IssuedToken> &created) { handleCreated(created); });
}

void TokensDialog::handleCreated(const Result<IssuedToken> &created)
{
    m_creating = false;
    updateButtons();
    if (!created) {
        showError(m_formError, created.error());
        m_nameEdit->setFocus();
        return;
    }
    m_token = created->text;
    m_selectName = created->name;
    const QDateTime expires = QDateTime::fromMSecsSinceEpoch(created->expiresAtMs);
    const QLocale locale;
    const QString until
        = tr("%1 at %2")
              .arg(locale.toString(expires.date(), QLocale::LongFormat),
                  locale.toString(expires.time(), locale.timeFormat(QLocale::ShortFormat).remove(u":ss"_s)));
    m_revealTitle->setText(tr("Token \"%1\" created").arg(created->name));
    m_revealSummary->setText(created->uses == 1
            ? tr("It lets one agent enroll, until %1.").arg(until)
            : tr("It lets %1 agents enroll, until %2.").arg(QLocale().toString(created->uses), until));
    m_tokenField->setText(m_token);
    m_tokenField->setCursorPosition(0);
    m_tokenField->setMinimumWidth(m_tokenField->fontMetrics().horizontalAdvance(m_token) + 16);
    m_copiedLabel->setVisible(false);
    // Never the token itself: a command line is visible to every user of the machine (ps).
    const QString url = m_service->listenUrl();
    QString command = u"streamswarm-agent --server "_s + url + u" --token-file FILE"_s;
    if (url.startsWith(u"ws://"))
        command += u" --insecure"_s;
    else if (!m_service->fingerprint().isEmpty())
        command += u" --fingerprint "_s + m_service->fingerprint(); // the agent then never has to trust blindly
    m_commandField->setText(command);
    // The server reports a loopback address when it listens on all of them; other computers
    // cannot reach that one.
    const QString host = QUrl(url).host();
    const bool loopback = QHostAddress(host).isLoopback() || host == u"localhost";
    m_addressNote->setText(loopback ? tr("Agents on other computers need this computer's network name or address "
                                         "in place of %1.")
                                          .arg(host)
                                    : QString());
    m_addressNote->setVisible(loopback);
    m_commandField->setCursorPosition(0);
    m_pages->setCurrentWidget(m_revealPage);
    m_doneButton->setDefault(true);
    m_copyButton->setFocus();
    reload();
}

void TokensDialog::handleCopy()
{
    if (m_token.isEmpty())
        return;
    QGuiApplication::clipboard()->setText(m_token);
    m_copiedLabel->setVisible(true);
}

void TokensDialog::handleRevealDone()
{
    showListPage();
}

void TokensDialog::handleRevoke()
{
    const TokenRecord *token = currentToken();
    if (!token || token->revoked || m_revoking)
        return;
    const QString name = token->name;
    // Opened, not exec()'d: no nested event loop while storage results keep arriving.
    auto *box = new QMessageBox(QMessageBox::Warning, tr("Revoke token"),
        tr("Revoke the enrollment token \"%1\"?").arg(name), QMessageBox::NoButton, this);
    box->setObjectName(u"revokeConfirmation"_s);
    box->setInformativeText(tr("Agents can no longer enroll with it. This cannot be undone."));
    QPushButton *confirm = box->addButton(tr("Revoke"), QMessageBox::DestructiveRole);
    confirm->setObjectName(u"confirmRevokeButton"_s);
    QPushButton *keep = box->addButton(tr("Keep it"), QMessageBox::RejectRole);
    box->setDefaultButton(keep);
    box->setEscapeButton(keep);
    box->setAttribute(Qt::WA_DeleteOnClose);
    connect(box, &QMessageBox::buttonClicked, this, [this, confirm, name](QAbstractButton *button) {
        if (button == confirm)
            revoke(name);
    });
    box->open();
}

void TokensDialog::revoke(const QString &name)
{
    m_revoking = true;
    m_selectName = name;
    showError(m_listError, {});
    updateButtons();
    m_service->administration()->revokeToken(name, this, [this](const Result<Done> &revoked) {
        m_revoking = false;
        showError(m_listError, revoked.error());
        reload();
    });
}

void TokensDialog::handleSelectionChanged()
{
    updateButtons();
}

void TokensDialog::handleDatabaseChanged()
{
    if (isVisible())
        reload();
}

void TokensDialog::handleUnitsChanged(int count)
{
    m_validUnit->setItemText(0, count == 1 ? tr("minute") : tr("minutes"));
    m_validUnit->setItemText(1, count == 1 ? tr("hour") : tr("hours"));
    m_validUnit->setItemText(2, count == 1 ? tr("day") : tr("days"));
}

void TokensDialog::reload()
{
    // Coalesce: changes in a burst cause one read after the one in flight.
    if (m_loading) {
        m_loadAgain = true;
        return;
    }
    m_loading = true;
    m_service->administration()->tokens(this, [this](const Result<QList<TokenRecord>> &tokens) {
        m_loading = false;
        applyTokens(tokens);
        if (std::exchange(m_loadAgain, false))
            reload();
    });
}

void TokensDialog::applyTokens(const Result<QList<TokenRecord>> &tokens)
{
    if (!tokens) {
        showError(m_listError, tr("Could not read the tokens: %1").arg(tokens.error()));
        return;
    }
    const TokenRecord *current = currentToken();
    const QString keep = !m_selectName.isEmpty() ? std::exchange(m_selectName, {})
        : current                                ? current->name
                                                 : QString();
    m_model->setTokens(*tokens, QDateTime::currentMSecsSinceEpoch());
    m_tableOrEmpty->setCurrentIndex(m_model->rowCount() > 0 ? 0 : 1);
    for (int row = 0; row < m_model->rowCount(); ++row) {
        if (m_model->tokens().at(row).name == keep) {
            if (m_view->selectionModel()->currentIndex().row() != row) {
                m_view->selectionModel()->setCurrentIndex(
                    m_view->model()->index(row, 0), QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
            }
            m_view->scrollTo(m_view->model()->index(row, 0));
            break;
        }
    }
    updateButtons();
}

void TokensDialog::showListPage()
{
    clearToken();
    m_pages->setCurrentWidget(m_listPage);
    m_createButton->setDefault(false);
    m_doneButton->setDefault(false);
    m_closeButton->setDefault(true);
    updateButtons();
}

void TokensDialog::clearToken()
{
    // Overwrite before letting go, so the text does not linger in freed memory. The field goes
    // first: while it shares the string's buffer, fill() would only detach a copy.
    m_tokenField->clear();
    m_token.fill(u'\0');
    m_token.clear();
    m_copiedLabel->setVisible(false);
}

void TokensDialog::updateButtons()
{
    const TokenRecord *token = currentToken();
    m_revokeButton->setEnabled(token && !token->revoked && !m_revoking);
    m_createButton->setEnabled(!m_creating);
}

const TokenRecord *TokensDialog::currentToken() const
{
    const QModelIndex current = m_view->selectionModel()->currentIndex();
    if (!current.isValid() || !m_view->selectionModel()->isRowSelected(current.row(), {}))
        return nullptr;
    const int row = m_model->rowOf(current.data(TokenListModel::TokenIdRole).toLongLong());
    return row >= 0 ? &m_model->tokens().at(row) : nullptr;
}

} // namespace StreamSwarm::Console

#include "tokensdialog.moc"
