// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QWidget>

#include "console/storage/records.h"
#include "console/ui/charts/plotinclude.h"

class QComboBox;
class QLabel;
class QMouseEvent;
class QToolButton;

namespace StreamSwarm::Console {

class ChartCrosshair;
class ChartOverlays;

// A scrolling round-trip time chart: average line, min-max band and packet loss (right axis, %)
// over local clock time. Follows the newest point until the user zooms or drags; double-click or
// "Follow live" resumes. Spans from 5 minutes to 30 days, or from and to as the user sets them.
// A crosshair under the mouse reads the values; a click on a legend entry hides or shows its
// series; the context menu saves the chart as PNG, SVG or PDF. Keeps at most MAX_AGE_SECONDS of
// data. GUI thread.
class LiveChart final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(LiveChart)
public:
    static constexpr double MAX_AGE_SECONDS = 366 * 24 * 3600;

    explicit LiveChart(QWidget *parent = nullptr);
    ~LiveChart() override;

    void setTitle(const QString &title);
    // Whose figures these are (the agent), for the crosshair's label and the saved file's name.
    void setSubject(const QString &subject);
    // The series the test can chart one at a time (qos: DSCP classes) and the one shown; a box to
    // pick another appears when there are two or more.
    void setClassChoices(const QStringList &classes, const QString &current);
    // The legend's names for the RTT line, the min-max band and the loss bars; an empty band name
    // leaves the band out of the legend (the test has no min and max).
    // spread: the smoke's name (SmokePing's picture: spread inside the band, loss colours the line);
    // empty: no smoke.
    void setSeriesNames(const QString &line, const QString &band, const QString &loss, const QString &spread = {});
    QString title() const;
    // The value axis' label; empty: "RTT (ms)".
    void setValueAxisLabel(const QString &label);
    // The stacked phase bars' names, bottom first; none: no bars.
    void setPhaseNames(const QStringList &names);
    QStringList phaseNames() const;

    // Seconds between rounds; a longer silence breaks the line. 0 = never break it.
    // historyStepSeconds: the history comes in buckets this far apart (0: every round).
    void setExpectedInterval(double seconds, double historyStepSeconds = 0);

    // Replaces everything shown; times in seconds since the epoch, values in ms and %.
    // spread: each round's standard deviation around the line, for the smoke.
    void setSeries(
        const Series &avg, const Series &min, const Series &max, const Series &loss, const Series &spread = {});
    // One new round; pass qQNaN() for a figure the round does not have (no replies: no RTT).
    void appendPoint(double timeSec, double avg, double min, double max, double loss, double spread = qQNaN());
    // The phases' cumulative times (from the request's start, as curl reports them), one series per
    // phase; each round's bar stacks the differences. Call before setSeries() / appendPoint().
    void setPhaseSeries(const QList<Series> &cumulative);
    void appendPhases(double timeSec, const QList<double> &cumulative);
    // The bar segments of the round at timeSec, bottom first (what each phase added); empty if none.
    QList<double> phaseSegments(double timeSec) const;
    void clear();

    // Spans when a bandwidth test loaded the agent's link (ms since the epoch), shaded behind the
    // lines so a rise they caused can be told apart; replaces the last ones. clear() removes them.
    void setLoadedSpans(const QList<std::pair<qint64, qint64>> &spansMs);
    int loadedSpanCount() const { return int(m_loadSpans.size()); }

    // Centred text over the plot, e.g. "No data yet"; an empty text hides it.
    void showMessage(const QString &message);
    QString message() const;

    void setVisibleSpan(double seconds);
    double visibleSpan() const { return m_span; }
    void setFollowLive(bool follow);
    bool followsLive() const { return m_follow; }
    // Shows fromSec to toSec and stops following; the history must reach back to fromSec.
    void setCustomRange(double fromSec, double toSec);

    // The legend's entries in order, and whether each one's series is drawn.
    QStringList legendNames() const;
    bool isSeriesShown(int legendIndex) const;
    void toggleSeries(int legendIndex); // as a click on the entry does
    ChartCrosshair *crosshair() const { return m_crosshair; }

    // Other agents' or metrics' lines over the chart; call overlaysChanged() after changing them.
    ChartOverlays *overlays() const { return m_overlays.get(); }
    void overlaysChanged();

    int pointCount() const; // rounds with an RTT average held in the chart
    double lastTime() const { return m_lastTime; }
    QCustomPlot *plot() const { return m_plot; }

Q_SIGNALS:
    void followLiveChanged(bool follow);
    void visibleSpanChanged(double seconds); // chosen by the user
    void classChosen(const QString &chartClass); // chosen by the user

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyPalette();
    void handleRangeChanged(const QCPRange &range);
    void handleDoubleClick(QMouseEvent *event);
    void handleSpanActivated(int index);
    void handleLegendClick(QCPLegend *legend, QCPAbstractLegendItem *item, QMouseEvent *event);
    void showContextMenu(const QPoint &at);
    void setSeriesShown(QCPAbstractLegendItem *item, bool shown);
    // What the chart holds nearest to key, for the crosshair.
    std::pair<double, QString> describeAt(double key) const;
    void setKeyRange(double lower, double upper);
    void followNewest();
    void fitValueAxis();
    void showNewData(); // follows it, or fits the value axis to it where the user has moved the view
    void trimOlderThan(double timeSec);
    void replot();
    void updateBand();

    // The band's rounds; m_min and m_max draw their envelope over the keys in view.
    QSharedPointer<QCPGraphDataContainer> m_lowest;
    QSharedPointer<QCPGraphDataContainer> m_highest;
    // The smoke's edges round by round: the line less and plus the spread, inside the band.
    QSharedPointer<QCPGraphDataContainer> m_spreadLow;
    QSharedPointer<QCPGraphDataContainer> m_spreadHigh;
    QLabel *m_title;
    QComboBox *m_classBox;
    QComboBox *m_spanBox;
    QToolButton *m_followButton;
    QCustomPlot *m_plot;
    QCPGraph *m_min = nullptr;
    QCPGraph *m_max = nullptr;
    QCPGraph *m_avg = nullptr;
    QCPGraph *m_loss = nullptr;
    QCPGraph *m_loadKey = nullptr; // the legend's key for m_loadSpans
    QCPGraph *m_innerLow = nullptr;
    QCPGraph *m_innerHigh = nullptr;
    QList<QCPItemRect *> m_loadSpans;
    QList<QCPBars *> m_phases;
    std::unique_ptr<ChartOverlays> m_overlays;
    QCPItemText *m_message = nullptr;
    ChartCrosshair *m_crosshair = nullptr;
    QString m_subject;
    double m_span = 300;
    double m_interval = 0;
    double m_historyStep = 0;
    double m_lastTime = 0;
    bool m_follow = true;
    bool m_settingRange = false;
};

} // namespace StreamSwarm::Console
