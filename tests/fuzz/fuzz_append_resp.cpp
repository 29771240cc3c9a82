// A server's AppendResp: whatever it says, the client reports success with what it got, a
// WrongExpectedVersion naming the stream, or a protocol error — never a success without a reply.
#include "FuzzSupport.h"
#include "ReplySupport.h"
#include "client/AppendResponse.h"

#include "streams.pb.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietProtobuf();
    event_store::client::streams::AppendResp resp;
    if (!resp.ParseFromArray(data, int(size)))
        return 0; // gRPC refuses the message before the client sees it
    const QByteArray stream = QByteArrayLiteral("order-17");
    const AppendResult r = appendResultFrom(resp, stream, ExpectedState::at(4));
    if (resp.has_success()) {
        require(!r.error.isError(), "a success is not an error");
    } else {
        require(r.error.isError(), "anything else is an error");
        require(!r.error.message.isEmpty(), "the error says what happened");
        if (resp.has_wrong_expected_version()) {
            require(r.error.kind == ClientError::Kind::WrongExpectedVersion, "a conflict is named a conflict");
            require(r.error.streamName == stream, "a conflict names its stream");
        }
    }
    return 0;
}
