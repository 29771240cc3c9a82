// The demo's persistent subscription "order-emails" (issue 18 item 6): seeded with the history as the server
// stores a group (definition, checkpoints, parked links), loaded by the sandbox at start, its parked messages
// the incident day's OrderConfirmed events, and replaying them delivers those events to a consumer again.
#include "SandboxServer.h"
#include "client/ParkedMessages.h"
#include "client/PersistentSubscriptionsClient.h"
#include "client/StreamsClient.h"
#include "demo/DemoOrderEmails.h"
#include "demo/DemoSeeder.h"
#include "support/Eventually.h"

#include <QTest>

#include <mutex>

using namespace chronoscope;
using namespace chronoscope::sandbox;

class TestDemoOrderEmails : public QObject
{
    Q_OBJECT

    SandboxServer m_server;
    DemoHistory::Options m_options;
    std::unique_ptr<PersistentSubscriptionsClient> m_client;
    std::unique_ptr<StreamsClient> m_streams;
    const PersistentGroup m_group = PersistentGroup::onStream("$ce-order", QStringLiteral("order-emails"));

private Q_SLOTS:
    void initTestCase()
    {
        m_options.eventCount = 100000; // the demo's own size: the parks fall on the incident day
        seedDemoHistory(m_server.store(), m_options, true);
        m_server.store().configureProjections(true, true); // as the app's demo: $ce-order from the history
        QString why;
        const int port = m_server.start(QStringLiteral("127.0.0.1:0"), &why);
        QVERIFY2(port > 0, qPrintable(why));
        const ConnectionSettings settings =
            ConnectionString::parse(QStringLiteral("kurrentdb://127.0.0.1:%1?tls=false").arg(port)).settings;
        m_client = std::make_unique<PersistentSubscriptionsClient>(settings);
        m_streams = std::make_unique<StreamsClient>(settings);
    }

    void groupLoadedCaughtUp()
    {
        const PersistentListResult all = m_client->list();
        QVERIFY2(!all.error, qPrintable(all.error.toString()));
        QCOMPARE(all.subscriptions.size(), 1);
        const PersistentInfoResult r = m_client->getInfo(m_group);
        QVERIFY2(!r.error, qPrintable(r.error.toString()));
        QCOMPARE(r.info.settings.resolveLinks, true);
        QCOMPARE(r.info.parkedMessageCount, qint64(DemoOrderEmails::kParkedCount));
        // The last checkpoint is the category stream's last event: the consumer caught up.
        const ReadResult last = m_streams->readAll(ReadRequest::forStream("$ce-order", Direction::Backwards).count(1));
        QVERIFY2(!last.error && last.events.size() == 1, qPrintable(last.error.toString()));
        QCOMPARE(r.info.lastCheckpointedPosition, QString::number(last.events.first().originalEvent().revision));
        // The checkpoint stream keeps two, as its metadata says ($maxCount 2).
        const ReadResult checkpoints = m_streams->readAll(ReadRequest::forStream(m_group.checkpointStream()));
        QCOMPARE(checkpoints.events.size(), 2);
    }

    void parkedOnTheIncidentDay()
    {
        const ParkedMessagesResult p = parked::read(*m_streams, m_group);
        QVERIFY2(!p.error, qPrintable(p.error.toString()));
        QCOMPARE(p.messages.size(), DemoOrderEmails::kParkedCount);
        const QDate incidentDay =
            QDateTime::fromMSecsSinceEpoch(DemoHistory(m_options).incidentStartMs(), Qt::UTC).date();
        int explicitNaks = 0;
        for (const ParkedMessage &m : p.messages) {
            QVERIFY(m.event.has_value());
            QCOMPARE(m.event->type, QByteArray("OrderConfirmed"));
            QVERIFY(m.event->streamId.startsWith("order-"));
            QCOMPARE(m.added.toUTC().date(), incidentDay);
            QVERIFY(m.added.toMSecsSinceEpoch() > m.event->createdMsecsSinceEpoch());
            explicitNaks += m.reason.startsWith(QLatin1String("Client explicitly NAK'ed message.\n")) ? 1 : 0;
            QVERIFY2(m.reason == QLatin1String("Reached retry count of 10") || m.reason.contains(QLatin1String("SMTP")),
                     qPrintable(m.reason));
            // subscriptionEventNumber is the event's link in $ce-order, as the projection numbered it.
            const ReadResult link = m_streams->readAll(ReadRequest::forStream("$ce-order")
                                                           .fromRevision(quint64(m.subscriptionEventNumber.value()))
                                                           .count(1)
                                                           .resolvingLinks());
            QVERIFY(!link.error && link.events.size() == 1 && link.events.first().event);
            QCOMPARE(link.events.first().event->id, m.event->id);
        }
        QVERIFY(explicitNaks > 0 && explicitNaks < DemoOrderEmails::kParkedCount);
    }

    void replayDeliversThemAgain()
    {
        struct Got
        {
            std::mutex mutex;
            QList<PersistentEvent> events;
        } got;
        const std::unique_ptr<PersistentSubscription> consumer = m_client->subscribe(
            m_group, 10,
            [&got](PersistentEvent &&e) {
                std::lock_guard lock(got.mutex);
                got.events.push_back(std::move(e));
            },
            [](const ClientError &) {});
        QVERIFY(consumer);
        QVERIFY(!m_client->replayParked(m_group).error);
        QVERIFY(eventually([&] {
            std::lock_guard lock(got.mutex);
            return got.events.size() >= DemoOrderEmails::kParkedCount;
        }));
        std::lock_guard lock(got.mutex);
        QList<QUuid> ids;
        for (const PersistentEvent &e : std::as_const(got.events)) {
            QVERIFY(e.event.event && e.event.link);
            QCOMPARE(e.event.event->type, QByteArray("OrderConfirmed"));
            ids.append(e.ackId());
        }
        QVERIFY(consumer->ack(ids));
        QVERIFY(eventually([&] { return m_client->getInfo(m_group).info.parkedMessageCount == 0; }));
    }
};

QTEST_GUILESS_MAIN(TestDemoOrderEmails)
#include "tst_demoorderemails.moc"
