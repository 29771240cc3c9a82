// A server's PersistentSubscriptions replies: Read's events (what a consumer is handed and acks) and
// GetInfo's / List's group descriptions. Whatever they hold: an event or nothing, a description,
// never a crash; the id acked is the one the server sent for what was delivered. GetInfo and List
// replies go through the client's own bounded parse (parseBoundedReply): it accepts what protobuf
// accepts, and refuses a reply exactly when its groups, connections and measurements pass the limit.
// Input: one byte picks the reply (0 Read, 1 GetInfo, 2 List), the rest is its bytes.
#include "FuzzSupport.h"
#include "ReplySupport.h"
#include "client/PersistentReplies.h"

#include "persistent.pb.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;
namespace pps = event_store::client::persistent_subscriptions;

namespace {

void checkEvent(const pps::ReadResp &resp)
{
    if (!resp.has_event())
        return;
    const std::optional<PersistentEvent> e = persistentEventFrom(resp.event());
    if (!e)
        return;
    require(e->event.event || e->event.link, "an event handed on carries a record");
    const bool counted = resp.event().count_case() == pps::ReadResp::ReadEvent::kRetryCount;
    require(e->retryCount == (counted ? resp.event().retry_count() : 0), "the retry count is the server's");
    if (e->event.link)
        require(e->ackId() == e->event.link->id, "a resolved link is acked by the link's id");
    else
        require(e->ackId() == e->event.event->id, "an event is acked by its id");
}

void checkInfo(const pps::SubscriptionInfo &in)
{
    const PersistentSubscriptionInfo info = persistentInfoFrom(in);
    require(info.connections.size() == in.connections_size(), "every connection is kept");
    require(info.groupName.toStdString() == in.group_name(), "the group's name is the server's");
    if (info.settings.startFrom)
        require(info.startFrom.contains(QString::number(*info.settings.startFrom)),
                "a start read from the text is in the text");
}

void checkAll(const pps::ListResp &resp)
{
    for (const pps::SubscriptionInfo &i : resp.subscriptions())
        checkInfo(i);
}

/// The connections and measurements of a group: entries the bounded parse counts.
qint64 entriesOf(const pps::SubscriptionInfo &in)
{
    qint64 n = in.connections_size();
    for (const auto &c : in.connections())
        n += c.observed_measurements_size();
    return n;
}

/// `parsed` is what protobuf made of `bytes`; `least` the fewest entries the bounded parse must count
/// (exactly that many for a List; a GetInfo's group may come in several pieces protobuf merges).
template<typename Resp>
void checkBounded(const std::string &bytes, const Resp &parsed, qint64 least, bool exact)
{
    Resp mine;
    ClientError e = parseBoundedReply(bytes, &mine, qint64(1) << 40);
    require(!e, "a reply protobuf parses is parsed");
    require(mine.SerializeAsString() == parsed.SerializeAsString(), "the bounded parse gives protobuf's message");
    if (least > 0) {
        e = parseBoundedReply(bytes, &mine, least - 1);
        require(e.kind == ClientError::Kind::ProtocolError && e.message.contains(QLatin1String("holds more than")),
                "a reply past the limit is refused by its entries");
    }
    if (exact)
        require(!parseBoundedReply(bytes, &mine, least), "a reply at the limit is parsed");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const auto bytes = [&] { return std::string(reinterpret_cast<const char *>(data) + 1, size - 1); };
    return byKind<pps::ReadResp, pps::GetInfoResp, pps::ListResp>(
        data, size, checkEvent,
        [&](const pps::GetInfoResp &m) {
            checkInfo(m.subscription_info());
            checkBounded(bytes(), m, m.has_subscription_info() + entriesOf(m.subscription_info()), false);
        },
        [&](const pps::ListResp &m) {
            checkAll(m);
            qint64 n = m.subscriptions_size();
            for (const pps::SubscriptionInfo &i : m.subscriptions())
                n += entriesOf(i);
            checkBounded(bytes(), m, n, true);
        });
}
