// An archive from disk (an auditor's laptop, a colleague's mail): opening never crashes, damage is
// reported where it is, and only intact chunks are read — a flipped byte can never pass as intact.
#include "FuzzSupport.h"
#include "archive/ArchiveReader.h"

using namespace chronoscope;
using namespace chronoscope::archive;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString path = scratchFile(bytesOf(data, size), ".chronoscope-archive");
    ArchiveReader reader;
    if (!reader.open(path)) {
        require(!reader.error().isEmpty(), "a file that is no archive says why");
        return 0;
    }
    require(!reader.summary().isEmpty(), "the banner line is never empty");
    if (reader.intact())
        require(reader.damage().isEmpty() && !reader.truncated() && reader.hashVerified(), "intact means undamaged");
    require(reader.prefixEventCount() <= reader.eventCount(), "the open prefix lies within the intact events");
    quint64 read = 0;
    for (qsizetype i = 0; i < reader.eventChunks().size(); ++i) {
        QString error;
        const QList<RecordedEvent> events = reader.readChunk(i, &error);
        require(!events.isEmpty() || !error.isEmpty() || reader.eventChunks().at(i).count == 0,
                "a chunk that yields nothing says why");
        read += quint64(events.size());
    }
    (void)read;
    return 0;
}
