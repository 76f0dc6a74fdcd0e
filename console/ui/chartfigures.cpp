// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartfigures.h"

#include <cmath>

#include <QCoreApplication>
#include <QDateTime>
#include <QLocale>

#include "console/ui/statusicons.h"
#include "shared/metrics/catalog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console::ChartFigures {

namespace {

class Tr
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ChartFigures)
};

// Three significant digits or so, the same number of decimals for every figure in a line.
int msDecimals(double typical)
{
    return typical < 1 ? 3 : typical < 10 ? 2 : 1;
}

QString formatMs(double value, int decimals)
{
    return QLocale().toString(value, 'f', decimals);
}

// Path tests show a round-trip time and its spread; service tests their own figure.
bool isRoundTrip(const ChartMetrics &metrics)
{
    return !metrics.minimum.isEmpty() || metrics.lineName.isEmpty();
}

} // namespace

QString text(const ChartMetrics &metrics, const ChartSeriesModel::Point &figures)
{
    if (figures.timeSec <= 0)
        return {};
    const int decimals = msDecimals(std::isnan(figures.line) ? figures.maximum : figures.line);
    QStringList parts;
    if (!std::isnan(figures.line) && !isRoundTrip(metrics)) {
        const MetricInfo *info = MetricCatalog::findSample(metrics.line);
        const QString unit = info ? info->unit : u"ms"_s;
        // A rating (MOS, R) or a count stands alone; a measure says its unit (Mbit/s, dBm, °C).
        const bool bare = unit == u"MOS" || unit == u"R" || unit == u"count" || unit.isEmpty();
        const QString value = unit == u"ms" ? Tr::tr("%1 ms").arg(formatMs(figures.line, decimals))
            : unit == u"%"                  ? Tr::tr("%1 %").arg(QLocale().toString(figures.line, 'f', 1))
            : bare                          ? QLocale().toString(figures.line, 'f', 2)
                                            : Tr::tr("%1 %2").arg(QLocale().toString(figures.line, 'f', 2), unit);
        parts.append(Tr::tr("%1 <b>%2</b>").arg(metrics.lineName.toHtmlEscaped(), value));
    } else if (!std::isnan(figures.line)) {
        QString rtt = Tr::tr("RTT <b>%1 ms</b>").arg(formatMs(figures.line, decimals));
        if (!std::isnan(figures.minimum) && !std::isnan(figures.maximum))
            rtt += u" ("_s + formatMs(figures.minimum, decimals) + u"–"_s + formatMs(figures.maximum, decimals)
                + u")"_s;
        parts.append(rtt);
    }
    if (!std::isnan(figures.loss)) {
        const QString loss = Tr::tr("loss <b>%1 %</b>").arg(QLocale().toString(figures.loss, 'f', 0));
        parts.append(figures.loss > 0
                ? u"<span style=\"color:%1\">"_s.arg(StatusColor::Error.name()) + loss + u"</span>"_s
                : loss);
    }
    const QString time = QDateTime::fromMSecsSinceEpoch(qint64(figures.timeSec * 1000)).toString(u"HH:mm:ss"_s);
    parts.append(u"<span style=\"color:%1\">"_s.arg(StatusColor::Idle.name()) + time + u"</span>"_s);
    return parts.join(u" &nbsp;·&nbsp; "_s);
}

QString toolTip(const ChartMetrics &metrics)
{
    return isRoundTrip(metrics) ? Tr::tr("The newest round: average round-trip time (shortest–longest) and packet loss")
                                : Tr::tr("The newest round's figure");
}

} // namespace StreamSwarm::Console::ChartFigures
