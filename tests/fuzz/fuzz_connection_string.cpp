// Connection strings come pasted from chat and wikis: the parser must refuse anything malformed with
// a reason, and never quote the password back — not in its errors, not in the redacted form.
#include "FuzzSupport.h"
#include "connection/ConnectionSettings.h"

#include <cstdio>

using namespace chronoscope;
using namespace chronoscope::fuzz;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const QString text = QString::fromUtf8(bytesOf(data, size));
    const ConnectionString::Result r = ConnectionString::parse(text);
    // A password is what sits between "user:" and the '@' of the authority, which ends at the first '/',
    // '?' or '#' (RFC 3986): an '@' in the query is no user info.
    const qsizetype scheme = text.indexOf(QLatin1String("://"));
    qsizetype end = text.size();
    for (const QChar c : {QLatin1Char('/'), QLatin1Char('?'), QLatin1Char('#')}) {
        const qsizetype i = scheme >= 0 ? text.indexOf(c, scheme + 3) : -1;
        if (i >= 0 && i < end)
            end = i;
    }
    const qsizetype at = scheme >= 0 ? text.lastIndexOf(QLatin1Char('@'), end - 1) : -1;
    const qsizetype colon = at >= 0 ? text.indexOf(QLatin1Char(':'), scheme + 3) : -1;
    QString password;
    if (colon >= 0 && colon < at)
        password = text.mid(colon + 1, at - colon - 1);
    // Only a password that appears once and is long enough not to occur by chance in the rest.
    const bool distinctive = password.size() >= 6 && text.count(password) == 1;
    if (!r.ok()) {
        require(!r.error.trimmed().isEmpty(), "a refusal says why");
        if (distinctive)
            require(!r.error.contains(password), "an error never quotes the password");
        return 0;
    }
    const QString redacted = r.settings.toRedactedString();
    if (distinctive)
        require(!redacted.contains(password), "the redacted form hides the password");
    // The redacted form parses again (the window shows it and users paste it back).
    const ConnectionString::Result again = ConnectionString::parse(redacted);
    if (!again.ok())
        std::fprintf(stderr, "redacted: %s\nrefused: %s\n", qPrintable(redacted), qPrintable(again.error));
    require(again.ok(), "the redacted form parses");
    return 0;
}
