#include "PersistentSubscriptions.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace chronoscope::sandbox {

namespace {

constexpr const char *kConfigStream = "$persistentSubscriptionConfig";
constexpr auto kTick = std::chrono::milliseconds(10);

QString q(const std::string &s)
{
    return QString::fromStdString(s);
}

QJsonObject entryOf(const PersistentSubscriptionGroup &g)
{
    // The keys of the server's PersistentSubscriptionEntry (camelCase, times in milliseconds).
    const PersistentSettings &s = g.settings();
    QJsonObject e{
        {QStringLiteral("stream"), q(g.stream())},
        {QStringLiteral("group"), q(g.group())},
        {QStringLiteral("resolveLinkTos"), s.resolveLinks},
        {QStringLiteral("extraStatistics"), s.extraStatistics},
        {QStringLiteral("messageTimeout"), s.messageTimeoutMs},
        {QStringLiteral("maxRetryCount"), s.maxRetryCount},
        {QStringLiteral("liveBufferSize"), s.liveBufferSize},
        {QStringLiteral("readBatchSize"), s.readBatchSize},
        {QStringLiteral("bufferSize"), s.historyBufferSize},
        {QStringLiteral("checkPointAfter"), s.checkpointAfterMs},
        {QStringLiteral("minCheckPointCount"), s.minCheckpointCount},
        {QStringLiteral("maxCheckPointCount"), s.maxCheckpointCount},
        {QStringLiteral("maxSubscriberCount"), s.maxSubscriberCount},
        {QStringLiteral("namedConsumerStrategy"), q(s.consumerStrategy)},
        {QStringLiteral("startFrom"), s.startFrom ? double(*s.startFrom) : -1.0},
    };
    if (g.filter().isSet()) {
        QJsonArray prefixes;
        for (const std::string &p : g.filter().prefixes)
            prefixes.append(q(p));
        e[QStringLiteral("filter")] = QJsonObject{
            {QStringLiteral("context"), g.filter().byStream ? QStringLiteral("StreamId") : QStringLiteral("EventType")},
            {QStringLiteral("regex"), q(g.filter().regex)},
            {QStringLiteral("prefixes"), prefixes},
        };
    }
    return e;
}

PersistentSettings settingsOf(const QJsonObject &e)
{
    PersistentSettings s;
    s.resolveLinks = e.value(QStringLiteral("resolveLinkTos")).toBool();
    s.extraStatistics = e.value(QStringLiteral("extraStatistics")).toBool();
    s.messageTimeoutMs = e.value(QStringLiteral("messageTimeout")).toInt(s.messageTimeoutMs);
    s.maxRetryCount = e.value(QStringLiteral("maxRetryCount")).toInt(s.maxRetryCount);
    s.liveBufferSize = e.value(QStringLiteral("liveBufferSize")).toInt(s.liveBufferSize);
    s.readBatchSize = e.value(QStringLiteral("readBatchSize")).toInt(s.readBatchSize);
    s.historyBufferSize = e.value(QStringLiteral("bufferSize")).toInt(s.historyBufferSize);
    s.checkpointAfterMs = e.value(QStringLiteral("checkPointAfter")).toInt(s.checkpointAfterMs);
    s.minCheckpointCount = e.value(QStringLiteral("minCheckPointCount")).toInt(s.minCheckpointCount);
    s.maxCheckpointCount = e.value(QStringLiteral("maxCheckPointCount")).toInt(s.maxCheckpointCount);
    s.maxSubscriberCount = e.value(QStringLiteral("maxSubscriberCount")).toInt(0);
    s.consumerStrategy = e.value(QStringLiteral("namedConsumerStrategy")).toString().toStdString();
    const double start = e.value(QStringLiteral("startFrom")).toDouble(-1);
    s.startFrom = start < 0 ? std::nullopt : std::optional<quint64>(quint64(start));
    return s;
}

PersistentFilter filterOf(const QJsonObject &e)
{
    PersistentFilter f;
    const QJsonObject o = e.value(QStringLiteral("filter")).toObject();
    f.byStream = o.value(QStringLiteral("context")).toString() != QLatin1String("EventType");
    f.regex = o.value(QStringLiteral("regex")).toString().toStdString();
    for (const QJsonValue &p : o.value(QStringLiteral("prefixes")).toArray())
        f.prefixes.push_back(p.toString().toStdString());
    return f;
}

} // namespace

PersistentSubscriptions::PersistentSubscriptions(EventStore &store) : m_store(store) {}

PersistentSubscriptions::~PersistentSubscriptions()
{
    stop();
}

void PersistentSubscriptions::start()
{
    std::lock_guard lock(m_mutex);
    if (m_running)
        return;
    loadConfigLocked();
    m_running = true;
    m_thread = std::thread([this] {
        std::unique_lock lock(m_mutex);
        while (m_running) {
            pumpLocked();
            m_tick.wait_for(lock, kTick);
        }
    });
}

void PersistentSubscriptions::stop()
{
    {
        std::lock_guard lock(m_mutex);
        if (!m_running)
            return;
        m_running = false;
        for (auto &[key, g] : m_groups)
            g->dropAll(PersistentConsumer::Drop::Unsubscribed);
        m_tick.notify_all();
    }
    m_thread.join();
}

void PersistentSubscriptions::restart()
{
    std::lock_guard lock(m_mutex);
    for (auto &[key, g] : m_groups)
        g->dropAll(PersistentConsumer::Drop::Unsubscribed);
    m_groups.clear();
    loadConfigLocked();
}

void PersistentSubscriptions::loadConfigLocked()
{
    m_groups.clear();
    const StreamView v = m_store.view(kConfigStream);
    if (v.state != StreamView::State::Present || !v.hasEvents)
        return;
    QJsonArray entries;
    m_store.readStream(kConfigStream, v.last, false, 1, [&](const StoredRecord &r) {
        entries = QJsonDocument::fromJson(QByteArray::fromStdString(r.data))
                      .object()
                      .value(QStringLiteral("entries"))
                      .toArray();
    });
    for (const QJsonValue &value : entries) {
        const QJsonObject e = value.toObject();
        auto g = std::make_unique<PersistentSubscriptionGroup>(
            m_store, e.value(QStringLiteral("stream")).toString().toStdString(),
            e.value(QStringLiteral("group")).toString().toStdString(), settingsOf(e), filterOf(e));
        g->load();
        const Key key{g->stream(), g->group()};
        m_groups[key] = std::move(g);
    }
}

const char *PersistentSubscriptions::configStream()
{
    return kConfigStream;
}

ProposedEvent PersistentSubscriptions::configEvent(const std::vector<const PersistentSubscriptionGroup *> &groups,
                                                   const QDateTime &updated)
{
    // PersistentSubscriptionService.SaveConfiguration: the whole list in one $PersistentConfig event.
    QJsonArray entries;
    for (const PersistentSubscriptionGroup *g : groups)
        entries.append(entryOf(*g));
    const QJsonObject config{
        {QStringLiteral("version"), QStringLiteral("2")},
        {QStringLiteral("updated"), updated.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("updatedBy"), QStringLiteral("admin")},
        {QStringLiteral("maxCount"), 10},
        {QStringLiteral("entries"), entries},
    };
    return ProposedEvent{QUuid::createUuid(),
                         "$PersistentConfig",
                         true,
                         QJsonDocument(config).toJson(QJsonDocument::Compact).toStdString(),
                         {},
                         0};
}

void PersistentSubscriptions::saveConfigLocked()
{
    std::vector<const PersistentSubscriptionGroup *> groups;
    for (const auto &[key, g] : m_groups)
        groups.push_back(g.get());
    m_store.append(kConfigStream, EventStore::Expected::Any, 0, {configEvent(groups, QDateTime::currentDateTimeUtc())});
}

void PersistentSubscriptions::pumpLocked()
{
    const auto now = std::chrono::steady_clock::now();
    for (auto &[key, g] : m_groups)
        g->pump(now);
}

PersistentSubscriptionGroup *PersistentSubscriptions::findLocked(const std::string &stream, const std::string &group)
{
    const auto it = m_groups.find({stream, group});
    return it == m_groups.end() ? nullptr : it->second.get();
}

std::string PersistentSubscriptions::validate(const PersistentSettings &s)
{
    static const std::vector<std::string> strategies = {"DispatchToSingle", "RoundRobin", "Pinned",
                                                        "PinnedByCorrelation"};
    if (std::find(strategies.begin(), strategies.end(), s.consumerStrategy) == strategies.end())
        return "Consumer strategy " + s.consumerStrategy + " does not exist.";
    if (s.readBatchSize >= s.historyBufferSize)
        return "ReadBatchSize may not be greater than or equal to BufferSize";
    if (s.messageTimeoutMs < 0 || s.checkpointAfterMs < 0 || s.maxRetryCount < 0 || s.maxSubscriberCount < 0)
        return "Settings may not be negative";
    if (s.minCheckpointCount > s.maxCheckpointCount)
        return "MinCheckPointCount may not be greater than MaxCheckPointCount";
    return {};
}

PersistentSubscriptions::Result PersistentSubscriptions::create(const std::string &stream, const std::string &group,
                                                                const PersistentSettings &settings,
                                                                const PersistentFilter &filter, std::string *reason)
{
    std::lock_guard lock(m_mutex);
    if (findLocked(stream, group))
        return Result::Exists;
    *reason = validate(settings);
    if (reason->empty() && group.empty())
        *reason = "Group name cannot be empty.";
    if (!reason->empty())
        return Result::Failed;
    auto g = std::make_unique<PersistentSubscriptionGroup>(m_store, stream, group, settings, filter);
    // A group created again after a delete starts afresh.
    g->deleteStreams();
    g->load();
    m_groups[{stream, group}] = std::move(g);
    saveConfigLocked();
    return Result::Ok;
}

PersistentSubscriptions::Result PersistentSubscriptions::update(const std::string &stream, const std::string &group,
                                                                const PersistentSettings &settings, std::string *reason)
{
    std::lock_guard lock(m_mutex);
    PersistentSubscriptionGroup *old = findLocked(stream, group);
    if (!old)
        return Result::NotFound;
    *reason = validate(settings);
    if (!reason->empty())
        return Result::Failed;
    old->dropAll(PersistentConsumer::Drop::Unsubscribed);
    auto g = std::make_unique<PersistentSubscriptionGroup>(m_store, stream, group, settings, old->filter());
    g->load();
    m_groups[{stream, group}] = std::move(g);
    saveConfigLocked();
    return Result::Ok;
}

PersistentSubscriptions::Result PersistentSubscriptions::remove(const std::string &stream, const std::string &group)
{
    std::lock_guard lock(m_mutex);
    PersistentSubscriptionGroup *g = findLocked(stream, group);
    if (!g)
        return Result::NotFound;
    g->dropAll(PersistentConsumer::Drop::Deleted);
    g->deleteStreams();
    m_groups.erase({stream, group});
    saveConfigLocked();
    return Result::Ok;
}

PersistentSubscriptions::Result PersistentSubscriptions::connect(const std::string &stream, const std::string &group,
                                                                 const std::shared_ptr<PersistentConsumer> &c)
{
    std::lock_guard lock(m_mutex);
    PersistentSubscriptionGroup *g = findLocked(stream, group);
    if (!g)
        return Result::NotFound;
    if (g->settings().maxSubscriberCount > 0 && int(g->consumerCount()) >= g->settings().maxSubscriberCount)
        return Result::MaxSubscribers;
    g->addConsumer(c);
    g->pump(std::chrono::steady_clock::now());
    return Result::Ok;
}

void PersistentSubscriptions::disconnect(const std::string &stream, const std::string &group,
                                         const std::shared_ptr<PersistentConsumer> &c)
{
    std::lock_guard lock(m_mutex);
    if (PersistentSubscriptionGroup *g = findLocked(stream, group))
        g->removeConsumer(c);
}

void PersistentSubscriptions::ack(const std::string &stream, const std::string &group, const std::vector<QUuid> &ids)
{
    std::lock_guard lock(m_mutex);
    if (PersistentSubscriptionGroup *g = findLocked(stream, group)) {
        g->ack(ids);
        g->pump(std::chrono::steady_clock::now());
    }
}

void PersistentSubscriptions::nack(const std::string &stream, const std::string &group, const std::vector<QUuid> &ids,
                                   PersistentSubscriptionGroup::NackAction action, const std::string &reason)
{
    std::lock_guard lock(m_mutex);
    if (PersistentSubscriptionGroup *g = findLocked(stream, group)) {
        g->nack(ids, action, reason);
        g->pump(std::chrono::steady_clock::now());
    }
}

PersistentSubscriptions::Result
PersistentSubscriptions::replayParked(const std::string &stream, const std::string &group, std::optional<qint64> stopAt)
{
    std::lock_guard lock(m_mutex);
    PersistentSubscriptionGroup *g = findLocked(stream, group);
    if (!g)
        return Result::NotFound;
    g->replayParked(stopAt);
    g->pump(std::chrono::steady_clock::now());
    return Result::Ok;
}

void PersistentSubscriptions::visit(const std::string &stream, const std::string &group,
                                    const std::function<void(const PersistentSubscriptionGroup &)> &visit) const
{
    std::lock_guard lock(m_mutex);
    for (const auto &[key, g] : m_groups)
        if ((stream.empty() || key.first == stream) && (group.empty() || key.second == group))
            visit(*g);
}

bool PersistentSubscriptions::exists(const std::string &stream, const std::string &group) const
{
    std::lock_guard lock(m_mutex);
    return m_groups.count({stream, group}) > 0;
}

} // namespace chronoscope::sandbox
