// Stream metadata JSON ($$stream): written by anyone with access. It parses or is refused with a
// reason; what parses writes back to JSON that parses to the same metadata.
#include "FuzzSupport.h"
#include "model/StreamMetadata.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QString error;
    const std::optional<StreamMetadata> m = StreamMetadata::fromJson(bytesOf(data, size), &error);
    if (!m) {
        require(!error.isEmpty(), "a refusal says why");
        return 0;
    }
    QString again;
    const std::optional<StreamMetadata> back = StreamMetadata::fromJson(m->toJsonBytes(), &again);
    require(back.has_value(), "written metadata parses");
    require(*back == *m, "written metadata parses to the same metadata");
    return 0;
}
