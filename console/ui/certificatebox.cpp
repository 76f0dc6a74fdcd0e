// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "certificatebox.h"

#include <QClipboard>
#include <QCoreApplication>
#include <QGuiApplication>
#include <QMessageBox>
#include <QPushButton>

#include "console/server/consoleservice.h"

namespace StreamSwarm::Console {

// The texts keep the window's context, where they were translated first.
void showCertificateBox(ConsoleService *service, QWidget *parent)
{
    // Not exec(): the console keeps serving agents while the box is open.
    auto *box = new QMessageBox(parent);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowTitle(QCoreApplication::translate("StreamSwarm::Console::MainWindow", "Console certificate"));
    if (service->fingerprint().isEmpty()) {
        box->setIcon(QMessageBox::Warning);
        box->setText(QCoreApplication::translate("StreamSwarm::Console::MainWindow",
            "This console was started with --insecure: agents connect with plain ws:// and their "
            "credentials cross the network unencrypted."));
    } else {
        box->setIcon(QMessageBox::Information);
        box->setText(QCoreApplication::translate("StreamSwarm::Console::MainWindow",
            "Agents check this fingerprint of the console's certificate. Give it to them with "
            "--fingerprint, or compare it with the one an agent trusted on first use."));
        box->setInformativeText(service->fingerprint());
        box->setTextInteractionFlags(Qt::TextSelectableByMouse);
        QPushButton *copy = box->addButton(
            QCoreApplication::translate("StreamSwarm::Console::MainWindow", "Copy"), QMessageBox::ActionRole);
        copy->disconnect(); // copying must not close the box
        QObject::connect(copy, &QPushButton::clicked, box,
            [service] { QGuiApplication::clipboard()->setText(service->fingerprint()); });
    }
    box->addButton(QMessageBox::Close);
    box->open();
}

} // namespace StreamSwarm::Console
