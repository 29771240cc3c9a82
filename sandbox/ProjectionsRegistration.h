#pragma once

#include "EventStore.h"

namespace chronoscope::sandbox {

/// What a real node's projection subsystem writes when it starts on a store whose registration stream
/// `$projections-$all` is empty (KurrentDB `ProjectionManager.StartRegisteredProjections`,
/// `WriteProjectionsInitialized`, `CreateSystemProjections`, `PostNewProjections`): `$ProjectionsInitialized`,
/// then one write of five `$ProjectionCreated` (the standard projections' names), then each projection's
/// persisted state, `$ProjectionUpdated` in `$projections-<name>` (created disabled; with standard projections
/// started, a second one enabling it). Nothing when the stream has events (a `--db` restart). Returns the
/// number of records written.
int writeProjectionsRegistration(EventStore &store, bool standardProjectionsStarted);

} // namespace chronoscope::sandbox
