// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QDialog>

class QDateTimeEdit;
class QDialogButtonBox;
class QLabel;

namespace StreamSwarm::Console {

// The chart's custom time span: from and to, in local time, no further back than maxAgeSeconds.
// OK stays off while the span is empty or reversed, and a line says why. GUI thread.
class RangeDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(RangeDialog)
public:
    RangeDialog(double fromSec, double toSec, double maxAgeSeconds, QWidget *parent = nullptr);
    ~RangeDialog() override;

    double fromSec() const;
    double toSec() const;
    void setRange(double fromSec, double toSec);

private:
    void check();

    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLabel *m_problem;
    QDialogButtonBox *m_buttons;
};

} // namespace StreamSwarm::Console
