// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportdocument.h"

#include <algorithm>

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

#include "console/alerts/verdict.h"
#include "console/reports/reportwording.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr int MAX_INCIDENT_ROWS = 40; // each time an alert fired, in the engineering report

using W = ReportWording;

QString parametersText(const TestRecord &test)
{
    QStringList parts{ReportDocument::tr("type %1").arg(test.type), ReportDocument::tr("target %1").arg(test.target),
        ReportDocument::tr("every %1").arg(formatDurationMs(test.intervalMs))};
    for (auto it = test.params.cbegin(); it != test.params.cend(); ++it)
        parts.append(it.key() + u'=' + it.value());
    return parts.join(u", "_s);
}

// One figure of a path over its period: the mean per slice, and the band from lowest to highest.
ReportChartData lineChart(
    const PathFigures &path, const BucketStatistics &values, const QString &unit, const QString &name)
{
    ReportChartData chart;
    chart.unit = unit == u"count" ? QString() : unit;
    chart.fromMs = path.fromMs;
    chart.toMs = path.toMs;
    chart.bucketMs = values.bucketMs ? values.bucketMs : path.loss.bucketMs;
    chart.times = values.starts;
    chart.line = values.means;
    chart.low = values.lowest;
    chart.high = values.highest;
    chart.gaps = path.gaps;
    chart.lineName = ReportDocument::tr("%1 (mean)").arg(name);
    chart.bandName = ReportDocument::tr("lowest to highest");
    return chart;
}

// The path's main chart: its line, loss, outages, the latency target, and the incident (evidence).
ReportChartData mainChart(const PathFigures &path, const ReportRequest &request, bool withHighlight)
{
    ReportChartData chart = lineChart(path, path.line, path.unit, path.chart.lineName);
    chart.lossTimes = path.loss.starts;
    chart.loss = path.loss.means;
    chart.lossName = path.chart.lossName;
    for (const Outage &outage : path.outages)
        chart.outages.append({outage.startMs, outage.endMs});
    if (withHighlight)
        chart.highlight = TimeSpan{request.fromMs, request.toMs};
    // The target line only where it is near the figures: far above them it would flatten them.
    const double highest
        = path.line.highest.isEmpty() ? 0 : *std::max_element(path.line.highest.cbegin(), path.line.highest.cend());
    if (path.latency && request.targets.latencyMs <= 2 * highest)
        chart.target = request.targets.latencyMs;
    return chart;
}

} // namespace

ReportDocument::ReportDocument(const ReportData &data)
    : m_data(data)
{ }

int ReportDocument::print(QPagedPaintDevice *device) const
{
    // First without a painter, to learn where the headings fall and how many pages there are. The
    // contents push what follows by their own pages, so a long report is measured twice more with them.
    ReportPages measured(device, nullptr, frame(0));
    compose(measured, {});
    int total = measured.page();
    QList<ContentsEntry> contents;
    if (total >= CONTENTS_FROM_PAGES) {
        contents = measured.contents();
        for (int pass = 0; pass < 2; ++pass) {
            ReportPages again(device, nullptr, frame(0));
            compose(again, contents);
            contents = again.contents();
            total = again.page();
        }
    }
    QPainter painter(device);
    ReportPages pages(device, &painter, frame(total));
    compose(pages, contents);
    painter.end();
    return pages.page();
}

bool ReportDocument::writePdf(const ReportData &data, const QString &path, int *pages, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        *error = tr("Cannot write the report to %1: %2").arg(path, file.errorString());
        return false;
    }
    {
        QPdfWriter writer(&file);
        writer.setResolution(600);
        writer.setPageSize(QPageSize(data.request.paper));
        writer.setPageOrientation(data.request.landscape ? QPageLayout::Landscape : QPageLayout::Portrait);
        writer.setPageMargins(QMarginsF(0, 0, 0, 0));
        writer.setTitle(ReportRequest::kindName(data.request.kind) + u" – "_s + data.siteName);
        writer.setCreator(u"StreamSwarm "_s + QCoreApplication::applicationVersion());
        *pages = ReportDocument(data).print(&writer);
    }
    if (!file.commit()) {
        *error = tr("Cannot write the report to %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

ReportPages::Frame ReportDocument::frame(int totalPages) const
{
    ReportPages::Frame frame;
    frame.headerLeft = m_data.siteName + u" · "_s + ReportRequest::kindName(m_data.request.kind);
    frame.headerRight = W::period(m_data.request.fromMs, m_data.request.toMs);
    frame.footerLeft = tr("Data checksum (SHA-256): %1").arg(QString::fromLatin1(m_data.sha256.left(16)) + u"…"_s);
    frame.totalPages = totalPages;
    return frame;
}

void ReportDocument::compose(ReportPages &pages, const QList<ContentsEntry> &contents) const
{
    cover(pages);
    if (!contents.isEmpty())
        tableOfContents(pages, contents);
    pages.newPage();
    switch (m_data.request.kind) {
    case ReportKind::Executive:
        executive(pages);
        break;
    case ReportKind::Engineering:
        engineering(pages);
        break;
    case ReportKind::Evidence:
        evidence(pages);
        break;
    }
}

void ReportDocument::cover(ReportPages &pages) const
{
    const ReportRequest &request = m_data.request;
    pages.coverBand(u"StreamSwarm"_s);
    pages.placeText(ReportRequest::kindName(request.kind), ReportPages::Text::Title, pages.mm(40));
    pages.placeText(m_data.siteName, ReportPages::Text::Subtitle, pages.mm(55));
    pages.placeText(W::period(request.fromMs, request.toMs), ReportPages::Text::Subtitle, pages.mm(64));
    QStringList lines;
    lines.append(tr("Agents: %1").arg(m_data.agentNames.isEmpty() ? tr("none") : m_data.agentNames.join(u", "_s)));
    lines.append(tr("Tests: %1").arg(m_data.testNames.isEmpty() ? tr("none") : m_data.testNames.join(u", "_s)));
    lines.append(tr("Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available at least %3.")
                     .arg(W::limit(request.targets.latencyMs, u"ms"_s), W::percent(request.targets.lossPct, 2),
                         W::percent(request.targets.availabilityPct, 2)));
    lines.append(tr("Made on %1 by StreamSwarm %2.")
                     .arg(W::time(m_data.madeAtMs), QCoreApplication::applicationVersion())
                     .replace(u" ."_s, u"."_s));
    lines.append(tr("Data checksum (SHA-256): %1").arg(QString::fromLatin1(m_data.sha256)));
    pages.placeText(lines.join(u'\n'), ReportPages::Text::Body, pages.mm(85));

    // At a glance, for whoever reads only the cover.
    const QStringList overview = W::overview(m_data);
    pages.placeText(tr("At a glance"), ReportPages::Text::Strong, pages.mm(130));
    pages.placeText(overview.join(u' '), ReportPages::Text::Body, pages.mm(137));
}

void ReportDocument::tableOfContents(ReportPages &pages, const QList<ContentsEntry> &contents) const
{
    pages.newPage();
    pages.heading(tr("Contents"));
    ReportTable table;
    table.widths = {0.88, 0.12};
    table.alignRight = {1};
    table.header = {tr("Section"), tr("Page")};
    for (const ContentsEntry &entry : contents) {
        if (entry.level == 1 && entry.text != tr("Contents"))
            table.rows.append({entry.text, QString::number(entry.page)});
    }
    pages.table(table);
}

void ReportDocument::executive(ReportPages &pages) const
{
    pages.heading(tr("Summary"));
    for (const QString &sentence : W::overview(m_data))
        pages.paragraph(sentence);
    for (const PathFigures &path : m_data.paths)
        pages.paragraph(W::pathSentence(path, m_data.request.targets));
    if (m_data.paths.isEmpty())
        return;
    serviceLevels(pages);
    pages.heading(tr("Top problems"));
    const QStringList problems = W::problems(m_data, 5);
    if (problems.isEmpty())
        pages.paragraph(tr("None: every path met its targets and had no outage."));
    else
        pages.bullets(problems);
    alertSection(pages, false);
    pages.heading(tr("Charts"));
    for (const PathFigures &path : m_data.paths) {
        pages.heading(path.title(), 2);
        chart(pages, mainChart(path, m_data.request, false), 62);
    }
}

void ReportDocument::engineering(ReportPages &pages) const
{
    pages.heading(tr("Overview"));
    for (const QString &sentence : W::overview(m_data))
        pages.paragraph(sentence);
    if (!m_data.skippedTests.isEmpty())
        pages.paragraph(
            tr("Not shown: %1 (reports do not chart these kinds of test yet).").arg(m_data.skippedTests.join(u", "_s)),
            ReportPages::Text::Small);
    if (m_data.paths.isEmpty())
        return;
    serviceLevels(pages);
    alertSection(pages, true);
    for (const PathFigures &path : m_data.paths)
        pathDetails(pages, path);
    pages.heading(tr("Events"));
    eventTable(pages, m_data.events, true);
}

void ReportDocument::pathDetails(ReportPages &pages, const PathFigures &path) const
{
    pages.heading(path.title());
    pages.paragraph(tr("Test parameters: %1.").arg(parametersText(path.test)), ReportPages::Text::Small);
    pages.paragraph(W::pathSentence(path, m_data.request.targets));
    chart(pages, mainChart(path, m_data.request, false), 80);
    for (const ExtraFigure &extra : path.extras) {
        pages.heading(extra.name, 2);
        chart(pages, lineChart(path, extra.values, extra.unit, extra.name), 45);
    }

    const PeriodFigures figures = path.figures();
    ReportTable table;
    table.widths = {0.25, 0.25, 0.25, 0.25};
    table.alignRight = {1, 3};
    table.header = {tr("Figure"), tr("Value"), tr("Figure"), tr("Value")};
    table.rows = {
        {tr("Rounds measured"), W::count(path.rounds()), tr("Mean"), W::value(figures.mean, path.unit)},
        {tr("Rounds that got nothing through"), W::count(path.nothingThrough.size()), tr("Lowest"),
            W::value(figures.lowest, path.unit)},
        {tr("… of which failed, with a reason"), W::count(path.failedTimes.size()), tr("Highest"),
            W::value(figures.highest, path.unit)},
        {tr("Rounds missing (no data)"), W::count(path.missingRounds()), tr("Packet loss"),
            W::percent(figures.lossPct, 2)},
        {tr("Available"), W::percent(path.availabilityPct(), 2), tr("Within the latency target"),
            W::percent(path.withinTargetPct())},
    };
    pages.table(table);

    if (!path.phases.isEmpty()) {
        pages.heading(tr("Where the time went (means)"), 2);
        ReportTable phases;
        phases.widths = {0.6, 0.4};
        phases.alignRight = {1};
        phases.header = {tr("Phase, from the start of the request"), tr("Mean")};
        for (const auto &[name, mean] : path.phases)
            phases.rows.append({name, W::value(mean, u"ms"_s)});
        pages.table(phases);
    }
    if (!path.outages.isEmpty()) {
        pages.heading(tr("Outages"), 2);
        ReportTable outages;
        outages.widths = {0.35, 0.35, 0.15, 0.15};
        outages.alignRight = {2, 3};
        outages.header = {tr("From"), tr("To"), tr("Lasted"), tr("Rounds")};
        constexpr int SHOWN = 25;
        for (const Outage &outage : path.outages.mid(0, SHOWN))
            outages.rows.append({W::time(outage.startMs), W::time(outage.endMs), W::duration(outage.durationMs()),
                W::count(outage.rounds)});
        pages.table(outages);
        if (path.outages.size() > SHOWN)
            pages.paragraph(tr("%1 more outages are not listed.").arg(W::count(path.outages.size() - SHOWN)),
                ReportPages::Text::Small);
    }
    if (!path.pathChanges.isEmpty()) {
        pages.heading(tr("Path changes"), 2);
        ReportTable changes;
        changes.widths = {0.3, 0.7};
        changes.header = {tr("When"), tr("What changed")};
        for (const PathChange &change : path.pathChanges.mid(0, 40))
            changes.rows.append({W::time(change.timeMs), PathHistory::describe(change)});
        pages.table(changes);
    }
    if (!path.gaps.isEmpty() || path.missingRounds() > 0)
        pages.paragraph(W::gapSentence(path), ReportPages::Text::Small);
    QList<EventRecord> events;
    for (const EventRecord &event : m_data.events) {
        if (event.agentName == path.agent.name && event.testName == path.test.name)
            events.append(event);
    }
    if (!events.isEmpty()) {
        pages.heading(tr("Events of this test"), 2);
        eventTable(pages, events.mid(0, 30), false);
    }
}

void ReportDocument::evidence(ReportPages &pages) const
{
    const ReportRequest &request = m_data.request;
    pages.heading(tr("What happened"));
    if (m_data.paths.isEmpty()) {
        pages.paragraph(W::overview(m_data).join(u' '));
        checksumBlock(pages);
        return;
    }
    for (const PathFigures &path : m_data.paths)
        pages.paragraph(W::incidentSentence(path, request));
    for (const PathFigures &path : m_data.paths) {
        pages.heading(path.title());
        ReportTable table;
        table.widths = {0.36, 0.1, 0.135, 0.135, 0.135, 0.135};
        table.alignRight = {1, 2, 3, 4, 5};
        table.header = {tr("When"), tr("Rounds"), tr("Mean"), tr("Lowest"), tr("Highest"), tr("Packet loss")};
        const auto row = [&](const QString &when, const PeriodFigures &figures) {
            table.rows.append(
                {when, W::count(figures.rounds), W::value(figures.mean, path.unit), W::value(figures.lowest, path.unit),
                    W::value(figures.highest, path.unit), W::percent(figures.lossPct, 2)});
        };
        row(tr("Before (%1)").arg(W::period(path.fromMs, request.fromMs)), path.before);
        row(tr("During (%1)").arg(W::period(request.fromMs, request.toMs)), path.during);
        row(tr("After (%1)").arg(W::period(request.toMs, path.toMs)), path.after);
        pages.table(table);
        chart(pages, mainChart(path, m_data.request, true), 70);
        for (const HopTable &hops : path.hopTables)
            hopTable(pages, hops);
        pages.heading(tr("How these figures were taken"), 2);
        QStringList how;
        const auto source = [&]() -> QString {
            switch (*path.timestampSource) {
            case Protocol::TimestampSource::Hardware:
                return tr("network card's own clock");
            case Protocol::TimestampSource::Kernel:
                return tr("kernel, as each packet passed");
            case Protocol::TimestampSource::User:
                break;
            }
            return tr("agent's program, around each send and receive");
        };
        how.append(!path.timestampSource
                ? tr("Timestamps: the rounds did not say how they were taken.")
                : tr("Timestamps: taken by the %1 (the weakest source any round used).").arg(source()));
        if (path.clock) {
            how.append(path.clock->synchronised
                    ? tr("The agent's clock was synchronised (NTP): offset %1 µs, estimated error %2 µs.")
                          .arg(QLocale().toString(path.clock->offsetUs, 'f', 0),
                              QLocale().toString(path.clock->errorUs, 'f', 0))
                    : tr("The agent's clock was not synchronised (NTP), so its times may be off by more than usual."));
        }
        how.append(
            tr("The agent's clock against the console's, at its last connection: %1.").arg(describeClock(path.agent)));
        how.append(W::gapSentence(path));
        pages.bullets(how);
    }
    QList<EventRecord> events = m_data.events;
    pages.heading(tr("Events around the incident"));
    eventTable(pages, events, true);
    checksumBlock(pages);
}

void ReportDocument::serviceLevels(ReportPages &pages) const
{
    const ReportTargets &targets = m_data.request.targets;
    pages.heading(tr("Service levels"));
    pages.paragraph(tr("Targets: latency at most %1 in 99 % of rounds, packet loss at most %2, available (rounds that "
                       "got something through) at least %3.")
                        .arg(W::limit(targets.latencyMs, u"ms"_s), W::percent(targets.lossPct, 2),
                            W::percent(targets.availabilityPct, 2)),
        ReportPages::Text::Small);
    ReportTable table;
    table.widths = {0.17, 0.19, 0.13, 0.13, 0.12, 0.1, 0.09, 0.07};
    table.alignRight = {2, 3, 4, 5, 6};
    table.header = {tr("Agent"), tr("Test"), tr("Available"), tr("Within latency target"), tr("Mean"), tr("Loss"),
        tr("Outages"), tr("Met")};
    for (const PathFigures &path : m_data.paths) {
        const bool measured = path.rounds() > 0;
        table.rows.append(
            {path.agent.name, path.test.name, W::percent(path.availabilityPct(), 2), W::percent(path.withinTargetPct()),
                W::value(path.figures().mean, path.unit), W::percent(path.lossPct(), 2), W::count(path.outages.size()),
                !measured                 ? tr("no data")
                    : path.meets(targets) ? tr("yes")
                                          : tr("no")});
    }
    pages.table(table);
}

void ReportDocument::alertSection(ReportPages &pages, bool detailed) const
{
    pages.heading(tr("Alerts"));
    if (m_data.incidents.isEmpty()) {
        pages.paragraph(tr("No alert fired in this period."));
        return;
    }
    const QList<AlertFigures> figures = AlertFigures::of(m_data.incidents, m_data.request.fromMs, m_data.request.toMs);
    qint64 firingMs = 0;
    qint64 acknowledgeMs = 0;
    int acknowledged = 0;
    for (const AlertFigures &alert : figures) {
        firingMs += alert.firingMs;
        acknowledgeMs += alert.acknowledgeMs;
        acknowledged += alert.acknowledged;
    }
    const int fired = int(m_data.incidents.size());
    pages.paragraph(acknowledged
            ? tr("Alerts fired %1 times, for %2 in all; %3 of those times someone acknowledged them, after %4 on "
                 "average (mean time to acknowledge).")
                  .arg(W::count(fired), W::duration(firingMs), W::count(acknowledged),
                      W::duration(acknowledgeMs / acknowledged))
            : tr("Alerts fired %1 times, for %2 in all; none was acknowledged.")
                  .arg(W::count(fired), W::duration(firingMs)));
    ReportTable table;
    table.widths = {0.28, 0.1, 0.16, 0.16, 0.16, 0.14};
    table.alignRight = {1, 2, 3, 4, 5};
    table.header = {tr("Alert"), tr("Fired"), tr("Firing in all"), tr("Longest"), tr("Time to acknowledge"),
        tr("Held or silenced")};
    for (const AlertFigures &alert : figures) {
        table.rows.append({alert.name, W::count(alert.fired), W::duration(alert.firingMs), W::duration(alert.longestMs),
            alert.acknowledged ? W::duration(alert.acknowledgeMs / alert.acknowledged) : u"–"_s, W::count(alert.held)});
    }
    pages.table(table);
    if (!detailed)
        return;
    ReportTable times;
    times.widths = {0.2, 0.15, 0.12, 0.15, 0.38};
    times.header = {tr("Fired"), tr("Alert"), tr("Lasted"), tr("Agents"), tr("Where, and what was done")};
    for (const AlertIncident &incident : m_data.incidents.mid(0, MAX_INCIDENT_ROWS)) {
        QStringList notes;
        if (!incident.verdict.isEmpty())
            notes.append(Verdict::fromJson(QJsonDocument::fromJson(incident.verdict.toUtf8()).object()).text());
        if (!incident.sharedHop.isEmpty() && !incident.heldBy)
            notes.append(tr("Seen behind the shared hop %1.").arg(incident.sharedHop));
        if (incident.heldBy)
            notes.append(tr("Held: \"%1\" explained it.").arg(incident.heldByName));
        if (!incident.silencedBy.isEmpty())
            notes.append(tr("Silent: maintenance window \"%1\".").arg(incident.silencedBy));
        if (incident.ackedAtMs) {
            notes.append(incident.ackComment.isEmpty()
                    ? tr("Acknowledged by %1.").arg(incident.ackedBy)
                    : tr("Acknowledged by %1: %2").arg(incident.ackedBy, incident.ackComment));
        }
        times.rows.append({W::time(incident.startedAtMs), incident.ruleName,
            incident.clearedAtMs ? W::duration(incident.clearedAtMs - incident.startedAtMs) : tr("still firing"),
            incident.agents.join(u", "_s), notes.join(u' ')});
    }
    pages.table(times);
    if (m_data.incidents.size() > MAX_INCIDENT_ROWS || m_data.incidentsCut)
        pages.paragraph(
            tr("Only the newest %1 are listed.").arg(W::count(MAX_INCIDENT_ROWS)), ReportPages::Text::Small);
}

void ReportDocument::chart(ReportPages &pages, const ReportChartData &data, double heightMm) const
{
    const double unitsPerMm = pages.mm(1);
    const QFont font = pages.font(ReportPages::Text::Small);
    pages.block(pages.mm(heightMm), [&](QPainter *painter, const QRectF &rect) {
        painter->setFont(font);
        ReportChart::paint(painter, rect, data, unitsPerMm);
    });
}

void ReportDocument::eventTable(ReportPages &pages, const QList<EventRecord> &events, bool withNames) const
{
    if (events.isEmpty()) {
        pages.paragraph(tr("No events in this period."));
        return;
    }
    ReportTable table;
    table.widths = withNames ? QList<double>{0.2, 0.13, 0.13, 0.09, 0.45} : QList<double>{0.22, 0.1, 0.68};
    table.header = withNames ? QStringList{tr("Time"), tr("Agent"), tr("Test"), tr("Level"), tr("What happened")}
                             : QStringList{tr("Time"), tr("Level"), tr("What happened")};
    for (const EventRecord &event : events) {
        if (withNames)
            table.rows.append({W::time(event.timeMs), event.agentName, event.testName, event.level, event.text()});
        else
            table.rows.append({W::time(event.timeMs), event.level, event.text()});
    }
    pages.table(table);
    if (m_data.eventsCut && withNames)
        pages.paragraph(
            tr("Only the first %1 events are listed.").arg(W::count(events.size())), ReportPages::Text::Small);
}

void ReportDocument::hopTable(ReportPages &pages, const HopTable &hops) const
{
    pages.heading(hops.caption, 2);
    ReportTable table;
    table.widths = {0.06, 0.3, 0.1, 0.08, 0.1, 0.1, 0.09, 0.09, 0.08};
    table.alignRight = {0, 2, 3, 4, 5, 6, 7, 8};
    table.header = {
        tr("Hop"), tr("Address"), tr("Loss"), tr("Sent"), tr("Last"), tr("Mean"), tr("Best"), tr("Worst"), tr("StDev")};
    const QLocale locale;
    const auto ms = [&](bool has, double value) {
        return has ? locale.toString(value, 'f', 1) : u"–"_s;
    };
    for (const Protocol::TracerouteHop &hop : hops.path.hops) {
        const QString address = hop.address.isEmpty() ? u"*"_s
            : hop.name.isEmpty()                      ? hop.address
                                                      : hop.name + u" ("_s + hop.address + u')';
        table.rows.append({QString::number(hop.ttl), address, W::percent(hop.lossPct), QString::number(hop.sent),
            ms(hop.hasRtt, hop.lastMs), ms(hop.hasRtt, hop.avgMs), ms(hop.hasRtt, hop.bestMs),
            ms(hop.hasRtt, hop.worstMs), ms(hop.hasRtt, hop.stddevMs)});
    }
    pages.table(table);
    if (!hops.path.reached)
        pages.paragraph(tr("The trace did not reach %1.").arg(hops.path.target), ReportPages::Text::Small);
}

void ReportDocument::checksumBlock(ReportPages &pages) const
{
    pages.heading(tr("Checksum of this report's data"));
    pages.paragraph(tr("SHA-256: %1").arg(QString::fromLatin1(m_data.sha256)), ReportPages::Text::Strong);
    pages.paragraph(tr("The console computed this checksum from the figures in this report and keeps it in its event "
                       "log, with the time the report was made. Making the same report again from the console's "
                       "database gives the same checksum as long as the data has not been changed."));
}

} // namespace StreamSwarm::Console
