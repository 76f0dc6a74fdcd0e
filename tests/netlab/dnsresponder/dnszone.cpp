// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "dnszone.h"

#include <QHostAddress>
#include <QRegularExpression>
#include <QtEndian>

using namespace Qt::StringLiterals;

namespace StreamSwarm::NetLab {

namespace {

constexpr int HEADER_SIZE = 12;
constexpr int TYPE_CNAME = 5;
constexpr int RCODE_NXDOMAIN = 3;
constexpr int RCODE_FORMERR = 1;

const QList<std::pair<int, QString>> &types()
{
    static const QList<std::pair<int, QString>> list{{1, u"A"_s}, {2, u"NS"_s}, {5, u"CNAME"_s}, {12, u"PTR"_s},
        {15, u"MX"_s}, {16, u"TXT"_s}, {28, u"AAAA"_s}, {33, u"SRV"_s}};
    return list;
}

void append16(QByteArray &out, int value)
{
    out.append(char((value >> 8) & 0xff));
    out.append(char(value & 0xff));
}

void append32(QByteArray &out, quint32 value)
{
    append16(out, int(value >> 16));
    append16(out, int(value & 0xffff));
}

bool encodeName(QString name, QByteArray &out)
{
    if (name.endsWith(u'.'))
        name.chop(1);
    if (!name.isEmpty()) {
        for (const QString &label : name.split(u'.')) {
            const QByteArray bytes = label.toUtf8();
            if (bytes.isEmpty() || bytes.size() > 63)
                return false;
            out.append(char(bytes.size()));
            out.append(bytes);
        }
    }
    out.append('\0');
    return true;
}

// TXT data: "quoted strings" with \" and \\ escapes, or bare words, each one character-string.
bool encodeStrings(const QString &text, QByteArray &out)
{
    static const QRegularExpression item(u"\"((?:[^\"\\\\]|\\\\.)*)\"|(\\S+)"_s);
    auto matches = item.globalMatch(text);
    bool any = false;
    while (matches.hasNext()) {
        const auto match = matches.next();
        QString value = match.captured(1).isNull() ? match.captured(2) : match.captured(1);
        value.replace(u"\\\""_s, u"\""_s).replace(u"\\\\"_s, u"\\"_s);
        const QByteArray bytes = value.toUtf8();
        if (bytes.size() > 255)
            return false;
        out.append(char(bytes.size()));
        out.append(bytes);
        any = true;
    }
    return any;
}

// The name at offset in a query (no compression in questions), lower-cased; *end after it.
bool readName(const QByteArray &message, int offset, QByteArray *name, int *end)
{
    QByteArrayList labels;
    while (offset < message.size()) {
        const int length = quint8(message.at(offset));
        if (length == 0) {
            *name = labels.join('.').toLower();
            *end = offset + 1;
            return true;
        }
        if (length > 63 || offset + 1 + length > message.size())
            return false;
        labels.append(message.mid(offset + 1, length));
        offset += 1 + length;
    }
    return false;
}

} // namespace

int DnsZone::typeCode(const QString &name)
{
    for (const auto &[code, typeName] : types()) {
        if (typeName.compare(name, Qt::CaseInsensitive) == 0)
            return code;
    }
    return 0;
}

QString DnsZone::typeName(int code)
{
    for (const auto &[typeCode, name] : types()) {
        if (typeCode == code)
            return name;
    }
    return u"TYPE%1"_s.arg(code);
}

bool DnsZone::add(const QString &line, QString *error)
{
    const QStringList fields = line.trimmed().split(QRegularExpression(u"\\s+"_s));
    const auto bad = [&](const QString &why) {
        *error = u"record '%1': %2"_s.arg(line, why);
        return false;
    };
    if (fields.size() < 4)
        return bad(u"give NAME TYPE TTL DATA"_s);
    Record record;
    record.name = fields.at(0).toLower().toUtf8();
    if (record.name.endsWith('.'))
        record.name.chop(1);
    record.type = typeCode(fields.at(1));
    bool ok = false;
    record.ttl = fields.at(2).toUInt(&ok);
    if (!record.type || !ok)
        return bad(u"unknown type or bad TTL"_s);
    const QStringList data = fields.mid(3);
    const QString rest = line.trimmed().section(QRegularExpression(u"\\s+"_s), 3);
    switch (record.type) {
    case 1:
    case 28: {
        const QHostAddress address(data.at(0));
        if (address.isNull() || (record.type == 1) != (address.protocol() == QAbstractSocket::IPv4Protocol))
            return bad(u"not an address of that family"_s);
        if (record.type == 1) {
            append32(record.data, address.toIPv4Address());
        } else {
            const Q_IPV6ADDR v6 = address.toIPv6Address();
            record.data.append(reinterpret_cast<const char *>(v6.c), 16);
        }
        break;
    }
    case 2:
    case 5:
    case 12:
        if (!encodeName(data.at(0), record.data))
            return bad(u"not a name"_s);
        break;
    case 15:
        if (data.size() != 2 || !encodeName(data.at(1), (append16(record.data, data.at(0).toInt()), record.data)))
            return bad(u"give PREFERENCE NAME"_s);
        break;
    case 33:
        if (data.size() != 4)
            return bad(u"give PRIORITY WEIGHT PORT TARGET"_s);
        for (int i = 0; i < 3; ++i)
            append16(record.data, data.at(i).toInt());
        if (!encodeName(data.at(3), record.data))
            return bad(u"not a name"_s);
        break;
    case 16:
        if (!encodeStrings(rest, record.data))
            return bad(u"give strings"_s);
        break;
    }
    m_records.append(record);
    return true;
}

QByteArray DnsZone::answer(const QByteArray &query, Mode mode, int forcedRcode, QString *summary) const
{
    if (query.size() < HEADER_SIZE || (query.at(2) & 0x80))
        return QByteArray(); // not a query
    QByteArray name;
    int end = 0;
    const int questions = qFromBigEndian<quint16>(query.constData() + 4);
    if (questions != 1 || !readName(query, HEADER_SIZE, &name, &end) || end + 4 > query.size()) {
        QByteArray reply = query.left(HEADER_SIZE);
        reply[2] = char(0x80 | (query.at(2) & 0x79));
        reply[3] = char(RCODE_FORMERR);
        for (int i = 4; i < HEADER_SIZE; ++i)
            reply[i] = 0;
        *summary = u"FORMERR"_s;
        return reply;
    }
    const int type = qFromBigEndian<quint16>(query.constData() + end);
    const QByteArray question = query.mid(HEADER_SIZE, end + 4 - HEADER_SIZE);

    QList<const Record *> answers;
    bool nameKnown = false;
    for (const Record &record : m_records) {
        if (record.name != name)
            continue;
        nameKnown = true;
        if (record.type == type)
            answers.append(&record);
    }
    if (answers.isEmpty() && type != TYPE_CNAME) {
        for (const Record &record : m_records) {
            if (record.name == name && record.type == TYPE_CNAME)
                answers.append(&record); // not chased: the client sees the alias, as from an authoritative server
        }
    }
    int rcode = forcedRcode >= 0 ? forcedRcode : (nameKnown ? 0 : RCODE_NXDOMAIN);
    if (forcedRcode >= 0)
        answers.clear();
    const bool truncate = mode == Mode::Truncate;
    if (truncate)
        answers.clear();

    QByteArray reply = query.left(2);
    // QR, the query's opcode and RD, AA, TC when truncating; RA; the RCODE.
    reply.append(char(0x80 | (query.at(2) & 0x79) | 0x04 | (truncate ? 0x02 : 0)));
    reply.append(char(0x80 | (rcode & 0x0f)));
    append16(reply, 1);
    append16(reply, int(answers.size()));
    append16(reply, 0);
    append16(reply, 0);
    reply.append(question);
    for (const Record *record : answers) {
        encodeName(QString::fromUtf8(record->name), reply);
        append16(reply, record->type);
        append16(reply, 1); // IN
        append32(reply, record->ttl);
        append16(reply, int(record->data.size()));
        reply.append(record->data);
    }
    static const QStringList rcodes{
        u"NOERROR"_s, u"FORMERR"_s, u"SERVFAIL"_s, u"NXDOMAIN"_s, u"NOTIMP"_s, u"REFUSED"_s};
    *summary = u"%1 %2 %3 %4%5"_s
                   .arg(QString::fromUtf8(name), typeName(type),
                       rcode < rcodes.size() ? rcodes.at(rcode) : QString::number(rcode))
                   .arg(answers.size())
                   .arg(truncate ? u" TC"_s : QString());
    return reply;
}

} // namespace StreamSwarm::NetLab
