// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "rangedialog.h"

#include <QDateTimeEdit>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

QDateTime fromSeconds(double seconds)
{
    return QDateTime::fromMSecsSinceEpoch(qint64(seconds * 1000));
}

} // namespace

RangeDialog::RangeDialog(double fromSec, double toSec, double maxAgeSeconds, QWidget *parent)
    : QDialog(parent)
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_problem(new QLabel(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"rangeDialog"_s);
    setWindowTitle(tr("Time span of the chart"));
    const QDateTime now = QDateTime::currentDateTime();
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(u"yyyy-MM-dd HH:mm"_s);
        edit->setDateTimeRange(now.addSecs(-qint64(maxAgeSeconds)), now.addSecs(3600));
        connect(edit, &QDateTimeEdit::dateTimeChanged, this, &RangeDialog::check);
    }
    m_from->setObjectName(u"rangeFrom"_s);
    m_to->setObjectName(u"rangeTo"_s);
    m_problem->setObjectName(u"rangeProblem"_s);
    m_problem->setStyleSheet(u"color: #c0392b"_s);
    setRange(fromSec, toSec);

    auto *form = new QFormLayout;
    form->addRow(tr("&From:"), m_from);
    form->addRow(tr("&To:"), m_to);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_problem);
    layout->addWidget(m_buttons);
    check();
}

RangeDialog::~RangeDialog() = default;

double RangeDialog::fromSec() const
{
    return double(m_from->dateTime().toMSecsSinceEpoch()) / 1000;
}

double RangeDialog::toSec() const
{
    return double(m_to->dateTime().toMSecsSinceEpoch()) / 1000;
}

void RangeDialog::setRange(double fromSec, double toSec)
{
    m_from->setDateTime(fromSeconds(fromSec));
    m_to->setDateTime(fromSeconds(toSec));
}

void RangeDialog::check()
{
    const bool reversed = toSec() - fromSec() < 60;
    m_problem->setText(reversed ? tr("The end must be at least a minute after the start.") : QString());
    m_problem->setVisible(reversed);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!reversed);
}

} // namespace StreamSwarm::Console
