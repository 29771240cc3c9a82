#pragma once

#include "connection/ConnectionSettings.h"

#include <QJsonObject>

#include <optional>

/// The conformance steps about projections, through our ProjectionsClient: listProjections,
/// projectionStatus, enable/disable/abort/reset/create/update/deleteProjection, projectionState and
/// projectionResult, on a client to `settings` with the step's `credentials` (none: the connection
/// string's user). Results have the shapes the official clients give (mapGrpcProjectionDetails for
/// statistics, Value.toJavaScript() for state and result). None when `step` is another op.
std::optional<QJsonObject> runProjectionStep(const chronoscope::ConnectionSettings &settings, const QJsonObject &step,
                                             const std::optional<chronoscope::UserCredentials> &credentials);
