// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include <QString>

namespace StreamSwarm::Console {

// What an action that returns nothing but success returns.
struct Done
{ };

// An operation's answer: its value, or one plain sentence saying why there is none.
template <typename T>
class Result
{
public:
    Result(T value) // NOLINT(google-explicit-constructor): `return value;` reads best
        : m_value(std::move(value))
    { }
    static Result failure(QString error)
    {
        Result result;
        result.m_error = std::move(error);
        return result;
    }

    bool ok() const { return m_value.has_value(); }
    explicit operator bool() const { return ok(); }
    const T &operator*() const { return *m_value; }
    const T *operator->() const { return &*m_value; }
    const QString &error() const { return m_error; }

private:
    Result() = default;

    std::optional<T> m_value;
    QString m_error;
};

// The GUI's callbacks: called on the caller's thread with the operation's answer.
template <typename T>
using Callback = std::function<void(const Result<T> &)>;

} // namespace StreamSwarm::Console
