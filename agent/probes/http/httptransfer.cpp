// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httptransfer.h"

#include <algorithm>
#include <chrono>

#include <QHostAddress>
#include <QUrl>

#include <openssl/x509v3.h>

#include "agent/probes/http/curlmulti.h"
#include "shared/protocol/detailcodec.h"
#include "shared/util/monotonic.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

const CurlLibrary &curl()
{
    return CurlLibrary::loaded(); // a transfer exists only on a CurlMulti, which loaded it
}

// What a browser asks for; curl decodes each of them, and counts the body on the wire before it does.
constexpr char ACCEPT_ENCODING[] = "gzip, deflate, br";
constexpr char USER_AGENT[] = "StreamSwarm-agent (libcurl)";

QString infoText(CURL *easy, CURLINFO info)
{
    const char *text = nullptr;
    return curl().easy_getinfo(easy, info, &text) == CURLE_OK && text ? QString::fromUtf8(text) : QString();
}

qint64 infoMicroseconds(CURL *easy, CURLINFO info)
{
    curl_off_t value = 0;
    return curl().easy_getinfo(easy, info, &value) == CURLE_OK ? qint64(value) : 0;
}

long infoLong(CURL *easy, CURLINFO info)
{
    long value = 0;
    return curl().easy_getinfo(easy, info, &value) == CURLE_OK ? value : 0;
}

QString versionName(long version)
{
    switch (version) {
    case CURL_HTTP_VERSION_1_0:
        return u"1.0"_s;
    case CURL_HTTP_VERSION_1_1:
        return u"1.1"_s;
    case CURL_HTTP_VERSION_2_0:
        return u"2"_s;
    case CURL_HTTP_VERSION_3:
        return u"3"_s;
    default:
        return QString();
    }
}

long curlVersionOption(Validation::HttpParams::Version version)
{
    switch (version) {
    case Validation::HttpParams::Version::Http11:
        return CURL_HTTP_VERSION_1_1;
    case Validation::HttpParams::Version::Http2:
        return CURL_HTTP_VERSION_2_0; // as curl --http2: over TLS by ALPN, in clear by Upgrade
    case Validation::HttpParams::Version::Auto:
        break;
    }
    return CURL_HTTP_VERSION_2TLS; // curl's own default
}

bool certificateNamesHost(X509 *leaf, const QString &host)
{
    if (!leaf || host.isEmpty())
        return false;
    const QByteArray name = host.toUtf8();
    if (!QHostAddress(host).isNull())
        return X509_check_ip_asc(leaf, name.constData(), 0) == 1;
    return X509_check_host(leaf, name.constData(), size_t(name.size()), 0, nullptr) == 1;
}

} // namespace

HttpTransfer::HttpTransfer(
    std::shared_ptr<CurlMulti> multi, const QString &url, const Validation::HttpParams &params, QObject *parent)
    : QObject(parent)
    , m_multi(std::move(multi))
    , m_easy(curl().easy_init())
    , m_url(url.toUtf8())
    , m_params(params)
    , m_expect(params.expect.toUtf8())
    , m_stallWatch([this] { handleStall(); })
{
    CURL *e = m_easy;
    curl().easy_setopt(e, CURLOPT_URL, m_url.constData());
    curl().easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl().easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
    curl().easy_setopt(e, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    // max-redirects=0: the redirect is the answer (whose status expect-status may check), not an error.
    curl().easy_setopt(e, CURLOPT_FOLLOWLOCATION, params.maxRedirects > 0 ? 1L : 0L);
    curl().easy_setopt(e, CURLOPT_MAXREDIRS, long(params.maxRedirects));
    curl().easy_setopt(e, CURLOPT_ACCEPT_ENCODING, ACCEPT_ENCODING);
    curl().easy_setopt(e, CURLOPT_HTTP_VERSION, curlVersionOption(params.version));
    curl().easy_setopt(e, CURLOPT_USERAGENT, USER_AGENT);
    if (params.method == Validation::HttpParams::Method::Head)
        curl().easy_setopt(e, CURLOPT_NOBODY, 1L);
    // Each round is a new visitor: its name resolved and its TLS session negotiated anew.
    curl().easy_setopt(e, CURLOPT_DNS_CACHE_TIMEOUT, 0L);
    curl().easy_setopt(e, CURLOPT_SSL_SESSIONID_CACHE, 0L);
    if (!params.caFile.isEmpty()) {
        const QByteArray caFile = params.caFile.toUtf8();
        curl().easy_setopt(e, CURLOPT_CAINFO, caFile.constData()); // curl copies the string
        curl().easy_setopt(e, CURLOPT_CAPATH, nullptr); // instead of the system's, not beside it
    } else {
        // The system's trust from its bundle file alone, not also from the hashed folder (Debian's default
        // CApath holds the same certificates): curl keeps a store made from a file alone for the multi
        // handle's transfers, where with a folder it loads the whole bundle again at every handshake.
        const char *bundle = nullptr;
        if (curl().easy_getinfo(e, CURLINFO_CAINFO, &bundle) == CURLE_OK && bundle && *bundle)
            curl().easy_setopt(e, CURLOPT_CAPATH, nullptr);
    }
    if (params.insecure) {
        curl().easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
        curl().easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    curl().easy_setopt(e, CURLOPT_SSL_CTX_FUNCTION, &HttpTransfer::prepareTls);
    curl().easy_setopt(e, CURLOPT_SSL_CTX_DATA, this);
    curl().easy_setopt(e, CURLOPT_HEADERFUNCTION, &HttpTransfer::handleHeaderLine);
    curl().easy_setopt(e, CURLOPT_HEADERDATA, this);
    curl().easy_setopt(e, CURLOPT_WRITEFUNCTION, &HttpTransfer::handleBody);
    curl().easy_setopt(e, CURLOPT_WRITEDATA, this);
    curl().easy_setopt(e, CURLOPT_ERRORBUFFER, m_errorBuffer);
    m_host = QUrl(url).host();
}

HttpTransfer::~HttpTransfer()
{
    abort();
    curl().easy_cleanup(m_easy);
}

bool HttpTransfer::start(bool fresh, bool last, qint64 timeoutMs)
{
    abort();
    m_result = HttpTransferResult();
    m_expectTail.clear();
    m_answerStarted = false;
    m_lastDataNs = 0;
    m_errorBuffer[0] = '\0';
    curl().easy_setopt(m_easy, CURLOPT_FRESH_CONNECT, fresh ? 1L : 0L);
    curl().easy_setopt(m_easy, CURLOPT_FORBID_REUSE, last ? 1L : 0L); // nothing idles between rounds
    curl().easy_setopt(m_easy, CURLOPT_TIMEOUT_MS, long(std::max<qint64>(timeoutMs, 1)));
    m_running = m_multi->start(m_easy, [this](CURLcode code) { handleDone(code); });
    return m_running;
}

void HttpTransfer::abort()
{
    m_stallWatch.stop();
    if (!m_running)
        return;
    // What it got so far stays readable (the phases it reached), marked as cut short.
    if (m_result.code == CURLE_OK)
        m_result.code = CURLE_ABORTED_BY_CALLBACK;
    readInfo();
    m_multi->stop(m_easy);
    m_running = false;
}

size_t HttpTransfer::handleHeaderLine(char *data, size_t size, size_t count, void *self)
{
    static_cast<HttpTransfer *>(self)->readHeaderLine(QByteArrayView(data, qsizetype(size * count)));
    return size * count;
}

void HttpTransfer::readHeaderLine(QByteArrayView line)
{
    line = line.trimmed();
    if (line.startsWith("HTTP/")) {
        const QList<QByteArray> parts = line.toByteArray().split(' ');
        const int status = parts.value(1).toInt();
        if (status >= 100 && status < 200)
            return; // 100 Continue, 103 Early Hints: the answer is still to come
        if (m_answerStarted) // the answer before this one was a redirect, and curl followed it
            m_result.redirectChain.append(infoText(m_easy, CURLINFO_EFFECTIVE_URL).left(Protocol::MAX_HTTP_URL_LENGTH));
        m_answerStarted = true;
        m_result.headers.clear();
        m_result.reason = QString::fromLatin1(parts.mid(2).join(' ')).left(80);
        noteTlsSession();
        return;
    }
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || m_result.headers.size() >= Protocol::MAX_HTTP_HEADERS)
        return;
    Protocol::HttpHeader header;
    header.name = QString::fromLatin1(line.first(colon).trimmed()).left(Protocol::MAX_HTTP_HEADER_NAME_LENGTH);
    // A cookie may be a session's credential: its name stays, its value does not.
    if (header.name.compare(u"set-cookie", Qt::CaseInsensitive) != 0) {
        header.value
            = QString::fromLatin1(line.sliced(colon + 1).trimmed()).left(Protocol::MAX_HTTP_HEADER_VALUE_LENGTH);
    }
    if (header.name.compare(u"content-encoding", Qt::CaseInsensitive) == 0)
        m_result.contentEncoding = header.value.left(256);
    m_result.headers.append(header);
}

void HttpTransfer::noteTlsSession()
{
    // The SSL* is curl's and valid only while the connection is in use: read it now.
    curl_tlssessioninfo *session = nullptr;
    if (curl().easy_getinfo(m_easy, CURLINFO_TLS_SSL_PTR, &session) != CURLE_OK || !session
        || session->backend != CURLSSLBACKEND_OPENSSL || !session->internals) {
        return;
    }
    auto *ssl = static_cast<SSL *>(session->internals);
    m_result.tlsUsed = true;
    m_result.tlsVersion = QString::fromLatin1(SSL_get_version(ssl));
    if (const SSL_CIPHER *cipher = SSL_get_current_cipher(ssl))
        m_result.cipher = QString::fromLatin1(SSL_CIPHER_get_name(cipher));
    if (m_result.chain.isEmpty())
        m_result.chain = summarizeChain(SSL_get_peer_cert_chain(ssl));
}

size_t HttpTransfer::handleBody(char *data, size_t size, size_t count, void *self)
{
    return static_cast<HttpTransfer *>(self)->readBody(data, size * count);
}

size_t HttpTransfer::readBody(const char *data, size_t size)
{
    m_lastDataNs = monotonicNs();
    m_stallWatch.start(std::chrono::milliseconds(STALL_MS));
    size_t taken = size;
    if (m_result.decodedBytes + qint64(size) > m_params.maxBodyBytes) {
        taken = size_t(std::max<qint64>(m_params.maxBodyBytes - m_result.decodedBytes, 0));
        m_result.bodyCapped = true;
    }
    m_result.decodedBytes += qint64(taken);
    if (!m_expect.isEmpty() && !m_result.expectFound) {
        const QByteArray window = m_expectTail + QByteArray::fromRawData(data, qsizetype(taken));
        m_result.expectFound = window.contains(m_expect);
        m_expectTail = window.right(m_expect.size() - 1);
    }
    return m_result.bodyCapped ? 0 : taken; // anything short of size ends the transfer (CURLE_WRITE_ERROR)
}

CURLcode HttpTransfer::prepareTls(CURL *easy, void *sslContext, void *self)
{
    Q_UNUSED(easy)
    // OpenSSL's own validation stays in charge (curl's settings decide whether it must pass); this only
    // times it and keeps its outcome.
    SSL_CTX_set_cert_verify_callback(static_cast<SSL_CTX *>(sslContext), &HttpTransfer::verifyCertificates, self);
    return CURLE_OK;
}

int HttpTransfer::verifyCertificates(X509_STORE_CTX *store, void *self)
{
    auto *that = static_cast<HttpTransfer *>(self);
    HttpTransferResult &result = that->m_result;
    const qint64 startNs = monotonicNs();
    const int verified = X509_verify_cert(store);
    result.validation.milliseconds += double(monotonicNs() - startNs) / 1e6;
    const bool firstHandshake = !result.validation.ran;
    result.validation.ran = true;
    const long error = verified == 1 ? X509_V_OK : X509_STORE_CTX_get_error(store);
    result.validation.trusted = (firstHandshake || result.validation.trusted) && verified == 1;
    if (result.validation.error == X509_V_OK)
        result.validation.error = error;
    X509 *leaf = X509_STORE_CTX_get0_cert(store);
    result.chain = summarizeChain(X509_STORE_CTX_get0_untrusted(store));
    // A redirect may lead to another host: the name to match is the one this handshake is for.
    const QString host = QUrl(infoText(that->m_easy, CURLINFO_EFFECTIVE_URL)).host();
    if (verified != 1) {
        result.certificateProblem = describeVerifyError(error, leaf, host);
    } else if (!certificateNamesHost(leaf, host)) {
        // curl checks the name itself after the handshake; this says in words what it will find.
        result.hostMatches = false;
        result.certificateProblem = describeVerifyError(X509_V_ERR_HOSTNAME_MISMATCH, leaf, host);
    }
    return verified;
}

void HttpTransfer::handleDone(CURLcode code)
{
    m_stallWatch.stop();
    m_running = false;
    m_result.code = code;
    readInfo();
    Q_EMIT finished();
}

void HttpTransfer::handleStall()
{
    if (!m_running)
        return;
    m_result.stalled = true;
    m_result.code = CURLE_OPERATION_TIMEDOUT;
    abort();
    Q_EMIT finished();
}

void HttpTransfer::readInfo()
{
    CURL *e = m_easy;
    HttpTransferResult &r = m_result;
    r.curlMessage = m_errorBuffer[0] ? QString::fromUtf8(m_errorBuffer).trimmed()
                                     : QString::fromUtf8(curl().easy_strerror(r.code));
    r.osErrno = infoLong(e, CURLINFO_OS_ERRNO);
    r.dnsUs = infoMicroseconds(e, CURLINFO_NAMELOOKUP_TIME_T);
    r.connectUs = infoMicroseconds(e, CURLINFO_CONNECT_TIME_T);
    r.tlsUs = infoMicroseconds(e, CURLINFO_APPCONNECT_TIME_T);
    r.ttfbUs = infoMicroseconds(e, CURLINFO_STARTTRANSFER_TIME_T);
    r.totalUs = infoMicroseconds(e, CURLINFO_TOTAL_TIME_T);
    r.status = infoLong(e, CURLINFO_RESPONSE_CODE);
    r.version = r.status ? versionName(infoLong(e, CURLINFO_HTTP_VERSION)) : QString();
    r.newConnections = infoLong(e, CURLINFO_NUM_CONNECTS);
    r.redirects = infoLong(e, CURLINFO_REDIRECT_COUNT);
    r.effectiveUrl = infoText(e, CURLINFO_EFFECTIVE_URL).left(Protocol::MAX_HTTP_URL_LENGTH);
    r.refusedRedirect = infoText(e, CURLINFO_REDIRECT_URL).left(Protocol::MAX_HTTP_URL_LENGTH);
    r.address = infoText(e, CURLINFO_PRIMARY_IP).left(Protocol::MAX_ADDRESS_LENGTH);
    r.port = infoLong(e, CURLINFO_PRIMARY_PORT);
    r.contentType = infoText(e, CURLINFO_CONTENT_TYPE).left(256);
    r.wireBytes = infoMicroseconds(e, CURLINFO_SIZE_DOWNLOAD_T);
    r.sinceLastDataMs = m_lastDataNs ? (monotonicNs() - m_lastDataNs) / 1'000'000 : -1;
}

} // namespace StreamSwarm::Agent
