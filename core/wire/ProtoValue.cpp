#include "wire/ProtoValue.h"

#include <google/protobuf/struct.pb.h>

#include <QJsonArray>
#include <QJsonObject>

namespace chronoscope::wire {

void toProtoValue(const QJsonValue &json, google::protobuf::Value *out)
{
    switch (json.type()) {
    case QJsonValue::Undefined: out->mutable_struct_value(); break;
    case QJsonValue::Null: out->set_null_value(google::protobuf::NULL_VALUE); break;
    case QJsonValue::Bool: out->set_bool_value(json.toBool()); break;
    case QJsonValue::Double: out->set_number_value(json.toDouble()); break;
    case QJsonValue::String: out->set_string_value(json.toString().toStdString()); break;
    case QJsonValue::Array: {
        google::protobuf::ListValue *list = out->mutable_list_value();
        for (const QJsonValue &v : json.toArray())
            toProtoValue(v.isUndefined() ? QJsonValue() : v, list->add_values());
        break;
    }
    case QJsonValue::Object: {
        google::protobuf::Struct *s = out->mutable_struct_value();
        const QJsonObject o = json.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            toProtoValue(it.value(), &(*s->mutable_fields())[it.key().toStdString()]);
        break;
    }
    }
}

QJsonValue fromProtoValue(const google::protobuf::Value &value)
{
    switch (value.kind_case()) {
    case google::protobuf::Value::kBoolValue: return value.bool_value();
    case google::protobuf::Value::kNumberValue: return value.number_value();
    case google::protobuf::Value::kStringValue: return QString::fromStdString(value.string_value());
    case google::protobuf::Value::kListValue: {
        QJsonArray a;
        for (const google::protobuf::Value &v : value.list_value().values())
            a.append(fromProtoValue(v));
        return a;
    }
    case google::protobuf::Value::kStructValue: {
        QJsonObject o;
        for (const auto &[key, v] : value.struct_value().fields())
            o.insert(QString::fromStdString(key), fromProtoValue(v));
        return o;
    }
    default: return QJsonValue();
    }
}

} // namespace chronoscope::wire
