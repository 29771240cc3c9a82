#include "readmodel/postgres/PostgresSource.h"

#include "readmodel/postgres/PostgresRows.h"

#include <QJsonObject>

#include <pqxx/pqxx>

#include <algorithm>
#include <vector>

namespace chronoscope::readmodel {

struct PostgresSource::Session
{
    std::unique_ptr<pqxx::connection> connection;
};

namespace {

/// A libpq keyword value, quoted ('…' with \ and ' escaped).
std::string quoted(const QString &value)
{
    QString v = value;
    v.replace(QLatin1Char('\\'), QStringLiteral("\\\\")).replace(QLatin1Char('\''), QStringLiteral("\\'"));
    return "'" + v.toStdString() + "'";
}

QString oneLine(const char *what)
{
    return QString::fromUtf8(what).simplified();
}

ReadModelError error(ReadModelError::Kind kind, const QString &message, const QString &code = {})
{
    return ReadModelError{kind, message, code};
}

/// What a failed connection attempt means. libpq gives no code for these, only its message.
ReadModelError connectError(const QString &message)
{
    static const char *authMarks[] = {"password authentication failed", "no password supplied", "authentication failed",
                                      "SCRAM"};
    for (const char *mark : authMarks) {
        if (message.contains(QLatin1String(mark), Qt::CaseInsensitive))
            return error(ReadModelError::Kind::AuthenticationFailed, message, QStringLiteral("28P01"));
    }
    return error(ReadModelError::Kind::Unreachable, message);
}

/// An SQL error: the server's words and SQLSTATE. Class 57 (operator intervention: shutdown, crash) and
/// 08 (connection exception) mean the server went away rather than refused the query.
ReadModelError sqlError(const pqxx::sql_error &e)
{
    const QString code = QString::fromStdString(e.sqlstate());
    const QString message = oneLine(e.what());
    if (code.startsWith(QLatin1String("57")) || code.startsWith(QLatin1String("08")))
        return error(ReadModelError::Kind::ServerGone, message, code);
    return error(ReadModelError::Kind::QueryFailed, message, code);
}

/// What an exception from a one-statement read means: the server's SQL error, or — broken_connection, or libpqxx
/// failing on a connection that broke under it — the server gone (the connection is dropped for the next call).
ReadModelError readFailure(const std::exception &e, std::unique_ptr<pqxx::connection> &connection)
{
    if (const auto *sql = dynamic_cast<const pqxx::sql_error *>(&e))
        return sqlError(*sql);
    connection.reset();
    return error(ReadModelError::Kind::ServerGone,
                 QStringLiteral("the connection to the server broke (%1)").arg(oneLine(e.what())));
}

QJsonValue rowValue(const pqxx::result &r, const pqxx::row &row)
{
    return postgres::rowValue(postgres::Columns(r), row);
}

} // namespace

PostgresSource::PostgresSource(ReadModelEndpoint endpoint, QString password, ReadModelMapping mapping)
    : EndpointSource(std::move(endpoint), std::move(password), std::move(mapping))
    , m_session(std::make_unique<Session>())
{}

PostgresSource::~PostgresSource() = default;

ReadModelError PostgresSource::connect()
{
    if (ReadModelError e = checkBackend(ReadModelMapping::Backend::PostgreSql))
        return e;
    if (m_session->connection && m_session->connection->is_open())
        return {};
    m_session->connection.reset();
    std::string conninfo = "host=" + quoted(m_endpoint.host) + " port=" + std::to_string(m_endpoint.port)
        + " sslmode=" + quoted(m_endpoint.sslMode) + " connect_timeout="
        + std::to_string(std::max(1, (m_endpoint.connectTimeoutMs + 999) / 1000)) + " application_name='chronoscope'";
    if (!m_endpoint.database.isEmpty())
        conninfo += " dbname=" + quoted(m_endpoint.database);
    if (!m_endpoint.username.isEmpty())
        conninfo += " user=" + quoted(m_endpoint.username);
    if (!m_password.isEmpty())
        conninfo += " password=" + quoted(m_password);
    // The session only reads, and speaks one dialect for dates, zones and money whatever the server's defaults.
    conninfo += " options='-c default_transaction_read_only=on -c DateStyle=ISO,YMD -c TimeZone=UTC"
                " -c lc_monetary=C -c extra_float_digits=1 -c statement_timeout="
        + std::to_string(m_endpoint.queryTimeoutMs) + "'";
    try {
        m_session->connection = std::make_unique<pqxx::connection>(conninfo);
    } catch (const pqxx::broken_connection &e) {
        return connectError(oneLine(e.what()));
    } catch (const pqxx::sql_error &e) {
        return sqlError(e);
    } catch (const std::exception &e) {
        return connectError(oneLine(e.what()));
    }
    return {};
}

bool PostgresSource::hasConnection() const
{
    return m_session->connection != nullptr;
}

RowLookup PostgresSource::fetchRowOnce(const QString &aggregateId)
{
    RowLookup out;
    if ((out.error = connect()))
        return out;
    try {
        pqxx::read_transaction tx(*m_session->connection);
        const pqxx::result r = tx.exec_params(m_mapping.rowQuery().toStdString(), aggregateId.toStdString());
        tx.commit();
        if (r.size() > 1) {
            out.error = error(ReadModelError::Kind::BadRow,
                              QStringLiteral("the row query returned %1 rows for %2 (expected at most one)")
                                  .arg(r.size())
                                  .arg(m_mapping.streamOf(aggregateId)));
            return out;
        }
        if (r.size() == 1) {
            out.found = true;
            out.raw = rowValue(r, r[0]);
        }
    } catch (const std::exception &e) {
        out.error = readFailure(e, m_session->connection);
    }
    return out;
}

ReadModelError PostgresSource::scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink)
{
    return scanBlocks(batchSize, cancel, [&sink](const RowBlockPtr &block) { return sink(block->rows()); });
}

ReadModelError PostgresSource::scanBlocks(int batchSize, const CancellationPtr &cancel, const BlockSink &sink)
{
    if (ReadModelError e = connect())
        return e;
    qsizetype rows = 0;
    const QStringList idColumn = m_mapping.idColumn().split(QLatin1Char('.'));
    const std::string fetch = "FETCH FORWARD " + std::to_string(std::max(1, batchSize)) + " FROM chronoscope_scan";
    try {
        pqxx::read_transaction tx(*m_session->connection);
        tx.exec("DECLARE chronoscope_scan NO SCROLL CURSOR FOR " + m_mapping.scanQuery().toStdString());
        for (;;) {
            if (cancel && cancel->isCancelled())
                return error(ReadModelError::Kind::Cancelled, QStringLiteral("the scan was cancelled"));
            const pqxx::result r = tx.exec(fetch);
            if (r.empty())
                break;
            // The rows stay in libpq's text until a value is asked for: only the ids are read here.
            auto block = std::make_shared<postgres::PostgresRowBlock>(r);
            if (!block->readIds(idColumn))
                return error(ReadModelError::Kind::BadRow,
                             QStringLiteral("a row of the scan query has no id column \"%1\" (or it is NULL)")
                                 .arg(m_mapping.idColumn()));
            rows += block->size();
            if (!sink(block))
                break;
        }
        tx.commit();
    } catch (const pqxx::sql_error &e) {
        ReadModelError err = sqlError(e);
        if (err.kind == ReadModelError::Kind::ServerGone)
            m_session->connection.reset();
        return err;
    } catch (const std::exception &e) {
        // broken_connection, or a transaction that cannot end because the connection broke
        m_session->connection.reset();
        return error(ReadModelError::Kind::ServerGone,
                     QStringLiteral("the connection to the server broke after %1 rows of the scan (%2)")
                         .arg(rows)
                         .arg(oneLine(e.what())));
    }
    return {};
}

} // namespace chronoscope::readmodel

namespace chronoscope::readmodel {

CheckpointLookup PostgresSource::readCheckpoint()
{
    CheckpointLookup out;
    if (!m_mapping.checkpoint().isSet())
        return ReadModelSource::readCheckpoint();
    if ((out.error = connect()))
        return out;
    try {
        pqxx::read_transaction tx(*m_session->connection);
        const pqxx::result r = tx.exec(m_mapping.checkpoint().query.toStdString());
        tx.commit();
        if (!r.empty() && r.columns() > 0) {
            const QJsonObject row = rowValue(r, r[0]).toObject();
            out.raw = row.value(QString::fromUtf8(r.column_name(0)));
        }
    } catch (const std::exception &e) {
        out.error = readFailure(e, m_session->connection);
    }
    return out;
}

} // namespace chronoscope::readmodel
