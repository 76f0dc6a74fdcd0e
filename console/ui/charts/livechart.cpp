// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "livechart.h"

#include <array>
#include <cmath>

#include <QComboBox>
#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QMenu>
#include <QToolButton>
#include <QVBoxLayout>

#include "console/ui/charts/chartcrosshair.h"
#include "console/ui/charts/chartdata.h"
#include "console/ui/charts/chartexport.h"
#include "console/ui/charts/chartnavigation.h"
#include "console/ui/charts/chartoverlays.h"
#include "console/ui/charts/plotinclude.h"
#include "console/ui/charts/rangedialog.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

const QColor RTT_COLOR(31, 119, 180);
const QColor LOSS_COLOR(214, 39, 40);
const QColor LOAD_COLOR(230, 159, 0, 45); // behind what a bandwidth test's load may have raised
// The phase bars, bottom first: calm colours, distinct for the colour-blind (Okabe-Ito).
const std::array<QColor, 6> PHASE_COLORS = {QColor(86, 180, 233), QColor(0, 158, 115), QColor(230, 159, 0),
    QColor(204, 121, 167), QColor(0, 114, 178), QColor(213, 94, 0)};
constexpr double BAR_SHARE = 0.7; // of the interval, so neighbouring rounds' bars stand apart
constexpr double SPARSE_INTERVAL_S = 5; // rounds at least this far apart are marked one by one

// A silence longer than this many intervals is drawn as a gap rather than a straight line.
constexpr double GAP_FACTOR = 2.5;
constexpr double FOLLOW_MARGIN = 0.02; // share of the span left free right of the newest point

struct SpanChoice
{
    const char *label;
    double seconds;
};

// lupdate files these under LiveChart, where tr() looks them up.
const std::array<SpanChoice, 7> SPANS = {{
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 5 minutes"), 5 * 60},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 15 minutes"), 15 * 60},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last hour"), 3600},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 6 hours"), 6 * 3600},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 24 hours"), 24 * 3600},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 7 days"), 7 * 24 * 3600},
    {QT_TRANSLATE_NOOP("StreamSwarm::Console::LiveChart", "Last 30 days"), 30 * 24 * 3600},
}};
constexpr double CUSTOM_SPAN = -1; // the span box's "Custom…" entry

void styleAxis(QCPAxis *axis, const QColor &text, const QColor &grid)
{
    axis->setBasePen(QPen(grid.darker(150)));
    axis->setTickPen(QPen(grid.darker(150)));
    axis->setSubTickPen(QPen(grid.darker(150)));
    axis->setTickLabelColor(text);
    axis->setLabelColor(text);
    axis->grid()->setPen(QPen(grid, 0, Qt::DotLine));
    axis->grid()->setZeroLinePen(Qt::NoPen);
}

} // namespace

LiveChart::LiveChart(QWidget *parent)
    : QWidget(parent)
    , m_lowest(new QCPGraphDataContainer)
    , m_highest(new QCPGraphDataContainer)
    , m_spreadLow(new QCPGraphDataContainer)
    , m_spreadHigh(new QCPGraphDataContainer)
    , m_title(new QLabel(this))
    , m_classBox(new QComboBox(this))
    , m_spanBox(new QComboBox(this))
    , m_followButton(new QToolButton(this))
    , m_plot(new QCustomPlot(this))
{
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setTextFormat(Qt::PlainText);

    for (const SpanChoice &span : SPANS)
        m_spanBox->addItem(tr(span.label), span.seconds);
    m_spanBox->addItem(tr("Custom…"), CUSTOM_SPAN);
    m_spanBox->setCurrentIndex(0);
    m_spanBox->setToolTip(tr("How much time the chart shows"));
    connect(m_spanBox, &QComboBox::activated, this, &LiveChart::handleSpanActivated);
    m_classBox->setObjectName(u"chartClassBox"_s);
    m_classBox->setToolTip(tr("Which class the chart shows"));
    m_classBox->setVisible(false);
    connect(m_classBox, &QComboBox::activated, this,
        [this](int index) { Q_EMIT classChosen(m_classBox->itemData(index).toString()); });

    m_followButton->setText(tr("Follow live"));
    m_followButton->setCheckable(true);
    m_followButton->setChecked(true);
    m_followButton->setToolTip(tr("Keep the newest rounds in view. Dragging or zooming the chart stops following; "
                                  "double-click the chart to follow again."));
    connect(m_followButton, &QToolButton::toggled, this, &LiveChart::setFollowLive);

    auto *toolbar = new QHBoxLayout;
    toolbar->setContentsMargins(0, 0, 0, 0);
    toolbar->addWidget(m_title, 1);
    toolbar->addWidget(m_classBox);
    toolbar->addWidget(m_spanBox);
    toolbar->addWidget(m_followButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(toolbar);
    layout->addWidget(m_plot, 1);

    // Raster painting only: it behaves the same offscreen, over remote desktops and in tests.
    // Debian builds QCustomPlot without OpenGL, where setOpenGl() only logs a complaint.
    if (m_plot->openGl())
        m_plot->setOpenGl(false);
    m_plot->setNoAntialiasingOnDrag(true);
    // A line wider than a pixel is stroked segment by segment otherwise: 50 times slower over a
    // million rounds (bench_charts). Joins lose a little finish, invisible at these densities.
    m_plot->setPlottingHint(QCP::phFastPolylines, true);
    m_plot->setMinimumHeight(200);
    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->axisRect()->setRangeDrag(Qt::Horizontal);
    m_plot->axisRect()->setRangeZoom(Qt::Horizontal);

    auto ticker = QSharedPointer<QCPAxisTickerDateTime>::create();
    ticker->setDateTimeFormat(u"HH:mm:ss"_s);
    ticker->setDateTimeSpec(Qt::LocalTime);
    ticker->setTickCount(6);
    m_plot->xAxis->setTicker(ticker);
    m_plot->yAxis->setLabel(tr("RTT (ms)"));
    m_plot->yAxis->setRange(0, 1);
    m_plot->yAxis->setNumberFormat(u"g"_s);
    m_plot->yAxis2->setVisible(true);
    m_plot->yAxis2->setLabel(tr("Loss (%)"));
    m_plot->yAxis2->setRange(0, 100);
    m_plot->yAxis2->setTickLabelColor(LOSS_COLOR);
    m_plot->yAxis2->setLabelColor(LOSS_COLOR);
    m_plot->yAxis2->grid()->setVisible(false);

    m_loss = m_plot->addGraph(m_plot->xAxis, m_plot->yAxis2);
    m_loss->setName(tr("Packet loss"));
    m_loss->setLineStyle(QCPGraph::lsImpulse);
    QColor lossColor = LOSS_COLOR;
    lossColor.setAlpha(170);
    m_loss->setPen(QPen(lossColor, 2));
    m_loss->setAntialiased(false); // thick antialiased impulses cost 12 µs each: 10,000 took 125 ms

    QColor bandEdge = RTT_COLOR;
    bandEdge.setAlpha(80);
    QColor bandFill = RTT_COLOR;
    bandFill.setAlpha(45);
    m_min = m_plot->addGraph();
    m_min->setPen(QPen(bandEdge, 1));
    m_max = new BandGraph(m_plot->xAxis, m_plot->yAxis);
    m_max->setName(tr("Min–max RTT"));
    m_max->setPen(QPen(bandEdge, 1));
    m_max->setBrush(bandFill);
    m_max->setChannelFillGraph(m_min);
    m_avg = new LossColouredLine(m_plot->xAxis, m_plot->yAxis);
    m_avg->setName(tr("Average RTT"));
    m_avg->setPen(QPen(RTT_COLOR, 1.6));
    // Draws nothing itself: the legend's key for the shaded spans of bandwidth tests.
    m_loadKey = m_plot->addGraph();
    m_loadKey->setName(tr("Bandwidth test running"));
    m_loadKey->setPen(Qt::NoPen);
    m_loadKey->setBrush(LOAD_COLOR);
    // The smoke: the rounds' spread around the line, under the min-max band (on a layer below it),
    // where both fills darken it.
    m_plot->addLayer(u"smoke"_s, m_plot->layer(u"main"_s), QCustomPlot::limBelow);
    m_innerLow = m_plot->addGraph();
    m_innerHigh = new BandGraph(m_plot->xAxis, m_plot->yAxis);
    QColor smoke = RTT_COLOR;
    smoke.setAlpha(70);
    for (QCPGraph *graph : {m_innerLow, m_innerHigh}) {
        graph->setLayer(u"smoke"_s);
        graph->setPen(Qt::NoPen);
    }
    m_innerHigh->setBrush(smoke);
    m_innerHigh->setChannelFillGraph(m_innerLow);

    // The legend sits in its own row above the plot, so it never covers the newest data, and
    // starts where the axis rect starts (shared left margin).
    m_plot->legend->setVisible(true);
    for (QCPGraph *graph : {m_loss, m_min, m_max, m_avg, m_loadKey, m_innerLow, m_innerHigh})
        graph->removeFromLegend();
    for (QCPGraph *graph : {m_avg, m_max, m_loss})
        graph->addToLegend();
    auto *legendRow = new QCPLayoutGrid;
    m_plot->plotLayout()->insertRow(0);
    m_plot->plotLayout()->addElement(0, 0, legendRow);
    m_plot->plotLayout()->setRowStretchFactor(0, 0.001);
    m_plot->plotLayout()->setRowSpacing(0);
    m_plot->axisRect()->insetLayout()->take(m_plot->legend);
    legendRow->addElement(0, 0, m_plot->legend);
    legendRow->addElement(0, 1, new QCPLayoutElement(m_plot));
    legendRow->setColumnStretchFactor(0, 0.001);
    legendRow->setColumnStretchFactor(1, 1);
    auto *leftEdge = new QCPMarginGroup(m_plot);
    m_plot->axisRect()->setMarginGroup(QCP::msLeft, leftEdge);
    legendRow->setMarginGroup(QCP::msLeft, leftEdge);
    legendRow->setAutoMargins(QCP::msLeft);
    m_plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    m_plot->legend->setWrap(4); // a fifth entry (smoke and a bandwidth test) starts a second row
    m_plot->legend->setBorderPen(Qt::NoPen);
    m_plot->legend->setBrush(Qt::NoBrush);
    m_plot->legend->setMargins(QMargins(0, 2, 0, 0));
    m_plot->legend->setColumnSpacing(18);
    m_plot->legend->setIconSize(22, 10);

    m_message = new QCPItemText(m_plot);
    m_message->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_message->position->setCoords(0.5, 0.5);
    m_message->setPositionAlignment(Qt::AlignCenter);
    QFont messageFont = font();
    messageFont.setPointSizeF(messageFont.pointSizeF() * 1.3);
    m_message->setFont(messageFont);
    applyPalette();

    connect(m_plot->xAxis, qOverload<const QCPRange &>(&QCPAxis::rangeChanged), this, &LiveChart::handleRangeChanged);
    connect(m_plot, &QCustomPlot::mouseDoubleClick, this, &LiveChart::handleDoubleClick);
    connect(m_plot, &QCustomPlot::legendClick, this, &LiveChart::handleLegendClick);
    // The band's envelope once a paint, for the keys it shows (a round used to make it three times).
    connect(m_plot, &QCustomPlot::beforeReplot, this, &LiveChart::updateBand);
    m_plot->setContextMenuPolicy(Qt::CustomContextMenu);
    connect(m_plot, &QWidget::customContextMenuRequested, this, &LiveChart::showContextMenu);
    m_overlays = std::make_unique<ChartOverlays>(m_plot);
    new ChartNavigation(this);
    m_crosshair = new ChartCrosshair(m_plot, [this](double key) {
        const auto [at, text] = describeAt(key);
        return ChartCrosshair::Reading{at, text};
    });

    clear();
}

LiveChart::~LiveChart() = default;

// The plot paints itself, so it takes the window's colours (light or dark) by hand.
void LiveChart::applyPalette()
{
    const QColor base = palette().color(QPalette::Base);
    const QColor text = palette().color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(50);
    m_plot->setBackground(base);
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis, m_plot->yAxis2})
        styleAxis(axis, text, grid);
    m_plot->yAxis2->setTickLabelColor(LOSS_COLOR);
    m_plot->yAxis2->setLabelColor(LOSS_COLOR);
    m_plot->legend->setTextColor(text);
    for (int i = 0; i < m_plot->legend->itemCount(); ++i) { // each item took the colour when it was added
        if (QCPAbstractLegendItem *item = m_plot->legend->item(i)) // a wrapped legend has empty cells
            item->setTextColor(text);
    }
    QColor messageColor = text;
    messageColor.setAlpha(140);
    m_message->setColor(messageColor);
    if (!m_phases.isEmpty() || m_avg->pen().color() != RTT_COLOR)
        m_avg->setPen(QPen(m_phases.isEmpty() ? RTT_COLOR : text, 1.6));
}

void LiveChart::changeEvent(QEvent *event)
{
    QWidget::changeEvent(event);
    if (event->type() == QEvent::PaletteChange) {
        applyPalette();
        m_plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

void LiveChart::setSeriesNames(const QString &line, const QString &band, const QString &loss, const QString &spread)
{
    m_avg->setName(line);
    m_max->setName(band);
    m_loss->setName(loss);
    m_innerHigh->setName(spread);
    // With smoke, loss also colours the line, as SmokePing draws it.
    static_cast<LossColouredLine *>(m_avg)->setLossGraph(spread.isEmpty() ? nullptr : m_loss);
    // Re-added in order, so the legend keeps reading line, band, loss.
    for (QCPGraph *graph : {m_avg, m_innerHigh, m_max, m_loss})
        graph->removeFromLegend();
    for (QCPGraph *graph : {m_avg, m_innerHigh, m_max, m_loss}) {
        if (!graph->name().isEmpty())
            graph->addToLegend();
    }
    // A test without loss (tcp, tls, http) has no use for the loss axis.
    m_plot->yAxis2->setVisible(!loss.isEmpty());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void LiveChart::setValueAxisLabel(const QString &label)
{
    m_plot->yAxis->setLabel(label.isEmpty() ? tr("RTT (ms)") : label);
}

void LiveChart::setPhaseNames(const QStringList &names)
{
    for (QCPBars *bars : std::as_const(m_phases))
        m_plot->removePlottable(bars);
    m_phases.clear();
    QCPBars *below = nullptr;
    for (qsizetype i = 0; i < names.size(); ++i) {
        auto *bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
        bars->setName(names.at(i));
        bars->setWidthType(QCPBars::wtPlotCoords);
        bars->setWidth(std::max(m_interval, 1.0) * BAR_SHARE);
        const QColor color = PHASE_COLORS.at(size_t(i) % PHASE_COLORS.size());
        bars->setPen(QPen(color.darker(115), 0.5));
        bars->setBrush(color);
        bars->setStackingGap(0);
        if (below)
            bars->moveAbove(below);
        below = bars;
        m_phases.append(bars);
    }
    // Over coloured bars the line is drawn in the text's colour, so it does not read as a phase.
    m_avg->setPen(QPen(m_phases.isEmpty() ? RTT_COLOR : palette().color(QPalette::Text), 1.6));
    // Bars under the line and the band, above the grid.
    if (!m_plot->layer(u"bars"_s))
        m_plot->addLayer(u"bars"_s, m_plot->layer(u"main"_s), QCustomPlot::limBelow);
    for (QCPBars *bars : std::as_const(m_phases))
        bars->setLayer(u"bars"_s);
    replot();
}

QStringList LiveChart::phaseNames() const
{
    QStringList names;
    for (const QCPBars *bars : m_phases)
        names.append(bars->name());
    return names;
}

void LiveChart::setPhaseSeries(const QList<Series> &cumulative)
{
    // Rounds by time: each phase series holds the rounds that had that phase.
    QMap<double, QList<double>> rounds;
    for (qsizetype phase = 0; phase < cumulative.size() && phase < m_phases.size(); ++phase) {
        const Series &series = cumulative.at(phase);
        for (qsizetype i = 0; i < series.times.size() && i < series.values.size(); ++i) {
            QList<double> &round = rounds[series.times.at(i)];
            round.resize(m_phases.size(), qQNaN());
            round[phase] = series.values.at(i);
        }
    }
    QList<QVector<QCPBarsData>> data(m_phases.size());
    for (auto it = rounds.cbegin(); it != rounds.cend(); ++it) {
        const QList<double> segments = segmentsOf(it.value(), m_phases.size());
        for (qsizetype phase = 0; phase < segments.size(); ++phase)
            data[phase].append(QCPBarsData(it.key(), segments.at(phase)));
    }
    for (qsizetype phase = 0; phase < m_phases.size(); ++phase)
        m_phases.at(phase)->data()->set(data.at(phase), true);
}

void LiveChart::appendPhases(double timeSec, const QList<double> &cumulative)
{
    const QList<double> segments = segmentsOf(cumulative, m_phases.size());
    for (qsizetype phase = 0; phase < m_phases.size(); ++phase)
        m_phases.at(phase)->addData(timeSec, segments.at(phase));
}

QList<double> LiveChart::phaseSegments(double timeSec) const
{
    QList<double> segments;
    for (const QCPBars *bars : m_phases) {
        const auto found = bars->data()->findBegin(timeSec, false);
        if (found == bars->data()->constEnd() || !qFuzzyCompare(found->key, timeSec))
            return {};
        segments.append(found->value);
    }
    return segments;
}

void LiveChart::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString LiveChart::title() const
{
    return m_title->text();
}

void LiveChart::setExpectedInterval(double seconds, double historyStepSeconds)
{
    m_interval = std::max(0.0, seconds);
    m_historyStep = std::max(0.0, historyStepSeconds);
    // Rounds seconds apart (a bandwidth test every few minutes) are few: each is marked, so that the
    // first one shows before there is a line to draw. A fast test's points stay a plain line.
    // History in buckets is dense whatever the test's interval.
    const bool sparse = m_interval >= SPARSE_INTERVAL_S && m_historyStep == 0;
    m_avg->setScatterStyle(sparse ? QCPScatterStyle(QCPScatterStyle::ssDisc, 6) : QCPScatterStyle());
    for (QCPBars *bars : std::as_const(m_phases))
        bars->setWidth(std::max(m_interval, 1.0) * BAR_SHARE);
}

void LiveChart::setSeries(
    const Series &avg, const Series &min, const Series &max, const Series &loss, const Series &spread)
{
    const double gap = std::max(m_interval, m_historyStep) * GAP_FACTOR;
    m_avg->data()->set(toGraphData(avg, gap), true);
    m_lowest->set(toGraphData(min, gap), true);
    m_highest->set(toGraphData(max, gap), true);
    const auto [spreadLow, spreadHigh] = spreadAround(*m_avg->data(), spread, *m_lowest, *m_highest);
    m_spreadLow->set(spreadLow, true);
    m_spreadHigh->set(spreadHigh, true);
    m_loss->data()->set(lossData(loss), true);
    m_lastTime = 0;
    for (const Series *series : {&avg, &min, &max, &loss}) {
        if (!series->times.isEmpty())
            m_lastTime = std::max(m_lastTime, series->times.constLast());
    }
    if (m_lastTime > 0)
        trimOlderThan(m_lastTime - MAX_AGE_SECONDS);
    showMessage(m_lastTime > 0 ? QString() : tr("No data yet"));
    showNewData();
}

void LiveChart::appendPoint(double timeSec, double avg, double min, double max, double loss, double spread)
{
    if (m_interval > 0 && m_lastTime > 0 && timeSec - m_lastTime > m_interval * GAP_FACTOR) {
        const double middle = (timeSec + m_lastTime) / 2;
        m_avg->addData(middle, qQNaN());
        m_lowest->add(QCPGraphData(middle, qQNaN()));
        m_highest->add(QCPGraphData(middle, qQNaN()));
    }
    // A round without replies has no RTT: a NaN breaks the line there instead of bridging it.
    m_avg->addData(timeSec, avg);
    m_lowest->add(QCPGraphData(timeSec, min));
    m_highest->add(QCPGraphData(timeSec, max));
    if (!std::isnan(spread) && !std::isnan(avg)) {
        m_spreadLow->add(QCPGraphData(timeSec, std::max(avg - spread, std::isnan(min) ? 0.0 : min)));
        m_spreadHigh->add(QCPGraphData(timeSec, std::isnan(max) ? avg + spread : std::min(avg + spread, max)));
    }
    if (loss > 0)
        m_loss->addData(timeSec, loss);
    m_lastTime = std::max(m_lastTime, timeSec);
    trimOlderThan(m_lastTime - MAX_AGE_SECONDS);
    showMessage({});
    showNewData();
}

void LiveChart::setLoadedSpans(const QList<std::pair<qint64, qint64>> &spansMs)
{
    for (QCPItemRect *span : std::as_const(m_loadSpans))
        m_plot->removeItem(span);
    m_loadSpans.clear();
    for (const auto &[startMs, endMs] : spansMs) {
        auto *span = new QCPItemRect(m_plot);
        span->setLayer(u"grid"_s); // under the lines
        for (QCPItemPosition *corner : {span->topLeft, span->bottomRight}) {
            corner->setTypeX(QCPItemPosition::ptPlotCoords);
            corner->setTypeY(QCPItemPosition::ptAxisRectRatio); // the plot's whole height
            corner->setAxes(m_plot->xAxis, m_plot->yAxis);
            corner->setAxisRect(m_plot->axisRect());
        }
        span->topLeft->setCoords(double(startMs) / 1000, 0);
        span->bottomRight->setCoords(double(endMs) / 1000, 1);
        span->setPen(Qt::NoPen);
        span->setBrush(LOAD_COLOR);
        span->setSelectable(false);
        m_loadSpans.append(span);
    }
    m_loadKey->removeFromLegend();
    if (!m_loadSpans.isEmpty())
        m_loadKey->addToLegend();
    replot();
}

void LiveChart::clear()
{
    setLoadedSpans({});
    for (QCPGraph *graph : {m_avg, m_min, m_max, m_loss})
        graph->data()->clear();
    for (const auto &rounds : {m_lowest, m_highest, m_spreadLow, m_spreadHigh})
        rounds->clear();
    for (QCPBars *bars : std::as_const(m_phases))
        bars->data()->clear();
    m_overlays->clearData();
    m_lastTime = 0;
    showMessage(tr("No data yet"));
    if (m_follow)
        followNewest();
    replot();
}

void LiveChart::showMessage(const QString &message)
{
    m_message->setText(message);
    m_message->setVisible(!message.isEmpty());
    replot();
}

QString LiveChart::message() const
{
    return m_message->visible() ? m_message->text() : QString();
}

void LiveChart::setVisibleSpan(double seconds)
{
    m_span = std::clamp(seconds, 10.0, MAX_AGE_SECONDS);
    for (int i = 0; i < m_spanBox->count(); ++i) {
        if (qFuzzyCompare(m_spanBox->itemData(i).toDouble(), m_span))
            m_spanBox->setCurrentIndex(i);
    }
    if (m_follow) {
        followNewest();
        replot();
    }
}

void LiveChart::setFollowLive(bool follow)
{
    if (follow == m_follow)
        return;
    m_follow = follow;
    m_followButton->setChecked(follow);
    if (follow) {
        followNewest();
        replot();
    }
    Q_EMIT followLiveChanged(follow);
}

int LiveChart::pointCount() const
{
    const auto data = m_avg->data();
    return int(std::count_if(
        data->constBegin(), data->constEnd(), [](const QCPGraphData &point) { return !std::isnan(point.value); }));
}

void LiveChart::handleRangeChanged(const QCPRange &range)
{
    if (!m_settingRange)
        setFollowLive(false); // the user dragged or zoomed
    auto ticker = m_plot->xAxis->ticker().dynamicCast<QCPAxisTickerDateTime>();
    if (ticker) {
        const QString format = range.size() > 20 * 3600 ? u"dd MMM HH:mm"_s
            : range.size() > 2 * 3600                   ? u"HH:mm"_s
                                                        : u"HH:mm:ss"_s;
        ticker->setDateTimeFormat(format);
    }
    fitValueAxis();
}

void LiveChart::handleDoubleClick(QMouseEvent *event)
{
    Q_UNUSED(event)
    setFollowLive(true);
}

void LiveChart::handleSpanActivated(int index)
{
    const double seconds = m_spanBox->itemData(index).toDouble();
    if (seconds == CUSTOM_SPAN) {
        const QCPRange shown = m_plot->xAxis->range();
        auto *dialog = new RangeDialog(shown.lower, shown.upper, MAX_AGE_SECONDS, this);
        dialog->setAttribute(Qt::WA_DeleteOnClose);
        connect(
            dialog, &QDialog::accepted, this, [this, dialog] { setCustomRange(dialog->fromSec(), dialog->toSec()); });
        dialog->open();
        return;
    }
    setVisibleSpan(seconds);
    setFollowLive(true);
    Q_EMIT visibleSpanChanged(m_span);
}

void LiveChart::setCustomRange(double fromSec, double toSec)
{
    setFollowLive(false);
    m_spanBox->setCurrentIndex(m_spanBox->findData(CUSTOM_SPAN));
    setKeyRange(fromSec, toSec);
    replot();
    // The history is read from now back: far enough to cover the start.
    const double now = double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    m_span = std::clamp(now - fromSec, 10.0, MAX_AGE_SECONDS);
    Q_EMIT visibleSpanChanged(m_span);
}

void LiveChart::setSubject(const QString &subject)
{
    m_subject = subject;
}

void LiveChart::setClassChoices(const QStringList &classes, const QString &current)
{
    m_classBox->clear();
    for (const QString &name : classes)
        m_classBox->addItem(tr("Class %1").arg(name.toUpper()), name);
    m_classBox->setCurrentIndex(std::max(0, int(classes.indexOf(current))));
    m_classBox->setVisible(classes.size() > 1);
}

QStringList LiveChart::legendNames() const
{
    QStringList names;
    for (int i = 0; i < m_plot->legend->itemCount(); ++i) {
        if (auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->item(i)))
            names.append(item->plottable()->name());
    }
    return names;
}

bool LiveChart::isSeriesShown(int legendIndex) const
{
    auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->item(legendIndex));
    return item && item->plottable()->visible();
}

void LiveChart::toggleSeries(int legendIndex)
{
    if (auto *item = qobject_cast<QCPPlottableLegendItem *>(m_plot->legend->item(legendIndex)))
        setSeriesShown(item, !item->plottable()->visible());
}

void LiveChart::handleLegendClick(QCPLegend *, QCPAbstractLegendItem *item, QMouseEvent *event)
{
    if (item && event->button() == Qt::LeftButton) {
        if (auto *entry = qobject_cast<QCPPlottableLegendItem *>(item))
            setSeriesShown(entry, !entry->plottable()->visible());
    }
}

// A hidden series' entry stays in the legend, greyed, to bring it back.
void LiveChart::setSeriesShown(QCPAbstractLegendItem *item, bool shown)
{
    auto *entry = qobject_cast<QCPPlottableLegendItem *>(item);
    if (!entry)
        return;
    QCPAbstractPlottable *plottable = entry->plottable();
    plottable->setVisible(shown);
    if (plottable == m_max)
        m_min->setVisible(shown); // the band is drawn between the two
    if (plottable == m_innerHigh)
        m_innerLow->setVisible(shown);
    if (plottable == m_loadKey) {
        for (QCPItemRect *span : std::as_const(m_loadSpans))
            span->setVisible(shown);
    }
    const QColor text = palette().color(shown ? QPalette::Active : QPalette::Disabled, QPalette::Text);
    entry->setTextColor(shown ? text : palette().color(QPalette::PlaceholderText));
    fitValueAxis();
    replot();
}

void LiveChart::showContextMenu(const QPoint &at)
{
    QMenu menu(this);
    const QString name = (m_subject.isEmpty() ? QString() : m_subject + u'-')
        + QDateTime::currentDateTime().toString(u"yyyyMMdd-HHmm"_s);
    menu.addAction(tr("&Save chart as…"), this, [this, name] { ChartExport::saveWithDialog(m_plot, name, this); });
    menu.addAction(tr("&Copy chart"), this, [this] { ChartExport::copy(m_plot); });
    menu.addSeparator();
    menu.addAction(tr("&Follow live"), this, [this] { setFollowLive(true); });
    menu.exec(m_plot->mapToGlobal(at));
}

std::pair<double, QString> LiveChart::describeAt(double key) const
{
    const auto data = m_avg->data();
    const auto it = nearestPoint(*data, key);
    if (it == data->constEnd() || !m_avg->visible())
        return {key, {}};
    // Far from any round (in a gap, or beyond the data): nothing to read.
    const double pixels = std::abs(m_plot->xAxis->coordToPixel(it->key) - m_plot->xAxis->coordToPixel(key));
    if (std::isnan(it->value) || pixels > 40)
        return {key, {}};
    const QLocale locale;
    const QDateTime time = QDateTime::fromMSecsSinceEpoch(qint64(it->key * 1000));
    QStringList lines{
        locale.toString(time, m_plot->xAxis->range().size() > 20 * 3600 ? u"dd MMM HH:mm:ss"_s : u"HH:mm:ss"_s)};
    if (!m_subject.isEmpty())
        lines.first() += u"  ·  "_s + m_subject;
    const QString label = m_plot->yAxis->label();
    const qsizetype open = label.lastIndexOf(u'(');
    const QString unit = open >= 0 && label.endsWith(u')') ? label.mid(open + 1, label.size() - open - 2) : QString();
    const auto number = [&locale](double value) {
        return locale.toString(value, 'f', value < 100 ? 2 : 1);
    };
    lines.append(u"%1: %2 %3"_s.arg(m_avg->name(), number(it->value), unit).trimmed());
    const double low = valueAtKey(*m_lowest, it->key);
    const double high = valueAtKey(*m_highest, it->key);
    if (m_max->visible() && !m_max->name().isEmpty() && !std::isnan(low) && !std::isnan(high))
        lines.append(u"%1: %2–%3 %4"_s.arg(m_max->name(), number(low), number(high), unit).trimmed());
    const double loss = valueAtKey(*m_loss->data(), it->key);
    if (m_loss->visible() && !m_loss->name().isEmpty() && !std::isnan(loss))
        lines.append(u"%1: %2 %"_s.arg(m_loss->name(), locale.toString(loss, 'f', loss == std::floor(loss) ? 0 : 1)));
    lines += m_overlays->describe(it->key, std::max(m_interval, 1.0) * 1.5, number, unit);
    return {it->key, lines.join(u'\n')};
}

void LiveChart::setKeyRange(double lower, double upper)
{
    m_settingRange = true;
    m_plot->xAxis->setRange(lower, upper);
    m_settingRange = false;
    fitValueAxis();
}

void LiveChart::followNewest()
{
    const double newest = m_lastTime > 0 ? m_lastTime : double(QDateTime::currentMSecsSinceEpoch()) / 1000;
    // A young series fills the chart instead of hugging its right edge: show from its first point,
    // growing (at least 30 s wide) until it covers the chosen span.
    double span = m_span;
    if (!m_avg->data()->isEmpty()) {
        const double age = newest - m_avg->data()->constBegin()->key;
        span = std::clamp(age * (1 + 2 * FOLLOW_MARGIN), std::min(30.0, m_span), m_span);
    }
    const double upper = newest + span * FOLLOW_MARGIN;
    setKeyRange(upper - span, upper);
}

// RTT starts at zero so heights compare honestly; the top follows what is in view.
void LiveChart::fitValueAxis()
{
    const QCPRange keys = m_plot->xAxis->range();
    double top = 0;
    // The band's rounds, not its drawn envelope: that is made for the keys of the last paint.
    bool bandFound = false;
    const QCPRange band = m_highest->valueRange(bandFound, QCP::sdBoth, keys);
    if (bandFound)
        top = band.upper;
    bool lineFound = false;
    const QCPRange line = m_avg->getValueRange(lineFound, QCP::sdBoth, keys);
    if (lineFound)
        top = std::max(top, line.upper);
    if (!m_phases.isEmpty()) { // the top bar's range includes what it stands on
        bool found = false;
        const QCPRange values = m_phases.constLast()->getValueRange(found, QCP::sdBoth, keys);
        if (found)
            top = std::max(top, values.upper);
    }
    top = std::max(top, m_overlays->top(keys));
    m_plot->yAxis->setRange(0, top > 0 ? top * 1.12 : 1.0);
}

void LiveChart::trimOlderThan(double timeSec)
{
    for (QCPGraph *graph : {m_avg, m_loss})
        graph->data()->removeBefore(timeSec);
    for (const auto &rounds : {m_lowest, m_highest, m_spreadLow, m_spreadHigh})
        rounds->removeBefore(timeSec);
    for (QCPBars *bars : std::as_const(m_phases))
        bars->data()->removeBefore(timeSec);
    m_overlays->removeBefore(timeSec);
}

// The band is drawn from its envelope over what is in view (chartenvelope.h); the rounds stay whole.
void LiveChart::updateBand()
{
    const QCPRange keys = m_plot->xAxis->range();
    const int columns = std::max(100, m_plot->axisRect()->width());
    m_min->data()->set(envelope(*m_lowest, keys, columns, false), true);
    m_max->data()->set(envelope(*m_highest, keys, columns, true), true);
    m_innerLow->data()->set(envelope(*m_spreadLow, keys, columns, false), true);
    m_innerHigh->data()->set(envelope(*m_spreadHigh, keys, columns, true), true);
}

void LiveChart::overlaysChanged()
{
    showNewData();
}

void LiveChart::showNewData()
{
    if (m_follow)
        followNewest();
    else
        fitValueAxis();
    replot();
}

void LiveChart::replot()
{
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

} // namespace StreamSwarm::Console
