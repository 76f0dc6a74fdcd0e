// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportschedule.h"

#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>

#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

QList<QPair<qint64, qint64>> ReportSchedule::duePeriods(qint64 nowMs) const
{
    QList<QPair<qint64, qint64>> periods;
    qint64 start = periodStart(every, reportedUntilMs);
    // A period that began before the schedule existed counts from where it was last reported.
    for (int guard = 0; guard < 100000; ++guard) {
        const qint64 end = nextStart(every, start);
        if (end > nowMs)
            break;
        if (end > reportedUntilMs)
            periods.append({start, end});
        start = end;
    }
    if (periods.size() > MAX_CATCH_UP)
        periods = periods.mid(periods.size() - MAX_CATCH_UP);
    return periods;
}

QString ReportSchedule::fileFor(qint64 fromMs) const
{
    const QString date = QDateTime::fromMSecsSinceEpoch(fromMs).toString(u"yyyy-MM-dd"_s);
    return QDir(folder).filePath(u"%1-%2.pdf"_s.arg(name, date));
}

bool ReportSchedule::check(QString *error) const
{
    if (!Validation::checkName(tr("schedule name"), name, error))
        return false;
    const QFileInfo place(folder);
    if (folder.isEmpty() || !place.isAbsolute()) {
        *error = tr("Give the folder for the reports as a full path, e.g. /srv/reports.");
        return false;
    }
    if (!place.isDir()) {
        *error = tr("The folder %1 does not exist; make it first.").arg(folder);
        return false;
    }
    if (request.kind == ReportKind::Evidence) {
        *error = tr("Evidence is about one incident, so it cannot be scheduled; schedule an executive or "
                    "engineering report.");
        return false;
    }
    if (printer.size() > 127 || printer.contains(u'/') || printer.startsWith(u'-')) {
        *error = tr("\"%1\" is not a printer name.").arg(printer);
        return false;
    }
    ReportRequest checked = request;
    checked.fromMs = 1;
    checked.toMs = 2;
    return checked.check(error);
}

qint64 ReportSchedule::periodStart(Every every, qint64 ms)
{
    const QDate date = QDateTime::fromMSecsSinceEpoch(ms).date();
    switch (every) {
    case Every::Day:
        return QDateTime(date, QTime(0, 0)).toMSecsSinceEpoch();
    case Every::Week:
        return QDateTime(date.addDays(1 - date.dayOfWeek()), QTime(0, 0)).toMSecsSinceEpoch();
    case Every::Month:
        return QDateTime(QDate(date.year(), date.month(), 1), QTime(0, 0)).toMSecsSinceEpoch();
    }
    return ms;
}

qint64 ReportSchedule::nextStart(Every every, qint64 startMs)
{
    // Calendar steps in local time, so that a day with a clock change is still one day.
    const QDateTime start = QDateTime::fromMSecsSinceEpoch(startMs);
    switch (every) {
    case Every::Day:
        return QDateTime(start.date().addDays(1), QTime(0, 0)).toMSecsSinceEpoch();
    case Every::Week:
        return QDateTime(start.date().addDays(7), QTime(0, 0)).toMSecsSinceEpoch();
    case Every::Month:
        return QDateTime(start.date().addMonths(1), QTime(0, 0)).toMSecsSinceEpoch();
    }
    return startMs + ReportRequest::DAY_MS;
}

QString ReportSchedule::everyKey(Every every)
{
    switch (every) {
    case Every::Day:
        return u"daily"_s;
    case Every::Week:
        return u"weekly"_s;
    case Every::Month:
        return u"monthly"_s;
    }
    return {};
}

std::optional<ReportSchedule::Every> ReportSchedule::everyFromKey(const QString &key)
{
    for (Every every : {Every::Day, Every::Week, Every::Month}) {
        if (key == everyKey(every))
            return every;
    }
    return std::nullopt;
}

QString ReportSchedule::everyName(Every every)
{
    switch (every) {
    case Every::Day:
        return tr("every day");
    case Every::Week:
        return tr("every week");
    case Every::Month:
        return tr("every month");
    }
    return {};
}

QString ReportSchedule::requestToJson(const ReportRequest &request)
{
    const QJsonObject object{{u"template"_s, ReportRequest::kindKey(request.kind)}, {u"test"_s, request.testName},
        {u"agents"_s, request.agents}, {u"latencyMs"_s, request.targets.latencyMs},
        {u"lossPct"_s, request.targets.lossPct}, {u"availabilityPct"_s, request.targets.availabilityPct},
        {u"site"_s, request.siteName}, {u"paper"_s, request.paper == QPageSize::Letter ? u"letter"_s : u"a4"_s},
        {u"landscape"_s, request.landscape}};
    return QString::fromUtf8(QJsonDocument(object).toJson(QJsonDocument::Compact));
}

std::optional<ReportRequest> ReportSchedule::requestFromJson(const QString &json)
{
    const QJsonObject object = QJsonDocument::fromJson(json.toUtf8()).object();
    const auto kind = ReportRequest::kindFromKey(object.value(u"template"_s).toString());
    if (!kind)
        return std::nullopt;
    ReportRequest request;
    request.kind = *kind;
    request.testName = object.value(u"test"_s).toString();
    request.agents = object.value(u"agents"_s).toString();
    request.targets.latencyMs = object.value(u"latencyMs"_s).toDouble(request.targets.latencyMs);
    request.targets.lossPct = object.value(u"lossPct"_s).toDouble(request.targets.lossPct);
    request.targets.availabilityPct = object.value(u"availabilityPct"_s).toDouble(request.targets.availabilityPct);
    request.siteName = object.value(u"site"_s).toString();
    request.paper = object.value(u"paper"_s).toString() == u"letter" ? QPageSize::Letter : QPageSize::A4;
    request.landscape = object.value(u"landscape"_s).toBool();
    return request;
}

} // namespace StreamSwarm::Console
