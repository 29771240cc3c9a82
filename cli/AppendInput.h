#pragma once

#include "model/Types.h"

#include <QString>
#include <QUuid>

#include <optional>

namespace chronoscope::cli {

class CommandLine;

/// What `append`'s options ask for, read and checked before anything connects.
struct AppendInput
{
    QString stream;
    QString eventType; ///< empty: the template's
    QString
        data; ///< the text as given (validated later, with line and column, by the Corrector); empty: the template's
    QString metadata;                      ///< custom metadata text; empty when not given
    std::optional<ExpectedState> expected; ///< none: --dry-run against the head
    QString reason;
    QString reducerPath;
    QString templateName; ///< --template: the reducer file's template gives the type, data and metadata
    QUuid corrects;       ///< --corrects <event id>
    std::optional<quint64> correctsRevision; ///< --corrects @<revision>: the stream's event at that revision
    std::optional<QUuid> eventId;            ///< --event-id; none: a fresh id is drawn
    QString confirmProfile;
    QString auditLogPath; ///< empty: the window's
    bool dryRun = false;

    /// Reads the options of `line`; returns the first problem in words, empty when the input is usable.
    QString read(const CommandLine &line);

    /// `--expected-revision`: a revision or "no_stream"; `any` and `stream_exists` are refused.
    static std::optional<ExpectedState> parseExpected(const QString &text, QString *error);
    /// `--data`/`--metadata`: inline JSON (starts with `{` or `[`), `-` for stdin (when `stdinAllowed`),
    /// else a file. Returns the text; `error` set when it cannot be read.
    static QString readPayload(const QString &option, const QString &value, bool stdinAllowed, QString *error);
};

} // namespace chronoscope::cli
