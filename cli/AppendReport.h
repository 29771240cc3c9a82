#pragma once

#include "correct/Corrector.h"
#include "correct/DraftValidation.h"
#include "correct/EventDraft.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QStringList>

namespace chronoscope::cli {

class Output;

/// What `append` prints: text for people, one JSON object for scripts (--json).
namespace appendreport {

QJsonObject issueJson(const DraftIssue &issue);
QJsonObject validationJson(const DraftValidation &validation);
QJsonValue expectedJson(const std::optional<ExpectedState> &expected);

/// The dry run: validation, the state diff, the metadata that would be sent. `headNote` non-empty
/// says why an append would not go through as pinned (the stream moved).
int printDryRun(Output &out, const EventDraft &draft, const DryRun &dryRun, const QString &headNote, int exitCode);
/// The outcome of an append (after readBack() when the first answer was uncertain: `first` is then that
/// answer). `validated`: the outcome carries the validation append() ran (not so for a read-back or a guard).
void printOutcome(Output &out, const EventDraft &draft, const AppendOutcome &outcome, const AppendOutcome *first,
                  bool validated);

} // namespace appendreport

} // namespace chronoscope::cli
