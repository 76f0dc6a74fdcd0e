// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <memory>

#include <QHash>
#include <QObject>

#include <curl/curl.h>

#include "agent/probes/http/curllibrary.h"
#include "agent/scheduler/deadline.h"

class QSocketNotifier;

namespace StreamSwarm::Agent {

// One libcurl multi handle per thread, shared by every http probe on it (as IcmpChannel shares an
// ICMP socket): curl's sockets are watched by QSocketNotifiers and its one timeout by a Deadline on
// the thread's event loop (curl_multi_socket_action), so 50 tests cost 50 easy handles, not 50
// threads or busy loops. Its connection cache is what lets the requests of one round reuse a
// connection. Lives on the thread that acquired it.
class CurlMulti final
    : public QObject
    , public std::enable_shared_from_this<CurlMulti>
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CurlMulti)
public:
    using Finished = std::function<void(CURLcode result)>;

    // This thread's multi handle, made when no probe holds one; nullptr and *error when libcurl
    // cannot be loaded (CurlLibrary).
    static std::shared_ptr<CurlMulti> acquire(QString *error);
    ~CurlMulti() override;

    // Runs easy's transfer; onFinished is called once, from the event loop, when it ends (the handle
    // is off the multi by then and may be started again). False when curl refuses it.
    bool start(CURL *easy, Finished onFinished);
    // Stops easy's transfer, if it runs; onFinished is not called.
    void stop(CURL *easy);
    int runningTransfers() const { return int(m_running.size()); }

private:
    struct SocketWatch;

    explicit CurlMulti(const CurlLibrary &curl);
    static int handleSocketCallback(CURL *easy, curl_socket_t socket, int what, void *self, void *watch);
    static int handleTimerCallback(CURLM *multi, long timeoutMs, void *self);
    void watchSocket(curl_socket_t socket, int what, SocketWatch *watch);
    void handleSocketReady(curl_socket_t socket, int action);
    void handleTimeout();
    void takeFinishedTransfers();

    const CurlLibrary &m_curl;
    CURLM *m_multi = nullptr;
    Deadline m_timeout;
    QHash<CURL *, Finished> m_running;
};

} // namespace StreamSwarm::Agent
