// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dnsanswer.h"

#include <array>
#include <utility>

#include <QHostAddress>

#include <ares.h>

using namespace Qt::StringLiterals;

namespace StreamSwarm::Agent {

namespace {

constexpr int HEADER_SIZE = 12;
constexpr int FIXED_RECORD_SIZE = 10; // type, class, TTL, data length

constexpr std::array<std::pair<int, const char16_t *>, 9> TYPE_NAMES{{{1, u"A"}, {2, u"NS"}, {5, u"CNAME"}, {6, u"SOA"},
    {12, u"PTR"}, {15, u"MX"}, {16, u"TXT"}, {28, u"AAAA"}, {33, u"SRV"}}};

constexpr std::array<const char16_t *, 11> RCODE_NAMES{u"NOERROR", u"FORMERR", u"SERVFAIL", u"NXDOMAIN", u"NOTIMP",
    u"REFUSED", u"YXDOMAIN", u"YXRRSET", u"NXRRSET", u"NOTAUTH", u"NOTZONE"};

quint16 read16(const unsigned char *p)
{
    return quint16((p[0] << 8) | p[1]);
}

quint32 read32(const unsigned char *p)
{
    return (quint32(p[0]) << 24) | (quint32(p[1]) << 16) | (quint32(p[2]) << 8) | quint32(p[3]);
}

// Reads the message as it goes; the first problem stops it.
class MessageReader
{
public:
    explicit MessageReader(const QByteArray &message)
        : m_data(reinterpret_cast<const unsigned char *>(message.constData()))
        , m_size(int(message.size()))
    { }

    bool ok() const { return m_error.isEmpty(); }
    const QString &error() const { return m_error; }
    int offset() const { return m_offset; }
    const unsigned char *at(int offset) const { return m_data + offset; }
    bool has(int bytes, int offset) const { return offset >= 0 && bytes >= 0 && offset + bytes <= m_size; }

    void fail(const QString &why)
    {
        if (m_error.isEmpty())
            m_error = why;
    }

    // A name at offset, as dig prints it (with the trailing dot); *length is its size in place.
    QString nameAt(int offset, long *length)
    {
        char *name = nullptr;
        *length = 0;
        if (!has(1, offset) || ares_expand_name(m_data + offset, m_data, m_size, &name, length) != ARES_SUCCESS) {
            fail(DnsAnswer::tr("a name in it is broken (a bad label or compression pointer)"));
            return {};
        }
        QString text = QString::fromUtf8(name);
        ares_free_string(name);
        return text + u'.'; // c-ares leaves the root's dot out; dig prints it
    }

    QString name()
    {
        long length = 0;
        QString text = nameAt(m_offset, &length);
        m_offset += int(length);
        return text;
    }

    void skip(int bytes)
    {
        if (!has(bytes, m_offset))
            return fail(DnsAnswer::tr("the message ends early"));
        m_offset += bytes;
    }

private:
    const unsigned char *m_data;
    int m_size;
    int m_offset = HEADER_SIZE;
    QString m_error;
};

// A character-string of TXT data as dig prints it: quoted, '"' and '\' escaped, others as \DDD.
QString quotedString(const unsigned char *p, int length)
{
    QString text = u"\""_s;
    for (int i = 0; i < length; ++i) {
        const unsigned char c = p[i];
        if (c == '"' || c == '\\')
            text += u'\\' + QLatin1Char(char(c));
        else if (c < 0x20 || c > 0x7e)
            text += u"\\%1"_s.arg(int(c), 3, 10, QChar(u'0'));
        else
            text += QLatin1Char(char(c));
    }
    return text + u'"';
}

// RFC 3597's form for data of a type without its own: "\# 4 0A000001", as dig prints it.
QString genericData(const unsigned char *p, int length)
{
    if (length == 0)
        return u"\\# 0"_s;
    return u"\\# %1 %2"_s.arg(length).arg(
        QString::fromLatin1(QByteArray(reinterpret_cast<const char *>(p), length).toHex().toUpper()));
}

QString recordData(MessageReader &reader, int type, int offset, int length)
{
    const unsigned char *p = reader.at(offset);
    long nameLength = 0;
    switch (type) {
    case 1: // A
        if (length == 4)
            return QHostAddress(read32(p)).toString();
        break;
    case 28: // AAAA
        if (length == 16)
            return QHostAddress(p).toString();
        break;
    case 2: // NS
    case 5: // CNAME
    case 12: // PTR
        return reader.nameAt(offset, &nameLength);
    case 15: // MX
        if (length > 2)
            return u"%1 %2"_s.arg(read16(p)).arg(reader.nameAt(offset + 2, &nameLength));
        break;
    case 33: // SRV
        if (length > 6) {
            return u"%1 %2 %3 %4"_s.arg(read16(p))
                .arg(read16(p + 2))
                .arg(read16(p + 4))
                .arg(reader.nameAt(offset + 6, &nameLength));
        }
        break;
    case 16: { // TXT
        QStringList strings;
        for (int i = 0; i < length;) {
            const int size = p[i];
            if (i + 1 + size > length) {
                reader.fail(DnsAnswer::tr("the strings of a TXT record overrun its data"));
                return {};
            }
            strings.append(quotedString(p + i + 1, size));
            i += 1 + size;
        }
        return strings.join(u' ');
    }
    case 6: { // SOA
        const QString primary = reader.nameAt(offset, &nameLength);
        long mailboxLength = 0;
        const QString mailbox = reader.nameAt(offset + int(nameLength), &mailboxLength);
        const int numbers = offset + int(nameLength + mailboxLength);
        if (reader.ok() && reader.has(20, numbers) && numbers + 20 == offset + length) {
            const unsigned char *n = reader.at(numbers);
            return u"%1 %2 %3 %4 %5 %6 %7"_s.arg(primary, mailbox)
                .arg(read32(n))
                .arg(read32(n + 4))
                .arg(read32(n + 8))
                .arg(read32(n + 12))
                .arg(read32(n + 16));
        }
        break;
    }
    default:
        return genericData(p, length);
    }
    reader.fail(DnsAnswer::tr("the data of a %1 record does not read").arg(dnsTypeName(type)));
    return {};
}

} // namespace

QString dnsTypeName(int type)
{
    for (const auto &[code, name] : TYPE_NAMES) {
        if (code == type)
            return QString::fromUtf16(name);
    }
    return u"TYPE%1"_s.arg(type);
}

int dnsTypeCode(QStringView name)
{
    for (const auto &[code, typeName] : TYPE_NAMES) {
        if (name == QStringView(typeName))
            return code;
    }
    return 0;
}

QString dnsRcodeName(int rcode)
{
    return rcode >= 0 && rcode < int(RCODE_NAMES.size()) ? QString::fromUtf16(RCODE_NAMES[size_t(rcode)])
                                                         : u"RCODE%1"_s.arg(rcode);
}

bool DnsAnswer::parse(const QByteArray &message, DnsAnswer *answer, QString *error)
{
    if (message.size() < HEADER_SIZE) {
        *error = tr("the message is shorter than a DNS header");
        return false;
    }
    const auto *header = reinterpret_cast<const unsigned char *>(message.constData());
    DnsAnswer result;
    const quint16 flags = read16(header + 2);
    result.authoritative = flags & 0x0400;
    result.truncated = flags & 0x0200;
    result.rcode = flags & 0x000f;
    const int questions = read16(header + 4);
    const int answers = read16(header + 6);
    MessageReader reader(message);
    for (int i = 0; i < questions && reader.ok(); ++i) {
        reader.name();
        reader.skip(4);
    }
    for (int i = 0; i < answers && reader.ok(); ++i) {
        Protocol::DnsRecord record;
        record.name = reader.name();
        const int fixed = reader.offset();
        reader.skip(FIXED_RECORD_SIZE);
        if (!reader.ok())
            break;
        const int type = read16(reader.at(fixed));
        const quint32 ttl = read32(reader.at(fixed + 4));
        const int length = read16(reader.at(fixed + 8));
        const int data = reader.offset();
        reader.skip(length);
        if (!reader.ok())
            break;
        if (result.records.size() >= Protocol::MAX_DNS_ANSWERS) {
            result.cut = true;
            continue;
        }
        record.type = dnsTypeName(type);
        record.ttl = ttl > 0x7fffffff ? 0 : qint64(ttl); // RFC 2181 8
        record.data = recordData(reader, type, data, length);
        if (record.data.size() > Protocol::MAX_DNS_DATA_LENGTH) {
            record.data.truncate(Protocol::MAX_DNS_DATA_LENGTH);
            result.cut = true;
        }
        result.records.append(record);
    }
    if (!reader.ok()) {
        *error = reader.error();
        return false;
    }
    *answer = result;
    return true;
}

} // namespace StreamSwarm::Agent
