// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QHash>
#include <QMap>
#include <QWidget>

#include "shared/testtypes/testtype.h"

class QFormLayout;

namespace StreamSwarm::Console {

// The parameters of one test type as a form built from its descriptor: one field per parameter,
// its default as the placeholder, its help and range as the tooltip. Left empty, a field means
// "the default", so only what the user typed or chose becomes a parameter. GUI thread.
class ParameterForm final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ParameterForm)
public:
    explicit ParameterForm(QWidget *parent = nullptr);

    // Rebuilds the fields for this type; values typed for a parameter of the same name are kept.
    void setType(const TestTypes::TestType &type);
    // key -> value, for the fields the user filled in
    QMap<QString, QString> values() const;
    // Fills the fields of the current type (a test being edited); others are emptied.
    void setValues(const QMap<QString, QString> &values);
    // The field of a parameter a message names ("The parameter count=0 ..."); nullptr when none.
    QWidget *fieldNamedIn(const QString &message) const;

Q_SIGNALS:
    void edited(); // the user typed in or chose a value

private:
    QWidget *makeField(const TestTypes::ParamInfo &param, const QString &value);
    QString valueOf(const QWidget *field) const;

    QFormLayout *m_layout;
    QList<QPair<QString, QWidget *>> m_fields; // in the descriptor's order
};

} // namespace StreamSwarm::Console
