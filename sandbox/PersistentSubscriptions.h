#pragma once

#include <QDateTime>

#include "PersistentSubscriptionGroup.h"

#include <functional>
#include <map>
#include <mutex>
#include <thread>

namespace chronoscope::sandbox {

/// Every subscription group of a server: their definitions in `$persistentSubscriptionConfig` (so
/// they survive a restart with --db), and one thread that pumps them every few milliseconds
/// (reads, dispatch, message timeouts, checkpoints). All state is guarded by mutex().
class PersistentSubscriptions
{
public:
    explicit PersistentSubscriptions(EventStore &store);

    /// `$persistentSubscriptionConfig`: where the definitions live.
    static const char *configStream();
    /// The `$PersistentConfig` event listing `groups` (PersistentSubscriptionService.SaveConfiguration: the
    /// whole list each time), `updated` at that time (the demo gives its history's).
    static ProposedEvent configEvent(const std::vector<const PersistentSubscriptionGroup *> &groups,
                                     const QDateTime &updated);
    ~PersistentSubscriptions();

    /// Loads the groups from the config stream and starts pumping.
    void start();
    /// Drops every consumer (their calls end) and stops pumping.
    void stop();
    /// RestartSubsystem: consumers dropped, groups reloaded from the config stream.
    void restart();

    enum class Result { Ok, Exists, NotFound, Failed, MaxSubscribers };
    /// `reason` is set for Failed (an invalid setting, as the server's Fail result names it).
    Result create(const std::string &stream, const std::string &group, const PersistentSettings &settings,
                  const PersistentFilter &filter, std::string *reason);
    /// Keeps the checkpoint and the filter; connected consumers are dropped.
    Result update(const std::string &stream, const std::string &group, const PersistentSettings &settings,
                  std::string *reason);
    Result remove(const std::string &stream, const std::string &group);
    Result connect(const std::string &stream, const std::string &group, const std::shared_ptr<PersistentConsumer> &c);
    void disconnect(const std::string &stream, const std::string &group, const std::shared_ptr<PersistentConsumer> &c);
    void ack(const std::string &stream, const std::string &group, const std::vector<QUuid> &ids);
    void nack(const std::string &stream, const std::string &group, const std::vector<QUuid> &ids,
              PersistentSubscriptionGroup::NackAction action, const std::string &reason);
    Result replayParked(const std::string &stream, const std::string &group, std::optional<qint64> stopAt);

    /// Visits groups under the mutex: one (stream and group set), one stream's, or all (stream empty).
    void visit(const std::string &stream, const std::string &group,
               const std::function<void(const PersistentSubscriptionGroup &)> &visit) const;
    bool exists(const std::string &stream, const std::string &group) const;

    std::mutex &mutex() const { return m_mutex; }

private:
    using Key = std::pair<std::string, std::string>;
    void loadConfigLocked();
    void saveConfigLocked();
    void pumpLocked();
    PersistentSubscriptionGroup *findLocked(const std::string &stream, const std::string &group);
    static std::string validate(const PersistentSettings &s);

    EventStore &m_store;
    mutable std::mutex m_mutex;
    std::condition_variable m_tick;
    std::map<Key, std::unique_ptr<PersistentSubscriptionGroup>> m_groups;
    std::thread m_thread;
    bool m_running = false;
};

} // namespace chronoscope::sandbox
