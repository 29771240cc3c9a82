#pragma once

#include "client/PersistentSubscriptionTypes.h"

#include <QJsonObject>

namespace chronoscope::persistentjson {

/// A group's settings as JSON, under the names the server's GetInfo uses (camel-cased): one form for
/// the audit records of subscription writes and chronoscope-cli's `subscriptions info --json` alike.
/// `startFrom` is left out: what GetInfo reports is the info's own `startFrom` text, not these settings.
QJsonObject settings(const PersistentSubscriptionSettings &s);

} // namespace chronoscope::persistentjson
