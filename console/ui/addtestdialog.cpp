// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "addtestdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QCompleter>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLayout>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QRadioButton>
#include <QStringListModel>
#include <QTimer>
#include <QVBoxLayout>

#include "console/app/administration.h"
#include "console/server/consoleservice.h"
#include "console/ui/parameterform.h"
#include "shared/protocol/validation.h"
#include "shared/testtypes/testtype.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// "" (now), "+2h" (from now) or a date and time in the user's own time zone.
std::optional<qint64> parseStart(const QString &text, QString *error)
{
    if (text.startsWith(u'+')) {
        const auto later = parseDurationMs(text.mid(1), error);
        if (!later)
            return std::nullopt;
        return QDateTime::currentMSecsSinceEpoch() + *later;
    }
    for (const QString &format : {u"yyyy-MM-dd HH:mm"_s, u"yyyy-MM-dd HH:mm:ss"_s, u"yyyy-MM-ddTHH:mm"_s}) {
        const QDateTime time = QDateTime::fromString(text, format);
        if (time.isValid())
            return time.toMSecsSinceEpoch();
    }
    *error = QCoreApplication::translate("StreamSwarm::Console::AddTestDialog",
        "\"%1\" is not a start time; write a date and time (2026-12-24 08:00) or +2h for two hours from now.")
                 .arg(text);
    return std::nullopt;
}

} // namespace

AddTestDialog::AddTestDialog(ConsoleService *service, QWidget *parent, Purpose purpose, const TestRecord &test)
    : QDialog(parent)
    , m_service(service)
    , m_name(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_target(new QLineEdit(this))
    , m_agentTargets(new QStringListModel(this))
    , m_agentTargetCompleter(new QCompleter(m_agentTargets, this))
    , m_interval(new QLineEdit(u"1s"_s, this))
    , m_forDuration(new QRadioButton(tr("For"), this))
    , m_duration(new QLineEdit(u"60s"_s, this))
    , m_continuous(new QRadioButton(tr("Until stopped"), this))
    , m_start(new QLineEdit(this))
    , m_allAgents(new QCheckBox(tr("All agents, also those enrolled later"), this))
    , m_agents(new QListWidget(this))
    , m_tags(new QLineEdit(this))
    , m_params(new ParameterForm(this))
    , m_typeSummary(new QLabel(this))
    , m_error(new QLabel(this))
    , m_preview(new QLabel(this))
    , m_checkTimer(new QTimer(this))
    , m_purpose(purpose)
{
    setWindowTitle(purpose == Purpose::Edit ? tr("Edit test")
            : purpose == Purpose::Duplicate ? tr("Duplicate test")
                                            : tr("Add test"));
    m_name->setObjectName(u"name"_s);
    m_name->setPlaceholderText(tr("e.g. gateway-latency"));
    m_type->setObjectName(u"type"_s);
    for (const TestTypes::TestType &type : TestTypes::all())
        m_type->addItem(type.name);
    m_target->setObjectName(u"target"_s);
    m_agentTargetCompleter->setCaseSensitivity(Qt::CaseInsensitive);
    m_interval->setObjectName(u"interval"_s);
    m_interval->setToolTip(tr("Time between rounds: 500ms, 10s, 5m, 2h, 1d."));
    m_duration->setObjectName(u"duration"_s);
    m_forDuration->setObjectName(u"forDuration"_s);
    m_continuous->setObjectName(u"continuous"_s);
    m_continuous->setChecked(true);
    m_start->setObjectName(u"start"_s);
    m_start->setPlaceholderText(tr("now"));
    m_start->setToolTip(tr("When the test starts: empty for now, a date and time (2026-12-24 08:00, your time), or "
                           "+2h for two hours from now."));
    m_tags->setObjectName(u"tags"_s);
    m_tags->setPlaceholderText(tr("also every agent with one of these tags, e.g. core, branch"));
    m_allAgents->setObjectName(u"allAgents"_s);
    m_agents->setObjectName(u"agents"_s);
    m_agents->setMaximumHeight(120);
    m_params->setObjectName(u"params"_s);
    m_typeSummary->setObjectName(u"typeSummary"_s);
    m_typeSummary->setWordWrap(true);
    m_typeSummary->setEnabled(false); // greyed: a hint, not a control
    m_error->setObjectName(u"error"_s);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(u"color: #b3261e;"_s);
    m_error->hide();
    m_preview->setObjectName(u"preview"_s);
    m_preview->setWordWrap(true);
    m_checkTimer->setSingleShot(true);
    m_checkTimer->setInterval(250); // checks once the typing pauses
    connect(m_checkTimer, &QTimer::timeout, this, &AddTestDialog::checkAsTyped);

    auto *runs = new QHBoxLayout;
    runs->addWidget(m_forDuration);
    runs->addWidget(m_duration);
    runs->addSpacing(12);
    runs->addWidget(m_continuous);
    runs->addStretch();
    auto *agents = new QVBoxLayout;
    agents->addWidget(m_allAgents);
    agents->addWidget(m_agents);
    auto *type = new QVBoxLayout;
    type->addWidget(m_type);
    type->addWidget(m_typeSummary);
    auto *params = new QGroupBox(tr("Parameters (leave a field empty for its default)"), this);
    auto *paramsLayout = new QVBoxLayout(params);
    paramsLayout->addWidget(m_params);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    auto *typeLabel = new QLabel(tr("T&ype:"), this);
    typeLabel->setBuddy(m_type);
    form->addRow(typeLabel, type);
    form->addRow(tr("&Target:"), m_target);
    form->addRow(tr("&Every:"), m_interval);
    form->addRow(new QLabel(tr("Runs:"), this), runs);
    form->addRow(tr("&Starts:"), m_start);
    // Rows holding a layout get a label of their own, with the shortcut going to the main control.
    auto *agentsLabel = new QLabel(tr("&Agents:"), this);
    agentsLabel->setBuddy(m_agents);
    form->addRow(agentsLabel, agents);
    form->addRow(tr("Ta&gs:"), m_tags);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    m_add = buttons->addButton(
        purpose == Purpose::Edit ? tr("Save changes") : tr("Add test"), QDialogButtonBox::AcceptRole);
    m_add->setObjectName(u"add"_s);
    m_add->setDefault(true);
    connect(m_add, &QPushButton::clicked, this, &AddTestDialog::handleAdd);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(params);
    layout->addWidget(m_preview);
    layout->addWidget(m_error);
    layout->addWidget(buttons);

    connect(m_type, &QComboBox::currentTextChanged, this, &AddTestDialog::handleTypeChanged);
    connect(m_allAgents, &QCheckBox::toggled, m_agents, &QWidget::setDisabled);
    connect(m_allAgents, &QCheckBox::toggled, m_tags, &QWidget::setDisabled);
    connect(m_forDuration, &QRadioButton::toggled, m_duration, &QWidget::setEnabled);
    connect(m_service, &ConsoleService::agentsChanged, this, &AddTestDialog::reloadAgents);
    const auto recheck = [this] {
        m_checkTimer->start();
    };
    for (QLineEdit *field : {m_name, m_target, m_interval, m_duration, m_start, m_tags})
        connect(field, &QLineEdit::textEdited, this, recheck);
    connect(m_type, &QComboBox::activated, this, recheck);
    for (QAbstractButton *button : std::initializer_list<QAbstractButton *>{m_forDuration, m_continuous, m_allAgents})
        connect(button, &QAbstractButton::clicked, this, recheck);
    connect(m_agents, &QListWidget::itemChanged, this, recheck);
    connect(m_params, &ParameterForm::edited, this, recheck);
    m_duration->setEnabled(false);
    handleTypeChanged();
    reloadAgents();
    if (purpose != Purpose::Add)
        load(test);
    resize(520, sizeHint().height());
}

void AddTestDialog::load(const TestRecord &test)
{
    m_editedName = test.name;
    // A copy needs a name of its own; "wan" becomes "wan-copy".
    m_name->setText(
        m_purpose == Purpose::Duplicate ? test.name.left(Validation::MAX_NAME_LENGTH - 5) + u"-copy"_s : test.name);
    m_type->setCurrentText(test.type);
    m_type->setEnabled(m_purpose != Purpose::Edit); // a test keeps its type
    const TestTypes::TestType *type = TestTypes::find(test.type);
    if (!type || type->target != TestTypes::TargetKind::ThisHost)
        m_target->setText(test.target);
    m_interval->setText(formatDurationMs(test.intervalMs));
    m_forDuration->setChecked(test.durationMs != 0);
    m_continuous->setChecked(test.durationMs == 0);
    if (test.durationMs)
        m_duration->setText(formatDurationMs(test.durationMs));
    // A start still ahead is kept; one passed already is "now" (a duplicate starts at once).
    if (m_purpose == Purpose::Edit && test.startsAtMs > QDateTime::currentMSecsSinceEpoch())
        m_start->setText(QDateTime::fromMSecsSinceEpoch(test.startsAtMs).toString(u"yyyy-MM-dd HH:mm"_s));
    m_allAgents->setChecked(test.allAgents);
    for (int row = 0; row < m_agents->count(); ++row) {
        QListWidgetItem *item = m_agents->item(row);
        item->setCheckState(test.agentNames.contains(item->text()) ? Qt::Checked : Qt::Unchecked);
    }
    m_tags->setText(test.agentTags.join(u", "));
    m_params->setValues(test.params);
}

void AddTestDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    m_name->setFocus();
}

void AddTestDialog::handleTypeChanged()
{
    const TestTypes::TestType *type = TestTypes::find(m_type->currentText());
    if (!type)
        return;
    // A qos test, or a bandwidth test with method=agent, can measure to another agent: offer the
    // agents' names as targets.
    const bool agentTargets = type->target == TestTypes::TargetKind::ReflectorOrAgent || type->agentTargetEachRound;
    m_target->setPlaceholderText(type->target == TestTypes::TargetKind::ReflectorOrAgent
            ? tr("reflector IP address, or agent:NAME")
            : type->target == TestTypes::TargetKind::HostPort ? tr("host:port, e.g. www.example.com:443")
            : type->target == TestTypes::TargetKind::DnsName  ? tr("name to look up, or an IP address for its name")
            : type->target == TestTypes::TargetKind::Url      ? tr("URL, e.g. https://www.example.com/page?q=1")
            : type->target == TestTypes::TargetKind::ServerOrUrl
            ? tr("iperf3 server host[:port], agent:NAME (method=agent) or speed-test URL (method=http)")
            : tr("host name or IP address"));
    m_target->setCompleter(agentTargets ? m_agentTargetCompleter : nullptr);
    // A test of the agent's own host has no target to give.
    const bool ofThisHost = type->target == TestTypes::TargetKind::ThisHost;
    m_target->setEnabled(!ofThisHost);
    if (ofThisHost) {
        m_target->clear();
        m_target->setPlaceholderText(tr("each agent's own host"));
    }
    m_typeSummary->setText(TestTypes::text(type->summary));
    m_params->setType(*type);
    // Types have more or fewer parameters and longer or shorter summaries: fit the height to them.
    if (isVisible()) {
        layout()->activate();
        resize(width(), layout()->hasHeightForWidth() ? layout()->totalHeightForWidth(width()) : sizeHint().height());
    }
}

void AddTestDialog::reloadAgents()
{
    QStringList checked;
    for (int row = 0; row < m_agents->count(); ++row) {
        if (m_agents->item(row)->checkState() == Qt::Checked)
            checked.append(m_agents->item(row)->text());
    }
    m_agents->clear();
    QStringList targets;
    for (const AgentRecord &agent : m_service->agents()) {
        if (agent.revoked)
            continue;
        targets.append(QString::fromUtf16(Validation::AGENT_TARGET_PREFIX) + agent.name);
        auto *item = new QListWidgetItem(agent.name, m_agents);
        item->setFlags(Qt::ItemIsEnabled | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(agent.name) ? Qt::Checked : Qt::Unchecked);
        item->setToolTip(tr("%1 on %2").arg(agent.host, agent.os));
    }
    m_agentTargets->setStringList(targets);
    if (m_agents->count() == 0)
        m_allAgents->setChecked(true);
}

std::optional<TestRecord> AddTestDialog::draft(QString *error, QWidget **focus) const
{
    TestRecord test;
    test.name = m_name->text().trimmed();
    test.type = m_type->currentText();
    test.target = m_target->text().trimmed();
    const TestTypes::TestType *type = TestTypes::find(test.type);
    if (type && type->target == TestTypes::TargetKind::ThisHost)
        test.target = QString::fromUtf16(Validation::LOCAL_TARGET);
    *focus = m_name;
    if (!Validation::checkName(tr("test name"), test.name, error))
        return std::nullopt;
    *focus = m_target;
    if (test.target.isEmpty()) {
        *error = tr("Give a target: the host name or address to test.");
        return std::nullopt;
    }
    *focus = m_interval;
    const auto interval = parseDurationMs(m_interval->text().trimmed(), error);
    if (!interval)
        return std::nullopt;
    test.intervalMs = *interval;
    if (m_forDuration->isChecked()) {
        *focus = m_duration;
        const auto duration = parseDurationMs(m_duration->text().trimmed(), error);
        if (!duration)
            return std::nullopt;
        if (*duration == 0) {
            *error = tr("The test must run longer than zero; choose \"Until stopped\" to run it until you stop it.");
            return std::nullopt;
        }
        test.durationMs = *duration;
    }
    if (const QString start = m_start->text().trimmed(); !start.isEmpty()) {
        *focus = m_start;
        const auto startsAt = parseStart(start, error);
        if (!startsAt)
            return std::nullopt;
        test.startsAtMs = *startsAt;
    }
    test.params = m_params->values();
    *focus = m_agents;
    test.allAgents = m_allAgents->isChecked();
    if (!test.allAgents) {
        for (int row = 0; row < m_agents->count(); ++row) {
            if (m_agents->item(row)->checkState() == Qt::Checked)
                test.agentNames.append(m_agents->item(row)->text());
        }
        for (const QString &tag : m_tags->text().split(u',', Qt::SkipEmptyParts)) {
            if (const QString trimmed = tag.trimmed(); !trimmed.isEmpty() && !test.agentTags.contains(trimmed))
                test.agentTags.append(trimmed);
        }
        if (test.agentNames.isEmpty() && test.agentTags.isEmpty()) {
            *error = tr("Tick the agents that should run the test, name tags, or choose \"All agents\".");
            return std::nullopt;
        }
        *focus = m_tags;
        for (const QString &tag : std::as_const(test.agentTags)) {
            if (!Validation::checkName(tr("tag"), tag, error))
                return std::nullopt;
        }
    }
    test.createdAtMs = QDateTime::currentMSecsSinceEpoch();
    // The very checks the agent and the command line make, with the same messages.
    if (!Operations::checkTest(test, error)) {
        QWidget *field = m_params->fieldNamedIn(*error);
        *focus = field ? field : m_target;
        return std::nullopt;
    }
    return test;
}

void AddTestDialog::checkAsTyped()
{
    QString error;
    QWidget *field = nullptr;
    const auto test = draft(&error, &field);
    m_error->setText(error);
    m_error->setVisible(!test);
    markField(test ? nullptr : field);
    m_preview->setText(test ? describe(*test) : QString());
}

void AddTestDialog::markField(QWidget *field)
{
    if (m_markedField != field) {
        if (m_markedField) {
            m_markedField->setPalette(QPalette());
            m_markedField->setToolTip(m_markedField->property("plainToolTip").toString());
        }
        m_markedField = field;
        if (field) {
            QPalette palette = field->palette();
            palette.setColor(QPalette::Base, QColor(0xfd, 0xe7, 0xe9)); // a light red behind the text, in any theme
            palette.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
            field->setPalette(palette);
            field->setProperty("plainToolTip", field->toolTip());
        }
    }
    if (m_markedField)
        m_markedField->setToolTip(m_error->text());
}

QString AddTestDialog::describe(const TestRecord &test) const
{
    const TestTypes::TestType *type = TestTypes::find(test.type);
    const QString target
        = type && type->target == TestTypes::TargetKind::ThisHost ? tr("each agent's own host") : test.target;
    const QString length = test.durationMs ? tr("for %1").arg(formatDurationMs(test.durationMs)) : tr("until stopped");
    const QString start
        = test.startsAtMs ? QDateTime::fromMSecsSinceEpoch(test.startsAtMs).toString(u"yyyy-MM-dd HH:mm"_s) : tr("now");
    QStringList who = test.agentNames;
    for (const QString &tag : test.agentTags)
        who.append(tr("every agent tagged %1").arg(tag));
    return tr("Runs %1 on %2 every %3, %4, starting %5; on %6.")
        .arg(test.type, target, formatDurationMs(test.intervalMs), length, start,
            test.allAgents ? tr("all agents") : who.join(u", "));
}

void AddTestDialog::showError(const QString &message, QWidget *focus)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
    markField(message.isEmpty() ? nullptr : focus);
    if (focus)
        focus->setFocus();
}

void AddTestDialog::handleAdd()
{
    if (m_adding)
        return;
    QString error;
    QWidget *focus = nullptr;
    const auto test = draft(&error, &focus);
    if (!test) {
        showError(error, focus);
        return;
    }
    showError({}, nullptr);
    m_adding = true;
    updateButtons();
    if (m_purpose == Purpose::Edit) {
        m_service->administration()->editTest(
            m_editedName, *test, this, [this, name = test->name](const Result<Done> &edited) {
                m_adding = false;
                updateButtons();
                if (!edited) {
                    showError(edited.error(), m_name);
                    return;
                }
                Q_EMIT testChanged(name);
                accept();
            });
        return;
    }
    m_service->administration()->addTest(*test, this, [this, name = test->name](const Result<qint64> &added) {
        m_adding = false;
        updateButtons();
        if (!added) {
            showError(added.error(), m_name);
            return;
        }
        Q_EMIT testAdded(name); // the console gives the agents their new assignment by itself
        accept();
    });
}

void AddTestDialog::updateButtons()
{
    m_add->setEnabled(!m_adding);
}

} // namespace StreamSwarm::Console
