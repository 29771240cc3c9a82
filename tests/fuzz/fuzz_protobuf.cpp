// A protobuf descriptor set (loaded from disk by the user) and a payload read with it: loading
// refuses a bad set with a reason; reading any bytes as any of its types never crashes and says
// why it failed. Input: descriptor set, NUL, one byte picking the type, then the payload.
#include "FuzzSupport.h"
#include "ReplySupport.h"
#include "payload/ProtobufSchema.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietProtobuf();
    const QByteArray input = bytesOf(data, size);
    // The descriptor set is binary (NULs are common in it): its length is the first two bytes.
    if (input.size() < 2)
        return 0;
    const int setLength = (quint8(input.at(0)) << 8) | quint8(input.at(1));
    const QByteArray set = input.mid(2, setLength);
    const QByteArray rest = input.mid(2 + setLength);
    QString error;
    const std::shared_ptr<const ProtobufSchema> schema = ProtobufSchema::load(set, &error);
    if (!schema) {
        require(!error.isEmpty(), "a refused descriptor set says why");
        return 0;
    }
    if (schema->messageTypes().isEmpty() || rest.isEmpty())
        return 0;
    const QString type = schema->messageTypes().at(quint8(rest.at(0)) % schema->messageTypes().size());
    require(schema->contains(type), "a listed type is contained");
    const QByteArray payload = rest.mid(1);
    const ProtobufSchema::Parsed json = schema->parse(type, payload, ProtobufSchema::Output::Json);
    const ProtobufSchema::Parsed check = schema->parse(type, payload, ProtobufSchema::Output::CheckOnly);
    require(json.ok == check.ok, "checking and converting agree on what parses");
    if (!json.ok)
        require(!json.error.isEmpty(), "a payload that does not parse says why");
    return 0;
}
