// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "httprequesthead.h"

#include <algorithm>
#include <optional>

#include <QList>

namespace StreamSwarm::Console {

namespace {

// RFC 9110's tchar: what a method and a field name are made of.
bool isTokenCharacter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
        || QByteArrayView("!#$%&'*+-.^_`|~").contains(c);
}

bool isToken(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), isTokenCharacter);
}

// Visible ASCII only: no spaces, controls or bytes above 0x7e in a request target.
bool isVisible(QByteArrayView text)
{
    return !text.isEmpty() && std::all_of(text.begin(), text.end(), [](char c) { return c > 0x20 && c < 0x7f; });
}

bool isFieldValue(QByteArrayView text)
{
    return std::all_of(text.begin(), text.end(), [](char c) {
        const auto byte = static_cast<unsigned char>(c);
        return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
    });
}

// The path of an origin-form ("/metrics?x") or absolute-form ("http://host/metrics") target.
std::optional<QByteArray> targetPath(QByteArrayView target)
{
    if (target == "*")
        return QByteArray("*"); // OPTIONS *: a target no path matches
    if (!target.startsWith('/')) {
        const qsizetype scheme = target.indexOf("://");
        if (scheme <= 0)
            return std::nullopt;
        const qsizetype slash = target.indexOf('/', scheme + 3);
        target = slash < 0 ? QByteArrayView("/") : target.sliced(slash);
    }
    const qsizetype end = std::min(target.indexOf('?') < 0 ? target.size() : target.indexOf('?'),
        target.indexOf('#') < 0 ? target.size() : target.indexOf('#'));
    return target.first(end).toByteArray();
}

} // namespace

HttpRequestHead HttpRequestHead::parse(QByteArrayView received)
{
    HttpRequestHead head;
    // RFC 9112 2.2: ignore blank lines before the request line; a bare LF may end a line.
    qsizetype start = 0;
    while (start < received.size() && (received[start] == '\r' || received[start] == '\n'))
        ++start;
    qsizetype end = -1;
    qsizetype blankLineEnd = -1;
    for (qsizetype i = start; i < received.size() && i < MAX_BYTES; ++i) {
        if (received[i] != '\n')
            continue;
        if (i + 1 < received.size() && received[i + 1] == '\n') {
            end = i;
            blankLineEnd = i + 2;
        } else if (i + 2 < received.size() && received[i + 1] == '\r' && received[i + 2] == '\n') {
            end = i;
            blankLineEnd = i + 3;
        }
        if (end >= 0)
            break;
    }
    if (end < 0 || blankLineEnd > MAX_BYTES) {
        head.status = received.size() >= MAX_BYTES ? Status::TooLarge : Status::Incomplete;
        return head;
    }
    head.status = Status::Invalid;
    QList<QByteArrayView> lines;
    for (qsizetype from = start; from <= end;) {
        qsizetype newline = received.indexOf('\n', from);
        if (newline < 0 || newline > end)
            newline = end;
        QByteArrayView line = received.sliced(from, newline - from);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.contains('\r') || line.contains('\0'))
            return head;
        lines.append(line);
        from = newline + 1;
    }

    const QByteArrayView requestLine = lines.first();
    const qsizetype firstSpace = requestLine.indexOf(' ');
    const qsizetype lastSpace = requestLine.lastIndexOf(' ');
    if (firstSpace <= 0 || lastSpace <= firstSpace + 1)
        return head;
    const QByteArrayView method = requestLine.first(firstSpace);
    const QByteArrayView target = requestLine.sliced(firstSpace + 1, lastSpace - firstSpace - 1);
    const QByteArrayView version = requestLine.sliced(lastSpace + 1);
    if (!isToken(method) || !isVisible(target) || version.size() != 8 || !version.startsWith("HTTP/1.")
        || version[7] < '0' || version[7] > '9')
        return head;
    const auto path = targetPath(target);
    if (!path)
        return head;
    for (qsizetype i = 1; i < lines.size(); ++i) {
        // "name: value"; a name followed by space before the colon, or a folded line, is refused
        // (RFC 9112 5.1 and 5.2).
        const QByteArrayView field = lines[i];
        const qsizetype colon = field.indexOf(':');
        if (colon <= 0 || !isToken(field.first(colon)) || !isFieldValue(field.sliced(colon + 1)))
            return head;
    }
    head.status = Status::Complete;
    head.method = method.toByteArray();
    head.path = *path;
    head.minorVersion = version[7] - '0';
    return head;
}

} // namespace StreamSwarm::Console
