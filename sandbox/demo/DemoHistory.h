#pragma once

#include <QByteArray>
#include <QUuid>

#include <functional>
#include <optional>

namespace chronoscope {

/// One generated event of the demo history.
struct DemoEvent
{
    QByteArray stream;
    QByteArray type;
    QByteArray data;     ///< JSON, about 300 bytes
    QByteArray metadata; ///< JSON with $correlationId, $causationId, userId, source (and schemaVersion)
    QUuid id;
    qint64 createdMs = 0;
};

/// The deterministic e-commerce history of PRODUCT.md ("The demo history"): customers, orders and
/// payments over ~90 days, two schema versions of OrderPlaced (v2 from day 45: money in minor units
/// with `schemaVersion: 2` in metadata), and an incident on day 60 where a retry bug processed
/// a few dozen payments twice under one correlation id. Same seed, same events, byte for byte.
class DemoHistory
{
public:
    struct Options
    {
        quint64 eventCount = 100000;
        quint64 seed = 4711;
        qint64 startMs = 1782864000000; ///< 2026-07-01T00:00:00Z
        int days = 90;
    };

    static constexpr int kSchemaV2Day = 45;
    static constexpr int kIncidentDay = 60;

    explicit DemoHistory(const Options &options) : m_options(options) {}

    /// Calls `emit` for every event in time order; stops early when it returns false.
    /// Returns the number of events emitted.
    quint64 generate(const std::function<bool(const DemoEvent &)> &emit) const;

    /// The incident window (UTC ms) for a history with these options.
    qint64 incidentStartMs() const;

    /// A payment the incident charged twice, and its order.
    struct DoubleCharge
    {
        QByteArray paymentStream;
        QByteArray orderStream;
        quint64 duplicateRevision = 0; ///< the second PaymentProcessed in the payment stream
        qint64 duplicateMs = 0;
    };
    /// The first double charge in time order: generates the history up to it (about two thirds of
    /// the events, so run it in a worker). None when the history is too small to have one.
    std::optional<DoubleCharge> firstDoubleCharge() const;

private:
    Options m_options;
};

} // namespace chronoscope
