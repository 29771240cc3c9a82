#pragma once

#include "script/ProjectionEngine.h"

#include <QJSValue>

namespace chronoscope::engine {

class JsSandbox;

/// The projection runtime in Qt's QJSEngine (V4), inside a JsSandbox. V4 interprets or baseline-JITs
/// the handlers; its JSON.parse dominates a fold (see README "engine").
class QjsProjectionEngine : public ProjectionEngine
{
public:
    QjsProjectionEngine();
    ~QjsProjectionEngine() override;

    QString engineName() const override;
    bool load(const ProjectionDefinition &definition, QByteArray *info, ScriptError *error) override;
    BatchOutcome foldBatch(const EventBatchEncoder &batch) override;
    QByteArray call(const char *method, const QByteArray *arg, ScriptError *error, int timeLimitMs = 0) override;
    QString partitionKeyOf(const RecordedEvent &event, ScriptError *error) override;

private:
    std::unique_ptr<JsSandbox> m_sandbox;
    QJSValue m_runtime;
};

} // namespace chronoscope::engine
