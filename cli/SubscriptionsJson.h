#pragma once

#include "client/ParkedMessages.h"
#include "client/PersistentSubscriptionTypes.h"

#include <QJsonObject>
#include <QString>

namespace chronoscope::cli {

/// The JSON and text forms of `subscriptions`' results (SubscriptionsCommand).
namespace subscriptionsjson {

/// A group as GetInfo / List report it: every statistic and setting, its consumers.
QJsonObject info(const PersistentSubscriptionInfo &i);
/// One line of `subscriptions list`: stream, group, status, strategy, consumers, in flight, parked, checkpoint.
QString infoLine(const PersistentSubscriptionInfo &i);
/// `subscriptions info`'s text: the group, its settings, its consumers, one `key: value` a line.
QString infoText(const PersistentSubscriptionInfo &i);

/// A parked message with its original event resolved (`event` absent when that event is gone).
QJsonObject parkedMessage(const ParkedMessage &m);
/// One line of `subscriptions parked`: #number, when, the event (stream@revision type), the reason's first line.
QString parkedLine(const ParkedMessage &m);

} // namespace subscriptionsjson

} // namespace chronoscope::cli
