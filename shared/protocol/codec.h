// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <optional>

#include <QByteArray>

#include "shared/protocol/messages.h"

// The one encoder and decoder of protocol messages (CBOR envelopes in binary WebSocket frames).
// decode() checks sizes, types and every field, so callers can trust what it returns.
namespace StreamSwarm::Protocol {

inline constexpr qsizetype MAX_MESSAGE_BYTES = 1024 * 1024;
inline constexpr int MAX_ROUNDS_PER_BATCH = 10000;
// A system round of a big host: per core, per interface and per disk values (names up to
// MAX_SAMPLE_NAME_LENGTH, shared/metrics/catalog.h).
inline constexpr int MAX_VALUES_PER_ROUND = 2048;
// Per batch, whatever the rounds: tiny values pack 300,000 into 1 MiB, and each costs far more
// decoded than on the wire.
inline constexpr int MAX_VALUES_PER_BATCH = 100000;
inline constexpr int MAX_EVENTS_PER_BATCH = 100;
inline constexpr int MAX_TESTS_PER_ASSIGN = 1000;
inline constexpr int MAX_CAPABILITIES = 64;
inline constexpr int MAX_TEXT_LENGTH = 256;
inline constexpr int MAX_MESSAGE_TEXT_LENGTH = 4096;

QByteArray encode(const Message &message);
// A results message as encode() wrote it without delivery fields (floorSeq and lostRounds 0), with
// those fields set: what the agent's spool keeps, made ready to send without decoding and encoding
// its rounds again. The same bytes as encode() of the batch with the fields set.
QByteArray withDeliveryFields(const QByteArray &encodedResults, qint64 floorSeq, qint64 lostRounds, qint64 lostUntilMs);

struct DecodeError
{
    QString reason; // short, safe to send back as a close reason and to log
};

std::optional<Message> decode(const QByteArray &bytes, DecodeError *error = nullptr);

} // namespace StreamSwarm::Protocol
