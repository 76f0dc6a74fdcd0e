// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "curlmulti.h"

#include <QSocketNotifier>

using namespace std::chrono_literals;

namespace StreamSwarm::Agent {

// What curl asked us to watch on one of its sockets. The notifiers go with deleteLater(): curl may
// drop a socket while its notifier is the one that called us.
struct CurlMulti::SocketWatch
{
    QSocketNotifier *read = nullptr;
    QSocketNotifier *write = nullptr;
};

namespace {

void retire(QSocketNotifier *&notifier)
{
    if (!notifier)
        return;
    notifier->setEnabled(false);
    notifier->deleteLater();
    notifier = nullptr;
}

} // namespace

std::shared_ptr<CurlMulti> CurlMulti::acquire(QString *error)
{
    const CurlLibrary *curl = CurlLibrary::load(error);
    if (!curl)
        return nullptr;
    thread_local std::weak_ptr<CurlMulti> current;
    if (auto open = current.lock())
        return open;
    std::shared_ptr<CurlMulti> multi(new CurlMulti(*curl));
    current = multi;
    return multi;
}

CurlMulti::CurlMulti(const CurlLibrary &curl)
    : m_curl(curl)
    , m_multi(curl.multi_init())
    , m_timeout([this] { handleTimeout(); })
{
    m_curl.multi_setopt(m_multi, CURLMOPT_SOCKETFUNCTION, &CurlMulti::handleSocketCallback);
    m_curl.multi_setopt(m_multi, CURLMOPT_SOCKETDATA, this);
    m_curl.multi_setopt(m_multi, CURLMOPT_TIMERFUNCTION, &CurlMulti::handleTimerCallback);
    m_curl.multi_setopt(m_multi, CURLMOPT_TIMERDATA, this);
}

CurlMulti::~CurlMulti()
{
    for (auto it = m_running.cbegin(); it != m_running.cend(); ++it)
        m_curl.multi_remove_handle(m_multi, it.key());
    m_running.clear();
    // Closing the cached connections calls the socket callback: the watches go with them.
    m_curl.multi_cleanup(m_multi);
}

bool CurlMulti::start(CURL *easy, Finished onFinished)
{
    if (m_running.contains(easy) || m_curl.multi_add_handle(m_multi, easy) != CURLM_OK)
        return false;
    m_running.insert(easy, std::move(onFinished));
    return true; // curl asks for a timeout of 0 ms, and the transfer begins from the event loop
}

void CurlMulti::stop(CURL *easy)
{
    if (m_running.remove(easy))
        m_curl.multi_remove_handle(m_multi, easy);
}

int CurlMulti::handleSocketCallback(CURL *easy, curl_socket_t socket, int what, void *self, void *watch)
{
    Q_UNUSED(easy)
    static_cast<CurlMulti *>(self)->watchSocket(socket, what, static_cast<SocketWatch *>(watch));
    return 0;
}

int CurlMulti::handleTimerCallback(CURLM *multi, long timeoutMs, void *self)
{
    Q_UNUSED(multi)
    auto *that = static_cast<CurlMulti *>(self);
    // Never act inside the callback: curl wants the timeout from the event loop (0 ms: as soon as it runs).
    if (timeoutMs < 0)
        that->m_timeout.stop();
    else
        that->m_timeout.start(std::chrono::milliseconds(timeoutMs));
    return 0;
}

void CurlMulti::watchSocket(curl_socket_t socket, int what, SocketWatch *watch)
{
    if (what == CURL_POLL_REMOVE) {
        if (watch) {
            retire(watch->read);
            retire(watch->write);
            delete watch;
        }
        return;
    }
    if (!watch) {
        watch = new SocketWatch;
        m_curl.multi_assign(m_multi, socket, watch);
    }
    const bool wantRead = what == CURL_POLL_IN || what == CURL_POLL_INOUT;
    const bool wantWrite = what == CURL_POLL_OUT || what == CURL_POLL_INOUT;
    const auto arm = [&](QSocketNotifier *&notifier, bool wanted, QSocketNotifier::Type type, int action) {
        if (!wanted) {
            retire(notifier);
            return;
        }
        if (notifier)
            return;
        notifier = new QSocketNotifier(socket, type, this);
        connect(notifier, &QSocketNotifier::activated, this,
            [this, socket, action](QSocketDescriptor, QSocketNotifier::Type) { handleSocketReady(socket, action); });
    };
    arm(watch->read, wantRead, QSocketNotifier::Read, CURL_CSELECT_IN);
    arm(watch->write, wantWrite, QSocketNotifier::Write, CURL_CSELECT_OUT);
}

void CurlMulti::handleSocketReady(curl_socket_t socket, int action)
{
    const auto keepAlive = shared_from_this(); // a finished transfer's owner may let go of the last probe
    int running = 0;
    m_curl.multi_socket_action(m_multi, socket, action, &running);
    takeFinishedTransfers();
}

void CurlMulti::handleTimeout()
{
    const auto keepAlive = shared_from_this();
    int running = 0;
    m_curl.multi_socket_action(m_multi, CURL_SOCKET_TIMEOUT, 0, &running);
    takeFinishedTransfers();
}

void CurlMulti::takeFinishedTransfers()
{
    // One message at a time: a finished transfer's owner may start or stop others, and curl drops the
    // messages of handles that leave the multi.
    int left = 0;
    while (CURLMsg *message = m_curl.multi_info_read(m_multi, &left)) {
        if (message->msg != CURLMSG_DONE)
            continue;
        CURL *easy = message->easy_handle;
        const CURLcode result = message->data.result;
        Finished onFinished = m_running.take(easy);
        m_curl.multi_remove_handle(m_multi, easy);
        if (onFinished)
            onFinished(result);
    }
}

} // namespace StreamSwarm::Agent
