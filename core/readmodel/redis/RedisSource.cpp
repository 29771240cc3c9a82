#include "readmodel/redis/RedisSource.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>

#include <hiredis/hiredis.h>

#include <vector>

namespace chronoscope::readmodel {

namespace {

struct ReplyDeleter
{
    void operator()(redisReply *r) const { freeReplyObject(r); }
};
using Reply = std::unique_ptr<redisReply, ReplyDeleter>;

struct ContextDeleter
{
    void operator()(redisContext *c) const { redisFree(c); }
};

timeval timeout(int ms)
{
    return timeval{ms / 1000, (ms % 1000) * 1000};
}

ReadModelError error(ReadModelError::Kind kind, const QString &message, const QString &code = {})
{
    return ReadModelError{kind, message, code};
}

QString text(const redisReply *r)
{
    return QString::fromUtf8(r->str, int(r->len));
}

/// An error reply: its first word is Redis's code (WRONGTYPE, NOAUTH, WRONGPASS, ERR …).
ReadModelError replyError(const redisReply *r)
{
    const QString message = text(r);
    const QString code = message.section(QLatin1Char(' '), 0, 0);
    if (code == QLatin1String("WRONGPASS") || code == QLatin1String("NOAUTH")
        || message.contains(QLatin1String("invalid password"), Qt::CaseInsensitive))
        return error(ReadModelError::Kind::AuthenticationFailed, message, code);
    return error(ReadModelError::Kind::QueryFailed, message, code);
}

} // namespace

struct RedisSource::Session
{
    std::unique_ptr<redisContext, ContextDeleter> context;

    /// One command; a null reply means the connection broke (the context says why).
    Reply command(const QList<QByteArray> &args)
    {
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &a : args) {
            argv.push_back(a.constData());
            lengths.push_back(size_t(a.size()));
        }
        return Reply(
            static_cast<redisReply *>(redisCommandArgv(context.get(), int(argv.size()), argv.data(), lengths.data())));
    }
    void append(const QList<QByteArray> &args)
    {
        std::vector<const char *> argv;
        std::vector<size_t> lengths;
        for (const QByteArray &a : args) {
            argv.push_back(a.constData());
            lengths.push_back(size_t(a.size()));
        }
        redisAppendCommandArgv(context.get(), int(argv.size()), argv.data(), lengths.data());
    }
    Reply next()
    {
        void *reply = nullptr;
        if (redisGetReply(context.get(), &reply) != REDIS_OK)
            return nullptr;
        return Reply(static_cast<redisReply *>(reply));
    }
    ReadModelError gone()
    {
        const QString why = context ? QString::fromUtf8(context->errstr) : QString();
        context.reset();
        return error(ReadModelError::Kind::ServerGone,
                     QStringLiteral("the connection to the server broke: ")
                         + (why.isEmpty() ? QStringLiteral("no reply") : why));
    }
};

RedisSource::RedisSource(ReadModelEndpoint endpoint, QString password, ReadModelMapping mapping)
    : EndpointSource(std::move(endpoint), std::move(password), std::move(mapping))
    , m_session(std::make_unique<Session>())
{}

RedisSource::~RedisSource() = default;

ReadModelError RedisSource::connect()
{
    if (ReadModelError e = checkBackend(ReadModelMapping::Backend::Redis))
        return e;
    if (m_session->context)
        return {};
    m_session->context.reset(redisConnectWithTimeout(m_endpoint.host.toUtf8().constData(), m_endpoint.port,
                                                     timeout(m_endpoint.connectTimeoutMs)));
    if (!m_session->context || m_session->context->err) {
        const QString why = m_session->context ? QString::fromUtf8(m_session->context->errstr)
                                               : QStringLiteral("out of memory");
        m_session->context.reset();
        return error(ReadModelError::Kind::Unreachable,
                     QStringLiteral("cannot connect to %1:%2: %3").arg(m_endpoint.host).arg(m_endpoint.port).arg(why));
    }
    redisSetTimeout(m_session->context.get(), timeout(m_endpoint.queryTimeoutMs));
    QList<QList<QByteArray>> hello;
    if (!m_password.isEmpty()) {
        QList<QByteArray> auth{QByteArrayLiteral("AUTH")};
        if (!m_endpoint.username.isEmpty())
            auth.append(m_endpoint.username.toUtf8());
        auth.append(m_password.toUtf8());
        hello.append(auth);
    }
    if (!m_endpoint.database.isEmpty() && m_endpoint.database != QLatin1String("0"))
        hello.append({QByteArrayLiteral("SELECT"), m_endpoint.database.toUtf8()});
    hello.append({QByteArrayLiteral("PING")});
    for (const QList<QByteArray> &cmd : hello) {
        const Reply r = m_session->command(cmd);
        if (!r)
            return m_session->gone();
        if (r->type == REDIS_REPLY_ERROR) {
            ReadModelError e = replyError(r.get());
            m_session->context.reset();
            return e;
        }
    }
    return {};
}

namespace {

/// A key's value as a row: a hash as an object of strings; a JSON string parsed. Undefined = no such key.
QJsonValue rowOf(const redisReply *r, ReadModelMapping::RedisValue kind, QString *problem)
{
    if (kind == ReadModelMapping::RedisValue::Hash) {
        if (r->type != REDIS_REPLY_ARRAY)
            return QJsonValue(QJsonValue::Undefined);
        if (r->elements == 0)
            return QJsonValue(QJsonValue::Undefined); // HGETALL of a missing key: an empty list
        QJsonObject o;
        for (size_t i = 0; i + 1 < r->elements; i += 2)
            o.insert(text(r->element[i]), text(r->element[i + 1]));
        return o;
    }
    if (r->type == REDIS_REPLY_NIL)
        return QJsonValue(QJsonValue::Undefined);
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(QByteArray(r->str, int(r->len)), &pe);
    if (!doc.isObject()) {
        *problem = pe.error != QJsonParseError::NoError ? QStringLiteral("not JSON (%1)").arg(pe.errorString())
                                                        : QStringLiteral("not a JSON object");
        return QJsonValue(QJsonValue::Undefined);
    }
    return doc.object();
}

QByteArray readCommand(ReadModelMapping::RedisValue kind)
{
    return kind == ReadModelMapping::RedisValue::Hash ? QByteArrayLiteral("HGETALL") : QByteArrayLiteral("GET");
}

} // namespace

bool RedisSource::hasConnection() const
{
    return m_session->context != nullptr;
}

RowLookup RedisSource::fetchRowOnce(const QString &aggregateId)
{
    RowLookup out;
    if ((out.error = connect()))
        return out;
    const QString key = m_mapping.keyOf(aggregateId);
    const Reply r = m_session->command({readCommand(m_mapping.redisValue()), key.toUtf8()});
    if (!r) {
        out.error = m_session->gone();
        return out;
    }
    if (r->type == REDIS_REPLY_ERROR) {
        out.error = replyError(r.get());
        return out;
    }
    QString problem;
    out.raw = rowOf(r.get(), m_mapping.redisValue(), &problem);
    if (!problem.isEmpty())
        out.error = error(ReadModelError::Kind::BadRow, QStringLiteral("key %1: %2").arg(key, problem));
    out.found = !out.raw.isUndefined();
    return out;
}

ReadModelError RedisSource::scan(int batchSize, const CancellationPtr &cancel, const BatchSink &sink)
{
    if (ReadModelError e = connect())
        return e;
    QSet<QString> seen;
    QByteArray cursor = QByteArrayLiteral("0");
    const QByteArray count = QByteArray::number(std::max(1, batchSize));
    do {
        if (cancel && cancel->isCancelled())
            return error(ReadModelError::Kind::Cancelled, QStringLiteral("the scan was cancelled"));
        const Reply page = m_session->command({QByteArrayLiteral("SCAN"), cursor, QByteArrayLiteral("MATCH"),
                                               m_mapping.keyGlob().toUtf8(), QByteArrayLiteral("COUNT"), count});
        if (!page)
            return m_session->gone();
        if (page->type == REDIS_REPLY_ERROR)
            return replyError(page.get());
        if (page->type != REDIS_REPLY_ARRAY || page->elements != 2)
            return error(ReadModelError::Kind::QueryFailed, QStringLiteral("SCAN gave an unexpected reply"));
        cursor = QByteArray(page->element[0]->str, int(page->element[0]->len));
        QList<ReadModelRow> batch;
        QStringList keys;
        for (size_t i = 0; i < page->element[1]->elements; ++i) {
            const QString key = text(page->element[1]->element[i]);
            const std::optional<QString> id = m_mapping.aggregateIdOfKey(key);
            if (!id || seen.contains(key))
                continue;
            seen.insert(key);
            keys.append(key);
            batch.append(ReadModelRow{*id, {}});
        }
        for (const QString &key : keys)
            m_session->append({readCommand(m_mapping.redisValue()), key.toUtf8()});
        QList<ReadModelRow> present;
        for (qsizetype i = 0; i < keys.size(); ++i) {
            const Reply r = m_session->next();
            if (!r)
                return m_session->gone();
            QString problem;
            if (r->type == REDIS_REPLY_ERROR) // e.g. WRONGTYPE: a key of the pattern holds another type
                problem = text(r.get());
            else
                batch[i].raw = rowOf(r.get(), m_mapping.redisValue(), &problem);
            if (!problem.isEmpty())
                batch[i].problem = QStringLiteral("key %1: %2").arg(keys[i], problem);
            // A key deleted between SCAN and the read is not a row any more.
            if (!batch[i].raw.isUndefined() || !batch[i].problem.isEmpty())
                present.append(batch[i]);
        }
        if (!present.isEmpty() && !sink(present))
            return {};
    } while (cursor != "0");
    return {};
}

} // namespace chronoscope::readmodel

namespace chronoscope::readmodel {

CheckpointLookup RedisSource::readCheckpoint()
{
    CheckpointLookup out;
    const CheckpointSpec &spec = m_mapping.checkpoint();
    if (!spec.isSet())
        return ReadModelSource::readCheckpoint();
    if ((out.error = connect()))
        return out;
    const Reply r = spec.field.isEmpty()
        ? m_session->command({QByteArrayLiteral("GET"), spec.key.toUtf8()})
        : m_session->command({QByteArrayLiteral("HGET"), spec.key.toUtf8(), spec.field.toUtf8()});
    if (!r)
        out.error = m_session->gone();
    else if (r->type == REDIS_REPLY_ERROR)
        out.error = replyError(r.get());
    else if (r->type == REDIS_REPLY_STRING)
        out.raw = text(r.get());
    else if (r->type == REDIS_REPLY_INTEGER)
        out.raw = QString::number(r->integer);
    return out;
}

} // namespace chronoscope::readmodel
