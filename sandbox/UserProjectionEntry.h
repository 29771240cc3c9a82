#pragma once
// The user projections' bookkeeping, shared by UserProjections*.cpp only.
#include "UserProjections.h"

#include "script/JsReducer.h"

#include <QJsonObject>

#include <limits>

namespace chronoscope::sandbox {

/// One projection, guarded by UserProjections::m_mutex.
struct UserProjections::Entry
{
    UserProjectionDefinition def;
    Phase phase = Phase::Stopped;
    std::string reason; ///< why it faulted
    /// A new one (UserProjections::m_generations) on creation and every management call: the runner
    /// rebuilds its reducer from `state` when its own is of another generation.
    quint64 generation = 0;
    size_t next = 0;                                      ///< log index of the next record to process
    std::optional<quint64> lastPosition;                  ///< of the last record processed
    size_t endIndex = std::numeric_limits<size_t>::max(); ///< one-time and transient ones complete there
    qint64 processed = 0; ///< events handled since the process started (or the last reset)
    quint64 sinceCheckpoint = 0;
    QJsonValue state{QJsonValue::Undefined}; ///< the whole state, as JsReducer::state() shapes it
    QJsonObject results;                     ///< partition ("" when not partitioned) → result
    std::set<std::string> changedPartitions; ///< results not yet written to their streams
    bool partitioned = false;
    bool outputState = false;
    size_t checkpointNext = 0;
    std::optional<quint64> checkpointPosition;
    QJsonValue checkpointState{QJsonValue::Undefined};
    std::set<std::string> emittedStreams; ///< tracked in `$projections-NAME-emittedstreams`
    qint64 version = 0;
    qint64 epoch = -1;
    bool wedged = false; ///< tests: the runner passes it by (UserProjections::setWedged)

    bool checkpoints() const { return def.mode == UserProjectionMode::Continuous; }
    bool persisted() const { return def.mode != UserProjectionMode::Transient; }
};

/// The runner thread's reducer of one projection.
struct UserProjections::Live
{
    std::unique_ptr<engine::JsReducer> reducer;
    quint64 generation = std::numeric_limits<quint64>::max();
};

namespace userprojections {

/// The streams the server names after a projection (ProjectionNamesBuilder).
inline std::string definitionStream(const std::string &name)
{
    return "$projections-" + name;
}
inline std::string checkpointStream(const std::string &name)
{
    return "$projections-" + name + "-checkpoint";
}
inline std::string emittedStreamsStream(const std::string &name)
{
    return "$projections-" + name + "-emittedstreams";
}
inline std::string resultStream(const std::string &name, const std::string &partition)
{
    return partition.empty() ? "$projections-" + name + "-result"
                             : "$projections-" + name + "-" + partition + "-result";
}
inline const char *kRegistrationStream = "$projections-$all";

const char *modeName(UserProjectionMode mode);
bool modeFromName(const std::string &name, UserProjectionMode *mode);
/// "C:<commit>/P:<prepare>", -1 for nothing yet.
std::string tagOf(const std::optional<quint64> &position);
std::string compactJson(const QJsonValue &value);
QJsonValue parseJson(const std::string &text);

} // namespace userprojections

} // namespace chronoscope::sandbox
