// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "reportpages.h"

#include <algorithm>

#include <QFontDatabase>
#include <QFontMetricsF>
#include <QPagedPaintDevice>
#include <QPainter>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double SIDE_MARGIN_MM = 18;
constexpr double TOP_MARGIN_MM = 22; // the header sits above
constexpr double BOTTOM_MARGIN_MM = 20; // the footer sits below
constexpr double CELL_PADDING_MM = 1.2;
const QColor RULE_COLOUR(0x80, 0x80, 0x80);
const QColor SHADE_COLOUR(0xee, 0xee, 0xee);
const QColor HEADER_SHADE_COLOUR(0xd8, 0xd8, 0xd8);

// A family every Debian desktop has, so that the PDF looks the same everywhere it is made; Qt embeds
// the glyphs it uses.
QString reportFamily()
{
    const QStringList families = QFontDatabase::families();
    for (const QString &candidate : {u"DejaVu Sans"_s, u"Liberation Sans"_s, u"Noto Sans"_s, u"Arial"_s}) {
        if (families.contains(candidate))
            return candidate;
    }
    return QFontDatabase::systemFont(QFontDatabase::GeneralFont).family();
}

} // namespace

ReportPages::ReportPages(QPagedPaintDevice *device, QPainter *painter, Frame frame)
    : m_device(device)
    , m_painter(painter)
    , m_frame(std::move(frame))
    , m_family(reportFamily())
{
    m_left = mm(SIDE_MARGIN_MM);
    m_right = m_device->width() - mm(SIDE_MARGIN_MM);
    m_top = mm(TOP_MARGIN_MM);
    m_bottom = m_device->height() - mm(BOTTOM_MARGIN_MM);
    m_y = m_top;
    decoratePage();
}

QFont ReportPages::baseFont() const
{
    QFont font(m_family);
    // Any letter spacing turns ligatures off (Qt's shaping), so "office" stays six letters that
    // pdftotext and a reader's search find, not "o", "ﬃ", "ce".
    font.setLetterSpacing(QFont::PercentageSpacing, 100.02);
    return font;
}

double ReportPages::mm(double millimetres) const
{
    return millimetres * m_device->logicalDpiY() / 25.4;
}

QFont ReportPages::font(Text which) const
{
    QFont font = baseFont();
    switch (which) {
    case Text::Body:
        font.setPointSizeF(9.5);
        break;
    case Text::Small:
        font.setPointSizeF(7.5);
        break;
    case Text::Strong:
        font.setPointSizeF(9.5);
        font.setBold(true);
        break;
    case Text::Title:
        font.setPointSizeF(24);
        font.setBold(true);
        break;
    case Text::Subtitle:
        font.setPointSizeF(13);
        break;
    }
    return font;
}

void ReportPages::heading(const QString &text, int level)
{
    QFont font = baseFont();
    font.setBold(true);
    font.setPointSizeF(level <= 1 ? 15 : 11.5);
    const double height = wrappedHeight(text, font, textWidth());
    // A heading alone at the foot of a page reads as a mistake: keep room for some of what follows.
    ensureRoom(height + mm(level <= 1 ? 30 : 20));
    if (m_y > m_top)
        m_y += mm(level <= 1 ? 4 : 2.5);
    if (m_painter) {
        m_painter->setFont(font);
        m_painter->setPen(Qt::black);
        m_painter->drawText(QRectF(m_left, m_y, textWidth(), height), Qt::TextWordWrap, text);
        if (level <= 1) {
            m_painter->setPen(QPen(RULE_COLOUR, mm(0.25)));
            m_painter->drawLine(QPointF(m_left, m_y + height + mm(0.8)), QPointF(m_right, m_y + height + mm(0.8)));
        }
    }
    m_contents.append({text, level, m_page});
    m_y += height + mm(level <= 1 ? 3 : 1.5);
}

void ReportPages::paragraph(const QString &text, Text which)
{
    const QFont paragraphFont = font(which);
    const double height = wrappedHeight(text, paragraphFont, textWidth());
    ensureRoom(height);
    if (m_painter) {
        m_painter->setFont(paragraphFont);
        m_painter->setPen(Qt::black);
        m_painter->drawText(QRectF(m_left, m_y, textWidth(), height), Qt::TextWordWrap, text);
    }
    m_y += height + mm(1.8);
}

void ReportPages::bullets(const QStringList &items)
{
    const QFont bulletFont = font(Text::Body);
    const double indent = mm(5);
    for (const QString &item : items) {
        const double height = wrappedHeight(item, bulletFont, textWidth() - indent);
        ensureRoom(height);
        if (m_painter) {
            m_painter->setFont(bulletFont);
            m_painter->setPen(Qt::black);
            m_painter->drawText(QRectF(m_left + mm(1), m_y, indent, height), u"•"_s);
            m_painter->drawText(QRectF(m_left + indent, m_y, textWidth() - indent, height), Qt::TextWordWrap, item);
        }
        m_y += height + mm(1);
    }
    m_y += mm(0.8);
}

void ReportPages::table(const ReportTable &table)
{
    const QFont headerFont = [this] {
        QFont bold = font(Text::Small);
        bold.setBold(true);
        return bold;
    }();
    const QFont cellFont = font(Text::Small);
    const auto tallest = [](const QList<double> &heights) {
        return heights.isEmpty() ? 0.0 : *std::max_element(heights.cbegin(), heights.cend());
    };
    const double headerHeight = tallest(rowHeights(table, table.header, headerFont));
    const auto drawHeader = [&] {
        drawRow(table, table.header, headerFont, headerHeight, true);
        m_y += headerHeight;
    };
    const double firstRow = table.rows.isEmpty() ? 0 : tallest(rowHeights(table, table.rows.constFirst(), cellFont));
    ensureRoom(headerHeight + firstRow);
    drawHeader();
    for (qsizetype index = 0; index < table.rows.size(); ++index) {
        const QStringList &row = table.rows.at(index);
        const double height = tallest(rowHeights(table, row, cellFont));
        if (m_y + height > m_bottom) {
            newPage();
            drawHeader();
        }
        drawRow(table, row, cellFont, height, false);
        m_y += height;
    }
    if (m_painter) {
        m_painter->setPen(QPen(RULE_COLOUR, mm(0.2)));
        m_painter->drawLine(QPointF(m_left, m_y), QPointF(m_right, m_y));
    }
    m_y += mm(3);
}

QList<double> ReportPages::rowHeights(const ReportTable &table, const QStringList &row, const QFont &font) const
{
    QList<double> heights;
    for (qsizetype column = 0; column < row.size() && column < table.widths.size(); ++column) {
        const double width = table.widths.at(column) * textWidth() - 2 * mm(CELL_PADDING_MM);
        heights.append(wrappedHeight(row.at(column), font, width) + 2 * mm(CELL_PADDING_MM) * 0.6);
    }
    return heights;
}

void ReportPages::drawRow(
    const ReportTable &table, const QStringList &row, const QFont &font, double height, bool isHeader)
{
    if (!m_painter)
        return;
    if (isHeader)
        m_painter->fillRect(QRectF(m_left, m_y, textWidth(), height), HEADER_SHADE_COLOUR);
    else {
        m_painter->setPen(QPen(SHADE_COLOUR, mm(0.15)));
        m_painter->drawLine(QPointF(m_left, m_y + height), QPointF(m_right, m_y + height));
    }
    m_painter->setFont(font);
    m_painter->setPen(Qt::black);
    double x = m_left;
    for (qsizetype column = 0; column < row.size() && column < table.widths.size(); ++column) {
        const double width = table.widths.at(column) * textWidth();
        const Qt::Alignment alignment = table.alignRight.contains(int(column)) ? Qt::AlignRight : Qt::AlignLeft;
        const QRectF cell(x + mm(CELL_PADDING_MM), m_y + mm(CELL_PADDING_MM) * 0.6, width - 2 * mm(CELL_PADDING_MM),
            height - mm(CELL_PADDING_MM) * 0.6);
        m_painter->drawText(cell, int(alignment) | Qt::TextWordWrap | Qt::AlignTop, row.at(column));
        x += width;
    }
}

void ReportPages::block(double height, const std::function<void(QPainter *, const QRectF &)> &paint)
{
    height = std::min(height, m_bottom - m_top);
    ensureRoom(height);
    if (m_painter) {
        m_painter->save();
        paint(m_painter, QRectF(m_left, m_y, textWidth(), height));
        m_painter->restore();
    }
    m_y += height + mm(2);
}

void ReportPages::space(double millimetres)
{
    m_y = std::min(m_bottom, m_y + mm(millimetres));
}

void ReportPages::newPage()
{
    if (m_painter)
        m_device->newPage();
    ++m_page;
    m_y = m_top;
    decoratePage();
}

void ReportPages::coverBand(const QString &text)
{
    if (!m_painter)
        return;
    const QRectF band(0, 0, m_device->width(), mm(30));
    m_painter->fillRect(band, QColor(0x1f, 0x3a, 0x93));
    QFont bandFont = font(Text::Subtitle);
    bandFont.setBold(true);
    m_painter->setFont(bandFont);
    m_painter->setPen(Qt::white);
    m_painter->drawText(band.adjusted(m_left, 0, -mm(SIDE_MARGIN_MM), 0), Qt::AlignLeft | Qt::AlignVCenter, text);
}

void ReportPages::placeText(const QString &text, Text which, double y, Qt::Alignment alignment)
{
    if (!m_painter)
        return;
    const QFont placed = font(which);
    m_painter->setFont(placed);
    m_painter->setPen(Qt::black);
    const double height = wrappedHeight(text, placed, textWidth());
    m_painter->drawText(QRectF(m_left, m_top + y, textWidth(), height), int(alignment) | Qt::TextWordWrap, text);
}

void ReportPages::ensureRoom(double height)
{
    if (m_y > m_top && m_y + height > m_bottom)
        newPage();
}

double ReportPages::wrappedHeight(const QString &text, const QFont &font, double width) const
{
    const QFontMetricsF metrics(font, m_device);
    return metrics.boundingRect(QRectF(0, 0, std::max(1.0, width), 1e9), Qt::TextWordWrap, text).height();
}

void ReportPages::decoratePage()
{
    if (!m_painter || m_page == 1) // the cover
        return;
    const QFont small = font(Text::Small);
    m_painter->setFont(small);
    m_painter->setPen(QColor(0x40, 0x40, 0x40));
    const QFontMetricsF metrics(small, m_device);
    const double headerY = m_top - mm(8) - metrics.height();
    m_painter->drawText(QRectF(m_left, headerY, textWidth(), metrics.height()), Qt::AlignLeft, m_frame.headerLeft);
    m_painter->drawText(QRectF(m_left, headerY, textWidth(), metrics.height()), Qt::AlignRight, m_frame.headerRight);
    m_painter->setPen(QPen(RULE_COLOUR, mm(0.2)));
    m_painter->drawLine(
        QPointF(m_left, headerY + metrics.height() + mm(1)), QPointF(m_right, headerY + metrics.height() + mm(1)));
    const double footerY = m_bottom + mm(8);
    m_painter->setPen(QColor(0x40, 0x40, 0x40));
    const QString number
        = m_frame.totalPages > 0 ? tr("Page %1 of %2").arg(m_page).arg(m_frame.totalPages) : tr("Page %1").arg(m_page);
    m_painter->drawText(QRectF(m_left, footerY, textWidth(), metrics.height()), Qt::AlignRight, number);
    m_painter->drawText(
        QRectF(m_left, footerY, textWidth() * 0.8, metrics.height()), Qt::AlignLeft, m_frame.footerLeft);
}

} // namespace StreamSwarm::Console
