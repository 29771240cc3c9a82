// Reducer files come from colleagues: the JSON, its schemas, templates, invariants and upcasters,
// up to the JavaScript engine's door (the sources are compiled, with the file's limits; running
// them is the untrusted-reducer tests' business). Anything wrong is refused with the field at fault.
#include "FuzzSupport.h"
#include "script/ReducerFile.h"

using namespace chronoscope;
using namespace chronoscope::engine;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    ensureApplication();
    ReducerFile::LoadError error;
    const std::optional<ReducerFile> file = ReducerFile::parse(bytesOf(data, size), QStringLiteral("fuzz.reducer.json"),
                                                               &error);
    if (!file) {
        require(!error.message.isEmpty(), "a refusal says why");
        require(!error.toString().isEmpty(), "the refusal renders");
        return 0;
    }
    // What the window and the CLI ask of a loaded file.
    (void)file->appliesToStream(QByteArrayLiteral("order-17"));
    for (auto it = file->schemas().cbegin(); it != file->schemas().cend(); ++it)
        require(!it.key().isNull(), "schemas are keyed by event type");
    return 0;
}
