// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "fieldreader.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

bool isAbsent(const QCborValue &value)
{
    return value.isUndefined() || value.isNull();
}

} // namespace

QString printable(const QString &text)
{
    QString result;
    result.reserve(std::min<qsizetype>(text.size(), 200));
    for (QChar c : text) {
        if (result.size() >= 200)
            break;
        const auto category = c.category();
        const bool hidden = category == QChar::Other_Control || category == QChar::Other_Format
            || category == QChar::Separator_Line || category == QChar::Separator_Paragraph
            || category == QChar::Other_Surrogate || category == QChar::Other_NotAssigned;
        result.append(hidden ? u'?' : c);
    }
    return result;
}

bool FieldReader::fail(const QString &reason)
{
    if (m_ok && m_error)
        m_error->reason = printable(m_context + reason);
    m_ok = false;
    return false;
}

QString FieldReader::text(const QCborMap &map, const QString &key, int maxLength, bool required)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() && !required)
        return QString();
    if (!value.isString()) {
        fail(u"field '%1' must be text"_s.arg(key));
        return QString();
    }
    QString result = value.toString();
    if (result.size() > maxLength)
        fail(u"field '%1' is longer than %2 characters"_s.arg(key).arg(maxLength));
    return result;
}

qint64 FieldReader::integer(const QCborMap &map, const QString &key, qint64 min, qint64 max, bool required)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() && !required)
        return 0;
    if (!value.isInteger()) {
        fail(u"field '%1' must be a whole number"_s.arg(key));
        return 0;
    }
    const qint64 result = value.toInteger();
    if (result < min || result > max)
        fail(u"field '%1' is out of range"_s.arg(key));
    return result;
}

QCborMap FieldReader::map(const QCborMap &parent, const QString &key, bool required)
{
    const QCborValue value = parent.value(key);
    if (value.isUndefined() && !required)
        return QCborMap();
    if (!value.isMap())
        fail(u"field '%1' must be a map"_s.arg(key));
    return value.toMap();
}

QCborArray FieldReader::array(const QCborMap &parent, const QString &key, qsizetype maxSize, bool required)
{
    const QCborValue value = parent.value(key);
    if (value.isUndefined() && !required)
        return QCborArray();
    if (!value.isArray()) {
        fail(u"field '%1' must be a list"_s.arg(key));
        return QCborArray();
    }
    QCborArray result = value.toArray();
    if (result.size() > maxSize)
        fail(u"field '%1' has more than %2 entries"_s.arg(key).arg(maxSize));
    return result;
}

qint64 FieldReader::count(const QCborMap &map, const QString &key, qint64 min, qint64 max, bool required)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() && !required)
        return 0;
    const double asDouble = value.toDouble();
    // A double is whole only inside qint64's range: converting a larger one is undefined behaviour.
    constexpr double QINT64_RANGE = 9.0e18;
    const bool whole = value.isInteger()
        || (value.isDouble() && std::isfinite(asDouble) && std::trunc(asDouble) == asDouble
            && std::abs(asDouble) < QINT64_RANGE);
    const qint64 result = value.isInteger() ? value.toInteger() : (whole ? qint64(asDouble) : 0);
    if (!whole || result < min || result > max) {
        fail(u"field '%1' must be a whole number from %2 to %3"_s.arg(key).arg(min).arg(max));
        return 0;
    }
    return result;
}

double FieldReader::number(const QCborMap &map, const QString &key, double min, double max, bool required)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() && !required)
        return 0;
    const double result = value.toDouble();
    if (!(value.isInteger() || value.isDouble()) || !std::isfinite(result) || result < min || result > max) {
        fail(u"field '%1' must be a number from %2 to %3"_s.arg(key).arg(min, 0, 'g', 15).arg(max, 0, 'g', 15));
        return 0;
    }
    return result;
}

bool FieldReader::boolean(const QCborMap &map, const QString &key, bool required)
{
    const QCborValue value = map.value(key);
    if (value.isUndefined() && !required)
        return false;
    if (!value.isBool())
        fail(u"field '%1' must be true or false"_s.arg(key));
    return value.toBool();
}

std::optional<double> FieldReader::optionalNumber(const QCborMap &map, const QString &key, double min, double max)
{
    if (isAbsent(map.value(key)))
        return std::nullopt;
    return number(map, key, min, max);
}

std::optional<bool> FieldReader::optionalBoolean(const QCborMap &map, const QString &key)
{
    if (isAbsent(map.value(key)))
        return std::nullopt;
    return boolean(map, key);
}

} // namespace StreamSwarm::Protocol
