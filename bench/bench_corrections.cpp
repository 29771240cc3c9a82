// Corrections (issue 12): how fast a draft is checked and previewed against the head of a big stream.
//
//   bench_corrections [--events N] [--orders M] [--iterations I]
//
// Builds a CorrectionTarget of one stream of N events (default 1 000 000) with the demo reducer file
// (resources/reducers/demo-orders.reducer.json: its upcaster, invariant and schemas), fed through
// add() in batches as a catch-up does; no server. The stream holds the events of M orders (default
// 100 000: placed, items, confirmed, paid, shipped, some refunded), so the folded state is big (every
// order is kept). Then, as a user typing a refund at the head:
//   validate_p99_ms  Corrector::validate() (syntax, size, schema, invariants on the head + draft)
//   dry_run_p99_ms   Corrector::dryRun() (the same, plus the states before/after and their diff)
// Ends with one `target …` line per goal.
#include "correct/CorrectionTarget.h"
#include "correct/Corrector.h"
#include "correct/WriteGuard.h"
#include "script/ReducerFile.h"

#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cstdio>
#include <vector>

using namespace chronoscope;

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0;
    std::sort(v.begin(), v.end());
    const size_t i = std::min(v.size() - 1, size_t(double(v.size()) * p / 100.0));
    return v[i];
}

QByteArray text(const QJsonObject &o)
{
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QString orderId(quint64 i)
{
    return QStringLiteral("o-%1").arg(i);
}

/// The events of `orders` orders, ten per order, in one stream; revisions from 0.
class Generator
{
public:
    Generator(QByteArray stream, quint64 orders) : m_stream(std::move(stream)), m_orders(orders) {}

    /// The next `count` events (fewer at the end).
    QList<RecordedEvent> next(quint64 count)
    {
        QList<RecordedEvent> out;
        out.reserve(qsizetype(count));
        while (out.size() < qsizetype(count) && m_revision < m_orders * 10)
            out.append(make(m_revision++));
        return out;
    }
    quint64 total() const { return m_orders * 10; }

private:
    RecordedEvent make(quint64 revision) const
    {
        const quint64 order = revision / 10;
        const int step = int(revision % 10);
        const QString id = orderId(order);
        const QStringList currencies{QStringLiteral("EUR"), QStringLiteral("GBP"), QStringLiteral("SEK")};
        const QString currency = currencies[int(order % 3)];
        RecordedEvent e;
        e.streamId = m_stream;
        e.id = QUuid::createUuidV5(QUuid(), QString::number(revision));
        e.revision = revision;
        e.position = Position{revision * 200, revision * 200};
        e.contentType = "application/json";
        e.createdTicks = (1700000000000LL + qint64(revision)) * kTicksPerMillisecond;
        e.metadata = text({{QStringLiteral("$correlationId"), id}});
        switch (step) {
        case 0:
            e.type = "OrderPlaced";
            e.metadata = text({{QStringLiteral("$correlationId"), id}, {QStringLiteral("schemaVersion"), 2}});
            e.data = text({{QStringLiteral("orderId"), id},
                           {QStringLiteral("customerId"), QStringLiteral("c-%1").arg(order % 5000)},
                           {QStringLiteral("total"),
                            QJsonObject{{QStringLiteral("amount"), 0}, {QStringLiteral("currency"), currency}}},
                           {QStringLiteral("channel"), order % 2 ? QStringLiteral("web") : QStringLiteral("mobile")},
                           {QStringLiteral("placedAt"), QStringLiteral("2026-01-01T10:00:00Z")}});
            break;
        case 1:
        case 2:
        case 3:
        case 4:
        case 5:
            e.type = "ItemAdded";
            e.data = text({{QStringLiteral("orderId"), id},
                           {QStringLiteral("lineId"), QStringLiteral("l-%1").arg(step)},
                           {QStringLiteral("sku"), QStringLiteral("sku-%1").arg((order * 7 + quint64(step)) % 977)},
                           {QStringLiteral("quantity"), 1 + int(order % 3)},
                           {QStringLiteral("unitPrice"), 500 + int(order % 40) * 25}});
            break;
        case 6:
            e.type = "OrderConfirmed";
            e.data = text({{QStringLiteral("orderId"), id}, {QStringLiteral("total"), 5000}});
            break;
        case 7:
            e.type = "PaymentProcessed";
            e.data = text({{QStringLiteral("paymentId"), QStringLiteral("p-%1").arg(order)},
                           {QStringLiteral("orderId"), id},
                           {QStringLiteral("amount"), 5000},
                           {QStringLiteral("currency"), currency}});
            break;
        case 8:
            e.type = "OrderShipped";
            e.data = text({{QStringLiteral("orderId"), id}, {QStringLiteral("carrier"), QStringLiteral("dhl")}});
            break;
        default:
            // Every 20th order is refunded; the others get a note.
            if (order % 20 == 0) {
                e.type = "PaymentRefunded";
                e.data = text({{QStringLiteral("paymentId"), QStringLiteral("p-%1").arg(order)},
                               {QStringLiteral("orderId"), id},
                               {QStringLiteral("amount"), 5000},
                               {QStringLiteral("currency"), currency}});
            } else {
                e.type = "OrderNoteAdded";
                e.data = text({{QStringLiteral("orderId"), id}, {QStringLiteral("note"), QStringLiteral("ok")}});
            }
            break;
        }
        return e;
    }

    QByteArray m_stream;
    quint64 m_orders;
    quint64 m_revision = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    quint64 events = 1000000;
    quint64 orders = 0;
    int iterations = 400;
    const QStringList args = app.arguments();
    for (qsizetype i = 1; i + 1 < args.size(); i += 2) {
        if (args[i] == QLatin1String("--events"))
            events = args[i + 1].toULongLong();
        else if (args[i] == QLatin1String("--orders"))
            orders = args[i + 1].toULongLong();
        else if (args[i] == QLatin1String("--iterations"))
            iterations = args[i + 1].toInt();
    }
    if (orders == 0)
        orders = std::max<quint64>(1, events / 10);

    engine::ReducerFile::LoadError loadError;
    auto file = engine::ReducerFile::load(
        QStringLiteral(CHRONOSCOPE_SOURCE_DIR "/resources/reducers/demo-orders.reducer.json"), &loadError);
    if (!file) {
        std::fprintf(stderr, "%s\n", qPrintable(loadError.toString()));
        return 1;
    }
    auto shared = std::make_shared<const engine::ReducerFile>(std::move(*file));
    auto reducer = shared->createReducer(&loadError);
    if (!reducer) {
        std::fprintf(stderr, "%s\n", qPrintable(loadError.toString()));
        return 1;
    }
    const QByteArray stream = "order-ledger";
    CorrectionTarget target(stream, shared, std::move(reducer));

    // Load: batches of 1000, as catchUp() adds them.
    Generator gen(stream, orders);
    QElapsedTimer t;
    t.start();
    quint64 foldErrors = 0;
    for (;;) {
        const QList<RecordedEvent> batch = gen.next(1000);
        if (batch.isEmpty())
            break;
        foldErrors += quint64(target.add(batch).size());
    }
    const double loadMs = double(t.elapsed());
    t.restart();
    const QJsonValue head = target.headState();
    const double headStateMs = double(t.elapsed());
    const qsizetype stateBytes = QJsonDocument(head.toObject()).toJson(QJsonDocument::Compact).size();
    std::printf("stream: %llu events, %llu orders, head revision %llu, %llu fold errors\n",
                static_cast<unsigned long long>(target.eventCount()), static_cast<unsigned long long>(orders),
                static_cast<unsigned long long>(target.headRevision().value_or(0)),
                static_cast<unsigned long long>(foldErrors));
    std::printf("load (add in batches of 1000): %.0f ms; head state: %.0f ms, %.1f MB of JSON\n", loadMs, headStateMs,
                double(stateBytes) / 1e6);

    WriteGuard guard(WriteProfile::adHoc());
    guard.unlock(QStringLiteral("refund a duplicate charge"));
    const Corrector corrector(nullptr, nullptr, &guard, AuditOperator());
    // A refund of an order near the head, "typed": the amount grows a digit at a time, as keystrokes do.
    const RecordedEvent corrected = *target.latestOfType("PaymentProcessed");
    EventDraft draft = EventDraft::likeEvent(corrected, target.headExpected());
    draft.eventType = QStringLiteral("PaymentRefunded");
    const QJsonObject paid = QJsonDocument::fromJson(corrected.data).object();
    auto typed = [&](int i) {
        QJsonObject d = paid;
        d.insert(QStringLiteral("amount"), 1 + (i * 37) % 5000);
        return QString::fromUtf8(QJsonDocument(d).toJson(QJsonDocument::Indented));
    };
    // Warm up (the schema inference, the engine's first trial).
    draft.data = typed(0);
    const DraftValidation first = corrector.validate(draft, target);
    std::printf("validation: %d issue(s)%s, schema %s, %d invariant(s) checked, folded %s\n", int(first.issues.size()),
                first.issues.isEmpty()
                    ? ""
                    : qPrintable(QStringLiteral(" (") + first.toStringList().join(QStringLiteral("; "))
                                 + QLatin1Char(')')),
                first.schemaSource == DraftValidation::SchemaSource::ReducerFile    ? "reducer file"
                    : first.schemaSource == DraftValidation::SchemaSource::Inferred ? "inferred"
                                                                                    : "none",
                first.invariantsChecked, first.folded ? "yes" : "no");

    std::vector<double> validateMs, dryMs;
    for (int i = 0; i < iterations; ++i) {
        draft.data = typed(i);
        QElapsedTimer one;
        one.start();
        const DraftValidation v = corrector.validate(draft, target);
        validateMs.push_back(double(one.nsecsElapsed()) / 1e6);
        if (v.hasErrors()) {
            std::fprintf(stderr, "unexpected: %s\n", qPrintable(v.toStringList().join(QStringLiteral("; "))));
            return 1;
        }
    }
    DryRun last;
    for (int i = 0; i < iterations; ++i) {
        draft.data = typed(i);
        QElapsedTimer one;
        one.start();
        last = corrector.dryRun(draft, target);
        dryMs.push_back(double(one.nsecsElapsed()) / 1e6);
    }
    std::printf("dry run diff: %s\n", qPrintable(last.diff.join(QStringLiteral("; "))));
    std::printf("validate: median %.2f ms, p99 %.2f ms, max %.2f ms (%d runs)\n", percentile(validateMs, 50),
                percentile(validateMs, 99), percentile(validateMs, 100), iterations);
    std::printf("dry run: median %.2f ms, p99 %.2f ms, max %.2f ms (%d runs)\n", percentile(dryMs, 50),
                percentile(dryMs, 99), percentile(dryMs, 100), iterations);
    if (target.headState() != head) {
        std::fprintf(stderr, "the head's state changed\n");
        return 1;
    }
    std::printf("target validate_p99_ms: %.2f (goal <= 16)\n", percentile(validateMs, 99));
    std::printf("target dry_run_p99_ms: %.2f (goal <= 50)\n", percentile(dryMs, 99));
    return 0;
}
