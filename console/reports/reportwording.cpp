// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportwording.h"

#include <algorithm>
#include <cmath>

#include <QDateTime>
#include <QLocale>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// How the line's figure is named in a sentence.
QString lineWord(const PathFigures &path)
{
    return path.latency ? ReportWording::tr("Latency") : path.chart.lineName;
}

} // namespace

QString ReportWording::pathSentence(const PathFigures &path, const ReportTargets &targets)
{
    if (path.rounds() == 0)
        return tr("%1: nothing was measured in this period.").arg(path.title());
    QStringList parts;
    const PeriodFigures figures = path.figures();
    if (const auto within = path.withinTargetPct()) {
        parts.append(tr("Latency from %1 to %2 (%3) stayed under %4 %5 of the time, %6 on average")
                         .arg(path.agent.name, path.test.target, path.test.name, limit(targets.latencyMs, u"ms"_s),
                             percent(within), value(figures.mean, path.unit)));
    } else if (figures.mean) {
        parts.append(tr("%1 of %2 to %3 (%4) averaged %5")
                         .arg(lineWord(path), path.agent.name, path.test.target, path.test.name,
                             value(figures.mean, path.unit)));
    } else {
        parts.append(tr("%1 to %2 (%3) got nothing through").arg(path.agent.name, path.test.target, path.test.name));
    }
    if (path.outages.isEmpty())
        parts.append(tr("there were no outages"));
    else if (path.outages.size() == 1)
        parts.append(tr("one outage of %1, on %2").arg(duration(path.outageMs()), days(path.outages)));
    else
        parts.append(tr("%1 outages totalling %2, on %3")
                         .arg(count(path.outages.size()), duration(path.outageMs()), days(path.outages)));
    if (const auto loss = figures.lossPct; loss && *loss > 0)
        parts.append(tr("packet loss averaged %1").arg(percent(loss, 2)));
    QString sentence = parts.join(u"; "_s) + u'.';
    return sentence;
}

QStringList ReportWording::overview(const ReportData &data)
{
    QStringList sentences;
    const ReportTargets &targets = data.request.targets;
    if (data.paths.isEmpty()) {
        sentences.append(tr("No agent ran a test that this report covers in this period, so there is nothing to "
                            "report. Check the period, the test and the agents chosen."));
        return sentences;
    }
    const qint64 measured = std::count_if(
        data.paths.cbegin(), data.paths.cend(), [](const PathFigures &path) { return path.rounds() > 0; });
    const qint64 meeting = std::count_if(data.paths.cbegin(), data.paths.cend(),
        [&](const PathFigures &path) { return path.rounds() > 0 && path.meets(targets); });
    if (measured == 0) {
        sentences.append(tr("The agents stored no measurements in this period: they were offline, or the tests had "
                            "not started."));
        return sentences;
    }
    // A path is one agent's test.
    const QString when = period(data.request.fromMs, data.request.toMs);
    if (measured == 1)
        sentences.append(meeting == 1 ? tr("Over %1 one path was measured, and it met every target.").arg(when)
                                      : tr("Over %1 one path was measured, and it missed a target.").arg(when));
    else
        sentences.append(tr("Over %1, %2 paths (an agent's test each) were measured: %3 of them met every target.")
                             .arg(when, count(measured), count(meeting)));
    qint64 outages = 0;
    qint64 outageMs = 0;
    for (const PathFigures &path : data.paths) {
        outages += path.outages.size();
        outageMs += path.outageMs();
    }
    if (outages == 0)
        sentences.append(tr("No path had an outage."));
    else
        sentences.append(tr("Outages (rounds in a row that got nothing through): %1, totalling %2.")
                             .arg(count(outages), duration(outageMs)));
    return sentences;
}

QStringList ReportWording::problems(const ReportData &data, int most)
{
    const ReportTargets &targets = data.request.targets;
    QList<const PathFigures *> troubled;
    for (const PathFigures &path : data.paths) {
        if (path.rounds() > 0 && (!path.meets(targets) || !path.outages.isEmpty()))
            troubled.append(&path);
    }
    std::stable_sort(troubled.begin(), troubled.end(),
        [&](const PathFigures *a, const PathFigures *b) { return trouble(*a, targets) > trouble(*b, targets); });
    QStringList lines;
    for (const PathFigures *path : std::as_const(troubled)) {
        if (lines.size() >= most)
            break;
        QStringList why;
        if (const auto available = path->availabilityPct(); available && *available < targets.availabilityPct)
            why.append(tr("available %1 of the time (target %2)")
                           .arg(percent(available, 2), percent(targets.availabilityPct, 2)));
        if (const auto loss = path->lossPct(); loss && *loss > targets.lossPct)
            why.append(
                tr("lost %1 of its packets (target at most %2)").arg(percent(loss, 2), percent(targets.lossPct, 2)));
        if (const auto within = path->withinTargetPct(); within && *within < 99.0)
            why.append(tr("latency over %1 in %2 of its rounds")
                           .arg(limit(targets.latencyMs, u"ms"_s), percent(100.0 - *within)));
        if (!path->outages.isEmpty()) {
            const Outage &longest = *std::max_element(path->outages.cbegin(), path->outages.cend(),
                [](const Outage &a, const Outage &b) { return a.durationMs() < b.durationMs(); });
            why.append(tr("outages: %1, the longest %2 on %3")
                           .arg(count(path->outages.size()), duration(longest.durationMs()), time(longest.startMs)));
        }
        lines.append(path->title() + u": "_s + why.join(u"; "_s) + u'.');
    }
    return lines;
}

QString ReportWording::incidentSentence(const PathFigures &path, const ReportRequest &request)
{
    const auto describe = [&](const PeriodFigures &figures, qint64 fromMs, qint64 toMs) -> QString {
        if (figures.rounds == 0)
            return tr("no rounds");
        QStringList parts;
        if (figures.mean)
            parts.append(tr("%1 on average").arg(value(figures.mean, path.unit)));
        if (figures.lossPct)
            parts.append(tr("%1 loss").arg(percent(figures.lossPct, 2)));
        const qint64 failed = std::count_if(path.failedTimes.cbegin(), path.failedTimes.cend(),
            [&](qint64 time) { return time >= fromMs && time < toMs; });
        if (failed > 0)
            parts.append(tr("%1 failed outright").arg(count(failed)));
        return tr("%1 rounds (%2)").arg(count(figures.rounds), parts.join(u", "_s));
    };
    return tr("During the incident (%1), %2 had %3. Before it: %4. After it: %5.")
        .arg(period(request.fromMs, request.toMs), path.title(), describe(path.during, request.fromMs, request.toMs),
            describe(path.before, path.fromMs, request.fromMs), describe(path.after, request.toMs, path.toMs));
}

QString ReportWording::gapSentence(const PathFigures &path)
{
    if (path.gaps.isEmpty() && path.missingRounds() == 0)
        return tr("%1: our data has no gaps: every round due was measured and stored.").arg(path.title());
    QStringList spans;
    for (const TimeSpan &gap : path.gaps.mid(0, 10))
        spans.append(tr("%1 (%2)").arg(period(gap.first, gap.second), duration(gap.second - gap.first)));
    QString sentence = tr("%1: %2 of %3 rounds due are missing from our data, because the agent was offline, "
                          "stopped, or lost data it had kept.")
                           .arg(path.title(), count(path.missingRounds()), count(path.expectedRounds()));
    if (!spans.isEmpty())
        sentence += u' ' + tr("No data at all: %1.").arg(spans.join(u"; "_s));
    return sentence;
}

QString ReportWording::period(qint64 fromMs, qint64 toMs)
{
    const QDateTime from = QDateTime::fromMSecsSinceEpoch(fromMs);
    const QDateTime to = QDateTime::fromMSecsSinceEpoch(toMs);
    const QLocale locale;
    const QString format = u"d MMM yyyy HH:mm"_s;
    const QString end = from.date() == to.date() ? locale.toString(to.time(), u"HH:mm"_s) : locale.toString(to, format);
    return tr("%1 – %2 (%3)").arg(locale.toString(from, format), end, from.timeZoneAbbreviation());
}

QString ReportWording::time(qint64 ms)
{
    return QLocale().toString(QDateTime::fromMSecsSinceEpoch(ms), u"d MMM yyyy HH:mm:ss"_s);
}

QString ReportWording::duration(qint64 ms)
{
    const qint64 seconds = (ms + 500) / 1000;
    if (seconds < 60)
        return tr("%1 s").arg(seconds);
    const qint64 minutes = (seconds + 30) / 60;
    if (minutes < 60)
        return tr("%1 min").arg(minutes);
    const qint64 hours = minutes / 60;
    if (hours < 48)
        return minutes % 60 ? tr("%1 h %2 min").arg(hours).arg(minutes % 60) : tr("%1 h").arg(hours);
    return hours % 24 ? tr("%1 d %2 h").arg(hours / 24).arg(hours % 24) : tr("%1 d").arg(hours / 24);
}

QString ReportWording::percent(std::optional<double> value, int decimals)
{
    if (!value)
        return u"–"_s;
    // 99.96 % would read as 100.0 %, which says "never failed": keep what was lost visible.
    double shown = *value;
    const double step = std::pow(10.0, -decimals);
    if (shown < 100 && shown > 100 - step)
        shown = 100 - step;
    if (shown > 0 && shown < step)
        shown = step;
    return tr("%1 %").arg(QLocale().toString(shown, 'f', decimals));
}

QString ReportWording::value(std::optional<double> value, const QString &unit)
{
    if (!value)
        return u"–"_s;
    const double magnitude = std::abs(*value);
    const int decimals = magnitude >= 100 ? 0 : magnitude >= 10 ? 1 : 2;
    const QString number = QLocale().toString(*value, 'f', decimals);
    return unit.isEmpty() || unit == u"count" ? number : number + u' ' + unit;
}

QString ReportWording::limit(double value, const QString &unit)
{
    return QLocale().toString(value, 'f', QLocale::FloatingPointShortest) + u' ' + unit;
}

QString ReportWording::count(qint64 value)
{
    return QLocale().toString(value);
}

QString ReportWording::days(const QList<Outage> &outages)
{
    QList<QDate> dates;
    for (const Outage &outage : outages) {
        const QDate date = QDateTime::fromMSecsSinceEpoch(outage.startMs).date();
        if (!dates.contains(date))
            dates.append(date);
    }
    const QLocale locale;
    QStringList names;
    constexpr int SHOWN = 5;
    for (const QDate &date : dates.mid(0, SHOWN))
        names.append(locale.toString(date, u"d MMMM"_s));
    if (dates.size() > SHOWN)
        return tr("%1 and %2 more days").arg(names.join(u", "_s), count(dates.size() - SHOWN));
    if (names.size() == 1)
        return names.constFirst();
    const QString last = names.takeLast();
    return tr("%1 and %2").arg(names.join(u", "_s), last);
}

double ReportWording::trouble(const PathFigures &path, const ReportTargets &targets)
{
    Q_UNUSED(targets)
    // Time without service first, then loss, then slow rounds.
    const double unavailable = 100.0 - path.availabilityPct().value_or(100.0);
    const double lost = path.lossPct().value_or(0.0);
    const double slow = 100.0 - path.withinTargetPct().value_or(100.0);
    return unavailable * 1000 + lost * 10 + slow;
}

} // namespace StreamSwarm::Console
