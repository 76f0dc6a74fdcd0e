// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "batchsealer.h"

#include <QDateTime>

#include "agent/connection/resultbuffer.h"
#include "shared/protocol/codec.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

constexpr int MAX_ROUNDS_PER_BATCH = 1000;
// Well inside the console's limits, or it refuses the batch for ever: 10,000 values of at most
// ~75 encoded bytes each (64-character names) stay under 1 MiB.
constexpr int MAX_VALUES_PER_BATCH = Protocol::MAX_VALUES_PER_BATCH / 10;

} // namespace

BatchSealer::BatchSealer(ResultBuffer &buffer, Spool &spool)
    : m_buffer(buffer)
    , m_spool(spool)
{ }

BatchSealer::Result BatchSealer::seal()
{
    const qint64 droppedRounds = m_buffer.takeDroppedRounds();
    const qint64 droppedEvents = m_buffer.takeDroppedEvents();
    if (droppedRounds || droppedEvents) {
        m_buffer.addEvent(Protocol::Event::withText(QDateTime::currentMSecsSinceEpoch(), u"error"_s,
            u"results-dropped"_s, Protocol::EventText(u"results-dropped"_s, {droppedRounds, droppedEvents})));
    }
    Result result;
    int maxRounds = MAX_ROUNDS_PER_BATCH;
    while (!m_buffer.isEmpty()) {
        Protocol::Results batch = m_buffer.takeBatch(maxRounds, MAX_VALUES_PER_BATCH);
        Spool::Loss loss;
        QString error;
        bool tooLarge = false;
        if (!m_spool.append(batch, &loss, &error, &tooLarge) && tooLarge) {
            if (batch.rounds.size() > 1) {
                // Large details (a long path, many headers): the same rounds in smaller batches.
                maxRounds = int(std::max<qsizetype>(1, batch.rounds.size() / 2));
                m_buffer.putBack(std::move(batch));
                continue;
            }
            qCWarning(lcAgent).noquote() << error;
            const qint64 testId = batch.rounds.isEmpty() ? 0 : batch.rounds.constFirst().testId;
            batch.rounds.clear(); // its events go on
            m_buffer.putBack(std::move(batch));
            m_buffer.addEvent(Protocol::Event::withText(QDateTime::currentMSecsSinceEpoch(), u"error"_s,
                u"result-too-large"_s, Protocol::EventText(u"result-too-large"_s), testId));
            continue;
        }
        if (!error.isEmpty()) {
            // Disk full or failing: keep them in memory (bounded) and try again next time.
            if (error != m_spoolError)
                qCWarning(lcAgent).noquote() << error;
            m_spoolError = error;
            m_buffer.putBack(std::move(batch));
            break;
        }
        m_spoolError.clear();
        result.wrote = true;
        if (loss.batches > 0)
            result.losses.append(loss);
    }
    return result;
}

} // namespace StreamSwarm::Agent
