// `--demo`'s read models (issue 14 item 7): a real PostgreSQL and a real Redis started by the demo's own setup
// (DemoReadModels), loaded with the drifted orders table and order summaries; a drift scan with the demo reducer
// finds exactly the drift the history's seed decides, the checkpoints are the lag asked for, the servers are
// gone when the setup is, and without PostgreSQL the window says so and the rest of the demo works.
#include "DemoReadModels.h"
#include "MainWindow.h"
#include "ReadModelLagDock.h"
#include "client/StreamsClient.h"
#include "demo/DemoReadModel.h"
#include "fold/MergeReducer.h"
#include "readmodel/DriftScan.h"
#include "readmodel/ReadModelLag.h"
#include "readmodel/ReadModelLagChart.h"
#include "readmodel/local/LocalPostgres.h"
#include "readmodel/local/LocalRedis.h"
#include "readmodel/postgres/PostgresSource.h"
#include "readmodel/redis/RedisSource.h"
#include "script/ReducerFile.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QDateTime>
#include <QFile>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTest>

#include <csignal>

using namespace chronoscope;
using namespace chronoscope::readmodel;

namespace {

constexpr quint64 kEvents = 3000;

QString reducerPath()
{
    return QStringLiteral(CHRONOSCOPE_TEST_DATA "/../../resources/reducers/demo-orders.reducer.json");
}

ReadModelMapping demoMapping(const QString &name)
{
    QFile f(reducerPath());
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read the demo reducer");
    ReadModelMapping::ParseError error;
    const auto all = ReadModelMapping::fromReducerFile(f.readAll(), &error);
    if (!all)
        qFatal("demo mappings: %s", qPrintable(error.toString()));
    for (const ReadModelMapping &m : *all)
        if (m.name() == name)
            return m;
    qFatal("no mapping %s", qPrintable(name));
}

std::unique_ptr<ReadModelSource> sourceFor(const DemoReadModels &rm, const ReadModelMapping &m)
{
    for (const ReadModelEndpoint &e : rm.endpoints()) {
        if (e.name != m.endpoint())
            continue;
        if (e.backend == ReadModelEndpoint::Backend::Redis)
            return std::make_unique<RedisSource>(e, rm.password(e.name), m);
        return std::make_unique<PostgresSource>(e, rm.password(e.name), m);
    }
    return nullptr;
}

bool processGone(qint64 pid)
{
    return pid > 0
        && (::kill(pid_t(pid), 0) != 0 || QFile::exists(QStringLiteral("/proc/%1/status").arg(pid)) == false);
}

} // namespace

class TestDemoReadModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY2(m_sandbox.start(kEvents), qPrintable(m_sandbox.error()));
        m_sandbox.server().store().configureProjections(true, true); // system events in $all, as the demo has
        m_history.eventCount = kEvents;
    }

    void startsDriftsExactlyAndLags()
    {
        if (const QString why = local::LocalPostgres::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        if (const QString why = local::LocalRedis::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        qint64 pgPid = 0, redisPid = 0;
        {
            DemoReadModels rm;
            QSignalSpy unavailable(&rm, &DemoReadModels::unavailable);
            QSignalSpy finished(&rm, &DemoReadModels::finished);
            DemoReadModels::Options options;
            options.postgresLag = 120;
            options.redisLag = 35;
            rm.start(m_history, m_sandbox.settings(), options);
            QVERIFY(rm.isStarting());
            QVERIFY(finished.wait(60000));
            QVERIFY2(unavailable.isEmpty(), qPrintable(unavailable.value(0).value(1).toString()));
            QCOMPARE(rm.endpoints().size(), 2);
            pgPid = rm.postgresPid();
            redisPid = rm.redisPid();
            QVERIFY(pgPid > 0 && redisPid > 0);

            const DemoReadModelData expected = DemoReadModelData::build(m_history);
            QVERIFY(expected.tableDrift.size() >= 5);
            QVERIFY(expected.summaryDrift.size() >= 3);
            StreamsClient client(m_sandbox.settings());
            engine::ReducerFile::LoadError loadError;
            const std::optional<engine::ReducerFile> file = engine::ReducerFile::load(reducerPath(), &loadError);
            QVERIFY2(file, qPrintable(loadError.toString()));
            const auto makeReducer = [&file] {
                engine::ReducerFile::LoadError ignored;
                return file->createReducer(&ignored, [] { return std::make_unique<engine::MergeReducer>(); });
            };
            for (const auto &[name, drifted, lag] :
                 {std::tuple{QStringLiteral("orders"), expected.tableDrift, options.postgresLag},
                  std::tuple{QStringLiteral("order-summary"), expected.summaryDrift, options.redisLag}}) {
                const ReadModelMapping mapping = demoMapping(name);
                std::unique_ptr<ReadModelSource> rows = sourceFor(rm, mapping);
                QVERIFY(rows);
                const DriftReport report = DriftScan(client, *rows, mapping, makeReducer).run();
                QVERIFY2(report.complete(), qPrintable(report.rowsError.toString() + report.eventsError.toString()));
                QStringList found;
                for (const AggregateDrift &d : report.drifts) {
                    found.append(d.aggregateId);
                    QVERIFY2(d.status != AggregateDrift::Status::Unreadable, qPrintable(d.problem));
                }
                std::sort(found.begin(), found.end());
                QCOMPARE(found, drifted); // every seeded drift, and nothing else
                QVERIFY(report.counts.equal > 100);

                // The checkpoint is `lag` events behind the head; its age is that of the oldest unprocessed event.
                const qint64 now = QDateTime::currentMSecsSinceEpoch();
                const LagSample sample = probeLag(client, *rows, now);
                QVERIFY2(sample.ok(), qPrintable(sample.toString()));
                QCOMPARE(sample.eventsBehind, lag);
                const ReadResult tail = client.readAll(
                    ReadRequest::forAll(Direction::Backwards).filtered(ReadFilter::excludeSystemEvents()).count(lag));
                const double expectedAge = (now - tail.events.constLast().originalEvent().createdMsecsSinceEpoch())
                    / 1000.0;
                QVERIFY2(qAbs(sample.secondsBehind - expectedAge) < 1.0,
                         qPrintable(QStringLiteral("%1 vs %2").arg(sample.secondsBehind).arg(expectedAge)));
            }
        }
        // The setup is gone: so are its servers (no orphans).
        QTRY_VERIFY_WITH_TIMEOUT(processGone(pgPid), 10000);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(redisPid), 10000);
    }

    void withoutPostgresTheWindowSaysSoAndTheRestWorks()
    {
        if (const QString why = local::LocalRedis::missingReason(); !why.isEmpty())
            QSKIP(qPrintable(why));
        qputenv("CHRONOSCOPE_PG_BIN", "/nonexistent/postgresql/bin"); // as if the package were not installed
        MainWindow window;
        window.show();
        window.startDemo(m_history, false);
        QTRY_VERIFY_WITH_TIMEOUT(window.isSettled() && window.client(), 60000);
        auto *lag = qobject_cast<ReadModelLagDock *>(window.panes().readModelLag);
        QVERIFY(lag);
        // The Redis summary's lag is sampled and charted; PostgreSQL's absence is a notice in the window.
        QTRY_VERIFY_WITH_TIMEOUT(lag->chart()->sampleCount(QStringLiteral("order-summary")) > 0, 30000);
        QCOMPARE(lag->chart()->sampleCount(QStringLiteral("orders")), 0);
        bool said = false;
        for (int i = 0; i < window.notices().count(); ++i) {
            const NotificationLog::Entry &e = window.notices().entry(i);
            said = said
                || (e.message.contains(QStringLiteral("PostgreSQL read model is not available"))
                    && e.details.contains(QStringLiteral("not installed")));
        }
        QVERIFY(said);
        // Everything else: the streams are listed and one opens.
        window.openStream("order-1");
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->stream() == "order-1" && !window.session()->isLoading()
                                     && window.session()->index().size() > 0,
                                 30000);
        qunsetenv("CHRONOSCOPE_PG_BIN");
    }

private:
    DemoSandbox m_sandbox;
    DemoHistory::Options m_history;
};

QTEST_MAIN(TestDemoReadModels)
#include "tst_demoreadmodels.moc"
