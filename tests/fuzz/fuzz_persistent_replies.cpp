// A server's PersistentSubscriptions replies: Read's events (what a consumer is handed and acks) and
// GetInfo's / List's group descriptions. Whatever they hold: an event or nothing, a description,
// never a crash; the id acked is the one the server sent for what was delivered.
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

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietProtobuf();
    if (size < 1)
        return 0;
    switch (data[0] % 3) {
    case 0: ifParses<pps::ReadResp>(data, size, [](const pps::ReadResp &m) { checkEvent(m); }); break;
    case 1:
        ifParses<pps::GetInfoResp>(data, size, [](const pps::GetInfoResp &m) { checkInfo(m.subscription_info()); });
        break;
    default: ifParses<pps::ListResp>(data, size, [](const pps::ListResp &m) { checkAll(m); }); break;
    }
    return 0;
}
