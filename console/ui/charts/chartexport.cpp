// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "chartexport.h"

#include <QBuffer>
#include <QClipboard>
#include <QFileDialog>
#include <QGuiApplication>
#include <QMessageBox>
#include <QSaveFile>
#include <QStandardPaths>
#include <QSvgGenerator>
#include <QTemporaryDir>

#include "console/ui/charts/plotinclude.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

constexpr double PNG_SCALE = 2.0;

QByteArray svgOf(QCustomPlot *plot)
{
    QBuffer buffer;
    buffer.open(QIODevice::WriteOnly);
    QSvgGenerator svg;
    svg.setOutputDevice(&buffer);
    svg.setSize(plot->size());
    svg.setViewBox(QRect(QPoint(0, 0), plot->size()));
    svg.setTitle(ChartExport::tr("StreamSwarm chart"));
    QCPPainter painter(&svg);
    plot->toPainter(&painter, plot->width(), plot->height());
    painter.end();
    return buffer.data();
}

} // namespace

bool ChartExport::save(QCustomPlot *plot, const QString &path, QString *error)
{
    const QString suffix = path.section(u'.', -1).toLower();
    if (suffix != u"png"_s && suffix != u"svg"_s && suffix != u"pdf"_s) {
        *error = tr("Save the chart as .png, .svg or .pdf (not .%1).").arg(suffix);
        return false;
    }
    QByteArray bytes;
    if (suffix == u"svg"_s) {
        bytes = svgOf(plot);
    } else {
        // QCustomPlot writes files itself: into a private folder first, so a failure leaves no half file.
        QTemporaryDir scratch;
        const QString draft = scratch.filePath(u"chart."_s + suffix);
        const bool written = suffix == u"png"_s ? plot->savePng(draft, plot->width(), plot->height(), PNG_SCALE)
                                                : plot->savePdf(draft, plot->width(), plot->height(), QCP::epNoCosmetic,
                                                    QCoreApplication::applicationName(), tr("StreamSwarm chart"));
        QFile file(draft);
        if (!written || !file.open(QIODevice::ReadOnly)) {
            *error = tr("Could not draw the chart as %1.").arg(suffix.toUpper());
            return false;
        }
        bytes = file.readAll();
    }
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size() || !out.commit()) {
        *error = tr("Could not write %1: %2").arg(path, out.errorString());
        return false;
    }
    return true;
}

void ChartExport::saveWithDialog(QCustomPlot *plot, const QString &suggestedName, QWidget *parent)
{
    const QString png = tr("PNG image (*.png)");
    const QString svg = tr("SVG drawing (*.svg)");
    const QString pdf = tr("PDF document (*.pdf)");
    QString chosen = png;
    const QString folder = QStandardPaths::writableLocation(QStandardPaths::PicturesLocation);
    QString path = QFileDialog::getSaveFileName(parent, tr("Save chart"), folder + u'/' + suggestedName + u".png"_s,
        png + u";;"_s + svg + u";;"_s + pdf, &chosen);
    if (path.isEmpty())
        return;
    const QString wanted = chosen == svg ? u"svg"_s : chosen == pdf ? u"pdf"_s : u"png"_s;
    const QString suffix = path.section(u'.', -1).toLower();
    if (suffix != u"png"_s && suffix != u"svg"_s && suffix != u"pdf"_s)
        path += u'.' + wanted;
    QString error;
    if (!save(plot, path, &error))
        QMessageBox::warning(parent, tr("Save chart"), error);
}

void ChartExport::copy(QCustomPlot *plot)
{
    QGuiApplication::clipboard()->setPixmap(plot->toPixmap(plot->width(), plot->height(), PNG_SCALE));
}

} // namespace StreamSwarm::Console
