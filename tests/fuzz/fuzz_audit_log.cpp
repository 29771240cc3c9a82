// The audit log on disk (edited, torn by a crash, replaced): verification finds the first bad line
// or passes, reading skips what is not a whole record and counts it, and exports never crash.
#include "FuzzSupport.h"
#include "correct/AuditLog.h"
#include "correct/AuditReader.h"

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QByteArray content = bytesOf(data, size);
    const AuditVerification v = AuditLog::verifyContent(content);
    if (!v.ok())
        require(v.line >= 1, "a broken log names its first bad line");
    AuditReader reader(scratchFile(content, ".audit.jsonl"));
    require(reader.load().isEmpty(), "a readable file loads");
    const qsizetype lines = content.count('\n') + (content.endsWith('\n') || content.isEmpty() ? 0 : 1);
    require(reader.records().size() + reader.skippedLines() <= lines, "every record or skip is a line");
    for (const AuditRecord &r : reader.records())
        require(r.line >= 1 && r.line <= lines, "records know their line");
    (void)reader.pendingAttempts();
    (void)AuditReader::csv(reader.records());
    return 0;
}
