// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "testtype.h"

#include <algorithm>

#include <QCoreApplication>

#include "shared/protocol/validation.h"
#include "shared/testtypes/paramreader.h"
#include "shared/testtypes/ping.h"
#include "shared/testtypes/qos.h"
#include "shared/testtypes/traceroute.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::TestTypes {

namespace {

const ParamInfo &described(const TestType &type, QStringView key)
{
    const ParamInfo *param = type.param(key);
    Q_ASSERT_X(param, "TestTypes", "a typed parser read a parameter its descriptor does not list");
    return *param;
}

QString rangeText(const ParamInfo &param)
{
    switch (param.kind) {
    case ParamKind::Integer:
        return Validation::Messages::tr("%1 to %2").arg(param.minimum).arg(param.maximum);
    case ParamKind::Duration:
        return Validation::Messages::tr("%1 to %2")
            .arg(formatDurationMs(param.minimum), formatDurationMs(param.maximum));
    case ParamKind::Choice:
        return param.choices.join(u", ");
    case ParamKind::Switch:
        return Validation::Messages::tr("on or off");
    case ParamKind::Dscp:
    case ParamKind::DscpList:
        return Validation::Messages::tr("EF, AF11 to AF43, CS0 to CS7, BE or 0 to 63");
    case ParamKind::Address:
        return Validation::Messages::tr("an IP address of this host");
    case ParamKind::Interface:
        return Validation::Messages::tr("an interface name");
    }
    return QString();
}

} // namespace

const ParamInfo *TestType::param(QStringView key) const
{
    const auto it = std::find_if(params.cbegin(), params.cend(), [&](const ParamInfo &p) { return p.key == key; });
    return it == params.cend() ? nullptr : &*it;
}

QStringList TestType::paramKeys() const
{
    QStringList keys;
    for (const ParamInfo &p : params)
        keys.append(p.key);
    return keys;
}

const QList<TestType> &all()
{
    static const QList<TestType> types{pingType(), tracerouteType(), qosType()};
    return types;
}

QStringList names()
{
    QStringList result;
    for (const TestType &type : all())
        result.append(type.name);
    return result;
}

const TestType *find(QStringView name)
{
    const QList<TestType> &types = all();
    const auto it = std::find_if(types.cbegin(), types.cend(), [&](const TestType &t) { return t.name == name; });
    return it == types.cend() ? nullptr : &*it;
}

QStringList plannedNames()
{
    return {
        u"dns"_s, u"tcp"_s, u"tls"_s, u"http"_s, u"bandwidth"_s, u"voice"_s, u"system"_s, u"wireless"_s, u"hardware"_s};
}

QString text(const char *untranslated)
{
    return QCoreApplication::translate("StreamSwarm::TestTypes", untranslated);
}

QString describeParam(const ParamInfo &param)
{
    // "count (1 to 100; default 1): echoes per round"
    QStringList facts;
    if (param.kind == ParamKind::Integer || param.kind == ParamKind::Duration || param.kind == ParamKind::Choice)
        facts.append(rangeText(param));
    if (!param.defaultText.isEmpty())
        facts.append(Validation::Messages::tr("default %1").arg(param.defaultText));
    const QString facet = facts.isEmpty() ? QString() : u" ("_s + facts.join(u"; "_s) + u')';
    return param.key + facet + u": "_s + text(param.help);
}

QString describeType(const TestType &type)
{
    QString description = type.name + u": "_s + text(type.summary) + u'\n';
    for (const ParamInfo &param : type.params)
        description += u"    "_s + describeParam(param) + u'\n';
    return description;
}

QString chartMetric(const QString &pattern, const QString &series)
{
    QString name = pattern;
    return name.replace(u"{class}"_s, series);
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

bool checkKnownParams(const TestType &type, const Protocol::TestSpec &spec, QString *error)
{
    for (auto it = spec.params.cbegin(); it != spec.params.cend(); ++it) {
        if (!type.param(it.key())) {
            return fail(error,
                Validation::Messages::tr("A %1 test has no parameter \"%2\"; it takes: %3.")
                    .arg(type.name, it.key().left(40), type.paramKeys().join(u", ")));
        }
    }
    return true;
}

bool readInteger(
    const TestType &type, const Protocol::TestSpec &spec, QStringView key, int *value, QString *error, int maximum)
{
    const ParamInfo &param = described(type, key);
    const auto it = spec.params.constFind(param.key);
    if (it == spec.params.constEnd())
        return true;
    const qint64 highest = maximum >= 0 ? maximum : param.maximum;
    bool ok = !it->isEmpty() && std::all_of(it->cbegin(), it->cend(), [](QChar c) { return c >= u'0' && c <= u'9'; });
    const qint64 parsed = ok ? it->toLongLong(&ok) : 0;
    if (!ok || parsed < param.minimum || parsed > highest) {
        return fail(error,
            Validation::Messages::tr("The parameter %1=%2 is not valid; use a whole number from %3 to %4.")
                .arg(param.key, it->left(40))
                .arg(param.minimum)
                .arg(highest));
    }
    *value = int(parsed);
    return true;
}

bool readDuration(const TestType &type, const Protocol::TestSpec &spec, QStringView key, qint64 *ms, QString *error)
{
    const ParamInfo &param = described(type, key);
    const auto it = spec.params.constFind(param.key);
    if (it == spec.params.constEnd())
        return true;
    QString why;
    const auto parsed = parseDurationMs(*it, &why);
    if (!parsed)
        return fail(error, Validation::Messages::tr("The parameter %1: %2").arg(param.key, why));
    if (*parsed < param.minimum || *parsed > param.maximum) {
        return fail(error,
            Validation::Messages::tr("The parameter %1=%2 is out of range; use %3 to %4.")
                .arg(param.key, it->left(40), formatDurationMs(param.minimum), formatDurationMs(param.maximum)));
    }
    *ms = *parsed;
    return true;
}

bool readSwitch(const TestType &type, const Protocol::TestSpec &spec, QStringView key, bool *value, QString *error)
{
    const ParamInfo &param = described(type, key);
    const auto it = spec.params.constFind(param.key);
    if (it == spec.params.constEnd())
        return true;
    static const QStringList on{u"on"_s, u"true"_s, u"yes"_s, u"1"_s};
    static const QStringList off{u"off"_s, u"false"_s, u"no"_s, u"0"_s};
    if (on.contains(*it)) {
        *value = true;
    } else if (off.contains(*it)) {
        *value = false;
    } else {
        return fail(error,
            Validation::Messages::tr("The parameter %1=%2 is not valid; use on or off.").arg(param.key, it->left(40)));
    }
    return true;
}

bool readChoice(const TestType &type, const Protocol::TestSpec &spec, QStringView key, QString *value, QString *error)
{
    const ParamInfo &param = described(type, key);
    const auto it = spec.params.constFind(param.key);
    if (it == spec.params.constEnd())
        return true;
    if (!param.choices.contains(*it)) {
        QStringList choices = param.choices;
        const QString last = choices.takeLast();
        return fail(error,
            Validation::Messages::tr("The parameter %1=%2 is not valid; use %3 or %4.")
                .arg(param.key, it->left(40), choices.join(u", "), last));
    }
    *value = *it;
    return true;
}

} // namespace StreamSwarm::TestTypes
