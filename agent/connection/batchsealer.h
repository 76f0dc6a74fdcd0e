// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QList>
#include <QString>

#include "agent/connection/spool.h"

namespace StreamSwarm::Agent {

class ResultBuffer;

// Moves what waits in the result buffer into spooled batches the console will accept: at most
// 1,000 rounds and 10,000 values each, split further when details make one too large, a lone
// oversized round dropped with an event, and the buffer's own losses turned into an event. The
// agent and the soak test's simulated agents share it. Not thread-safe; main thread.
class BatchSealer
{
public:
    struct Result
    {
        bool wrote = false; // something new is in the spool to send
        QList<Spool::Loss> losses; // the spool dropped its oldest data to make room
    };

    BatchSealer(ResultBuffer &buffer, Spool &spool);

    Result seal();

private:
    ResultBuffer &m_buffer;
    Spool &m_spool;
    QString m_spoolError; // the last spool write failure, logged once
};

} // namespace StreamSwarm::Agent
