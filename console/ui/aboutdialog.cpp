// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "aboutdialog.h"

#include <QApplication>
#include <QDialogButtonBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QSysInfo>
#include <QTabWidget>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

struct Component
{
    const char *name;
    const char *licence;
    const char *use; // translated at run time
};

// What StreamSwarm is built with, and why; kept in step with "Dependencies" in README.md.
constexpr Component COMPONENTS[] = {
    {"Qt 6 (Core, Network, WebSockets, Sql, Widgets, PrintSupport, Svg)", "LGPL-3.0-only",
        QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "windows, networking and storage")},
    {"QCustomPlot", "GPL-3.0-or-later", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "charts")},
    {"SQLite", "public domain", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the built-in database")},
    {"PostgreSQL libpq", "PostgreSQL", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "a shared database")},
    {"OpenSSL", "Apache-2.0", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "TLS and hashing")},
    {"libssh", "LGPL-2.1-or-later",
        QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "installing agents over SSH")},
    {"zlib", "Zlib", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "compression")},
    {"libcurl", "curl", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the agent's HTTP tests")},
    {"c-ares", "MIT", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the agent's DNS tests")},
    {"iperf3 (libiperf)", "BSD-3-Clause",
        QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the agent's bandwidth tests")},
    {"libnl", "LGPL-2.1-only", QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the agent's Wi-Fi figures")},
    {"libnetfilter_queue, libmnl", "GPL-2.0-or-later, LGPL-2.1-or-later",
        QT_TRANSLATE_NOOP("StreamSwarm::Console::AboutDialog", "the agent's QoS tests")},
};

QString aboutHtml()
{
    return AboutDialog::tr("<h2>StreamSwarm Console %1</h2>"
                           "<p>Distributed network monitoring: agents on your hosts measure the network, and this "
                           "console collects, stores and charts what they report.</p>"
                           "<p>Copyright 2026 The StreamSwarm authors.</p>"
                           "<p>This program is free software: you can redistribute it and/or modify it under the "
                           "terms of the GNU General Public License, version 3 or (at your option) any later "
                           "version (GPL-3.0-or-later). It comes with no warranty. The licence's text is in "
                           "/usr/share/common-licenses/GPL-3 on Debian and at "
                           "<a href=\"https://www.gnu.org/licenses/gpl-3.0.html\">gnu.org</a>.</p>"
                           "<p>Running on Qt %2 (built with %3), %4.</p>")
        .arg(QStringLiteral(STREAMSWARM_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
            QSysInfo::prettyProductName().toHtmlEscaped());
}

} // namespace

QString AboutDialog::licencesHtml()
{
    QString html = u"<p>"_s + tr("StreamSwarm is built with these libraries, each under its own licence:") + u"</p>"_s;
    html += u"<table cellspacing=\"0\" cellpadding=\"4\"><tr><th align=\"left\">%1</th><th align=\"left\">%2</th>"
            "<th align=\"left\">%3</th></tr>"_s.arg(tr("Library"), tr("Licence"), tr("Used for"));
    for (const Component &component : COMPONENTS) {
        html += u"<tr><td>%1</td><td>%2</td><td>%3</td></tr>"_s.arg(QString::fromUtf8(component.name).toHtmlEscaped(),
            QString::fromLatin1(component.licence), tr(component.use).toHtmlEscaped());
    }
    html += u"</table><p>"_s
        + tr("The licences' texts are in /usr/share/doc/PACKAGE/copyright for each Debian package.") + u"</p>"_s;
    return html;
}

AboutDialog::AboutDialog(QWidget *parent)
    : QDialog(parent)
{
    setObjectName(u"aboutDialog"_s);
    setWindowTitle(tr("About StreamSwarm Console"));

    auto *icon = new QLabel(this);
    icon->setPixmap(QApplication::windowIcon().pixmap(96, 96));
    icon->setAlignment(Qt::AlignTop);

    auto *about = new QLabel(aboutHtml(), this);
    about->setObjectName(u"aboutText"_s);
    about->setWordWrap(true);
    about->setAlignment(Qt::AlignTop | Qt::AlignLeft);
    about->setOpenExternalLinks(true);
    about->setTextInteractionFlags(Qt::TextBrowserInteraction);
    auto *aboutPage = new QWidget(this);
    auto *aboutLayout = new QHBoxLayout(aboutPage);
    aboutLayout->addWidget(icon);
    aboutLayout->addWidget(about, 1);

    auto *licences = new QTextBrowser(this);
    licences->setObjectName(u"licencesText"_s);
    licences->setHtml(licencesHtml());
    licences->setOpenExternalLinks(true);

    auto *tabs = new QTabWidget(this);
    tabs->setObjectName(u"aboutTabs"_s);
    tabs->addTab(aboutPage, tr("&About"));
    tabs->addTab(licences, tr("&Licences"));

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(tabs, 1);
    layout->addWidget(buttons);
    resize(620, 440);
}

AboutDialog::~AboutDialog() = default;

} // namespace StreamSwarm::Console
