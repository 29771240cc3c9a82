#pragma once

#include "readmodel/ReadModelLag.h"
#include "readmodel/ReadModelMapping.h"

#include <QList>
#include <QObject>

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

namespace chronoscope::readmodel {

/// Samples the lag of read models on a timer, in a thread of its own (never the caller's): every interval, each
/// mapping's checkpoint is read and the events of `$all` after it counted (probeLag). Each sample is delivered on
/// the thread the sampler belongs to (sampled()). stop() or the destructor ends the thread, cancelling a sample
/// under way.
class LagSampler : public QObject
{
    Q_OBJECT
public:
    /// Makes the source of a mapping; called on the sampling thread (sources block and belong to one thread).
    using SourceFactory = std::function<std::unique_ptr<ReadModelSource>(const ReadModelMapping &)>;

    explicit LagSampler(QObject *parent = nullptr);
    ~LagSampler() override;

    /// Starts (or restarts) sampling `mappings` (those without a checkpoint are left out) every `intervalMs`.
    void start(std::shared_ptr<const StreamsClient> client, const QList<ReadModelMapping> &mappings,
               SourceFactory factory, int intervalMs = 2000);
    void stop();
    bool isRunning() const { return m_thread.joinable(); }

Q_SIGNALS:
    void sampled(const QString &mapping, const chronoscope::readmodel::LagSample &sample);

private:
    void run(std::shared_ptr<const StreamsClient> client, QList<ReadModelMapping> mappings, SourceFactory factory,
             int intervalMs, CancellationPtr cancel);

    std::thread m_thread;
    CancellationPtr m_cancel;
    std::mutex m_mutex;
    std::condition_variable m_wake;
};

} // namespace chronoscope::readmodel
