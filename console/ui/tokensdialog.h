// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QDialog>
#include <QTimer>

#include "console/app/result.h"
#include "console/storage/records.h"

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QStackedWidget;
class QTableView;

namespace StreamSwarm::Console {

class ConsoleService;
class TokenListModel;
struct IssuedToken;

// Lists, creates and revokes enrollment tokens with the CLI's rules. A new token is shown once,
// with a copy button, and wiped from the dialog when the user leaves that page. Reads and writes
// only through the application layer (Administration), the very code 'token create' and 'token
// revoke' run; refreshes when the CLI changes the database. GUI thread.
class TokensDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(TokensDialog)
public:
    explicit TokensDialog(ConsoleService *service, QWidget *parent = nullptr);
    ~TokensDialog() override;

    TokenListModel *model() const { return m_model; }
    void done(int result) override; // also wipes a token still on show

protected:
    void showEvent(QShowEvent *event) override;

private:
    void handleNewToken();
    void handleCreate();
    void handleCreated(const Result<IssuedToken> &created);
    void handleCopy();
    void handleRevealDone();
    void handleRevoke();
    void handleSelectionChanged();
    void handleDatabaseChanged();
    void handleUnitsChanged(int count);

    QWidget *createListPage();
    QWidget *createFormPage();
    QWidget *createRevealPage();
    void reload();
    void applyTokens(const Result<QList<TokenRecord>> &tokens);
    void revoke(const QString &name);
    void showListPage();
    void clearToken();
    void updateButtons();
    const TokenRecord *currentToken() const;

    ConsoleService *m_service;
    TokenListModel *m_model;
    QStackedWidget *m_pages = nullptr;
    QWidget *m_listPage = nullptr;
    QWidget *m_formPage = nullptr;
    QWidget *m_revealPage = nullptr;

    QStackedWidget *m_tableOrEmpty = nullptr;
    QTableView *m_view = nullptr;
    QLabel *m_listError = nullptr;
    QPushButton *m_newButton = nullptr;
    QPushButton *m_revokeButton = nullptr;
    QPushButton *m_closeButton = nullptr;

    QLineEdit *m_nameEdit = nullptr;
    QSpinBox *m_usesSpin = nullptr;
    QSpinBox *m_validSpin = nullptr;
    QComboBox *m_validUnit = nullptr;
    QLabel *m_formError = nullptr;
    QPushButton *m_createButton = nullptr;
    QPushButton *m_cancelButton = nullptr;

    QLabel *m_revealTitle = nullptr;
    QLabel *m_revealSummary = nullptr;
    QLineEdit *m_tokenField = nullptr;
    QPushButton *m_copyButton = nullptr;
    QLabel *m_copiedLabel = nullptr;
    QLineEdit *m_commandField = nullptr;
    QLabel *m_addressNote = nullptr;
    QPushButton *m_doneButton = nullptr;

    QTimer m_refreshTimer;
    QString m_token; // the one showing on the reveal page; wiped when the page closes
    QString m_selectName; // row to select after the next reload
    bool m_loading = false;
    bool m_loadAgain = false;
    bool m_creating = false;
    bool m_revoking = false;
};

} // namespace StreamSwarm::Console
