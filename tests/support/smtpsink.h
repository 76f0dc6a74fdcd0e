// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <QByteArray>
#include <QList>
#include <QSslCertificate>
#include <QSslKey>
#include <QStringList>
#include <QTcpServer>

namespace StreamSwarm::Test {

class SmtpSession;

// An in-process mail server on 127.0.0.1 that speaks enough ESMTP for libcurl: EHLO, STARTTLS (with
// a certificate from useTls(); then MAIL is refused before it), AUTH PLAIN and LOGIN (after TLS, when
// requireAuth() set a user), MAIL, RCPT, DATA (dot-stuffing undone), RSET, NOOP, QUIT. Or TLS from the
// start (smtps://) with setImplicitTls(). Each accepted message is recorded and signalled;
// refuseNext() answers the next transactions' MAIL with a temporary 451. Bounded: MAX_CONNECTIONS,
// lines of MAX_LINE bytes, messages of MAX_MESSAGE, MAX_COMMANDS per connection, CONNECTION_DEADLINE_MS.
// Test thread only: its event loop must run while a client talks to it.
class SmtpSink final : public QTcpServer
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmtpSink)
public:
    static constexpr int MAX_CONNECTIONS = 16;
    static constexpr qsizetype MAX_LINE = 1000; // RFC 5321 4.5.3.1.6, CRLF included
    static constexpr qsizetype MAX_MESSAGE = 1024 * 1024;
    static constexpr int MAX_RECIPIENTS = 100;
    static constexpr int MAX_COMMANDS = 200;
    static constexpr int CONNECTION_DEADLINE_MS = 30000;

    struct Message
    {
        QString from; // the envelope's, without brackets
        QStringList recipients;
        QByteArray raw; // as received, CRLF line ends, dots unstuffed
        QString subject; // decoded (RFC 2047)
        QByteArray body; // after the blank line, undecoded
        bool overTls = false;
        QString user; // who logged in; empty: nobody

        QByteArray header(const QByteArray &name) const; // the first with that name, unfolded; case-insensitive
    };

    explicit SmtpSink(QObject *parent = nullptr);
    ~SmtpSink() override;

    // Offer STARTTLS with this chain (leaf first) and key, both PEM; MAIL is refused until it is used.
    bool useTls(const QString &certificateFile, const QString &keyFile, QString *error);
    void setImplicitTls(bool on) { m_implicitTls = on; } // smtps: TLS from the first byte (needs useTls)
    // Offer AUTH (after STARTTLS when TLS is offered) and refuse MAIL without a login.
    void requireAuth(const QString &user, const QString &password,
        const QStringList &mechanisms = {QStringLiteral("PLAIN"), QStringLiteral("LOGIN")});
    void refuseNext(int transactions) { m_refusals = transactions; }
    bool listen(QString *error); // 127.0.0.1, a free port
    QString url() const; // smtp://127.0.0.1:PORT (smtps:// with implicit TLS)

    const QList<Message> &messages() const { return m_messages; }
    int refusedLogins() const { return m_refusedLogins; }
    int connectionCount() const { return m_connections; } // connections accepted so far

    // RFC 2047 encoded words (B and Q; UTF-8, US-ASCII and ISO-8859-1) in a header's value.
    static QString decodeHeader(const QByteArray &value);

Q_SIGNALS:
    void messageReceived(const StreamSwarm::Test::SmtpSink::Message &message);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    friend class SmtpSession;
    void accept(Message message);

    QList<QSslCertificate> m_chain;
    QSslKey m_key;
    bool m_implicitTls = false;
    QString m_user;
    QString m_password;
    QStringList m_mechanisms;
    int m_refusals = 0;
    int m_refusedLogins = 0;
    int m_connections = 0;
    QList<SmtpSession *> m_sessions; // children; each leaves the list when its connection ends
    QList<Message> m_messages;
};

} // namespace StreamSwarm::Test
