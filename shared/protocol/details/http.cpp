// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "http.h"

#include <QCborArray>

#include "shared/protocol/detailcodec.h"
#include "shared/protocol/fieldreader.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Protocol {

namespace {

constexpr int MAX_SHORT_LENGTH = 16; // method, version, TLS version
constexpr int MAX_MEDIA_TYPE_LENGTH = 256;
constexpr int MAX_CIPHER_LENGTH = 128;
constexpr int MAX_VALIDATION_LENGTH = 1024;

QCborMap encodeTiming(const HttpRequestTiming &timing)
{
    QCborMap map{{u"dns"_s, timing.dnsMs}, {u"connect"_s, timing.connectMs}};
    if (timing.tlsMs)
        map.insert(u"tls"_s, *timing.tlsMs);
    map.insert(u"ttfb"_s, timing.ttfbMs);
    map.insert(u"total"_s, timing.totalMs);
    map.insert(u"reused"_s, timing.reused);
    return map;
}

HttpRequestTiming readTiming(const QCborValue &value, FieldReader &reader)
{
    HttpRequestTiming timing;
    if (!value.isMap())
        return reader.fail(u"each request must be a map"_s), timing;
    const QCborMap map = value.toMap();
    timing.dnsMs = reader.number(map, u"dns"_s, 0, MAX_DETAIL_MS);
    timing.connectMs = reader.number(map, u"connect"_s, 0, MAX_DETAIL_MS);
    timing.tlsMs = reader.optionalNumber(map, u"tls"_s, 0, MAX_DETAIL_MS);
    timing.ttfbMs = reader.number(map, u"ttfb"_s, 0, MAX_DETAIL_MS);
    timing.totalMs = reader.number(map, u"total"_s, 0, MAX_DETAIL_MS);
    timing.reused = reader.boolean(map, u"reused"_s);
    return timing;
}

void insertText(QCborMap &map, const QString &key, const QString &text)
{
    if (!text.isEmpty())
        map.insert(key, text);
}

} // namespace

void HttpDetail::writeTo(QCborMap &map) const
{
    map.insert(u"url"_s, url);
    insertText(map, u"finalUrl"_s, finalUrl);
    map.insert(u"method"_s, method);
    insertText(map, u"version"_s, version);
    if (status)
        map.insert(u"status"_s, status);
    if (!redirects.isEmpty())
        map.insert(u"redirects"_s, QCborArray::fromStringList(redirects));
    insertText(map, u"address"_s, address);
    if (port)
        map.insert(u"port"_s, port);
    insertText(map, u"contentType"_s, contentType);
    insertText(map, u"contentEncoding"_s, contentEncoding);
    if (!headers.isEmpty()) {
        QCborArray encoded;
        for (const HttpHeader &header : headers)
            encoded.append(QCborMap{{u"name"_s, header.name}, {u"value"_s, header.value}});
        map.insert(u"headers"_s, encoded);
    }
    insertText(map, u"tlsVersion"_s, tlsVersion);
    insertText(map, u"cipher"_s, cipher);
    if (!chain.isEmpty())
        map.insert(u"chain"_s, encodeChain(chain));
    if (trusted)
        map.insert(u"trusted"_s, *trusted);
    insertText(map, u"validation"_s, validation);
    if (!requests.isEmpty()) {
        QCborArray encoded;
        for (const HttpRequestTiming &timing : requests)
            encoded.append(encodeTiming(timing));
        map.insert(u"requests"_s, encoded);
    }
}

HttpDetail HttpDetail::readFrom(const QCborMap &map, FieldReader &reader)
{
    HttpDetail detail;
    detail.url = reader.text(map, u"url"_s, MAX_HTTP_URL_LENGTH);
    detail.finalUrl = reader.text(map, u"finalUrl"_s, MAX_HTTP_URL_LENGTH, false);
    detail.method = reader.text(map, u"method"_s, MAX_SHORT_LENGTH);
    detail.version = reader.text(map, u"version"_s, MAX_SHORT_LENGTH, false);
    detail.status = int(reader.count(map, u"status"_s, 100, 999, false));
    const QCborArray redirects = reader.array(map, u"redirects"_s, MAX_HTTP_REDIRECTS, false);
    for (const QCborValue &redirect : redirects) {
        if (!redirect.isString() || redirect.toString().size() > MAX_HTTP_URL_LENGTH)
            return reader.fail(u"field 'redirects' must hold URLs of at most %1 characters"_s.arg(MAX_HTTP_URL_LENGTH)),
                   detail;
        detail.redirects.append(redirect.toString());
    }
    detail.address = reader.text(map, u"address"_s, MAX_ADDRESS_LENGTH, false);
    detail.port = int(reader.count(map, u"port"_s, 1, 65535, false));
    detail.contentType = reader.text(map, u"contentType"_s, MAX_MEDIA_TYPE_LENGTH, false);
    detail.contentEncoding = reader.text(map, u"contentEncoding"_s, MAX_MEDIA_TYPE_LENGTH, false);
    const QCborArray headers = reader.array(map, u"headers"_s, MAX_HTTP_HEADERS, false);
    for (qsizetype i = 0; i < headers.size() && reader.ok(); ++i) {
        if (!headers.at(i).isMap())
            return reader.fail(u"each header must be a map"_s), detail;
        const QCborMap header = headers.at(i).toMap();
        reader.setContext(u"http detail, header %1: "_s.arg(i + 1));
        HttpHeader entry;
        entry.name = reader.text(header, u"name"_s, MAX_HTTP_HEADER_NAME_LENGTH);
        entry.value = reader.text(header, u"value"_s, MAX_HTTP_HEADER_VALUE_LENGTH);
        detail.headers.append(entry);
    }
    reader.setContext(u"http detail: "_s);
    detail.tlsVersion = reader.text(map, u"tlsVersion"_s, MAX_SHORT_LENGTH, false);
    detail.cipher = reader.text(map, u"cipher"_s, MAX_CIPHER_LENGTH, false);
    detail.chain = readChain(map, reader);
    detail.trusted = reader.optionalBoolean(map, u"trusted"_s);
    detail.validation = reader.text(map, u"validation"_s, MAX_VALIDATION_LENGTH, false);
    const QCborArray requests = reader.array(map, u"requests"_s, MAX_HTTP_REQUESTS, false);
    for (qsizetype i = 0; i < requests.size() && reader.ok(); ++i) {
        reader.setContext(u"http detail, request %1: "_s.arg(i + 1));
        detail.requests.append(readTiming(requests.at(i), reader));
    }
    reader.setContext(u"http detail: "_s);
    return detail;
}

} // namespace StreamSwarm::Protocol
