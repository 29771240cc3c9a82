#include "demo/DemoHistory.h"

#include <QDateTime>
#include <QHash>

#include <queue>
#include <random>
#include <vector>

namespace chronoscope {
namespace {

constexpr qint64 kDayMs = 24LL * 3600 * 1000;

/// Deterministic helpers over mt19937_64 (the standard distributions differ between libraries).
class Rng
{
public:
    explicit Rng(quint64 seed) : m_gen(seed) {}
    quint64 next() { return m_gen(); }
    int below(int n) { return int(next() % quint64(n)); }
    bool chance(int percent) { return below(1000) < percent * 10; }
    bool permille(int p) { return below(1000) < p; }
    QUuid uuid()
    {
        const quint64 a = next(), b = next();
        // version 4, RFC 4122 variant
        return QUuid(uint(a >> 32), ushort(a >> 16), ushort((a & 0x0fff) | 0x4000), uchar(((b >> 56) & 0x3f) | 0x80),
                     uchar(b >> 48), uchar(b >> 40), uchar(b >> 32), uchar(b >> 24), uchar(b >> 16), uchar(b >> 8),
                     uchar(b));
    }

private:
    std::mt19937_64 m_gen;
};

const char *const kFirstNames[] = {"Ada", "Grace", "Linus", "Margaret", "Ken", "Barbara", "Dennis", "Frances",
                                   "Edsger", "Radia", "Niklaus", "Hedy"};
const char *const kLastNames[] = {"Lovelace", "Hopper", "Torvalds", "Hamilton", "Thompson", "Liskov", "Ritchie",
                                  "Allen", "Dijkstra", "Perlman", "Wirth", "Lamarr"};
const char *const kCities[] = {"Berlin", "Lisbon", "Oslo", "Dublin", "Vienna", "Prague", "Tallinn", "Ghent"};
const char *const kSkus[] = {"KB-MECH-87", "MS-ERGO-02", "MON-27-4K", "HUB-USB-C7", "CAB-HDMI-2", "LAMP-LED-9",
                             "CHAIR-ERG", "DESK-STAND", "HEAD-ANC-3", "CAM-1080P"};
const int kPrices[] = {12900, 5900, 38900, 4900, 1500, 3900, 45900, 62900, 19900, 7900};
const char *const kCarriers[] = {"DHL", "UPS", "PostNL", "GLS"};
const char *const kOperators[] = {"svc-checkout", "svc-payments", "svc-fulfilment", "alice.support", "bob.support"};

QByteArray q(const QByteArray &s) { return '"' + s + '"'; }
QByteArray num(qint64 v) { return QByteArray::number(v); }
QByteArray uuidText(const QUuid &u) { return u.toByteArray(QUuid::WithoutBraces); }
QByteArray isoTime(qint64 ms)
{
    return QDateTime::fromMSecsSinceEpoch(ms, Qt::UTC).toString(Qt::ISODateWithMs).toLatin1();
}

struct Pending
{
    qint64 at;
    quint64 seq;
    DemoEvent event;
    bool operator>(const Pending &o) const { return at != o.at ? at > o.at : seq > o.seq; }
};

} // namespace

qint64 DemoHistory::incidentStartMs() const
{
    return m_options.startMs + kIncidentDay * kDayMs + 14 * 3600 * 1000LL;
}

quint64 DemoHistory::generate(const std::function<bool(const DemoEvent &)> &emit) const
{
    Rng rng(m_options.seed);
    const qint64 spanMs = qint64(m_options.days) * kDayMs;
    // About 8.5 events per order including customer events: spread the orders over the span.
    const quint64 orders = std::max<quint64>(1, m_options.eventCount / 8);
    const qint64 gapMs = std::max<qint64>(1, spanMs / qint64(orders));
    const qint64 incidentFrom = incidentStartMs();
    const qint64 incidentTo = incidentFrom + 8 * 3600 * 1000LL;
    constexpr int kMaxDoubleCharges = 40;
    int doubleCharges = 0;

    std::priority_queue<Pending, std::vector<Pending>, std::greater<Pending>> queue;
    quint64 seq = 0;
    quint64 emitted = 0;
    quint64 customers = 0;
    std::vector<int> customerVersions;

    auto schedule = [&](qint64 at, QByteArray stream, QByteArray type, QByteArray data, const QUuid &corr,
                        const QUuid &cause, const char *op, int schemaVersion, QUuid *id) {
        DemoEvent e;
        e.id = rng.uuid();
        e.stream = std::move(stream);
        e.type = std::move(type);
        // Every payload carries its tracing context, as services that emit them commonly do.
        data.chop(1);
        e.data = std::move(data) + ",\"trace\":{\"traceId\":\"" + QByteArray::number(rng.next(), 16).rightJustified(16, '0')
            + QByteArray::number(rng.next(), 16).rightJustified(16, '0') + "\",\"spanId\":\""
            + QByteArray::number(rng.next(), 16).rightJustified(16, '0') + "\",\"host\":\"" + op + '-'
            + QByteArray::number(1 + rng.below(8)) + "\",\"region\":\"eu-central-1\"}}";
        e.createdMs = at;
        e.metadata = "{\"$correlationId\":" + q(uuidText(corr)) + ",\"$causationId\":" + q(uuidText(cause))
            + ",\"userId\":" + q(op) + ",\"source\":\"chronoscope-demo\""
            + (schemaVersion > 1 ? QByteArray(",\"schemaVersion\":" + num(schemaVersion)) : QByteArray()) + '}';
        if (id)
            *id = e.id;
        queue.push(Pending{at, seq++, std::move(e)});
    };
    auto drainUntil = [&](qint64 t) {
        while (!queue.empty() && queue.top().at <= t && emitted < m_options.eventCount) {
            if (!emit(queue.top().event))
                return false;
            ++emitted;
            queue.pop();
        }
        return emitted < m_options.eventCount;
    };

    qint64 now = m_options.startMs;
    for (quint64 n = 1;; ++n) {
        now += gapMs / 2 + rng.below(int(std::min<qint64>(gapMs, 1 << 30)) + 1);
        if (!drainUntil(now - 120000)) // events are scheduled up to 60 s before `now`
            break;
        const int day = int((now - m_options.startMs) / kDayMs);
        const QUuid corr = rng.uuid();

        // The customer: new with some probability, else an existing one (maybe updating a profile).
        quint64 customer;
        QUuid cause = corr;
        if (customers == 0 || rng.chance(30)) {
            customer = ++customers;
            customerVersions.push_back(0);
            const QByteArray first = kFirstNames[rng.below(12)], last = kLastNames[rng.below(12)];
            schedule(now - 60000, "customer-" + num(qint64(customer)), "CustomerRegistered",
                     "{\"customerId\":" + q("customer-" + num(qint64(customer))) + ",\"name\":" + q(first + ' ' + last)
                         + ",\"email\":" + q(first.toLower() + '.' + last.toLower() + "@example.org")
                         + ",\"city\":" + q(kCities[rng.below(8)]) + ",\"tier\":\"standard\",\"marketingOptIn\":"
                         + (rng.chance(50) ? "true" : "false") + ",\"registeredAt\":" + q(isoTime(now - 60000)) + '}',
                     corr, corr, "svc-checkout", 1, &cause);
        } else {
            customer = 1 + quint64(rng.below(int(std::min<quint64>(customers, 1u << 30))));
            if (rng.chance(8)) {
                schedule(now - 30000, "customer-" + num(qint64(customer)), "ProfileUpdated",
                         "{\"customerId\":" + q("customer-" + num(qint64(customer))) + ",\"city\":"
                             + q(kCities[rng.below(8)]) + ",\"tier\":" + q(rng.chance(20) ? "gold" : "standard")
                             + ",\"phone\":\"+49 30 " + num(1000000 + rng.below(8999999)) + "\",\"changedBy\":"
                             + q(kOperators[3 + rng.below(2)]) + ",\"reason\":\"customer request via support\"}",
                         corr, corr, kOperators[3 + rng.below(2)], 1, nullptr);
            }
        }

        const QByteArray order = "order-" + num(qint64(n));
        const QByteArray payment = "payment-" + num(qint64(n));
        const QByteArray customerId = "customer-" + num(qint64(customer));
        qint64 t = now;
        QUuid last;
        const bool v2 = day >= kSchemaV2Day;
        const int currency = rng.below(3);
        const char *cur = currency == 0 ? "EUR" : currency == 1 ? "GBP" : "SEK";
        const QByteArray address = "{\"street\":\"" + num(1 + rng.below(200)) + " Main Street\",\"city\":"
            + q(kCities[rng.below(8)]) + ",\"postcode\":\"" + num(10000 + rng.below(89999)) + "\"}";
        schedule(t, order, "OrderPlaced",
                 v2 ? QByteArray("{\"orderId\":" + q(order) + ",\"customerId\":" + q(customerId)
                          + ",\"total\":{\"amount\":0,\"currency\":" + q(cur) + "},\"channel\":"
                          + q(rng.chance(60) ? "web" : "mobile") + ",\"shippingAddress\":" + address
                          + ",\"placedAt\":" + q(isoTime(t)) + '}')
                    : QByteArray("{\"orderId\":" + q(order) + ",\"customerId\":" + q(customerId)
                          + ",\"total\":0.0,\"currency\":" + q(cur) + ",\"shippingAddress\":" + address
                          + ",\"placedAt\":" + q(isoTime(t)) + '}'),
                 corr, cause, "svc-checkout", v2 ? 2 : 1, &last);
        qint64 total = 0;
        const int items = 1 + rng.below(5);
        std::vector<int> added;
        for (int i = 0; i < items; ++i) {
            t += 5000 + rng.below(60000);
            const int sku = rng.below(10);
            const int qty = 1 + rng.below(3);
            total += qint64(kPrices[sku]) * qty;
            added.push_back(sku);
            schedule(t, order, "ItemAdded",
                     "{\"orderId\":" + q(order) + ",\"sku\":" + q(kSkus[sku]) + ",\"quantity\":" + num(qty)
                         + ",\"unitPrice\":" + num(kPrices[sku]) + ",\"currency\":" + q(cur) + ",\"lineId\":"
                         + num(i + 1) + ",\"addedAt\":" + q(isoTime(t)) + '}',
                     corr, last, "svc-checkout", 1, &last);
        }
        if (items > 1 && rng.chance(25)) {
            t += 5000 + rng.below(30000);
            const int line = rng.below(items);
            total -= kPrices[added[size_t(line)]];
            schedule(t, order, "ItemRemoved",
                     "{\"orderId\":" + q(order) + ",\"sku\":" + q(kSkus[added[size_t(line)]]) + ",\"lineId\":"
                         + num(line + 1) + ",\"quantity\":1,\"unitPrice\":" + num(kPrices[added[size_t(line)]])
                         + ",\"reason\":\"customer changed their mind\"}",
                     corr, last, "svc-checkout", 1, &last);
        }
        if (rng.chance(6)) { // abandoned or cancelled before payment
            t += 60000 + rng.below(3600000);
            schedule(t, order, "OrderCancelled",
                     "{\"orderId\":" + q(order) + ",\"reason\":\"cancelled by customer before payment\",\"cancelledBy\":"
                         + q(customerId) + ",\"cancelledAt\":" + q(isoTime(t)) + '}',
                     corr, last, "svc-checkout", 1, &last);
            continue;
        }
        t += 10000 + rng.below(60000);
        schedule(t, order, "OrderConfirmed",
                 "{\"orderId\":" + q(order) + ",\"total\":" + num(total) + ",\"currency\":" + q(cur)
                     + ",\"items\":" + num(items) + ",\"confirmedAt\":" + q(isoTime(t)) + '}',
                 corr, last, "svc-checkout", 1, &last);
        t += 2000 + rng.below(10000);
        schedule(t, payment, "PaymentRequested",
                 "{\"paymentId\":" + q(payment) + ",\"orderId\":" + q(order) + ",\"amount\":" + num(total)
                     + ",\"currency\":" + q(cur) + ",\"method\":" + q(rng.chance(70) ? "card" : "paypal")
                     + ",\"requestedAt\":" + q(isoTime(t)) + '}',
                 corr, last, "svc-payments", 1, &last);
        t += 1000 + rng.below(20000);
        const QByteArray processed = "{\"paymentId\":" + q(payment) + ",\"orderId\":" + q(order) + ",\"amount\":"
            + num(total) + ",\"currency\":" + q(cur) + ",\"pspReference\":\"psp_" + num(qint64(rng.next() % 1000000000))
            + "\",\"processedAt\":" + q(isoTime(t)) + '}';
        QUuid processedId;
        schedule(t, payment, "PaymentProcessed", processed, corr, last, "svc-payments", 1, &processedId);
        // The incident: a retry bug charged some orders twice, under the same correlation id.
        if (t >= incidentFrom && t < incidentTo && doubleCharges < kMaxDoubleCharges && rng.chance(80)
            && ++doubleCharges)
            schedule(t + 1500 + rng.below(3000), payment, "PaymentProcessed", processed, corr, last, "svc-payments", 1,
                     nullptr);
        last = processedId;
        if (rng.chance(4)) {
            t += 3600000 + rng.below(86400000);
            schedule(t, order, "OrderCancelled",
                     "{\"orderId\":" + q(order) + ",\"reason\":\"out of stock\",\"cancelledBy\":\"svc-fulfilment\","
                     "\"cancelledAt\":" + q(isoTime(t)) + '}',
                     corr, last, "svc-fulfilment", 1, &last);
            t += 60000 + rng.below(600000);
            schedule(t, payment, "PaymentRefunded",
                     "{\"paymentId\":" + q(payment) + ",\"orderId\":" + q(order) + ",\"amount\":" + num(total)
                         + ",\"currency\":" + q(cur) + ",\"reason\":\"order cancelled\",\"refundedAt\":"
                         + q(isoTime(t)) + '}',
                     corr, last, "svc-payments", 1, nullptr);
            continue;
        }
        t += 3600000 + rng.below(2 * 86400000);
        schedule(t, order, "OrderShipped",
                 "{\"orderId\":" + q(order) + ",\"carrier\":" + q(kCarriers[rng.below(4)]) + ",\"trackingNumber\":\"TRK"
                     + num(qint64(rng.next() % 10000000000LL)) + "\",\"shippedFrom\":\"warehouse-ams-1\",\"shippedAt\":"
                     + q(isoTime(t)) + '}',
                 corr, last, "svc-fulfilment", 1, nullptr);
    }
    return emitted;
}

std::optional<DemoHistory::DoubleCharge> DemoHistory::firstDoubleCharge() const
{
    // Revisions are per stream: count every payment stream's events, and its PaymentProcessed.
    QHash<QByteArray, quint64> events;
    QHash<QByteArray, int> processed;
    std::optional<DoubleCharge> found;
    generate([&](const DemoEvent &e) {
        if (!e.stream.startsWith("payment-"))
            return true;
        const quint64 revision = events[e.stream]++;
        if (e.type != "PaymentProcessed" || ++processed[e.stream] < 2)
            return true;
        found = DoubleCharge{e.stream, "order-" + e.stream.mid(8), revision, e.createdMs};
        return false;
    });
    return found;
}

} // namespace chronoscope
