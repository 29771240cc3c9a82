// libFuzzer entry point: bytes → PayloadDecoder → JsonDiff → text, unified and tree renderings.
// Built as a real fuzzer with clang (-DCHRONOSCOPE_FUZZ=ON) and, always, as a corpus replay test.
//
// Input layout: byte 0 holds option flags, the rest is split at the first NUL byte (or in the middle
// when there is none) into the before and after payloads.

#include "json/DiffText.h"
#include "json/JsonDiff.h"
#include "json/JsonFormat.h"
#include "json/UnifiedDiff.h"
#include "payload/PayloadDecoder.h"

#include <QByteArray>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace chronoscope::engine;

namespace {

// A broken invariant is a bug: make it a crash the fuzzer records.
void require(bool ok, const char *what)
{
    if (!ok) {
        std::fprintf(stderr, "invariant broken: %s\n", what);
        std::abort();
    }
}

void checkDiff(const QJsonValue &before, const QJsonValue &after, const DiffOptions &options, quint8 flags)
{
    const DiffResult r = JsonDiff::diff(before, after, options);
    DiffTextOptions textOptions;
    textOptions.maxValueChars = (flags & 0x20) ? 8 : 80;
    const QString text = DiffText::render(r.entries, textOptions);
    require(text.count(QLatin1Char('\n')) == r.entries.size(), "one text line per entry");
    require(r.summary.changes() == r.entries.size(), "summary counts the entries");
    for (qsizetype i = 1; i < r.entries.size(); ++i)
        require(JsonPath::compare(r.entries.at(i - 1).path, r.entries.at(i).path) <= 0, "entries sorted by path");

    UnifiedDiffOptions unifiedOptions;
    unifiedOptions.context = (flags & 0x40) ? 1 : -1;
    UnifiedDiff::render(r.tree, unifiedOptions);
    if (!before.isUndefined() && !after.isUndefined()) {
        const auto lines = UnifiedDiff::lines(r.tree);
        const bool afterOk = UnifiedDiff::side(lines, '+') == JsonFormat::prettyLines(after);
        const bool beforeOk = !options.reportMoves || UnifiedDiff::side(lines, '-') == JsonFormat::prettyLines(before);
        if (!afterOk || !beforeOk)
            std::fprintf(stderr, "before:\n%s\nafter:\n%s\nunified:\n%s\n", qPrintable(JsonFormat::prettyLines(before).join(QLatin1Char('\n'))),
                         qPrintable(JsonFormat::prettyLines(after).join(QLatin1Char('\n'))), qPrintable(UnifiedDiff::render(r.tree)));
        require(afterOk, "unified ' '/'+' lines are the after document");
        require(beforeOk, "unified ' '/'-' lines are the before document");
    }
    require(!options.reportMoves || before.isUndefined() || after.isUndefined()
                || r.isEmpty() == JsonFormat::valuesEqual(before, after),
            "no entries exactly when the documents are equal");
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const quint8 flags = size > 0 ? data[0] : 0;
    const QByteArray rest = size > 0 ? QByteArray(reinterpret_cast<const char *>(data) + 1, qsizetype(size - 1)) : QByteArray();
    qsizetype cut = rest.indexOf('\0');
    const QByteArray first = cut >= 0 ? rest.left(cut) : rest.left(rest.size() / 2);
    const QByteArray second = cut >= 0 ? rest.mid(cut + 1) : rest.mid(rest.size() / 2);

    DecodeOptions decodeOptions;
    decodeOptions.maxBytes = 1024 * 1024;
    decodeOptions.rejectDuplicateKeys = flags & 0x02;
    const QByteArray contentType = (flags & 0x01) ? QByteArrayLiteral("application/octet-stream") : QByteArrayLiteral("application/json");
    const DecodedPayload a = PayloadDecoder::decode(first, contentType, decodeOptions);
    const DecodedPayload b = PayloadDecoder::decode(second, contentType, decodeOptions);
    for (const DecodedPayload *p : {&a, &b}) {
        require(p->isJson() != p->json.isUndefined(), "a JSON result holds a value, others none");
        require(p->kind != DecodedPayload::Kind::Invalid || !p->message.isEmpty(), "an invalid payload says why");
        require(p->offset <= p->byteCount, "problem offsets lie inside the payload");
    }
    if (!a.isJson())
        PayloadDecoder::hexPreview(first, 64);

    DiffOptions options;
    if (flags & 0x04)
        options.idKeys = {QStringLiteral("id"), QStringLiteral("k")};
    if (flags & 0x08)
        options.reportMoves = false;
    if (flags & 0x10) {
        options.idKeyByPath.insert(QString(), QStringLiteral("id"));
        options.idKeyByPath.insert(QStringLiteral("/*"), QStringLiteral("id"));
    }
    checkDiff(a.json, b.json, options, flags);
    if (a.isJson())
        require(JsonDiff::diff(a.json, a.json, options).isEmpty(), "a document equals itself");
    return 0;
}
