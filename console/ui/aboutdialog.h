// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QDialog>

namespace StreamSwarm::Console {

// Help > About: what the console is, its version and the Qt it runs on, and the licences of
// StreamSwarm and of every library it is built with.
class AboutDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(AboutDialog)
public:
    explicit AboutDialog(QWidget *parent = nullptr);
    ~AboutDialog() override;

    static QString licencesHtml();
};

} // namespace StreamSwarm::Console
