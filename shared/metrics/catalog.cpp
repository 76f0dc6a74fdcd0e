// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "catalog.h"

#include <QCoreApplication>

#include "shared/testtypes/testtype.h"

namespace StreamSwarm {

namespace {

QList<MetricInfo> buildCatalog()
{
    QList<MetricInfo> catalog;
    for (const TestTypes::TestType &type : TestTypes::all())
        catalog.append(type.metrics);
    return catalog;
}

} // namespace

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

QList<MetricInfo> MetricCatalog::forTestType(QStringView testType)
{
    QList<MetricInfo> result;
    for (const MetricInfo &info : all()) {
        if (QStringView(info.name).startsWith(testType) && info.name.size() > testType.size()
            && info.name.at(testType.size()) == u'.')
            result.append(info);
    }
    return result;
}

QString MetricCatalog::describe(const MetricInfo &info)
{
    return QCoreApplication::translate("StreamSwarm::Metrics", info.description);
}

} // namespace StreamSwarm
