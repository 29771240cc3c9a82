#pragma once
// The C++ conformance driver's side of the result shape (README, "Result shape"): our client's
// types as the JSON the Node drivers print, and scenario JSON as our client's requests.

#include "client/StreamsClient.h"
#include "model/ClientError.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>

#include <optional>

namespace driver {

using namespace chronoscope;

QString str(quint64 n);
/// A JSON value as compact bytes (scalars too, which QJsonDocument cannot hold alone).
QByteArray jsonBytes(const QJsonValue &v);
std::optional<QJsonValue> parseJson(const QByteArray &bytes);

QJsonValue position(const Position &p);
QJsonValue position(const std::optional<Position> &p);
QJsonObject record(const RecordedEvent &e);
QJsonObject resolved(const ResolvedEvent &e);
QJsonObject errorResult(const ClientError &e);
QJsonObject appendResult(const AppendResult &r);
QJsonObject readResult(const ReadResult &r);

/// A step the driver cannot run (a bad scenario, a failed helper): reported as driver-exception.
[[noreturn]] void driverError(const QString &what);

ExpectedState expectedState(const QJsonValue &v);
EventData eventData(const QJsonObject &e);
/// A step's events: its `events`, or those its `generate` describes (generated.js).
QList<EventData> stepEvents(const QJsonObject &step);

void applyReadOptions(const QJsonObject &step, ReadRequest *r);
ReadFilter filterOf(const QJsonObject &f);
/// The position of the last event a previous step read (`from: "$prev"`).
Position lastPosition(const QJsonObject &previous);
/// A step's `as` names a user of the scenario file's `users`; without it (or "anonymous") the call
/// carries the connection's credentials, which secure runs leave empty.
StreamsClient::Credentials credentialsOf(const QJsonObject &step, const QJsonObject &users);

/// {count, checksum, first, last} of delivered events, as generated.js summarize(): SHA-256 over
/// "stream@revision id\n" of each event read (the link of a resolved link), in delivery order.
class Summary
{
public:
    void add(const ResolvedEvent &e);
    int count() const { return m_count; }
    QJsonObject toJson() const;

private:
    QByteArray m_lines;
    int m_count = 0;
    QString m_first, m_last;
};

} // namespace driver
