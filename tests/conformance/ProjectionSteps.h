#pragma once

#include <QJsonObject>

#include <optional>

/// The conformance steps about projection management (listProjections, projectionStatus,
/// enableProjection, disableProjection). chronoscope_core has no projections client, so the C++
/// driver calls the Projections service through the generated stub; the result has the shape
/// the official clients' mapGrpcProjectionDetails gives. None when `step` is another op.
std::optional<QJsonObject> runProjectionStep(int port, const QJsonObject &step);
