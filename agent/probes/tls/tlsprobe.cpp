// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "tlsprobe.h"

#include <QDateTime>
#include <QFile>

#include <openssl/err.h>

#include "agent/probes/probefactory.h"
#include "shared/protocol/details.h"
#include "shared/protocol/eventtext.h"
#include "shared/util/duration.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

TlsProbe::TlsProbe(const Protocol::TestSpec &spec, const Validation::TlsParams &params, QObject *parent)
    : ConnectingProbe(spec, params.host, params.port, u"tls %1"_s.arg(spec.id), parent)
    , m_params(params)
    , m_context(nullptr, &SSL_CTX_free)
    , m_timeout([this] { handleTimeout(); })
{
    connect(&connector(), &TcpConnector::finished, this, &TlsProbe::handleConnected);
    connect(&m_handshake, &TlsHandshake::finished, this, &TlsProbe::handleHandshake);
    makeContext();
}

TlsProbe::~TlsProbe() = default;

void TlsProbe::makeContext()
{
    ERR_clear_error();
    m_context.reset(SSL_CTX_new(TLS_client_method()));
    if (!m_context) {
        m_contextError = tr("OpenSSL cannot make a TLS client.");
        return;
    }
    SSL_CTX *context = m_context.get();
    // Every round a full handshake, as a new visitor makes: no session cache, no tickets.
    SSL_CTX_set_session_cache_mode(context, SSL_SESS_CACHE_OFF);
    SSL_CTX_set_options(context, SSL_OP_NO_TICKET);
    SSL_CTX_set_verify(context, SSL_VERIFY_PEER, nullptr);
    const bool loaded = m_params.caFile.isEmpty()
        ? SSL_CTX_set_default_verify_paths(context) == 1
        : SSL_CTX_load_verify_locations(context, QFile::encodeName(m_params.caFile).constData(), nullptr) == 1;
    ERR_clear_error();
    if (!loaded) {
        m_contextError = m_params.caFile.isEmpty()
            ? tr("Cannot read this host's trusted certificate authorities.")
            : tr("Cannot read the CA file %1 on this agent's host: it is missing, unreadable or not PEM.")
                  .arg(m_params.caFile);
    }
    // The handshake goes on when the chain is not trusted, so that the round still shows the chain
    // and says why; OpenSSL's verdict is kept in m_validation.
    m_validation.acceptUntrusted = true;
    timeChainValidation(context, &m_validation);
}

void TlsProbe::clearRound()
{
    m_handshake.close();
    connector().abort();
    forgetRoundAddress();
    m_connectMs = -1;
    m_handshakeMs = -1;
    m_daysLeft = 0;
    m_detail = Protocol::TlsDetail();
    m_hasSession = false;
    m_validation = ChainValidation{false, false, X509_V_OK, 0, true};
}

void TlsProbe::setRoundReason(const QString &reason)
{
    setRoundError(asSentence(reason));
}

void TlsProbe::beginMeasuring()
{
    if (!m_contextError.isEmpty()) {
        setRoundError(m_contextError);
        finishSoon();
        return;
    }
    if (startConnecting())
        m_timeout.start(std::chrono::milliseconds(m_params.timeoutMs));
}

void TlsProbe::handleConnected(bool connected)
{
    if (!isRoundRunning())
        return;
    if (!connected) {
        failConnecting();
        finishRound();
        return;
    }
    m_connectMs = connector().connectMs();
    TlsHandshake::Settings settings;
    settings.serverName = m_params.serverName;
    settings.address = roundAddress().toString();
    settings.alpn = m_params.alpn;
    QString error;
    if (!m_handshake.start(connector().takeSocket(), m_context.get(), settings, &error)) {
        setRoundError(error);
        finishRound();
    }
}

void TlsProbe::handleHandshake(bool done)
{
    if (!isRoundRunning())
        return;
    if (!done) {
        setRoundReason(tr("%1: %2").arg(whereText(), m_handshake.failure()));
        finishRound();
        return;
    }
    m_handshakeMs = m_handshake.handshakeMs();
    readSession();
    finishRound();
}

void TlsProbe::readSession()
{
    SSL *ssl = m_handshake.session();
    m_hasSession = true;
    m_detail.serverName = m_params.serverName;
    m_detail.version = QString::fromLatin1(SSL_get_version(ssl));
    m_detail.cipher = QString::fromLatin1(SSL_get_cipher_name(ssl));
    const unsigned char *alpn = nullptr;
    unsigned int alpnLength = 0;
    SSL_get0_alpn_selected(ssl, &alpn, &alpnLength);
    m_detail.alpn = QString::fromLatin1(reinterpret_cast<const char *>(alpn), int(alpnLength));
    m_detail.chain = summarizeChain(SSL_get_peer_cert_chain(ssl));
    X509 *leaf = SSL_get0_peer_certificate(ssl);
    // Validation did not run when the server sent no certificate at all (anonymous suites).
    const long verdict = m_validation.ran ? m_validation.error : long(X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT);
    m_detail.trusted = m_validation.ran && m_validation.trusted;
    const QString host = m_params.serverName.isEmpty() ? roundAddress().toString() : m_params.serverName;
    m_detail.problem = m_detail.trusted ? QString()
        : leaf                          ? describeVerifyError(verdict, leaf, host)
                                        : tr("the server sent no certificate");
    if (!m_detail.trusted)
        setRoundReason(m_detail.problem);
    if (leaf) {
        m_daysLeft = daysUntilExpiry(leaf);
        warnOfExpiry(leaf, m_daysLeft);
    }
}

void TlsProbe::warnOfExpiry(X509 *leaf, int daysLeft)
{
    if (daysLeft >= m_params.expiryWarningDays || m_detail.chain.isEmpty())
        return;
    const Protocol::CertificateSummary &summary = m_detail.chain.constFirst();
    if (summary.sha256 == m_warnedCertificate)
        return; // one event per certificate: a renewed one that is again close to expiry warns again
    m_warnedCertificate = summary.sha256;
    Q_UNUSED(leaf)
    const QString date = QDateTime::fromMSecsSinceEpoch(summary.notAfterMs, Qt::UTC).toString(u"yyyy-MM-dd"_s);
    const Protocol::EventText text = daysLeft >= 0
        ? Protocol::EventText(u"certificate-expiring"_s, {spec().target, daysLeft, date, summary.subject})
        : Protocol::EventText(u"certificate-expired"_s, {spec().target, date, summary.subject});
    Q_EMIT event(Protocol::Event::withText(QDateTime::currentMSecsSinceEpoch(),
        daysLeft >= 0 ? u"warning"_s : u"error"_s, u"certificate-expiry"_s, text, spec().id));
}

void TlsProbe::handleTimeout()
{
    if (!isRoundRunning())
        return;
    if (!failSlowConnect(m_params.timeoutMs) && m_handshake.isRunning()) {
        setRoundError(tr("The TLS handshake with %1 did not finish within %2: the server stopped answering.")
                          .arg(whereText(), formatDurationMs(m_params.timeoutMs)));
    }
    finishRound();
}

void TlsProbe::finishRound()
{
    m_timeout.stop();
    connector().abort();
    m_handshake.close();
    endRound();
    Protocol::Round round;
    round.testId = spec().id;
    round.timeMs = roundTimeMs();
    const auto add = [&round](const char16_t *metric, double value) {
        round.values.append(Protocol::MetricValue{QString::fromUtf16(metric), value});
    };
    if (m_connectMs >= 0)
        add(Metric::TlsConnect, m_connectMs);
    if (m_hasSession) {
        add(Metric::TlsHandshake, m_handshakeMs);
        if (m_validation.ran)
            add(Metric::TlsCertValidation, m_validation.milliseconds);
        if (!m_detail.chain.isEmpty())
            add(Metric::TlsCertDaysLeft, m_daysLeft);
        add(Metric::TlsCertTrusted, m_detail.trusted ? 1 : 0);
    }
    if (!roundAddress().isNull() && m_hasSession) {
        m_detail.address = roundAddress().toString();
        m_detail.port = port();
        round.detail = m_detail;
    }
    round.error = takeRoundError();
    Q_EMIT roundFinished(round);
}

// This folder's entry in the probe factory (agent/CMakeLists.txt finds it).
ProbeType tlsProbeType()
{
    return probeType<TlsProbe>(TestTypes::tlsType(), Validation::parseTlsParams);
}

} // namespace StreamSwarm::Agent
