#pragma once

#include <QJsonValue>

namespace google::protobuf {
class Value;
} // namespace google::protobuf

namespace chronoscope::wire {

/// JSON as google.protobuf.Value, the way the server turns a projection's state into one
/// (ProjectionManagement.GetProtoValue): null, bool, number (double), string, list, struct.
/// Undefined (no state) becomes an empty struct, as the server answers an empty state.
void toProtoValue(const QJsonValue &json, google::protobuf::Value *out);
/// And back: an unset Value is null.
QJsonValue fromProtoValue(const google::protobuf::Value &value);

} // namespace chronoscope::wire
