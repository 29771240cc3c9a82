#pragma once

#include "client/StreamsClient.h"

namespace event_store::client::streams {
class AppendResp;
}

namespace chronoscope {

/// What a server's AppendResp says, as an AppendResult: the new revision and position, or a
/// WrongExpectedVersion naming what was expected and what the stream is at, or a protocol error
/// when the reply is neither (a server's reply is outside input: tests/fuzz/fuzz_append_resp).
AppendResult appendResultFrom(const event_store::client::streams::AppendResp &resp, const QByteArray &stream,
                              const ExpectedState &expected);

} // namespace chronoscope
