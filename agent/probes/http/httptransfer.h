// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <memory>

#include <QByteArray>
#include <QList>
#include <QObject>
#include <QString>
#include <QStringList>

#include <curl/curl.h>

#include "agent/probes/certificatecheck.h"
#include "agent/scheduler/deadline.h"
#include "shared/protocol/details/http.h"
#include "shared/testtypes/http.h"

namespace StreamSwarm::Agent {

class CurlMulti;

// What one request gave: curl's own figures (the -w variables) and what our callbacks saw.
struct HttpTransferResult
{
    CURLcode code = CURLE_OK;
    QString curlMessage; // curl's error buffer: the detail behind code
    long osErrno = 0;
    // From the request's start, in µs, as curl's time_namelookup ... time_total; 0 for a phase not reached.
    qint64 dnsUs = 0;
    qint64 connectUs = 0;
    qint64 tlsUs = 0;
    qint64 ttfbUs = 0;
    qint64 totalUs = 0;
    long status = 0;
    QString reason; // the status line's words; HTTP/2 has none
    QString version; // "1.1", "2"
    long newConnections = 0; // 0: it reused one
    long redirects = 0;
    QString effectiveUrl;
    QString refusedRedirect; // where a redirect past the limit would have gone
    QStringList redirectChain; // where each redirect went
    QString address;
    long port = 0;
    QString contentType;
    QString contentEncoding;
    QList<Protocol::HttpHeader> headers; // the final answer's
    qint64 wireBytes = 0; // body bytes as they came, before decoding (size_download)
    qint64 decodedBytes = 0; // as handed to us after decoding
    bool bodyCapped = false; // stopped at max-body
    bool expectFound = false;
    bool stalled = false; // the body stopped coming for STALL_MS
    qint64 sinceLastDataMs = -1; // how long nothing came at the end; -1 when no body byte came
    bool tlsUsed = false;
    QString tlsVersion;
    QString cipher;
    QList<Protocol::CertificateSummary> chain;
    ChainValidation validation;
    bool hostMatches = true; // the certificate names the host asked for
    QString certificateProblem; // why the chain or name was not accepted, in words; empty when fine

    bool completed() const { return code == CURLE_OK && !stalled; }
};

// One easy handle of an http probe, set up once from the test's parameters: runs one request at a
// time on the thread's CurlMulti, with the callbacks that count the decoded body, search it for the
// expected text, keep the answer's headers and redirects, and time the certificate validation. Main
// thread (the multi's).
class HttpTransfer final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HttpTransfer)
public:
    HttpTransfer(std::shared_ptr<CurlMulti> multi, const QString &url, const Validation::HttpParams &params,
        QObject *parent = nullptr);
    ~HttpTransfer() override;

    // No body byte for this long after the body began: the server stalled.
    static constexpr qint64 STALL_MS = 5000;

    // A request: fresh opens a new connection (and resolves the name anew), last closes it after.
    // finished() follows once, from the event loop, unless abort() comes first.
    bool start(bool fresh, bool last, qint64 timeoutMs);
    void abort();
    bool isRunning() const { return m_running; }
    const HttpTransferResult &result() const { return m_result; }

Q_SIGNALS:
    void finished();

private:
    static size_t handleHeaderLine(char *data, size_t size, size_t count, void *self);
    static size_t handleBody(char *data, size_t size, size_t count, void *self);
    static CURLcode prepareTls(CURL *easy, void *sslContext, void *self);
    static int verifyCertificates(X509_STORE_CTX *store, void *self);
    void readHeaderLine(QByteArrayView line);
    size_t readBody(const char *data, size_t size);
    void noteTlsSession();
    void handleDone(CURLcode code);
    void handleStall();
    void readInfo();

    std::shared_ptr<CurlMulti> m_multi;
    CURL *m_easy = nullptr;
    QByteArray m_url;
    QString m_host;
    Validation::HttpParams m_params;
    QByteArray m_expect;
    QByteArray m_expectTail; // the body's last expect.size() - 1 bytes, for a match across chunks
    char m_errorBuffer[CURL_ERROR_SIZE] = {};
    HttpTransferResult m_result;
    bool m_running = false;
    bool m_answerStarted = false; // a final (not 1xx) status line came
    qint64 m_lastDataNs = 0;
    Deadline m_stallWatch;
};

} // namespace StreamSwarm::Agent
