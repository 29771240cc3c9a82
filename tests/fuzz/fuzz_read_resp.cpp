// A server's ReadResp bytes (with tls=false, anyone on the path): the hand decoder must agree with
// protobuf on every input — refuse what it refuses, and give the same values for what it accepts.
#include "FuzzSupport.h"
#include "ReplySupport.h"
#include "support/ReadRespCompare.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    quietProtobuf();
    const std::string bytes(reinterpret_cast<const char *>(data), size);
    proto::ReadRespDecoder decoder;
    const QString difference = testsupport::compareBoth(bytes, decoder);
    if (!difference.isEmpty())
        std::fprintf(stderr, "decoder vs protobuf: %s\n", qPrintable(difference));
    require(difference.isEmpty(), "the hand decoder agrees with protobuf");
    // The same decoder again (it keeps shared strings between messages of one read).
    require(testsupport::compareBoth(bytes, decoder).isEmpty(), "a second decode agrees too");
    return 0;
}
