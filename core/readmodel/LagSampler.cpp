#include "readmodel/LagSampler.h"

#include <QDateTime>
#include <QPointer>

#include <chrono>

namespace chronoscope::readmodel {

LagSampler::LagSampler(QObject *parent) : QObject(parent) {}

LagSampler::~LagSampler()
{
    stop();
}

void LagSampler::start(std::shared_ptr<const StreamsClient> client, const QList<ReadModelMapping> &mappings,
                       SourceFactory factory, int intervalMs)
{
    stop();
    QList<ReadModelMapping> withCheckpoint;
    for (const ReadModelMapping &m : mappings)
        if (m.checkpoint().isSet())
            withCheckpoint.append(m);
    if (!client || withCheckpoint.isEmpty())
        return;
    m_cancel = std::make_shared<Cancellation>();
    m_thread = std::thread(&LagSampler::run, this, std::move(client), withCheckpoint, std::move(factory),
                           std::max(100, intervalMs), m_cancel);
}

void LagSampler::stop()
{
    if (!m_thread.joinable())
        return;
    {
        std::lock_guard<std::mutex> lock(m_mutex);
        m_cancel->cancel();
    }
    m_wake.notify_all();
    m_thread.join();
}

void LagSampler::run(std::shared_ptr<const StreamsClient> client, QList<ReadModelMapping> mappings,
                     SourceFactory factory, int intervalMs, CancellationPtr cancel)
{
    std::vector<std::unique_ptr<ReadModelSource>> sources;
    for (const ReadModelMapping &m : mappings)
        sources.push_back(factory(m));
    QPointer<LagSampler> self(this);
    while (!cancel->isCancelled()) {
        for (qsizetype i = 0; i < mappings.size() && !cancel->isCancelled(); ++i) {
            LagSample sample;
            if (sources[size_t(i)])
                sample = probeLag(*client, *sources[size_t(i)], QDateTime::currentMSecsSinceEpoch(), {}, cancel);
            else
                sample.checkpointError = ReadModelError{ReadModelError::Kind::Configuration,
                                                        QStringLiteral("no source for this read model"),
                                                        {}};
            if (cancel->isCancelled())
                break;
            // Delivered on the sampler's thread; stop() joins before the sampler dies, so `this` is alive here.
            QMetaObject::invokeMethod(this, [self, name = mappings[i].name(), sample]() {
                if (self)
                    Q_EMIT self->sampled(name, sample);
            });
        }
        std::unique_lock<std::mutex> lock(m_mutex);
        m_wake.wait_for(lock, std::chrono::milliseconds(intervalMs), [&] { return cancel->isCancelled(); });
    }
}

} // namespace chronoscope::readmodel
