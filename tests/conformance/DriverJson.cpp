#include "DriverJson.h"

#include <QCryptographicHash>
#include <QJsonDocument>

#include <stdexcept>

namespace driver {

QString str(quint64 n) { return QString::number(n); }

// QJsonDocument only holds objects and arrays; scalars travel inside a one-element array.
QByteArray jsonBytes(const QJsonValue &v)
{
    if (v.isObject())
        return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact);
    if (v.isArray())
        return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact);
    const QByteArray wrapped = QJsonDocument(QJsonArray{v}).toJson(QJsonDocument::Compact);
    return wrapped.mid(1, wrapped.size() - 2);
}

std::optional<QJsonValue> parseJson(const QByteArray &bytes)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson('[' + bytes + ']', &error);
    if (error.error != QJsonParseError::NoError || !doc.isArray() || doc.array().size() != 1)
        return std::nullopt;
    return doc.array().at(0);
}

QJsonValue position(const Position &p)
{
    return QJsonObject{{QStringLiteral("commit"), str(p.commit)}, {QStringLiteral("prepare"), str(p.prepare)}};
}

QJsonValue position(const std::optional<Position> &p) { return p ? position(*p) : QJsonValue(); }

// The official clients parse JSON data (falling back to the text) and metadata (falling back to
// the bytes); mirror that so only protocol differences remain.
QJsonObject record(const RecordedEvent &e)
{
    QJsonValue data;
    if (e.isJson())
        data = parseJson(e.data).value_or(QJsonValue(QString::fromUtf8(e.data)));
    else
        data = QString::fromLatin1(e.data.toBase64());
    QJsonValue metadata;
    if (!e.metadata.isEmpty())
        metadata = parseJson(e.metadata).value_or(QJsonValue(QString::fromLatin1(e.metadata.toBase64())));
    return QJsonObject{
        {QStringLiteral("streamId"), QString::fromUtf8(e.streamId)},
        {QStringLiteral("id"), e.id.toString(QUuid::WithoutBraces)},
        {QStringLiteral("revision"), str(e.revision)},
        {QStringLiteral("type"), QString::fromUtf8(e.type)},
        {QStringLiteral("isJson"), e.isJson()},
        {QStringLiteral("data"), data},
        {QStringLiteral("metadata"), metadata},
        {QStringLiteral("created"), e.createdMsecsSinceEpoch()},
        {QStringLiteral("position"), position(e.position)},
    };
}

QJsonObject resolved(const ResolvedEvent &e)
{
    QJsonObject out = e.event ? record(*e.event) : QJsonObject{{QStringLiteral("event"), QJsonValue()}};
    if (e.link)
        out.insert(QStringLiteral("link"), record(*e.link));
    out.insert(QStringLiteral("commitPosition"), e.commitPosition ? QJsonValue(str(*e.commitPosition)) : QJsonValue());
    return out;
}

QJsonObject errorResult(const ClientError &e)
{
    QJsonObject error{{QStringLiteral("kind"), e.kindName()}};
    if (e.kind == ClientError::Kind::WrongExpectedVersion) {
        error.insert(QStringLiteral("expected"), e.expected.toString());
        error.insert(QStringLiteral("actual"), e.actualRevision ? str(*e.actualRevision) : QStringLiteral("no_stream"));
    }
    if (e.kind == ClientError::Kind::Unknown || e.kind == ClientError::Kind::ProtocolError)
        error.insert(QStringLiteral("message"), e.message);
    return QJsonObject{{QStringLiteral("error"), error}};
}

[[noreturn]] void driverError(const QString &what) { throw std::runtime_error(what.toStdString()); }

ExpectedState expectedState(const QJsonValue &v)
{
    if (v.isDouble())
        return ExpectedState::at(quint64(v.toInteger()));
    const QString s = v.toString();
    if (s == QLatin1String("any")) return ExpectedState::any();
    if (s == QLatin1String("no_stream")) return ExpectedState::noStream();
    if (s == QLatin1String("stream_exists")) return ExpectedState::streamExists();
    driverError(QStringLiteral("bad expected state"));
}

EventData eventData(const QJsonObject &e)
{
    EventData d;
    d.id = QUuid::fromString(e.value(QStringLiteral("id")).toString());
    d.type = e.value(QStringLiteral("type")).toString().toUtf8();
    if (e.contains(QStringLiteral("data"))) {
        d.contentType = "application/json";
        d.data = jsonBytes(e.value(QStringLiteral("data")));
    } else {
        d.contentType = "application/octet-stream";
        d.data = e.contains(QStringLiteral("binary"))
            ? QByteArray::fromBase64(e.value(QStringLiteral("binary")).toString().toLatin1())
            : e.value(QStringLiteral("text")).toString().toUtf8();
    }
    if (e.contains(QStringLiteral("metadata")))
        d.metadata = jsonBytes(e.value(QStringLiteral("metadata")));
    else if (e.contains(QStringLiteral("metadataBinary")))
        d.metadata = QByteArray::fromBase64(e.value(QStringLiteral("metadataBinary")).toString().toLatin1());
    else if (e.contains(QStringLiteral("metadataText")))
        d.metadata = e.value(QStringLiteral("metadataText")).toString().toUtf8();
    return d;
}

QJsonObject appendResult(const AppendResult &r)
{
    if (r.error)
        return errorResult(r.error);
    return QJsonObject{
        {QStringLiteral("ok"), true},
        {QStringLiteral("nextExpectedRevision"), r.nextExpectedRevision ? QJsonValue(str(*r.nextExpectedRevision)) : QJsonValue()},
        {QStringLiteral("position"), position(r.position)},
    };
}

QJsonObject readResult(const ReadResult &r)
{
    if (r.error)
        return errorResult(r.error);
    QJsonArray events;
    for (const ResolvedEvent &e : r.events)
        events.append(resolved(e));
    return QJsonObject{{QStringLiteral("events"), events}};
}

void applyReadOptions(const QJsonObject &step, ReadRequest *r)
{
    r->direction = step.value(QStringLiteral("direction")).toString() == QLatin1String("backwards") ? Direction::Backwards
                                                                                                    : Direction::Forwards;
    const QJsonValue from = step.value(QStringLiteral("from"));
    if (from.isDouble())
        r->fromRevision(quint64(from.toInteger()));
    else if (from.toString() == QLatin1String("end"))
        r->fromEnd();
    else
        r->fromStart();
    if (step.contains(QStringLiteral("maxCount")))
        r->count(quint64(step.value(QStringLiteral("maxCount")).toInteger()));
    r->resolvingLinks(step.value(QStringLiteral("resolveLinks")).toBool());
}

ReadFilter filterOf(const QJsonObject &f)
{
    if (f.value(QStringLiteral("excludeSystemEvents")).toBool())
        return ReadFilter::excludeSystemEvents();
    const bool eventType = f.value(QStringLiteral("on")).toString() == QLatin1String("eventType");
    if (f.contains(QStringLiteral("regex"))) {
        const QString regex = f.value(QStringLiteral("regex")).toString();
        return eventType ? ReadFilter::eventTypeRegex(regex) : ReadFilter::streamRegex(regex);
    }
    QStringList prefixes;
    for (const QJsonValue &p : f.value(QStringLiteral("prefixes")).toArray())
        prefixes << p.toString();
    return eventType ? ReadFilter::eventTypePrefix(prefixes) : ReadFilter::streamPrefix(prefixes);
}

Position lastPosition(const QJsonObject &previous)
{
    const QJsonArray events = previous.value(QStringLiteral("events")).toArray();
    if (events.isEmpty())
        driverError(QStringLiteral("'$prev' needs a previous step that read at least one event"));
    const QJsonObject last = events.last().toObject();
    const QJsonObject p = (last.contains(QStringLiteral("link")) ? last.value(QStringLiteral("link")).toObject() : last)
                              .value(QStringLiteral("position")).toObject();
    return {p.value(QStringLiteral("commit")).toString().toULongLong(), p.value(QStringLiteral("prepare")).toString().toULongLong()};
}

StreamsClient::Credentials credentialsOf(const QJsonObject &step, const QJsonObject &users)
{
    const QString as = step.value(QStringLiteral("as")).toString();
    if (as.isEmpty() || as == QLatin1String("anonymous"))
        return std::nullopt;
    if (!users.contains(as))
        driverError(QStringLiteral("unknown user ") + as);
    const QJsonObject u = users.value(as).toObject();
    return UserCredentials{u.value(QStringLiteral("username")).toString(), u.value(QStringLiteral("password")).toString()};
}

QList<EventData> stepEvents(const QJsonObject &step)
{
    QList<EventData> events;
    if (!step.contains(QStringLiteral("generate"))) {
        for (const QJsonValue &e : step.value(QStringLiteral("events")).toArray())
            events << eventData(e.toObject());
        return events;
    }
    // As generated.js: event i has the id idBase + i (its last 12 hex digits counted up) and the
    // data {"n":i,"pad":"xxx…"}, byte for byte what JSON.stringify makes of it.
    const QJsonObject g = step.value(QStringLiteral("generate")).toObject();
    const QString idBase = g.value(QStringLiteral("idBase")).toString();
    bool ok = false;
    const quint64 tail = idBase.mid(24).toULongLong(&ok, 16);
    if (idBase.size() != 36 || !ok)
        driverError(QStringLiteral("generate.idBase must be a UUID"));
    const QByteArray type = g.value(QStringLiteral("type")).toString().toUtf8();
    const QByteArray pad(g.value(QStringLiteral("padBytes")).toInt(0), 'x');
    const int from = g.value(QStringLiteral("from")).toInt(0);
    const int count = g.value(QStringLiteral("count")).toInt();
    for (int i = from; i < from + count; ++i) {
        EventData e = EventData::json(type, "{\"n\":" + QByteArray::number(i) + ",\"pad\":\"" + pad + "\"}");
        e.id = QUuid::fromString(idBase.left(24) + QStringLiteral("%1").arg(tail + quint64(i), 12, 16, QLatin1Char('0')));
        events << e;
    }
    return events;
}

void Summary::add(const ResolvedEvent &e)
{
    const RecordedEvent &r = e.originalEvent();
    const QString label = QString::fromUtf8(r.streamId) + QLatin1Char('@') + str(r.revision);
    m_lines += label.toUtf8() + ' ' + r.id.toString(QUuid::WithoutBraces).toLatin1() + '\n';
    if (m_count++ == 0)
        m_first = label;
    m_last = label;
}

QJsonObject Summary::toJson() const
{
    return QJsonObject{
        {QStringLiteral("count"), m_count},
        {QStringLiteral("checksum"), QString::fromLatin1(QCryptographicHash::hash(m_lines, QCryptographicHash::Sha256).toHex())},
        {QStringLiteral("first"), m_count ? QJsonValue(m_first) : QJsonValue()},
        {QStringLiteral("last"), m_count ? QJsonValue(m_last) : QJsonValue()},
    };
}

} // namespace driver
