// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "detailcodec.h"

#include <array>
#include <utility>

#include "shared/protocol/fieldreader.h"
#include "shared/protocol/validation.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

const QString KEY_KIND = u"kind"_s;

struct Encoder
{
    QCborMap operator()(std::monostate) const { return {}; }
    // Key order and number types are those of the probes before typed details, so the bytes are too:
    // "kind" first.
    template <typename Record>
    QCborMap operator()(const Record &detail) const
    {
        QCborMap map{{KEY_KIND, QString::fromUtf16(Record::KIND)}};
        detail.writeTo(map);
        return map;
    }
    QCborMap operator()(const OtherDetail &detail) const
    {
        QCborMap map = detail.fields;
        if (!detail.kind.isEmpty() && !map.contains(KEY_KIND))
            map.insert(KEY_KIND, detail.kind);
        return map;
    }
};

// readFrom() of each typed record, indexed by DetailKind - 1.
using Reader = RoundDetail (*)(const QCborMap &map, FieldReader &reader);

template <typename Record>
RoundDetail readRecord(const QCborMap &map, FieldReader &reader)
{
    return Record::readFrom(map, reader);
}

template <size_t... I>
constexpr std::array<Reader, sizeof...(I)> typedReaders(std::index_sequence<I...>)
{
    return {&readRecord<std::variant_alternative_t<I + 1, RoundDetail::Value>>...};
}

constexpr auto READERS = typedReaders(std::make_index_sequence<std::variant_size_v<RoundDetail::Value> - 2>());

} // namespace

QCborMap encodeDetail(const RoundDetail &detail)
{
    return std::visit(Encoder{}, detail.value());
}

std::optional<RoundDetail> decodeDetail(const QCborValue &value, DecodeError *error)
{
    FieldReader reader(error);
    if (value.isUndefined())
        return RoundDetail();
    if (!value.isMap())
        return reader.fail(u"field 'detail' must be a map"_s), std::nullopt;
    const QCborMap map = value.toMap();
    const QString kindName = reader.text(map, KEY_KIND, Validation::MAX_NAME_LENGTH, false);
    if (!reader.ok())
        return std::nullopt;
    for (size_t i = 0; i < READERS.size() && !kindName.isEmpty(); ++i) {
        if (detailKindName(DetailKind(i + 1)) == kindName) {
            reader.setContext(kindName + u" detail: "_s);
            RoundDetail detail = READERS[i](map, reader);
            return reader.ok() ? std::optional<RoundDetail>(std::move(detail)) : std::nullopt;
        }
    }
    // A newer agent's kind: kept as it came (the message's size bounds it).
    return RoundDetail(OtherDetail{kindName, map});
}

QJsonObject detailToJson(const RoundDetail &detail)
{
    return encodeDetail(detail).toJsonObject();
}

RoundDetail detailFromJson(const QJsonObject &body, QString *problem)
{
    const QCborMap map = QCborMap::fromJsonObject(body);
    DecodeError error;
    if (auto detail = decodeDetail(map, &error))
        return std::move(*detail);
    if (problem)
        *problem = error.reason;
    return OtherDetail{map.value(KEY_KIND).toString().left(Validation::MAX_NAME_LENGTH), map};
}

} // namespace StreamSwarm::Protocol
