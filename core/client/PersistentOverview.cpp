#include "client/PersistentOverview.h"

#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"

#include <QRegularExpression>

#include <algorithm>

namespace chronoscope {

namespace {

/// The one event a read of at most one event returns; none when the read found nothing.
std::optional<RecordedEvent> readOne(const StreamsClient &streams, const ReadRequest &request, ClientError *error)
{
    const ReadResult r = streams.readAll(request);
    if (r.error && r.error.kind != ClientError::Kind::StreamNotFound)
        *error = r.error;
    if (r.events.isEmpty())
        return std::nullopt;
    return r.events.constFirst().originalEvent();
}

qint64 msBetween(const RecordedEvent &older, const RecordedEvent &newer)
{
    return std::max<qint64>(0, newer.createdMsecsSinceEpoch() - older.createdMsecsSinceEpoch());
}

void streamLag(PersistentGroupStatus &s, const StreamsClient &streams)
{
    const PersistentSubscriptionInfo &info = s.info;
    ClientError error;
    const auto head = readOne(streams, ReadRequest::forStream(info.eventSource, Direction::Backwards).count(1), &error);
    if (error) {
        s.lagError = error.toString();
        return;
    }
    bool ok = false;
    const qint64 checkpoint = info.lastCheckpointedPosition.toLongLong(&ok);
    qint64 next = 0; // the first event not checkpointed
    if (ok && checkpoint >= 0) {
        next = checkpoint + 1;
    } else {
        const qint64 start = info.startFrom.toLongLong(&ok);
        if (!ok || start < 0)
            return; // started at the end, nothing checkpointed yet: not known
        next = start;
    }
    if (!head || qint64(head->revision) < next) {
        s.lagEvents = 0;
        s.lagMs = 0;
        return;
    }
    s.lagEvents = qint64(head->revision) - next + 1;
    const auto oldest = readOne(streams, ReadRequest::forStream(info.eventSource).fromRevision(quint64(next)).count(1),
                                &error);
    if (error)
        s.lagError = error.toString();
    else if (oldest)
        s.lagMs = msBetween(*oldest, *head);
}

void allLag(PersistentGroupStatus &s, const StreamsClient &streams)
{
    const PersistentSubscriptionInfo &info = s.info;
    std::optional<Position> from = PersistentOverview::parseAllPosition(info.lastCheckpointedPosition);
    const bool fromCheckpoint = from.has_value();
    if (!from) {
        from = PersistentOverview::parseAllPosition(info.startFrom);
        if (!from || from->isEnd())
            return;
    }
    ClientError error;
    const auto head = readOne(streams, ReadRequest::forAll(Direction::Backwards).count(1), &error);
    qint64 count = 0;
    std::optional<RecordedEvent> oldest;
    const ReadSummary read = streams.read(ReadRequest::forAll().fromPosition(*from).count(
                                              quint64(PersistentOverview::kLagCountLimit + 1)),
                                          [&](ResolvedEvent &&e) {
                                              const RecordedEvent &r = e.originalEvent();
                                              if (fromCheckpoint && r.position == *from)
                                                  return true; // the checkpointed event itself is done
                                              if (!oldest)
                                                  oldest = r;
                                              return ++count < PersistentOverview::kLagCountLimit;
                                          });
    if (error || read.error) {
        s.lagError = (error ? error : read.error).toString();
        return;
    }
    s.lagEvents = count;
    s.lagAtLeast = count >= PersistentOverview::kLagCountLimit;
    s.lagMs = oldest && head ? msBetween(*oldest, *head) : 0;
}

} // namespace

std::optional<Position> PersistentOverview::parseAllPosition(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^C:(-?\\d+)/P:(-?\\d+)$"));
    const QRegularExpressionMatch m = re.match(text.trimmed());
    if (!m.hasMatch())
        return std::nullopt;
    const qint64 c = m.captured(1).toLongLong();
    const qint64 p = m.captured(2).toLongLong();
    if (c < 0 || p < 0)
        return Position::end();
    return Position{quint64(c), quint64(p)};
}

PersistentGroupStatus PersistentOverview::lagOf(const PersistentSubscriptionInfo &info, const StreamsClient &streams)
{
    PersistentGroupStatus s;
    s.info = info;
    if (info.eventSource == "$all")
        allLag(s, streams);
    else
        streamLag(s, streams);
    return s;
}

PersistentOverview PersistentOverview::read(const PersistentSubscriptionsClient &client, const StreamsClient &streams,
                                            const CancellationPtr &cancel)
{
    PersistentOverview out;
    PersistentListResult list = client.list();
    if (list.error && list.error.kind != ClientError::Kind::PersistentSubscriptionNotFound) {
        out.error = list.error;
        return out;
    }
    std::sort(list.subscriptions.begin(), list.subscriptions.end(), [](const auto &a, const auto &b) {
        return a.eventSource != b.eventSource ? a.eventSource < b.eventSource : a.groupName < b.groupName;
    });
    for (const PersistentSubscriptionInfo &info : std::as_const(list.subscriptions)) {
        if (cancel && cancel->isCancelled())
            break;
        out.groups << lagOf(info, streams);
    }
    return out;
}

} // namespace chronoscope
