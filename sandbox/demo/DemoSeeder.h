#pragma once

#include "EventStore.h"
#include "demo/DemoHistory.h"

namespace chronoscope::sandbox {

/// Writes the demo history into a store, each event with its generated `created` time. With
/// `withOrderEmails`, also the persistent subscription group "order-emails" on `$ce-order` and what it
/// wrote along the history (DemoOrderEmails: its checkpoints, the messages it parked on the incident day).
quint64 seedDemoHistory(EventStore &store, const DemoHistory::Options &options, bool withOrderEmails = false);

} // namespace chronoscope::sandbox
