// SPDX-License-Identifier: GPL-3.0-or-later
// SPDX-FileCopyrightText: 2026 The StreamSwarm authors
#include "database.h"

#include <algorithm>

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QDir>
#include <QFileInfo>
#include <QSqlDriver>
#include <QSqlError>
#include <QSqlQuery>
#include <QThread>
#include <QUrl>

#ifdef Q_OS_UNIX
#include <fcntl.h>
#include <unistd.h>
#endif

#ifdef STREAMSWARM_SQLITE_DIRECT
#include <sqlite3.h>
#endif
#ifdef STREAMSWARM_PQ_DIRECT
#include <libpq-fe.h>
#endif

#include "console/storage/privatefiles.h"
#include "console/storage/schema.h"
#include "shared/util/logging.h"

using namespace Qt::StringLiterals;

namespace StreamSwarm::Console {

namespace {

// SQLite's own words, without Qt's driver text glued on ("... Unable to fetch row").
QString plainText(const QSqlError &error)
{
    QString text = error.databaseText().trimmed();
    if (text.isEmpty())
        text = error.driverText().trimmed();
    while (text.endsWith(u'.'))
        text.chop(1);
    return text;
}

// Judged with the effective user, as SQLite's own open() will be.
bool isWritableByUs(const QString &path)
{
#ifdef Q_OS_UNIX
    return ::faccessat(AT_FDCWD, QFile::encodeName(path).constData(), W_OK, AT_EACCESS) == 0;
#else
    return QFileInfo(path).isWritable();
#endif
}

bool fail(QString *error, const QString &why)
{
    if (error)
        *error = why;
    return false;
}

// The channel of PostgreSQL's LISTEN/NOTIFY on which programs announce their changes.
const QString CHANGES_CHANNEL = u"streamswarm_changes"_s;

} // namespace

std::optional<DatabaseUrl> DatabaseUrl::parse(const QString &text, QString *error)
{
    if (text.startsWith(u"sqlite:")) {
        QString path = text.mid(7);
        if (path.startsWith(u"//"))
            path = path.mid(2);
        if (path.isEmpty()) {
            fail(error, Database::tr("The database address \"sqlite:\" names no file; write sqlite:/path/to/file.db."));
            return std::nullopt;
        }
        return sqliteFile(path);
    }
    if (text.startsWith(u"postgresql://") || text.startsWith(u"postgres://")) {
        const QUrl url(text, QUrl::StrictMode);
        DatabaseUrl result;
        result.kind = Kind::Postgres;
        result.host = url.host();
        result.port = url.port(5432);
        result.user = url.userName(QUrl::FullyDecoded);
        result.password = url.password(QUrl::FullyDecoded);
        result.name = url.path().mid(1);
        if (!url.isValid() || result.host.isEmpty() || result.name.isEmpty()) {
            fail(error,
                Database::tr("The database address is not a valid PostgreSQL URL; write "
                             "postgresql://user:password@host:5432/dbname."));
            return std::nullopt;
        }
        return result;
    }
    fail(error, Database::tr("The database address must start with sqlite: or postgresql://."));
    return std::nullopt;
}

DatabaseUrl DatabaseUrl::sqliteFile(const QString &path)
{
    DatabaseUrl result;
    result.kind = Kind::Sqlite;
    result.path = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    return result;
}

QString DatabaseUrl::displayName() const
{
    if (kind == Kind::Sqlite)
        return path;
    return u"postgresql://%1@%2:%3/%4"_s.arg(user, host).arg(port).arg(name);
}

Database::~Database()
{
    close();
}

bool Database::open(const DatabaseUrl &url, const QString &connectionName, QString *error)
{
    close();
    m_url = url;
    m_connectionName = connectionName;
    m_openedAs = connectionName;
    if (url.kind == DatabaseUrl::Kind::Sqlite) {
        const QFileInfo file(url.path);
        if (!makePrivateFolder(file.absolutePath(), error))
            return false;
        if (file.exists() && !file.isFile())
            return fail(error, tr("The database path %1 is not a file.").arg(url.path));
        if (!file.exists() && !makePrivateFile(url.path, error))
            return false;
        // SQLite would open a read-only file quietly and fail at the first write; say so now.
        if (file.exists() && !isWritableByUs(url.path)) {
            return fail(error,
                tr("The database file %1 is read-only; make it writable or use another with --db.").arg(url.path));
        }
        m_db = QSqlDatabase::addDatabase(u"QSQLITE"_s, connectionName);
        m_db.setDatabaseName(url.path);
        m_db.setConnectOptions(u"QSQLITE_BUSY_TIMEOUT=5000"_s);
    } else {
        m_db = QSqlDatabase::addDatabase(u"QPSQL"_s, connectionName);
        m_db.setHostName(url.host);
        m_db.setPort(url.port);
        m_db.setUserName(url.user);
        m_db.setPassword(url.password);
        m_db.setDatabaseName(url.name);
        m_db.setConnectOptions(u"connect_timeout=10"_s);
    }
    if (!m_db.isValid()) {
        return fail(error,
            tr("The Qt SQL driver for %1 is not installed (package libqt6sql6-sqlite or "
               "libqt6sql6-psql).")
                .arg(url.displayName()));
    }
    if (!m_db.open()) {
        const QString why = openError();
        close();
        return fail(error, why);
    }
    if (!configure(error) || !Schema::migrate(*this, error)) {
        close();
        return false;
    }
    return true;
}

QString Database::openError() const
{
    const QString why = plainText(m_db.lastError());
    if (isSqlite())
        return tr("Cannot open the database %1: %2.").arg(m_url.displayName(), why);
    // PostgreSQL's own words name the cause; say it plainly, with what to check.
    const QString where = u"%1:%2"_s.arg(m_url.host).arg(m_url.port);
    if (why.contains(u"password authentication failed"_s) || why.contains(u"no password supplied"_s))
        return tr("PostgreSQL at %1 refused the password for user \"%2\"; check the password in --db or --db-file.")
            .arg(where, m_url.user);
    if (why.contains(u"database \""_s) && why.contains(u"does not exist"_s))
        return tr("PostgreSQL at %1 has no database named \"%2\"; create it (createdb -O %3 %2) or fix the name.")
            .arg(where, m_url.name, m_url.user);
    if (why.contains(u"role \""_s) && why.contains(u"does not exist"_s))
        return tr("PostgreSQL at %1 has no user named \"%2\"; create it (createuser -P %2) or fix the name.")
            .arg(where, m_url.user);
    if (why.contains(u"Connection refused"_s) || why.contains(u"could not connect"_s)
        || why.contains(u"timeout expired"_s) || why.contains(u"could not translate host name"_s))
        return tr("Nothing answers as PostgreSQL at %1; check that the server runs and that the host and port are "
                  "right (%2).")
            .arg(where, why.simplified());
    return tr("Cannot open the database %1: %2.").arg(m_url.displayName(), why.simplified());
}

void Database::close()
{
    if (m_connectionName.isEmpty())
        return;
    forgetStatements(); // SQLite closes a connection only once its statements are finalized
    m_db.close();
    m_db = QSqlDatabase();
    QSqlDatabase::removeDatabase(m_connectionName);
    m_connectionName.clear();
    m_watching = false;
    m_depth = 0;
}

bool Database::reconnect(QString *error)
{
    if (isSqlite() || m_openedAs.isEmpty())
        return true;
    {
        // Closed before the connection is replaced: a query must not outlive its connection.
        if (!m_connectionName.isEmpty() && m_db.isOpen() && QSqlQuery(m_db).exec(u"SELECT 1"_s)) {
            m_mayHaveLostConnection = false;
            return true;
        }
    }
    // A failed attempt leaves the connection closed; the next one opens it under the same name.
    const bool watching = m_watching || m_watchWanted;
    const DatabaseUrl url = m_url;
    const QString name = m_openedAs;
    if (!open(url, name, error)) {
        m_watchWanted = watching;
        return false;
    }
    m_watchWanted = false;
    m_mayHaveLostConnection = false;
    // Changes made while the connection was down were not announced to it: reload once.
    m_notified = true;
    return !watching || watchForChanges(error);
}

void Database::noteFailure(const QSqlError &error)
{
    if (meansDiskFull(error.text()))
        m_diskFull = describeError(plainText(error));
    if (isSqlite())
        return;
    // Once the server is gone every statement fails; the storage thread then tries reconnect().
    const QString text = error.text();
    if (error.type() == QSqlError::ConnectionError || text.contains(u"server closed the connection"_s)
        || text.contains(u"terminating connection"_s) || text.contains(u"no connection to the server"_s)
        || text.contains(u"connection to server"_s) || text.contains(u"could not receive data"_s)
        || text.contains(u"could not send data"_s) || !m_db.isOpen())
        m_mayHaveLostConnection = true;
}

bool Database::watchForChanges(QString *error)
{
    if (isSqlite())
        return true;
    QSqlDriver *driver = m_db.driver();
    if (!driver->subscribeToNotification(CHANGES_CHANNEL))
        return fail(error, describeError(plainText(driver->lastError())));
    QObject::connect(driver, &QSqlDriver::notification, driver,
        [this](const QString &channel, QSqlDriver::NotificationSource source, const QVariant &) {
            if (channel == CHANGES_CHANNEL && source == QSqlDriver::OtherSource)
                m_notified = true;
        });
    m_watching = true;
    return true;
}

bool Database::announceChange(QString *error)
{
    // NOTIFY is part of the transaction: delivered when it commits, dropped when it rolls back.
    return isSqlite() || exec(u"NOTIFY "_s + CHANGES_CHANNEL, error);
}

bool Database::configure(QString *error)
{
    // PostgreSQL's notices ("already exists, skipping") are not for the user's terminal. Agents delete
    // what the console acks, so a commit must be on disk when it returns, whatever the server's
    // default (synchronous_commit = off would lose the last acked batches in a crash).
    if (!isSqlite())
        return exec(u"SET client_min_messages TO WARNING"_s, error) && exec(u"SET synchronous_commit TO on"_s, error);
    // WAL lets the CLI and GUI read while the writer commits; FULL makes each commit durable
    // before the console acks it, since agents delete what is acked. Switching to WAL takes an
    // exclusive lock for which SQLite does not wait (no busy handler), so retry for a while when
    // another program (the CLI, a second console) holds the file at that moment.
    QDeadlineTimer deadline(std::chrono::seconds(10));
    QSqlQuery query(m_db);
    while (!query.exec(u"PRAGMA journal_mode=WAL"_s)) {
        const QString why = plainText(query.lastError());
        if (deadline.hasExpired() || !(why.contains(u"locked") || why.contains(u"busy")))
            return fail(error, describeError(why));
        QThread::msleep(20);
    }
    // A group of batches commits as one transaction: a page cache that holds it (64 MiB at most)
    // saves writing pages to the log twice when it would spill mid-transaction. Reads of long spans
    // (a year of rollups) map the file instead of copying it page by page through read().
    return exec(u"PRAGMA synchronous=FULL"_s, error) && exec(u"PRAGMA foreign_keys=ON"_s, error)
        && exec(u"PRAGMA cache_size=-65536"_s, error) && exec(u"PRAGMA mmap_size=1073741824"_s, error);
}

QString Database::describeError(const QString &sqlError) const
{
    QString hint;
    const QString lower = sqlError.toLower();
    if (lower.contains(u"readonly") || lower.contains(u"read-only") || lower.contains(u"permission"))
        hint = tr(" Check that the file and its folder are writable.");
    else if (lower.contains(u"locked") || lower.contains(u"busy"))
        hint = tr(" Another program holds the database; try again in a moment.");
    else if (lower.contains(u"disk") && lower.contains(u"full"))
        hint = tr(" The disk is full; free some space.");
    return tr("The database %1 failed: %2.%3").arg(m_url.displayName(), sqlError, hint);
}

bool Database::meansDiskFull(const QString &error)
{
    const QString lower = error.toLower();
    // SQLite: "database or disk is full"; PostgreSQL: "could not extend file ...: No space left on device".
    return (lower.contains(u"disk"_s) && lower.contains(u"full"_s)) || lower.contains(u"no space left"_s);
}

bool Database::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_db);
    if (!query.exec(sql)) {
        noteFailure(query.lastError());
        return fail(error, describeError(plainText(query.lastError())));
    }
    return true;
}

std::optional<qint64> Database::sizeBytes(QString *error)
{
    if (isSqlite()) {
        // The log holds committed pages not yet copied back; both are what the disk gives up.
        const QFileInfo file(m_url.path);
        if (!file.exists()) {
            fail(error, tr("The database file %1 is gone.").arg(m_url.path));
            return std::nullopt;
        }
        return file.size() + QFileInfo(m_url.path + u"-wal"_s).size();
    }
    QSqlQuery query(m_db);
    if (!query.exec(u"SELECT pg_database_size(current_database())"_s) || !query.next()) {
        fail(error, describeError(plainText(query.lastError())));
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

bool Database::exec(QSqlQuery &query, QString *error)
{
    // A query run already (exec(sql) then next()) comes here only to have its failure described.
    if (query.lastError().isValid() || !query.exec()) {
        noteFailure(query.lastError());
        return fail(error, describeError(plainText(query.lastError())));
    }
    return true;
}

bool Database::execChangingRow(QSqlQuery &query, const QString &whenNone, QString *error)
{
    if (!exec(query, error))
        return false;
    if (query.numRowsAffected() == 0)
        return fail(error, whenNone);
    return true;
}

QSqlQuery &Database::prepared(const QString &sql)
{
    auto it = m_prepared.find(sql);
    // A query whose last run failed keeps its error, so it is prepared afresh.
    if (it == m_prepared.end() || it->lastError().isValid()) {
        QSqlQuery query(m_db);
        query.prepare(sql);
        it = m_prepared.insert(sql, query);
    }
    return *it;
}

sqlite3_stmt *Database::sqliteStatement(const char *sql)
{
#ifdef STREAMSWARM_SQLITE_DIRECT
    if (!isSqlite())
        return nullptr;
    if (sqlite3_stmt *statement = m_sqliteStatements.value(sql))
        return statement;
    const QVariant handle = m_db.driver()->handle();
    if (!handle.isValid() || qstrcmp(handle.typeName(), "sqlite3*") != 0)
        return nullptr;
    sqlite3 *connection = *static_cast<sqlite3 *const *>(handle.constData());
    sqlite3_stmt *statement = nullptr;
    if (!connection
        || sqlite3_prepare_v3(connection, sql, -1, SQLITE_PREPARE_PERSISTENT, &statement, nullptr) != SQLITE_OK) {
        qCWarning(lcStorage).noquote() << "SQLite could not prepare" << sql << "(Qt Sql is used instead):"
                                       << (connection ? sqlite3_errmsg(connection) : "no connection");
        return nullptr;
    }
    m_sqliteStatements.insert(sql, statement);
    return statement;
#else
    Q_UNUSED(sql)
    return nullptr;
#endif
}

#ifdef STREAMSWARM_PQ_DIRECT
namespace {

PGconn *postgresConnection(const QSqlDatabase &db)
{
    const QVariant handle = db.driver() ? db.driver()->handle() : QVariant();
    // Qt names the type by libpq's struct (pg_conn*), older versions by its typedef.
    if (!handle.isValid()
        || (qstrcmp(handle.typeName(), "pg_conn*") != 0 && qstrcmp(handle.typeName(), "PGconn*") != 0))
        return nullptr;
    return *static_cast<PGconn *const *>(handle.constData());
}

} // namespace
#endif

bool Database::canCopy() const
{
#ifdef STREAMSWARM_PQ_DIRECT
    return !isSqlite() && postgresConnection(m_db);
#else
    return false;
#endif
}

bool Database::copyIn(const char *sql, const QByteArray &rows, QString *error)
{
#ifdef STREAMSWARM_PQ_DIRECT
    PGconn *connection = postgresConnection(m_db);
    if (!connection)
        return fail(error, describeError(u"no PostgreSQL connection to copy on"_s));
    // The server's own words on failure, seen as Qt's driver would report them (lost connection,
    // full disk).
    const auto failed = [&](PGresult *result) {
        const QString why
            = QString::fromUtf8(result ? PQresultErrorMessage(result) : PQerrorMessage(connection)).trimmed();
        if (result)
            PQclear(result);
        // Drain what is left, ending the COPY should the server still be reading it; bounded, as a
        // broken connection may not settle.
        for (int i = 0; i < 16; ++i) {
            PGresult *rest = PQgetResult(connection);
            if (!rest)
                break;
            const bool copying = PQresultStatus(rest) == PGRES_COPY_IN;
            PQclear(rest);
            if (copying && PQputCopyEnd(connection, "the console stopped sending") != 1)
                break;
        }
        noteFailure(QSqlError(u"COPY failed"_s, why,
            PQstatus(connection) == CONNECTION_OK ? QSqlError::StatementError : QSqlError::ConnectionError));
        return fail(error, describeError(why));
    };
    PGresult *started = PQexec(connection, sql);
    if (PQresultStatus(started) != PGRES_COPY_IN)
        return failed(started);
    PQclear(started);
    constexpr qsizetype CHUNK = 1 << 20;
    for (qsizetype at = 0; at < rows.size(); at += CHUNK) {
        if (PQputCopyData(connection, rows.constData() + at, int(std::min(CHUNK, rows.size() - at))) != 1)
            return failed(nullptr);
    }
    if (PQputCopyEnd(connection, nullptr) != 1)
        return failed(nullptr);
    PGresult *ended = PQgetResult(connection);
    if (PQresultStatus(ended) != PGRES_COMMAND_OK)
        return failed(ended);
    PQclear(ended);
    while (PGresult *rest = PQgetResult(connection))
        PQclear(rest);
    return true;
#else
    Q_UNUSED(sql)
    Q_UNUSED(rows)
    return fail(error, describeError(u"PostgreSQL's COPY is not available"_s));
#endif
}

bool Database::step(sqlite3_stmt *statement, QString *error)
{
#ifdef STREAMSWARM_SQLITE_DIRECT
    const int code = sqlite3_step(statement);
    sqlite3_reset(statement);
    if (code == SQLITE_DONE || code == SQLITE_ROW)
        return true;
    const QString why = describeError(QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(statement))));
    if (code == SQLITE_FULL)
        m_diskFull = why;
    return fail(error, why);
#else
    Q_UNUSED(statement)
    return fail(error, describeError(u"SQLite's C API is not available"_s));
#endif
}

#ifdef STREAMSWARM_SQLITE_DIRECT
qint64 Database::DirectRow::integer(int column) const
{
    return sqlite3_column_int64(m_statement, column);
}

double Database::DirectRow::real(int column) const
{
    return sqlite3_column_double(m_statement, column);
}

QByteArray Database::DirectRow::blob(int column) const
{
    const void *data = sqlite3_column_blob(m_statement, column);
    return data ? QByteArray::fromRawData(static_cast<const char *>(data), sqlite3_column_bytes(m_statement, column))
                : QByteArray();
}

bool Database::forEachDirectRow(sqlite3_stmt *statement, const QVariantList &values,
    const std::function<void(const DirectRow &)> &row, QString *error)
{
    int index = 0;
    bool bound = true;
    for (const QVariant &value : values) {
        ++index;
        switch (value.typeId()) {
        case QMetaType::Double:
            bound = bound && sqlite3_bind_double(statement, index, value.toDouble()) == SQLITE_OK;
            break;
        case QMetaType::QString: {
            const QByteArray text = value.toString().toUtf8();
            bound = bound
                && sqlite3_bind_text(statement, index, text.constData(), int(text.size()), SQLITE_TRANSIENT)
                    == SQLITE_OK;
            break;
        }
        default:
            bound = bound && sqlite3_bind_int64(statement, index, value.toLongLong()) == SQLITE_OK;
        }
    }
    int code = bound ? SQLITE_ROW : SQLITE_MISUSE;
    const DirectRow current(statement);
    while (bound && (code = sqlite3_step(statement)) == SQLITE_ROW)
        row(current);
    const QString why = QString::fromUtf8(sqlite3_errmsg(sqlite3_db_handle(statement)));
    sqlite3_reset(statement);
    sqlite3_clear_bindings(statement);
    if (code == SQLITE_DONE)
        return true;
    return fail(error, describeError(bound ? why : u"a value could not be bound"_s));
}
#else
qint64 Database::DirectRow::integer(int) const
{
    return 0;
}

double Database::DirectRow::real(int) const
{
    return 0;
}

QByteArray Database::DirectRow::blob(int) const
{
    return {};
}

bool Database::forEachDirectRow(
    sqlite3_stmt *, const QVariantList &, const std::function<void(const DirectRow &)> &, QString *error)
{
    return fail(error, describeError(u"SQLite's C API is not available"_s));
}
#endif

void Database::forgetStatements()
{
    m_prepared.clear();
#ifdef STREAMSWARM_SQLITE_DIRECT
    for (sqlite3_stmt *statement : std::as_const(m_sqliteStatements))
        sqlite3_finalize(statement);
#endif
    m_sqliteStatements.clear();
}

bool Database::beginWrite(QString *error)
{
    if (m_depth > 0) {
        if (!exec(u"SAVEPOINT nested_%1"_s.arg(m_depth), error))
            return false;
        ++m_depth;
        return true;
    }
    if (isSqlite()) {
        if (!exec(u"BEGIN IMMEDIATE"_s, error))
            return false;
        m_depth = 1;
        return true;
    }
    if (!m_db.transaction()) {
        noteFailure(m_db.lastError());
        return fail(error, describeError(plainText(m_db.lastError())));
    }
    m_depth = 1;
    return true;
}

bool Database::commit(QString *error)
{
    if (m_depth > 1) {
        // PostgreSQL ends a savepoint with its transaction anyway: releasing each one costs a round
        // trip per batch of a group (about a tenth of ingest). A later savepoint of the same name
        // hides it, so a rollback still goes to the newest.
        if (isSqlite() && !exec(u"RELEASE SAVEPOINT nested_%1"_s.arg(m_depth - 1), error))
            return false;
        --m_depth;
        return true;
    }
    // A transaction whose commit failed (a full disk leaves SQLite's open) is rolled back here and
    // now: left open, the next transaction would nest in it as a savepoint and never be committed.
    if (isSqlite()) {
        if (!exec(u"COMMIT"_s, error)) {
            rollback();
            return false;
        }
        m_depth = 0;
        return true;
    }
    if (!m_db.commit()) {
        noteFailure(m_db.lastError());
        const QString why = describeError(plainText(m_db.lastError()));
        rollback();
        return fail(error, why);
    }
    m_depth = 0;
    return true;
}

void Database::rollback()
{
    if (m_depth > 1) {
        exec(u"ROLLBACK TO SAVEPOINT nested_%1"_s.arg(m_depth - 1), nullptr);
        exec(u"RELEASE SAVEPOINT nested_%1"_s.arg(m_depth - 1), nullptr);
        --m_depth;
        return;
    }
    if (isSqlite())
        exec(u"ROLLBACK"_s, nullptr);
    else
        m_db.rollback();
    m_depth = 0;
}

bool Database::changedElsewhere()
{
    if (!isSqlite()) {
        const bool changed = m_notified;
        m_notified = false;
        return changed;
    }
    QSqlQuery query(m_db);
    if (!query.exec(u"PRAGMA data_version"_s) || !query.next())
        return false;
    const qint64 version = query.value(0).toLongLong();
    const bool changed = m_dataVersion >= 0 && version != m_dataVersion;
    m_dataVersion = version;
    return changed;
}

} // namespace StreamSwarm::Console
