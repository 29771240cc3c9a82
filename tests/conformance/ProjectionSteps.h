#pragma once

#include "connection/ConnectionSettings.h"

#include <QJsonObject>

#include <optional>

/// The conformance steps about projection management (listProjections, projectionStatus,
/// enableProjection, disableProjection). chronoscope_core has no projections client, so the C++
/// driver calls the Projections service through the generated stub, on a channel built as our
/// client builds its own (TLS, headers) to the node `settings` name first, with the step's
/// `credentials` (none: the connection string's user); the result has the shape the official
/// clients' mapGrpcProjectionDetails gives. None when `step` is another op.
std::optional<QJsonObject> runProjectionStep(const chronoscope::ConnectionSettings &settings, const QJsonObject &step,
                                             const std::optional<chronoscope::UserCredentials> &credentials);
