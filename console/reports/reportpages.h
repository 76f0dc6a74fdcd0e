// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>

#include <QCoreApplication>
#include <QFont>
#include <QList>
#include <QString>

class QPainter;
class QPagedPaintDevice;
class QRectF;

namespace StreamSwarm::Console {

// A table as the report draws it: a header row, then rows of cells that wrap; columns take these
// shares of the width. Rows carry no markup, so a long table reads the same printed in black.
struct ReportTable
{
    QStringList header;
    QList<double> widths; // shares of the text width, one per column
    QList<QStringList> rows;
    QList<int> alignRight; // columns of figures
};

// A heading as the table of contents lists it.
struct ContentsEntry
{
    QString text;
    int level = 1;
    int page = 0;
};

// Flows a report onto pages: headers and footers, headings, paragraphs, tables that continue on
// the next page with their header, and drawn blocks (charts) kept whole. Without a painter it only
// measures, so a first pass can learn the page count and where each heading falls. Works in the
// device's own units; sizes are given in millimetres and points. No widgets.
class ReportPages
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::ReportPages)
public:
    enum class Text { Body, Small, Strong, Title, Subtitle };

    struct Frame
    {
        QString headerLeft; // the site and the report's kind
        QString headerRight; // the period
        QString footerLeft; // e.g. the data's checksum
        int totalPages = 0; // 0: not known yet ("Page 3"); the cover has no header or footer
    };

    // painter null: measure only.
    ReportPages(QPagedPaintDevice *device, QPainter *painter, Frame frame);

    double mm(double millimetres) const;
    double textWidth() const { return m_right - m_left; }
    double left() const { return m_left; }
    QFont font(Text which) const;

    void heading(const QString &text, int level = 1);
    void paragraph(const QString &text, Text which = Text::Body);
    void bullets(const QStringList &items);
    void table(const ReportTable &table);
    // A block of this height drawn by paint(painter, rect), moved to the next page when it does not
    // fit; paint is not called while measuring.
    void block(double height, const std::function<void(QPainter *, const QRectF &)> &paint);
    void space(double millimetres);
    void newPage();
    // The cover's band across the top of the sheet, with text in it.
    void coverBand(const QString &text);
    // Text placed freely (the cover): at y from the top of the text area.
    void placeText(const QString &text, Text which, double y, Qt::Alignment alignment = Qt::AlignLeft);

    int page() const { return m_page; }
    double remaining() const { return m_bottom - m_y; }
    const QList<ContentsEntry> &contents() const { return m_contents; }

private:
    QFont baseFont() const;
    void ensureRoom(double height);
    double wrappedHeight(const QString &text, const QFont &font, double width) const;
    void decoratePage();
    QList<double> rowHeights(const ReportTable &table, const QStringList &row, const QFont &font) const;
    void drawRow(const ReportTable &table, const QStringList &row, const QFont &font, double height, bool shaded);

    QPagedPaintDevice *m_device;
    QPainter *m_painter;
    Frame m_frame;
    QString m_family;
    double m_left = 0;
    double m_right = 0;
    double m_top = 0;
    double m_bottom = 0;
    double m_y = 0;
    int m_page = 1;
    QList<ContentsEntry> m_contents;
};

} // namespace StreamSwarm::Console
