#pragma once

#include "client/PersistentSubscriptionTypes.h"

#include "model/ClientError.h"

#include <optional>
#include <string>

namespace google::protobuf {
class Message;
}

namespace event_store::client::persistent_subscriptions {
class SubscriptionInfo;
class ReadResp_ReadEvent;
} // namespace event_store::client::persistent_subscriptions

namespace chronoscope {

/// What the PersistentSubscriptions service's replies say, decoded. A server's reply is outside input
/// (tests/fuzz/fuzz_persistent_replies): whatever it holds, these give a value, never a crash.

/// A group as GetInfo and List report it; `settings.startFrom` only when the server's text is a number
/// ("12", "C:12/P:12"), none otherwise ("-1": the end).
PersistentSubscriptionInfo
persistentInfoFrom(const event_store::client::persistent_subscriptions::SubscriptionInfo &in);

/// A GetInfoResp or ListResp from its raw bytes. Its groups (field 1), their connections (4) and the
/// connections' measurements (6) are counted on the wire first: more than `maxEntries` of them is refused
/// (protocol-error naming the reply) before protobuf builds them. Bytes that do not parse are refused too.
ClientError parseBoundedReply(const std::string &bytes, google::protobuf::Message *reply, qint64 maxEntries);

/// A ReadResp's event; none when it carries neither an event nor a link that decodes.
std::optional<PersistentEvent>
persistentEventFrom(const event_store::client::persistent_subscriptions::ReadResp_ReadEvent &in);

} // namespace chronoscope
