// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "parameterform.h"

#include <QComboBox>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

ParameterForm::ParameterForm(QWidget *parent)
    : QWidget(parent)
    , m_layout(new QFormLayout(this))
{
    m_layout->setContentsMargins(0, 0, 0, 0);
}

void ParameterForm::setType(const TestTypes::TestType &type)
{
    QHash<QString, QString> kept;
    for (const auto &[key, field] : std::as_const(m_fields))
        kept.insert(key, valueOf(field));
    while (m_layout->rowCount() > 0)
        m_layout->removeRow(0);
    m_fields.clear();
    for (const TestTypes::ParamInfo &param : type.params) {
        QWidget *field = makeField(param, kept.value(param.key));
        field->setObjectName(u"param-"_s + param.key);
        field->setToolTip(TestTypes::describeParam(param));
        auto *label = new QLabel(param.key + u':', this);
        label->setBuddy(field);
        label->setToolTip(field->toolTip());
        m_layout->addRow(label, field);
        // Shown now, not when the layout gets to it, so that the dialog can fit its height at once.
        label->show();
        field->show();
        m_fields.append({param.key, field});
    }
}

QWidget *ParameterForm::makeField(const TestTypes::ParamInfo &param, const QString &value)
{
    using TestTypes::ParamKind;
    if (param.kind == ParamKind::Choice || param.kind == ParamKind::Switch) {
        auto *box = new QComboBox(this);
        const QStringList choices = param.kind == ParamKind::Switch ? QStringList{u"on"_s, u"off"_s} : param.choices;
        // The first entry leaves the parameter out, so the test follows the default if it ever changes.
        box->addItem(tr("%1 (default)").arg(param.defaultText), QString());
        for (const QString &choice : choices)
            box->addItem(choice, choice);
        box->setCurrentIndex(std::max(0, box->findData(value)));
        connect(box, &QComboBox::activated, this, &ParameterForm::edited);
        return box;
    }
    auto *edit = new QLineEdit(value, this);
    connect(edit, &QLineEdit::textEdited, this, &ParameterForm::edited);
    if (!param.defaultText.isEmpty()) {
        edit->setPlaceholderText(tr("default %1").arg(param.defaultText));
    } else if (param.kind == ParamKind::Integer || param.kind == ParamKind::Duration) {
        edit->setPlaceholderText(tr("automatic"));
    } else {
        edit->setPlaceholderText(tr("not set"));
    }
    return edit;
}

QString ParameterForm::valueOf(const QWidget *field) const
{
    if (const auto *box = qobject_cast<const QComboBox *>(field))
        return box->currentData().toString();
    if (const auto *edit = qobject_cast<const QLineEdit *>(field))
        return edit->text().trimmed();
    return QString();
}

QMap<QString, QString> ParameterForm::values() const
{
    QMap<QString, QString> result;
    for (const auto &[key, field] : m_fields) {
        const QString value = valueOf(field);
        if (!value.isEmpty())
            result.insert(key, value);
    }
    return result;
}

void ParameterForm::setValues(const QMap<QString, QString> &values)
{
    for (const auto &[key, field] : std::as_const(m_fields)) {
        const QString value = values.value(key);
        if (auto *box = qobject_cast<QComboBox *>(field))
            box->setCurrentIndex(std::max(0, box->findData(value)));
        else if (auto *edit = qobject_cast<QLineEdit *>(field))
            edit->setText(value);
    }
}

QWidget *ParameterForm::fieldNamedIn(const QString &message) const
{
    for (const auto &[key, field] : m_fields) {
        if (message.contains(key + u'=') || message.contains(u"parameter "_s + key)
            || message.contains(u"parameter \""_s + key + u'"'))
            return field;
    }
    return nullptr;
}

} // namespace StreamSwarm::Console
