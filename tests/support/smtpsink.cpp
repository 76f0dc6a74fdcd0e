// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "smtpsink.h"

#include <optional>

#include <QFile>
#include <QRegularExpression>
#include <QSslConfiguration>
#include <QSslSocket>
#include <QStringDecoder>
#include <QTimer>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Test {

// One client's conversation with the sink (RFC 5321, 3207, 4954). Child of the sink; ends itself
// (deleteLater) when the connection does.
class SmtpSession final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SmtpSession)
public:
    SmtpSession(SmtpSink *sink, QSslSocket *socket);
    ~SmtpSession() override;

private:
    enum class Auth { None, PlainResponse, LoginUser, LoginPassword };

    void handleReadyRead();
    void handleLine(const QByteArray &line);
    void handleCommand(const QByteArray &verb, const QByteArray &argument);
    void handleDataLine(const QByteArray &line);
    void handleAuth(const QByteArray &argument);
    void checkLogin(const QByteArray &user, const QByteArray &password);
    void reply(const QByteArray &text) { m_socket->write(text + "\r\n"); }
    void resetTransaction();
    void end();

    SmtpSink *m_sink;
    QSslSocket *m_socket; // child
    bool m_greeted = false;
    QString m_user; // logged in
    Auth m_auth = Auth::None;
    QByteArray m_loginUser;
    std::optional<QString> m_from;
    QStringList m_recipients;
    bool m_inData = false;
    bool m_tooLarge = false;
    QByteArray m_data;
    int m_commands = 0;
};

namespace {

// "<a@b> SIZE=10" -> "a@b"
std::optional<QString> pathArgument(const QByteArray &argument, const QByteArray &keyword)
{
    if (!argument.toUpper().startsWith(keyword))
        return std::nullopt;
    const QByteArray rest = argument.mid(keyword.size()).trimmed();
    const qsizetype close = rest.indexOf('>');
    if (!rest.startsWith('<') || close < 0)
        return std::nullopt;
    return QString::fromUtf8(rest.mid(1, close - 1));
}

} // namespace

SmtpSession::SmtpSession(SmtpSink *sink, QSslSocket *socket)
    : QObject(sink)
    , m_sink(sink)
    , m_socket(socket)
{
    m_socket->setParent(this);
    connect(m_socket, &QSslSocket::readyRead, this, &SmtpSession::handleReadyRead);
    connect(m_socket, &QSslSocket::disconnected, this, &SmtpSession::end);
    QTimer::singleShot(SmtpSink::CONNECTION_DEADLINE_MS, this, [this] { m_socket->abort(); });
    if (m_sink->m_implicitTls) {
        connect(m_socket, &QSslSocket::encrypted, this, [this] { reply("220 127.0.0.1 ESMTP StreamSwarm test sink"); });
        m_socket->startServerEncryption();
    } else {
        reply("220 127.0.0.1 ESMTP StreamSwarm test sink");
    }
}

SmtpSession::~SmtpSession()
{
    disconnect(m_socket, nullptr, this, nullptr); // its dying disconnected() is not for us
}

void SmtpSession::end()
{
    m_sink->m_sessions.removeOne(this);
    deleteLater();
}

void SmtpSession::handleReadyRead()
{
    while (m_socket->state() == QAbstractSocket::ConnectedState) {
        if (!m_socket->canReadLine()) {
            if (m_socket->bytesAvailable() > SmtpSink::MAX_LINE) {
                reply("500 5.5.6 Line too long");
                m_socket->disconnectFromHost();
            }
            return;
        }
        QByteArray line = m_socket->readLine(SmtpSink::MAX_LINE + 1);
        if (!line.endsWith('\n')) {
            reply("500 5.5.6 Line too long");
            m_socket->disconnectFromHost();
            return;
        }
        line.chop(line.endsWith("\r\n") ? 2 : 1);
        handleLine(line);
    }
}

void SmtpSession::handleLine(const QByteArray &line)
{
    if (m_inData) {
        handleDataLine(line);
        return;
    }
    if (++m_commands > SmtpSink::MAX_COMMANDS) {
        reply("421 4.7.0 Too many commands");
        m_socket->disconnectFromHost();
        return;
    }
    if (m_auth != Auth::None) {
        handleAuth(line);
        return;
    }
    const qsizetype space = line.indexOf(' ');
    handleCommand(line.left(space < 0 ? line.size() : space).toUpper(), space < 0 ? QByteArray() : line.mid(space + 1));
}

void SmtpSession::handleCommand(const QByteArray &verb, const QByteArray &argument)
{
    const bool tlsOffered = !m_sink->m_chain.isEmpty();
    const bool authOffered = !m_sink->m_user.isEmpty() && (m_socket->isEncrypted() || !tlsOffered);
    if (verb == "EHLO") {
        resetTransaction();
        m_greeted = true;
        QByteArrayList lines{
            "127.0.0.1 greets " + argument, "SIZE " + QByteArray::number(SmtpSink::MAX_MESSAGE), "8BITMIME"};
        if (tlsOffered && !m_socket->isEncrypted())
            lines.append("STARTTLS");
        if (authOffered)
            lines.append("AUTH " + m_sink->m_mechanisms.join(u' ').toLatin1());
        lines.append("HELP");
        for (qsizetype i = 0; i < lines.size(); ++i)
            reply("250" + QByteArray(i + 1 < lines.size() ? "-" : " ") + lines[i]);
    } else if (verb == "HELO") {
        resetTransaction();
        m_greeted = true;
        reply("250 127.0.0.1");
    } else if (verb == "STARTTLS") {
        if (!tlsOffered || m_socket->isEncrypted()) {
            reply("454 4.7.0 TLS not available");
            return;
        }
        reply("220 2.0.0 Ready to start TLS");
        // RFC 3207 4.2: everything known before is forgotten.
        m_greeted = false;
        m_user.clear();
        resetTransaction();
        m_socket->startServerEncryption();
    } else if (verb == "AUTH") {
        if (!authOffered || !m_user.isEmpty() || m_from) {
            reply("503 5.5.1 AUTH not possible now");
            return;
        }
        const QList<QByteArray> words = argument.split(' ');
        const QString mechanism = QString::fromLatin1(words.first()).toUpper();
        if (!m_sink->m_mechanisms.contains(mechanism)) {
            reply("504 5.5.4 Unrecognized authentication type");
            return;
        }
        const QByteArray initial = words.size() > 1 ? words[1] : QByteArray();
        if (mechanism == u"PLAIN") {
            m_auth = Auth::PlainResponse;
            if (initial.isEmpty())
                reply("334 ");
            else
                handleAuth(initial);
        } else {
            m_auth = Auth::LoginUser;
            if (initial.isEmpty())
                reply("334 VXNlcm5hbWU6"); // "Username:"
            else
                handleAuth(initial);
        }
    } else if (verb == "MAIL") {
        if (!m_greeted) {
            reply("503 5.5.1 Send EHLO first");
        } else if (tlsOffered && !m_socket->isEncrypted()) {
            reply("530 5.7.0 Must issue a STARTTLS command first");
        } else if (!m_sink->m_user.isEmpty() && m_user.isEmpty()) {
            reply("530 5.7.0 Authentication required");
        } else if (m_from) {
            reply("503 5.5.1 Nested MAIL command");
        } else if (const auto from = pathArgument(argument, "FROM:"); !from) {
            reply("501 5.5.4 Syntax: MAIL FROM:<address>");
        } else if (m_sink->m_refusals > 0) {
            --m_sink->m_refusals;
            reply("451 4.3.0 Temporary failure, try again later");
        } else {
            m_from = *from;
            reply("250 2.1.0 OK");
        }
    } else if (verb == "RCPT") {
        const auto to = pathArgument(argument, "TO:");
        if (!m_from)
            reply("503 5.5.1 Need MAIL first");
        else if (!to || to->isEmpty())
            reply("501 5.5.4 Syntax: RCPT TO:<address>");
        else if (m_recipients.size() >= SmtpSink::MAX_RECIPIENTS)
            reply("452 4.5.3 Too many recipients");
        else {
            m_recipients.append(*to);
            reply("250 2.1.5 OK");
        }
    } else if (verb == "DATA") {
        if (m_recipients.isEmpty()) {
            reply("503 5.5.1 Need RCPT first");
            return;
        }
        m_inData = true;
        m_tooLarge = false;
        m_data.clear();
        reply("354 End data with <CR><LF>.<CR><LF>");
    } else if (verb == "RSET") {
        resetTransaction();
        reply("250 2.0.0 OK");
    } else if (verb == "NOOP") {
        reply("250 2.0.0 OK");
    } else if (verb == "VRFY") {
        reply("252 2.1.5 Cannot VRFY user");
    } else if (verb == "QUIT") {
        reply("221 2.0.0 Bye");
        m_socket->disconnectFromHost();
    } else {
        reply("502 5.5.2 Command not recognized");
    }
}

void SmtpSession::handleAuth(const QByteArray &response)
{
    const Auth step = m_auth;
    m_auth = Auth::None;
    if (response == "*") {
        reply("501 5.0.0 Authentication cancelled");
        return;
    }
    const QByteArray decoded = QByteArray::fromBase64(response);
    if (step == Auth::PlainResponse) {
        // authorization identity, NUL, user, NUL, password
        const QList<QByteArray> parts = decoded.split('\0');
        if (parts.size() != 3) {
            reply("501 5.5.2 Malformed AUTH PLAIN response");
            return;
        }
        checkLogin(parts[1], parts[2]);
    } else if (step == Auth::LoginUser) {
        m_loginUser = decoded;
        m_auth = Auth::LoginPassword;
        reply("334 UGFzc3dvcmQ6"); // "Password:"
    } else if (step == Auth::LoginPassword) {
        checkLogin(m_loginUser, decoded);
    }
}

void SmtpSession::checkLogin(const QByteArray &user, const QByteArray &password)
{
    if (QString::fromUtf8(user) == m_sink->m_user && QString::fromUtf8(password) == m_sink->m_password) {
        m_user = m_sink->m_user;
        reply("235 2.7.0 Authentication successful");
    } else {
        ++m_sink->m_refusedLogins;
        reply("535 5.7.8 Authentication credentials invalid");
    }
}

void SmtpSession::handleDataLine(const QByteArray &line)
{
    if (line == ".") {
        m_inData = false;
        if (m_tooLarge) {
            reply("552 5.3.4 Message too big");
        } else {
            SmtpSink::Message message;
            message.from = *m_from;
            message.recipients = m_recipients;
            message.raw = m_data;
            message.overTls = m_socket->isEncrypted();
            message.user = m_user;
            m_sink->accept(message);
            reply("250 2.0.0 OK queued as " + QByteArray::number(m_sink->messages().size()));
        }
        resetTransaction();
        return;
    }
    const QByteArray unstuffed = line.startsWith('.') ? line.mid(1) : line;
    if (m_data.size() + unstuffed.size() + 2 > SmtpSink::MAX_MESSAGE) {
        m_tooLarge = true;
        return;
    }
    m_data += unstuffed + "\r\n";
}

void SmtpSession::resetTransaction()
{
    m_from.reset();
    m_recipients.clear();
    m_data.clear();
}

QByteArray SmtpSink::Message::header(const QByteArray &name) const
{
    const qsizetype end = raw.indexOf("\r\n\r\n");
    const QByteArray head = raw.left(end < 0 ? raw.size() : end);
    const QByteArray wanted = name.toLower() + ':';
    QByteArray found;
    bool inside = false;
    for (const QByteArray &line : head.split('\n')) {
        const QByteArray bare = line.endsWith('\r') ? line.chopped(1) : line;
        if (inside && (bare.startsWith(' ') || bare.startsWith('\t'))) {
            found += bare; // folded: the line break goes, the white space stays
            continue;
        }
        if (inside)
            break;
        if (bare.toLower().startsWith(wanted)) {
            found = bare.mid(wanted.size()).trimmed();
            inside = true;
        }
    }
    return found;
}

SmtpSink::SmtpSink(QObject *parent)
    : QTcpServer(parent)
{ }

SmtpSink::~SmtpSink()
{
    const QList<SmtpSession *> sessions = m_sessions;
    m_sessions.clear();
    qDeleteAll(sessions); // before this object's members go: they use them
}

bool SmtpSink::useTls(const QString &certificateFile, const QString &keyFile, QString *error)
{
    m_chain = QSslCertificate::fromPath(certificateFile, QSsl::Pem);
    QFile key(keyFile);
    if (key.open(QIODevice::ReadOnly))
        m_key = QSslKey(&key, QSsl::Ec, QSsl::Pem);
    if (m_key.isNull() && key.seek(0))
        m_key = QSslKey(&key, QSsl::Rsa, QSsl::Pem);
    if (m_chain.isEmpty() || m_key.isNull()) {
        *error = u"cannot read the certificate %1 or the key %2"_s.arg(certificateFile, keyFile);
        return false;
    }
    return true;
}

void SmtpSink::requireAuth(const QString &user, const QString &password, const QStringList &mechanisms)
{
    m_user = user;
    m_password = password;
    m_mechanisms = mechanisms;
}

bool SmtpSink::listen(QString *error)
{
    if (QTcpServer::listen(QHostAddress::LocalHost, 0))
        return true;
    *error = errorString();
    return false;
}

QString SmtpSink::url() const
{
    return u"%1://127.0.0.1:%2"_s.arg(m_implicitTls ? u"smtps"_s : u"smtp"_s).arg(serverPort());
}

void SmtpSink::incomingConnection(qintptr descriptor)
{
    auto *socket = new QSslSocket(this);
    if (!socket->setSocketDescriptor(descriptor)) {
        delete socket;
        return;
    }
    if (m_sessions.size() >= MAX_CONNECTIONS) {
        socket->write("421 4.7.0 Too many connections\r\n");
        socket->disconnectFromHost();
        connect(socket, &QSslSocket::disconnected, socket, &QObject::deleteLater);
        return;
    }
    ++m_connections;
    if (!m_chain.isEmpty()) {
        QSslConfiguration configuration = socket->sslConfiguration();
        configuration.setLocalCertificateChain(m_chain);
        configuration.setPrivateKey(m_key);
        configuration.setPeerVerifyMode(QSslSocket::VerifyNone);
        socket->setSslConfiguration(configuration);
    }
    m_sessions.append(new SmtpSession(this, socket));
}

void SmtpSink::accept(Message message)
{
    const qsizetype end = message.raw.indexOf("\r\n\r\n");
    message.body = end < 0 ? QByteArray() : message.raw.mid(end + 4);
    message.subject = decodeHeader(message.header("Subject"));
    m_messages.append(message);
    Q_EMIT messageReceived(message);
}

QString SmtpSink::decodeHeader(const QByteArray &value)
{
    static const QRegularExpression word(uR"(=\?([^?]+)\?([BbQq])\?([^?]*)\?=)"_s);
    const QString text = QString::fromLatin1(value);
    QString decoded;
    qsizetype from = 0;
    bool lastWasWord = false;
    auto matches = word.globalMatch(text);
    while (matches.hasNext()) {
        const auto match = matches.next();
        const QString between = text.mid(from, match.capturedStart() - from);
        // White space between two encoded words is not part of the text (RFC 2047 6.2).
        if (!(lastWasWord && between.trimmed().isEmpty()))
            decoded += between;
        QByteArray bytes = match.captured(3).toLatin1();
        if (match.captured(2).toUpper() == u"B") {
            bytes = QByteArray::fromBase64(bytes);
        } else {
            bytes.replace('_', ' ');
            bytes = QByteArray::fromPercentEncoding(bytes, '=');
        }
        const QString charset = match.captured(1).toLower();
        decoded
            += charset == u"utf-8" || charset == u"us-ascii" ? QString::fromUtf8(bytes) : QString::fromLatin1(bytes);
        from = match.capturedEnd();
        lastWasWord = true;
    }
    decoded += text.mid(from);
    return decoded;
}

} // namespace StreamSwarm::Test

#include "smtpsink.moc"
