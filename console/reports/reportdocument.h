// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QCoreApplication>

#include "console/reports/reportdata.h"
#include "console/reports/reportpages.h"

class QPagedPaintDevice;

namespace StreamSwarm::Console {

// Lays a report's data out as its kind asks (executive, engineering, evidence) onto any paged
// device: a QPdfWriter for files, a QPrinter for printing and the print preview. Charts are drawn as
// vectors. No widgets, so the headless collector makes reports too.
class ReportDocument
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportDocument)
public:
    explicit ReportDocument(const ReportData &data);

    // Measures, then draws: the table of contents and "Page 3 of 20" need the whole report's pages.
    // Returns the number of pages drawn.
    int print(QPagedPaintDevice *device) const;
    // Writes a PDF in one go (QSaveFile: a failed report leaves no half-written file). False with a
    // plain sentence.
    static bool writePdf(const ReportData &data, const QString &path, int *pages, QString *error);

private:
    // A table of contents is worth its page only in a long report.
    static constexpr int CONTENTS_FROM_PAGES = 6;

    void compose(ReportPages &pages, const QList<ContentsEntry> &contents) const;
    void cover(ReportPages &pages) const;
    void tableOfContents(ReportPages &pages, const QList<ContentsEntry> &contents) const;
    void executive(ReportPages &pages) const;
    void engineering(ReportPages &pages) const;
    void evidence(ReportPages &pages) const;

    void serviceLevels(ReportPages &pages) const;
    // How often alerts fired, for how long and how soon someone acknowledged them; with detailed, each
    // time with its verdict.
    void alertSection(ReportPages &pages, bool detailed) const;
    void chart(ReportPages &pages, const ReportChartData &data, double heightMm) const;
    void pathDetails(ReportPages &pages, const PathFigures &path) const;
    void eventTable(ReportPages &pages, const QList<EventRecord> &events, bool withNames) const;
    void hopTable(ReportPages &pages, const HopTable &hops) const;
    void checksumBlock(ReportPages &pages) const;
    ReportPages::Frame frame(int totalPages) const;

    const ReportData &m_data;
};

} // namespace StreamSwarm::Console
