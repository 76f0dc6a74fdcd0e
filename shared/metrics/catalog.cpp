// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "catalog.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/testtypes/testtype.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm {

namespace {

bool unsafeInInstance(QChar c)
{
    return c == u'{' || c == u'}' || c == u'=' || c == u',' || c == u'"' || c == u'\\'
        || c.category() == QChar::Other_Control || c.category() == QChar::Other_Format;
}

bool isNameCharacter(QChar c)
{
    return (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'_' || c == u'.';
}

bool isPlainName(QStringView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isNameCharacter);
}

QList<MetricInfo> buildCatalog()
{
    QList<MetricInfo> catalog;
    for (const TestTypes::TestType &type : TestTypes::all())
        catalog.append(type.metrics);
    return catalog;
}

} // namespace

QString sampleName(QStringView base, QStringView label, QStringView instance)
{
    QString safe = instance.left(MAX_INSTANCE_LENGTH).toString();
    std::replace_if(safe.begin(), safe.end(), unsafeInInstance, u'_');
    if (safe.isEmpty())
        safe = u"_"_s;
    return base + u'{' + label + u'=' + safe + u'}';
}

std::optional<SampleName> parseSampleName(QStringView name)
{
    if (name.size() > MAX_SAMPLE_NAME_LENGTH)
        return std::nullopt;
    const qsizetype open = name.indexOf(u'{');
    if (open < 0)
        return isPlainName(name) ? std::optional(SampleName{name.toString(), {}, {}}) : std::nullopt;
    const qsizetype equals = name.indexOf(u'=', open);
    if (!name.endsWith(u'}') || equals < 0)
        return std::nullopt;
    const QStringView base = name.left(open);
    const QStringView label = name.mid(open + 1, equals - open - 1);
    const QStringView instance = name.mid(equals + 1, name.size() - equals - 2);
    if (!isPlainName(base) || !isPlainName(label) || instance.isEmpty() || instance.size() > MAX_INSTANCE_LENGTH
        || std::any_of(instance.begin(), instance.end(), unsafeInInstance))
        return std::nullopt;
    return SampleName{base.toString(), label.toString(), instance.toString()};
}

const QList<MetricInfo> &MetricCatalog::all()
{
    static const QList<MetricInfo> catalog = buildCatalog();
    return catalog;
}

const MetricInfo *MetricCatalog::find(QStringView name)
{
    for (const MetricInfo &info : all()) {
        if (info.name == name)
            return &info;
    }
    return nullptr;
}

const MetricInfo *MetricCatalog::findSample(QStringView sampleName)
{
    const std::optional<SampleName> parts = parseSampleName(sampleName);
    if (!parts)
        return nullptr;
    const MetricInfo *info = find(parts->base);
    return info && info->instanceLabel == parts->label ? info : nullptr;
}

QList<MetricInfo> MetricCatalog::forTestType(QStringView testType)
{
    const TestTypes::TestType *type = TestTypes::find(testType);
    return type ? type->metrics : QList<MetricInfo>();
}

QString MetricCatalog::describe(const MetricInfo &info)
{
    return QCoreApplication::translate("StreamSwarm::Metrics", info.description);
}

} // namespace StreamSwarm
