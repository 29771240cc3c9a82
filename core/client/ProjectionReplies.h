#pragma once

#include "client/ProjectionsClient.h"

namespace event_store::client::projections {
class StatisticsResp_Details;
} // namespace event_store::client::projections

namespace google::protobuf {
class Value;
} // namespace google::protobuf

namespace chronoscope {

/// What the Projections service's replies say, decoded. A server's reply is outside input
/// (tests/fuzz/fuzz_projection_replies): whatever it holds, these give a value or a named error.

/// One StatisticsResp's details, every field.
ProjectionDetails projectionDetailsFrom(const event_store::client::projections::StatisticsResp_Details &details);

/// A StateResp's or ResultResp's Value as JSON. JSON has no NaN or Infinity, and a projection's state
/// is JSON on the server, so a number that is not finite is refused (a protocol error naming where it
/// sits), never shown as null or as a number it is not.
ProjectionValueResult projectionValueFrom(const google::protobuf::Value &value, const QString &projection);

} // namespace chronoscope
