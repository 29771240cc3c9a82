#include "projections/PartitionFetch.h"

#include "json/JsonDiff.h"

#include <QJsonObject>

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>
#include <vector>

namespace chronoscope::projections {

namespace {

/// No state: none at all, or the `{}` the server answers for a partition without one.
bool isEmptyState(const QJsonValue &v)
{
    return v.isUndefined() || v.isNull() || (v.isObject() && v.toObject().isEmpty());
}

} // namespace

PartitionComparison comparePartition(const QString &partition, const QJsonValue &local, const QJsonValue &server,
                                     int maxPaths)
{
    PartitionComparison c;
    c.partition = partition;
    c.local = local;
    c.server = server;
    const bool noLocal = isEmptyState(local), noServer = isEmptyState(server);
    if (noLocal && noServer)
        return c;
    if (noServer) {
        c.status = PartitionComparison::Status::MissingOnServer;
        return c;
    }
    if (noLocal) {
        c.status = PartitionComparison::Status::MissingLocally;
        return c;
    }
    engine::DiffOptions options;
    options.buildTree = false;
    options.reportMoves = false;
    const engine::DiffResult diff = engine::JsonDiff::diff(local, server, options);
    if (diff.isEmpty())
        return c;
    c.status = PartitionComparison::Status::Different;
    c.pathCount = int(diff.entries.size());
    for (const engine::DiffEntry &e : diff.entries) {
        if (c.paths.size() >= maxPaths)
            break;
        const QString path = e.path.display();
        if (!c.paths.contains(path))
            c.paths.append(path);
    }
    return c;
}

bool fetchAndCompare(const ProjectionsClient &client, const PartitionFetchRequest &request,
                     const QList<PartitionInput> &partitions, const CancellationPtr &cancel,
                     const std::function<void(PartitionComparison &&)> &onCompared)
{
    std::mutex mutex;
    std::condition_variable ready;
    std::deque<PartitionComparison> done;
    std::atomic<qsizetype> next{0};
    int running = std::max(1, std::min<int>(request.concurrency, int(partitions.size())));
    auto cancelled = [&cancel] { return cancel && cancel->isCancelled(); };

    auto work = [&]() {
        for (;;) {
            const qsizetype i = next.fetch_add(1);
            if (i >= partitions.size() || cancelled())
                break;
            const PartitionInput &p = partitions.at(i);
            const ProjectionValueResult server = client.state(request.name, p.partition, request.credentials);
            PartitionComparison c;
            if (server.error) {
                c.partition = p.partition;
                c.local = p.local;
                c.status = PartitionComparison::Status::Unreadable;
                c.problem = server.error.toString();
            } else {
                c = comparePartition(p.partition, p.local, server.value, request.maxPaths);
            }
            std::lock_guard lock(mutex);
            done.push_back(std::move(c));
            ready.notify_one();
        }
        std::lock_guard lock(mutex);
        --running;
        ready.notify_one();
    };
    std::vector<std::thread> threads;
    const int count = running;
    threads.reserve(size_t(count));
    for (int t = 0; t < count; ++t)
        threads.emplace_back(work);

    for (;;) {
        std::deque<PartitionComparison> batch;
        bool finished = false;
        {
            std::unique_lock lock(mutex);
            ready.wait(lock, [&] { return !done.empty() || running == 0; });
            batch.swap(done);
            finished = running == 0;
        }
        for (PartitionComparison &c : batch)
            if (!cancelled()) // nothing is reported after a cancel, even what was already fetched
                onCompared(std::move(c));
        if (finished)
            break;
    }
    for (std::thread &t : threads)
        t.join();
    return !cancelled();
}

} // namespace chronoscope::projections
