// A server's Projections replies (Statistics, State, Result): whatever they hold, the client gets
// details, a JSON value that is what the server sent, or a protocol error naming the projection —
// never a crash, and never a value shown as something else (NaN as null).
// Input: one byte picks the reply (0 Statistics, 1 State, 2 Result), the rest is its bytes.
#include "FuzzSupport.h"
#include "ReplySupport.h"
#include "client/ProjectionReplies.h"
#include "wire/ProtoValue.h"

#include "projections.pb.h"

#include <google/protobuf/struct.pb.h>

#include <QJsonArray>
#include <QJsonDocument>

using namespace chronoscope;
using namespace chronoscope::fuzz;
namespace ppb = event_store::client::projections;

namespace {

void checkDetails(const ppb::StatisticsResp &resp)
{
    const ProjectionDetails d = projectionDetailsFrom(resp.details());
    require(d.name.toStdString() == resp.details().name(), "the name is the server's");
    require(d.stateReason.toStdString() == resp.details().statereason(), "the state reason is the server's");
    require(d.status.startsWith(d.projectionStatus()), "the status's first part is a prefix of it");
    require(!d.projectionStatus().contains(QLatin1Char('/')), "the first part has no '/'");
}

void checkValue(const google::protobuf::Value &value)
{
    const QString name = QStringLiteral("p-1");
    const ProjectionValueResult r = projectionValueFrom(value, name);
    if (r.error) {
        require(r.error.kind == ClientError::Kind::ProtocolError, "a refused value is a protocol error");
        require(r.error.message.contains(name), "the error names the projection");
        return;
    }
    // What is shown is what was sent: written as JSON text (the CLI and the pane show it so) and read
    // back it is the same value, and so it is after a trip through the server's encoding.
    const QByteArray text = QJsonDocument(QJsonArray{r.value}).toJson(QJsonDocument::Compact);
    QJsonParseError pe;
    const QJsonDocument back = QJsonDocument::fromJson(text, &pe);
    require(pe.error == QJsonParseError::NoError && back.isArray(), "the value's JSON text parses");
    require(back.array().size() == 1 && back.array().first() == r.value, "the JSON text reads back as the value");
    google::protobuf::Value again;
    wire::toProtoValue(r.value, &again);
    require(wire::fromProtoValue(again) == r.value, "the value survives the server's encoding");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    return byKind<ppb::StatisticsResp, ppb::StateResp, ppb::ResultResp>(
        data, size, checkDetails, [](const ppb::StateResp &m) { checkValue(m.state()); },
        [](const ppb::ResultResp &m) { checkValue(m.result()); });
}
