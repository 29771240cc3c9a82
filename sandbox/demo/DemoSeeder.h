#pragma once

#include "EventStore.h"
#include "demo/DemoHistory.h"

namespace chronoscope::sandbox {

/// Writes the demo history into a store, each event with its generated `created` time.
quint64 seedDemoHistory(EventStore &store, const DemoHistory::Options &options);

} // namespace chronoscope::sandbox
