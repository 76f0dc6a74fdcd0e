// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <limits>
#include <optional>

#include <QCborMap>
#include <QJsonObject>

#include "shared/protocol/codec.h"
#include "shared/protocol/details.h"

// The encoding of round details, used by the codec for the `detail` of a round and by the console
// for the JSON it stores and exports. The wire form is the map today's agents send (README.md):
// "kind" and then the record's own fields (each record's writeTo() and readFrom() in details/).
// Decoding checks every field against the limits (below, and each record's own) and ignores keys it
// does not know, so a newer agent may add some. Any thread.
namespace StreamSwarm::Protocol {

// Limits every kind's fields share; each kind's own are beside its record.
inline constexpr int MAX_ADDRESS_LENGTH = 64; // an IPv6 address with a scope
inline constexpr int MAX_HOST_NAME_LENGTH = 255;
// RTT and jitter figures in ms, either way: a wall clock step must not get a whole batch refused,
// only absurd figures.
inline constexpr double MAX_DETAIL_MS = 86'400'000;
inline constexpr qint64 MAX_DETAIL_COUNT = std::numeric_limits<qint32>::max();

// The wire form: an empty map for no detail.
QCborMap encodeDetail(const RoundDetail &detail);
// Undefined (no `detail` key) gives an empty detail; a map of a kind this build does not read gives
// an OtherDetail. nullopt, with a reason, for a detail that breaks a rule.
std::optional<RoundDetail> decodeDetail(const QCborValue &value, DecodeError *error = nullptr);

// The stored and exported form: the wire form's fields as JSON (missing figures as null).
QJsonObject detailToJson(const RoundDetail &detail);
// Reads what detailToJson() wrote, and what consoles before typed details stored (the same fields
// from the CBOR). A body that does not read as its kind is kept as an OtherDetail, with the reason in
// problem, so nothing stored is lost.
RoundDetail detailFromJson(const QJsonObject &body, QString *problem = nullptr);

} // namespace StreamSwarm::Protocol
