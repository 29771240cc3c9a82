#pragma once

#include <string>

namespace chronoscope::sandbox {

class EventStore;

/// The demo's user projection (issue 13 item 7): per-order totals partitioned by order, so that comparing
/// the server's projection with a local fold finds something real. The correct source is
/// resources/reducers/demo-order-totals.projection.js (the app copies it beside the demo reducer); the
/// server runs it with a plausible bug — the refund handler misspelt "PaymentRefund", so it never runs —
/// and every refunded order drifts at /paid and /refunded.
constexpr const char *kDemoProjectionName = "order-totals";

/// The correct source, as shipped.
std::string demoOrderTotalsSource();
/// What the demo server runs: the same with the typo.
std::string deployedDemoOrderTotalsSource();
/// Creates "order-totals" (continuous, running) on the store's user projections; false with `error`
/// when the store has none (configureProjections first) or the name is taken.
bool createDemoProjections(EventStore &store, std::string *error);

} // namespace chronoscope::sandbox
