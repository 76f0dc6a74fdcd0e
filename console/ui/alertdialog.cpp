// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "alertdialog.h"

#include <cmath>

#include <QComboBox>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/alertmodel.h"
#include "shared/metrics/catalog.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// A level as the user writes it: in their own locale (12,5) or with a dot (12.5).
std::optional<double> readNumber(const QString &text)
{
    bool ok = false;
    double value = QLocale().toDouble(text.trimmed(), &ok);
    if (!ok)
        value = QLocale::c().toDouble(text.trimmed(), &ok);
    return ok && std::isfinite(value) ? std::optional<double>(value) : std::nullopt;
}

QLabel *hint(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(text, parent);
    label->setWordWrap(true);
    label->setEnabled(false); // greyed: a hint, not a control
    return label;
}

} // namespace

AlertDialog::AlertDialog(ConsoleService *service, QWidget *parent)
    : QDialog(parent)
    , m_service(service)
    , m_name(new QLineEdit(this))
    , m_test(new QComboBox(this))
    , m_metric(new QComboBox(this))
    , m_metricHelp(hint(QString(), this))
    , m_comparison(new QComboBox(this))
    , m_level(new QLineEdit(this))
    , m_unit(new QLabel(this))
    , m_for(new QSpinBox(this))
    , m_of(new QSpinBox(this))
    , m_clear(new QLineEdit(this))
    , m_clearUnit(new QLabel(this))
    , m_agents(new QLineEdit(this))
    , m_minAgents(new QSpinBox(this))
    , m_severity(new QComboBox(this))
    , m_notify(new QPlainTextEdit(this))
    , m_preview(new QLabel(this))
    , m_error(new QLabel(this))
{
    setWindowTitle(tr("Add alert"));
    setObjectName(u"alertDialog"_s);
    m_name->setObjectName(u"name"_s);
    m_name->setPlaceholderText(tr("e.g. loss-to-dc"));
    m_test->setObjectName(u"test"_s);
    const qint64 now = QDateTime::currentMSecsSinceEpoch();
    for (const TestRecord &test : m_service->tests()) {
        // A test that has ended measures nothing more to alert on.
        const TestState state = test.stateAt(now);
        if (test.deletedAtMs || state == TestState::Finished || state == TestState::Stopped)
            continue;
        m_test->addItem(test.name, test.type);
        m_test->setItemData(m_test->count() - 1, tr("%1 test of %2").arg(test.type, test.target), Qt::ToolTipRole);
    }
    m_metric->setObjectName(u"metric"_s);
    m_metric->setEditable(true); // a per-instance metric is written out: if.rx_bytes_per_s{if=eth0}
    m_metric->setInsertPolicy(QComboBox::NoInsert);
    m_metric->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_metric->setMinimumContentsLength(24);
    m_comparison->setObjectName(u"comparison"_s);
    m_comparison->addItem(tr("above"), int(AlertRule::Comparison::Above));
    m_comparison->addItem(tr("below"), int(AlertRule::Comparison::Below));
    m_level->setObjectName(u"level"_s);
    m_level->setPlaceholderText(tr("e.g. 20"));
    m_for->setObjectName(u"forRounds"_s);
    m_for->setRange(1, AlertRule::MAX_ROUNDS);
    m_of->setObjectName(u"ofRounds"_s);
    m_of->setRange(1, AlertRule::MAX_ROUNDS);
    m_clear->setObjectName(u"clearLevel"_s);
    m_clear->setPlaceholderText(tr("the alert level"));
    m_clear->setToolTip(tr("The level the value must come back to before the alert clears, so that a value "
                           "hovering around the alert level does not fire it again and again."));
    m_agents->setObjectName(u"agents"_s);
    m_agents->setPlaceholderText(tr("all agents; or names and tag:TAG, separated by commas"));
    m_minAgents->setObjectName(u"minAgents"_s);
    m_minAgents->setRange(1, AlertRule::MAX_AGENTS);
    m_severity->setObjectName(u"severity"_s);
    for (AlertSeverity severity : {AlertSeverity::Info, AlertSeverity::Warning, AlertSeverity::Critical})
        m_severity->addItem(AlertModel::severityText(severity), int(severity));
    m_severity->setCurrentIndex(1);
    m_notify->setObjectName(u"notify"_s);
    m_notify->setTabChangesFocus(true);
    m_notify->setPlaceholderText(tr("desktop\nemail:noc@example.net\nwebhook:https://hooks.example.net/…"));
    m_notify->setFixedHeight(m_notify->fontMetrics().lineSpacing() * 4 + 12);
    m_preview->setObjectName(u"preview"_s);
    m_preview->setWordWrap(true);
    m_preview->hide();
    m_error->setObjectName(u"error"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    m_error->hide();

    auto *when = new QHBoxLayout;
    when->addWidget(m_comparison);
    when->addWidget(m_level, 1);
    when->addWidget(m_unit);
    auto *rounds = new QHBoxLayout;
    rounds->addWidget(m_for);
    rounds->addWidget(new QLabel(tr("of the last"), this));
    rounds->addWidget(m_of);
    rounds->addWidget(new QLabel(tr("rounds"), this), 1);
    auto *clear = new QHBoxLayout;
    clear->addWidget(m_clear, 1);
    clear->addWidget(m_clearUnit);
    auto *minAgents = new QHBoxLayout;
    minAgents->addWidget(m_minAgents);
    minAgents->addWidget(new QLabel(tr("agents in trouble at once"), this), 1);
    auto *metric = new QVBoxLayout;
    metric->addWidget(m_metric);
    metric->addWidget(m_metricHelp);
    auto *notify = new QVBoxLayout;
    notify->addWidget(m_notify);
    notify->addWidget(hint(tr("One target a line: desktop (this window), email:ADDRESS, webhook:URL or "
                              "command:PATH. None: the alert shows only here and in 'alert list'."),
        this));

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("&Test:"), m_test);
    const auto labelFor = [this](const QString &text, QWidget *buddy) {
        auto *label = new QLabel(text, this);
        label->setBuddy(buddy); // rows holding a layout: the shortcut goes to the main control
        return label;
    };
    form->addRow(labelFor(tr("&Metric:"), m_metric), metric);
    form->addRow(labelFor(tr("&Fires when:"), m_comparison), when);
    form->addRow(labelFor(tr("Fo&r:"), m_for), rounds);
    form->addRow(labelFor(tr("&Clears at:"), m_clear), clear);
    form->addRow(tr("A&gents:"), m_agents);
    form->addRow(labelFor(tr("At &least:"), m_minAgents), minAgents);
    form->addRow(tr("&Severity:"), m_severity);
    form->addRow(labelFor(tr("N&otify:"), m_notify), notify);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = buttons->addButton(tr("Add alert"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(u"add"_s);
    m_add->setDefault(true);
    connect(m_add, &QPushButton::clicked, this, &AlertDialog::handleAdd);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_preview);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_test, &QComboBox::currentIndexChanged, this, &AlertDialog::handleTestChanged);
    connect(m_metric, &QComboBox::currentTextChanged, this, &AlertDialog::handleMetricChanged);
    // Of M rounds can never be fewer than the N that must be bad.
    connect(m_for, &QSpinBox::valueChanged, this, [this](int value) { m_of->setMinimum(value); });
    for (QLineEdit *field : {m_name, m_level, m_clear, m_agents})
        connect(field, &QLineEdit::textEdited, this, &AlertDialog::touch);
    for (QComboBox *box : {m_test, m_metric, m_comparison, m_severity})
        connect(box, &QComboBox::activated, this, &AlertDialog::touch);
    connect(m_metric, &QComboBox::editTextChanged, this, &AlertDialog::check);
    for (QSpinBox *box : {m_for, m_of, m_minAgents})
        connect(box, &QSpinBox::valueChanged, this, &AlertDialog::touch);
    connect(m_notify, &QPlainTextEdit::textChanged, this, &AlertDialog::touch);
    handleTestChanged();
    resize(560, sizeHint().height());
}

void AlertDialog::handleTestChanged()
{
    const TestTypes::TestType *type = TestTypes::find(m_test->currentData().toString());
    const QString chosen = m_metric->currentText();
    m_metric->clear();
    if (type) {
        for (const MetricInfo &info : type->metrics) {
            m_metric->addItem(info.name);
            m_metric->setItemData(m_metric->count() - 1, MetricCatalog::describe(info), Qt::ToolTipRole);
        }
        // Loss is what most alerts watch; else the chart's line.
        const QString usual
            = type->chart.loss.contains(u'{') || type->chart.loss.isEmpty() ? type->chart.line : type->chart.loss;
        const int keep = m_metric->findText(chosen);
        const int common = m_metric->findText(usual);
        m_metric->setCurrentIndex(keep >= 0 ? keep : common >= 0 ? common : 0);
    }
    handleMetricChanged();
}

void AlertDialog::handleMetricChanged()
{
    const MetricInfo *info = MetricCatalog::findSample(m_metric->currentText().trimmed());
    m_metricHelp->setText(info ? MetricCatalog::describe(*info) : QString());
    m_metricHelp->setVisible(info != nullptr);
    m_unit->setText(info && info->unit != u"count" ? info->unit : QString());
    m_clearUnit->setText(m_unit->text());
    check();
}

std::optional<AlertRule> AlertDialog::draft(QString *error, QWidget **field) const
{
    QWidget *unused = nullptr;
    QWidget *&focus = field ? *field : unused;
    AlertRule rule;
    rule.name = m_name->text().trimmed();
    rule.testName = m_test->currentText();
    rule.metric = m_metric->currentText().trimmed();
    rule.comparison = AlertRule::Comparison(m_comparison->currentData().toInt());
    rule.forRounds = m_for->value();
    rule.ofRounds = m_of->value();
    rule.minAgents = m_minAgents->value();
    rule.severity = AlertSeverity(m_severity->currentData().toInt());
    focus = m_name;
    if (rule.name.isEmpty()) {
        *error = tr("Give the alert a name.");
        return std::nullopt;
    }
    if (!Validation::checkName(tr("alert name"), rule.name, error))
        return std::nullopt;
    focus = m_test;
    if (rule.testName.isEmpty()) {
        *error = tr("There is no running test to watch; add a test first.");
        return std::nullopt;
    }
    focus = m_level;
    const auto level = readNumber(m_level->text());
    if (!level) {
        *error = m_level->text().trimmed().isEmpty()
            ? tr("Give the level beyond which a round counts as bad, e.g. 20.")
            : tr("\"%1\" is not a number; write the level as e.g. 20 or 2.5.").arg(m_level->text().trimmed());
        return std::nullopt;
    }
    rule.raiseLevel = *level;
    focus = m_clear;
    if (!m_clear->text().trimmed().isEmpty()) {
        rule.clearLevel = readNumber(m_clear->text());
        if (!rule.clearLevel) {
            *error = tr("\"%1\" is not a number; leave the clear level empty to clear at the alert level.")
                         .arg(m_clear->text().trimmed());
            return std::nullopt;
        }
    }
    focus = m_agents;
    if (!m_agents->text().trimmed().isEmpty()) {
        const auto agents = AgentSelection::parse(m_agents->text(), error);
        if (!agents)
            return std::nullopt;
        rule.agents = *agents;
    }
    focus = m_minAgents;
    if (!rule.agents.all && rule.agents.tags.isEmpty() && rule.minAgents > rule.agents.names.size()) {
        *error = tr("The alert waits for %1 agents in trouble, but watches only %2; it could never fire.")
                     .arg(rule.minAgents)
                     .arg(rule.agents.names.size());
        return std::nullopt;
    }
    focus = m_notify;
    const QStringList lines = m_notify->toPlainText().split(u'\n');
    for (qsizetype line = 0; line < lines.size(); ++line) {
        const QString text = lines.at(line).trimmed();
        if (text.isEmpty())
            continue;
        QString why;
        const auto target = NotifyTarget::parse(text, &why);
        if (!target) {
            *error = tr("Notify, line %1: %2").arg(line + 1).arg(why);
            return std::nullopt;
        }
        if (!rule.notify.contains(*target))
            rule.notify.append(*target);
    }
    // What is left for the rule's own checks: the metric, and the levels against each other.
    focus = rule.metric.isEmpty() ? static_cast<QWidget *>(m_metric) : m_clear;
    if (!rule.check(error))
        return std::nullopt;
    return rule;
}

QString AlertDialog::problem() const
{
    QString error;
    return draft(&error) ? QString() : error;
}

void AlertDialog::touch()
{
    m_touched = true;
    check();
}

void AlertDialog::check()
{
    QString error;
    const auto rule = draft(&error);
    m_add->setEnabled(rule.has_value() && !m_adding);
    m_add->setToolTip(rule ? QString() : error);
    // Said once the user has started; before, Add is only greyed.
    showProblem(rule || !m_touched ? QString() : error);
    m_preview->setVisible(rule.has_value());
    if (!rule) {
        m_preview->clear();
        return;
    }
    const QString who = rule->agents.all ? tr("any agent") : rule->agents.toString().split(u',').join(u", "_s);
    const QString told = rule->notify.isEmpty() ? tr("shown here only") : [&rule] {
        QStringList targets;
        for (const NotifyTarget &target : rule->notify)
            targets.append(target.displayText());
        return tr("sent to %1").arg(targets.join(u", "_s));
    }();
    m_preview->setText(
        tr("A %1 alert for the test %2: fires when %3 on %4; %5.")
            .arg(AlertModel::severityText(rule->severity), rule->testName, rule->conditionText(), who, told));
    fitHeight();
}

void AlertDialog::fitHeight()
{
    if (!isVisible())
        return;
    layout()->activate();
    const int needed
        = layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : layout()->totalSizeHint().height();
    if (needed > height())
        resize(width(), needed);
}

void AlertDialog::showProblem(const QString &text)
{
    m_error->setText(text);
    m_error->setVisible(!text.isEmpty());
    fitHeight();
}

void AlertDialog::handleAdd()
{
    if (m_adding)
        return;
    QString error;
    QWidget *field = nullptr;
    const auto rule = draft(&error, &field);
    if (!rule) {
        m_touched = true;
        showProblem(error);
        if (field)
            field->setFocus();
        return;
    }
    m_adding = true;
    m_add->setEnabled(false);
    m_service->administration()->addAlert(*rule, this, [this, name = rule->name](const Result<qint64> &added) {
        m_adding = false;
        if (!added) {
            m_add->setEnabled(true);
            showProblem(added.error()); // the test or metric the console refused
            return;
        }
        Q_EMIT alertAdded(name);
        accept();
    });
}

} // namespace StreamSwarm::Console
