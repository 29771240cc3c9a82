#pragma once

#include "connection/ConnectionSettings.h"

#include <QJsonObject>

#include <optional>

/// The conformance steps about persistent subscriptions (psCreate, psUpdate, psDelete, psInfo,
/// psList, psReplay, psConsume; see persistent.js for the Node side) through our
/// PersistentSubscriptionsClient, in the shape persistent.js reports. None when `step` is another op.
std::optional<QJsonObject> runPersistentStep(const chronoscope::ConnectionSettings &settings, const QJsonObject &step);
