// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>
#include <QString>

class QCustomPlot;
class QWidget;

namespace StreamSwarm::Console {

// A chart as a file to keep or send: PNG (at twice the screen's pixels, sharp on a printed page),
// SVG (lines stay lines) or PDF, chosen by the file's suffix, written whole or not at all.
class ChartExport
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ChartExport)
public:
    static bool save(QCustomPlot *plot, const QString &path, QString *error);
    // Asks where (a file dialog) and saves; errors in a message box. suggestedName without suffix.
    static void saveWithDialog(QCustomPlot *plot, const QString &suggestedName, QWidget *parent);
    // The chart as an image on the clipboard.
    static void copy(QCustomPlot *plot);
};

} // namespace StreamSwarm::Console
