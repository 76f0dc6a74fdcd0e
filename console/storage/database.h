// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#pragma once

#include <functional>
#include <optional>
#include <utility>

#include <QCoreApplication>
#include <QHash>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QVariant>

struct sqlite3_stmt;

namespace StreamSwarm::Console {

// An id or time where 0 means "none", bound as SQL NULL.
inline QVariant nullIfZero(qint64 value)
{
    return value ? QVariant(value) : QVariant(QMetaType::fromType<qint64>());
}

// Where the data lives: "sqlite:/path/file.db" or "postgresql://user:pass@host:port/dbname".
struct DatabaseUrl
{
    enum class Kind { Sqlite, Postgres };
    Kind kind = Kind::Sqlite;
    QString path; // SQLite file
    QString host;
    int port = 5432;
    QString user;
    QString password;
    QString name;

    static std::optional<DatabaseUrl> parse(const QString &text, QString *error);
    static DatabaseUrl sqliteFile(const QString &path);
    QString displayName() const; // never shows the password
};

// One open connection to the console's database with the schema migrated to the current version.
// A Database belongs to the thread that opened it (Qt Sql's rule); the console keeps one on its
// storage thread, the CLI one on its main thread.
class Database
{
    Q_DECLARE_TR_FUNCTIONS(StreamSwarm::Console::Database)
public:
    Database() = default;
    ~Database();
    Q_DISABLE_COPY_MOVE(Database)

    bool open(const DatabaseUrl &url, const QString &connectionName, QString *error);
    void close();

    QSqlDatabase &connection() { return m_db; }
    const DatabaseUrl &url() const { return m_url; }
    bool isSqlite() const { return m_url.kind == DatabaseUrl::Kind::Sqlite; }

    // Runs one statement; on failure writes a sentence naming the database and the SQL error.
    bool exec(const QString &sql, QString *error);
    bool exec(QSqlQuery &query, QString *error);
    // Runs an UPDATE that must change a row; when it changes none, *error is whenNone.
    bool execChangingRow(QSqlQuery &query, const QString &whenNone, QString *error);
    QString describeError(const QString &sqlError) const;
    // Whether a failure (as describeError() put it) was the disk or the database running out of space.
    static bool meansDiskFull(const QString &error);
    // Why a statement failed for want of space since the last call; empty when none did.
    QString takeDiskFull() { return std::exchange(m_diskFull, {}); }
    // How much disk the data takes: the SQLite file with its write-ahead log, or PostgreSQL's
    // pg_database_size; nullopt and why when it cannot be read.
    std::optional<qint64> sizeBytes(QString *error);

    // BEGIN IMMEDIATE on SQLite: take the write lock up front. Inside a transaction already begun
    // they nest: a savepoint, which commit() releases and rollback() undoes alone.
    bool beginWrite(QString *error);
    bool commit(QString *error);
    void rollback();
    int transactionDepth() const { return m_depth; }

    // A query prepared once on this connection and kept until it closes, for statements run for every
    // batch (preparing costs more than running them). Run it with exec(); finish() a SELECT after use.
    QSqlQuery &prepared(const QString &sql);
    // SQLite, where the console links the SQLite library Qt's driver uses: the same, prepared with
    // SQLite's own C API (binding through Qt costs more than the insert itself). nullptr where that is
    // not available; the caller then uses prepared().
    sqlite3_stmt *sqliteStatement(const char *sql);
    // PostgreSQL, where the console links the libpq Qt's driver uses: COPY ... FROM STDIN (sql) of
    // rows in COPY's binary format (BinaryCopy), on this connection and in its transaction; far
    // cheaper for the server than INSERT. canCopy() is false where that is not available; the caller
    // then uses SQL.
    bool canCopy() const;
    bool copyIn(const char *sql, const QByteArray &rows, QString *error);
    // Runs a statement from sqliteStatement() (its values bound) and resets it; describes a failure.
    bool step(sqlite3_stmt *statement, QString *error);
    // One result row of a statement from sqliteStatement(), read without Qt's QVariant per value.
    class DirectRow
    {
    public:
        explicit DirectRow(sqlite3_stmt *statement)
            : m_statement(statement)
        { }
        qint64 integer(int column) const;
        double real(int column) const;
        QByteArray blob(int column) const; // not a copy: valid until the next row

    private:
        sqlite3_stmt *m_statement;
    };
    // Runs a SELECT from sqliteStatement() with these values bound (integers, reals, texts) and calls
    // row() for each result row; describes a failure.
    bool forEachDirectRow(sqlite3_stmt *statement, const QVariantList &values,
        const std::function<void(const DirectRow &)> &row, QString *error);

    // Changes made by other connections (the CLI) since the last call: SQLite's data_version, or
    // on PostgreSQL the notices other programs sent with announceChange() (after watchForChanges()).
    bool changedElsewhere();
    bool watchForChanges(QString *error);
    // Inside a write transaction: tell every program watching this database, when it commits.
    bool announceChange(QString *error);

    // PostgreSQL: whether a statement failed in a way that may mean the server went away; then
    // reconnect() tries to open the connection again (the server restarted, the network is back).
    bool mayHaveLostConnection() const { return m_mayHaveLostConnection; }
    bool reconnect(QString *error);

private:
    bool configure(QString *error);
    QString openError() const;
    void noteFailure(const QSqlError &error);

    void forgetStatements();

    QSqlDatabase m_db;
    QString m_connectionName;
    QHash<QString, QSqlQuery> m_prepared;
    QString m_diskFull;
    QHash<const char *, sqlite3_stmt *> m_sqliteStatements; // keyed by the SQL literal's address
    DatabaseUrl m_url;
    qint64 m_dataVersion = -1;
    bool m_notified = false;
    bool m_watching = false;
    bool m_mayHaveLostConnection = false;
    int m_depth = 0; // open transactions: 0 none, 1 a transaction, more: its savepoints
    QString m_openedAs; // the connection's name, kept while reconnect() finds the server gone
    bool m_watchWanted = false; // watchForChanges() again once reconnected
};

} // namespace StreamSwarm::Console
