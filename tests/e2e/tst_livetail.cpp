// The event list over a session that follows its stream (or $all) live, against an in-process
// sandbox: the "N new events" indicator, following at the end, the Follow live toggle, jumps in
// $all, and the stream browser's pinned $all row.
#include "MainWindow.h"
#include "catalog/StreamListModel.h"
#include "client/StreamsClient.h"
#include "common/ErrorBanner.h"
#include "events/EventListView.h"
#include "session/TimelineEventModel.h"
#include "session/TimelineSession.h"
#include "streams/StreamBrowser.h"
#include "support/DemoSandbox.h"
#include "timeline/TimelineIndex.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QDialog>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QPushButton>
#include <QScrollBar>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QToolButton>

using namespace chronoscope;
using views::EventListView;

namespace {

QList<EventData> ticks(int n)
{
    QList<EventData> out;
    for (int i = 0; i < n; ++i)
        out.append(EventData::json("Ticked", QByteArrayLiteral("{\"i\":") + QByteArray::number(i) + '}'));
    return out;
}

} // namespace

class TestLiveTail : public QObject
{
    Q_OBJECT

    DemoSandbox m_sandbox;
    std::shared_ptr<const StreamsClient> m_client;

    struct Fixture
    {
        TimelineSession session;
        EventListView list{&session};
        QAbstractItemModelTester tester{list.model(), QAbstractItemModelTester::FailureReportingMode::QtTest};
        QPushButton *newEvents = nullptr;

        Fixture()
        {
            newEvents = list.findChild<QPushButton *>(QStringLiteral("newEventsButton"));
            list.resize(900, 300); // a few rows in view: 200 events scroll
            list.show();
        }
        bool load(const std::shared_ptr<const StreamsClient> &client, const QByteArray &stream)
        {
            QSignalSpy finished(&session, &TimelineSession::loadFinished);
            session.load(client, stream);
            return finished.wait(15000) && !finished.first().at(0).value<ClientError>().isError()
                && session.isFollowing();
        }
        QScrollBar *scroll() const { return list.table()->verticalScrollBar(); }
    };

    /// A fresh stream of `n` events.
    QByteArray makeStream(const char *name, int n)
    {
        const QByteArray stream(name);
        if (m_client->append(stream, ExpectedState::noStream(), ticks(n)).error)
            return {};
        return stream;
    }

    bool append(const QByteArray &stream, int n)
    {
        return !m_client->append(stream, ExpectedState::any(), ticks(n)).error;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY2(m_sandbox.start(1500), qPrintable(m_sandbox.error()));
        m_client = std::make_shared<const StreamsClient>(m_sandbox.settings());
    }

    void atTheEndTheListFollows()
    {
        const QByteArray stream = makeStream("tail-follow", 200);
        QVERIFY(!stream.isEmpty());
        Fixture f;
        QVERIFY(f.load(m_client, stream));
        QVERIFY(f.list.newestInView());
        QVERIFY(f.session.cursor()->atEnd());

        QVERIFY(append(stream, 5));
        QTRY_COMPARE_WITH_TIMEOUT(f.list.model()->rowCount(), 205, 10000);
        QCOMPARE(f.session.cursor()->position(), qint64(204));
        QCOMPARE(f.list.table()->currentIndex().row(), 204); // the newest row, selected and in view
        QVERIFY(f.list.newestInView());
        QCOMPARE(f.list.unseenNewEvents(), 0);
        QVERIFY(f.newEvents->isHidden());
    }

    void scrolledAwayTheNewEventsAreCounted()
    {
        const QByteArray stream = makeStream("tail-scrolled", 200);
        Fixture f;
        QVERIFY(f.load(m_client, stream));
        f.list.table()->scrollToTop(); // the cursor stays on the newest event
        QVERIFY(!f.list.newestInView());

        QVERIFY(append(stream, 7));
        QTRY_COMPARE_WITH_TIMEOUT(f.list.unseenNewEvents(), 7, 10000);
        QCOMPARE(f.list.model()->rowCount(), 207);
        QCOMPARE(f.scroll()->value(), f.scroll()->minimum()); // the view stayed where the user was
        QCOMPARE(f.session.cursor()->position(), qint64(206)); // the cursor follows the end
        QVERIFY(f.newEvents->isVisible());
        QVERIFY2(f.newEvents->text().contains(QLatin1String("7 new events")), qPrintable(f.newEvents->text()));

        QVERIFY(append(stream, 3)); // they add up
        QTRY_COMPARE_WITH_TIMEOUT(f.list.unseenNewEvents(), 10, 10000);
        QCOMPARE(f.scroll()->value(), f.scroll()->minimum());

        QTest::mouseClick(f.newEvents, Qt::LeftButton);
        QCOMPARE(f.list.unseenNewEvents(), 0);
        QVERIFY(f.newEvents->isHidden());
        QVERIFY(f.list.newestInView());
        QCOMPARE(f.list.table()->currentIndex().row(), 209);

        QVERIFY(append(stream, 2)); // back at the end: it follows again
        QTRY_COMPARE_WITH_TIMEOUT(f.list.model()->rowCount(), 212, 10000);
        QVERIFY(f.list.newestInView());
        QCOMPARE(f.list.unseenNewEvents(), 0);
    }

    void aCursorAwayFromTheEndCountsThemEvenAtTheBottom()
    {
        const QByteArray stream = makeStream("tail-cursor", 200);
        Fixture f;
        QVERIFY(f.load(m_client, stream));
        f.session.cursor()->setPosition(190);
        QVERIFY(f.list.newestInView()); // row 190 of 200 is near enough: still at the bottom

        QVERIFY(append(stream, 4));
        QTRY_COMPARE_WITH_TIMEOUT(f.list.unseenNewEvents(), 4, 10000);
        QCOMPARE(f.session.cursor()->position(), qint64(190));
        QCOMPARE(f.list.table()->currentIndex().row(), 190);

        // The shortcut does what the button does.
        f.list.table()->setFocus();
        QTest::keyClick(f.list.table(), Qt::Key_End, Qt::ControlModifier | Qt::ShiftModifier);
        QCOMPARE(f.list.unseenNewEvents(), 0);
        QVERIFY(f.session.cursor()->atEnd());
        QCOMPARE(f.session.cursor()->position(), qint64(203));
        QVERIFY(f.list.newestInView());
    }

    void newestFirstKeepsTheRowsTheUserLooksAt()
    {
        const QByteArray stream = makeStream("tail-newest-first", 200);
        Fixture f;
        f.list.setNewestFirst(true);
        QVERIFY(f.load(m_client, stream));
        QCOMPARE(f.list.table()->rowAt(0), 0);
        f.list.table()->scrollTo(f.list.model()->index(100, 0), QAbstractItemView::PositionAtTop);
        const qint64 topOrdinal = f.list.model()->ordinalAt(f.list.table()->rowAt(0));
        QCOMPARE(topOrdinal, qint64(99));

        QVERIFY(append(stream, 6));
        QTRY_COMPARE_WITH_TIMEOUT(f.list.unseenNewEvents(), 6, 10000);
        QCOMPARE(f.list.model()->ordinalAt(0), qint64(205)); // the new rows came on top…
        QCOMPARE(f.list.model()->ordinalAt(f.list.table()->rowAt(0)), topOrdinal); // …out of sight
        QTest::mouseClick(f.newEvents, Qt::LeftButton);
        QCOMPARE(f.list.table()->rowAt(0), 0);
        QCOMPARE(f.list.table()->currentIndex().row(), 0);
    }

    void theFollowToggleStopsAndResumes()
    {
        const QByteArray stream = makeStream("tail-toggle", 20);
        Fixture f;
        QVERIFY(f.load(m_client, stream));
        auto *button = f.list.findChild<QToolButton *>(QStringLiteral("followLiveButton"));
        QVERIFY(button);
        QAction *follow = f.list.followLiveAction();
        QVERIFY(follow->isCheckable() && follow->isChecked());
        QCOMPARE(follow->shortcut(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_L));
        QVERIFY(button->text().contains(QLatin1String("Live")));

        QTest::mouseClick(button, Qt::LeftButton);
        QVERIFY(!follow->isChecked());
        QVERIFY(!f.session.followsLive());
        QVERIFY(!f.session.isFollowing());

        // The key toggles it back: what was appended meanwhile arrives.
        QVERIFY(append(stream, 3));
        f.list.table()->setFocus();
        QTest::keyClick(f.list.table(), Qt::Key_L, Qt::ControlModifier | Qt::ShiftModifier);
        QVERIFY(follow->isChecked());
        QVERIFY(f.session.isFollowing());
        QTRY_COMPARE_WITH_TIMEOUT(f.list.model()->rowCount(), 23, 10000);

        // The server ending it unchecks the toggle.
        QSignalSpy ended(&f.session, &TimelineSession::liveEnded);
        QVERIFY(!m_client->tombstoneStream(stream, ExpectedState::any()).error);
        QVERIFY(ended.wait(10000));
        QVERIFY(!follow->isChecked());
        QVERIFY(!button->text().contains(QLatin1String("●")));
    }

    void allShowsStreamsPositionsAndFollows()
    {
        Fixture f;
        QVERIFY(f.load(m_client, TimelineSession::allStream()));
        QTableView *table = f.list.table();
        QVERIFY(!table->isColumnHidden(TimelineEventModel::Stream));
        TimelineEventModel *model = f.list.model();
        QCOMPARE(model->headerData(TimelineEventModel::Revision, Qt::Horizontal, Qt::ToolTipRole).toString(),
                 QStringLiteral("The event's revision in its own stream (the Stream column)"));
        const engine::TimelineIndex &index = f.session.index();
        const int last = model->rowCount() - 1;
        QCOMPARE(model->index(last, TimelineEventModel::Stream).data().toString(),
                 QString::fromUtf8(index.streamName(quint64(last))));
        QCOMPARE(model->index(last, TimelineEventModel::Revision).data().toULongLong(), index.revision(quint64(last)));
        QCOMPARE(model->index(last, TimelineEventModel::Position).data().toULongLong(), index.commitPosition(quint64(last)));

        // Revisions mean nothing across streams: Ctrl+G asks for a commit position.
        QSignalSpy status(&f.list, &EventListView::statusMessage);
        QVERIFY(!f.list.jumpToRevision(3));
        QVERIFY(status.last().at(0).toString().contains(QLatin1String("commit position")));
        const quint64 target = index.commitPosition(10);
        table->setFocus();
        QTest::keyClick(table, Qt::Key_G, Qt::ControlModifier);
        auto *dialog = f.list.findChild<QDialog *>(QStringLiteral("jumpToPositionDialog"));
        QVERIFY(dialog);
        QTest::keyClicks(dialog->findChild<QLineEdit *>(QStringLiteral("positionEdit")), QString::number(target));
        dialog->accept();
        QCOMPARE(f.session.cursor()->position(), qint64(10));
        QVERIFY(f.list.jumpToPosition(target - 1)); // between events: the next one
        QCOMPARE(f.session.cursor()->position(), qint64(10));
        QVERIFY(!f.list.jumpToPosition(index.commitPosition(index.size() - 1) + 1));

        // It follows appends to any stream.
        f.list.jumpToNewest();
        const int before = model->rowCount();
        QVERIFY(append("tail-all-x", 4));
        QTRY_COMPARE_WITH_TIMEOUT(model->rowCount(), before + 4, 10000);
        QCOMPARE(model->index(before + 3, TimelineEventModel::Stream).data().toString(), QStringLiteral("tail-all-x"));
        QCOMPARE(model->index(before + 3, TimelineEventModel::Revision).data().toULongLong(), quint64(3));
        QVERIFY(f.list.newestInView());

        // Back to one stream: no stream column, Ctrl+G is a revision again.
        QVERIFY(f.load(m_client, "tail-all-x"));
        QVERIFY(table->isColumnHidden(TimelineEventModel::Stream));
        QVERIFY(f.list.jumpToRevision(2));
    }

    void theBrowserPinsAllOnceAServerIsListed()
    {
        StreamListModel streams;
        views::StreamBrowser browser;
        browser.setModel(&streams);
        QAbstractItemModelTester tester(browser.listModel(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *list = browser.findChild<QListView *>(QStringLiteral("streamList"));
        QCOMPARE(list->model(), browser.listModel());
        QSignalSpy current(&browser, &views::StreamBrowser::currentStreamChanged);
        browser.selectStream(TimelineSession::allStream());
        QCOMPARE(list->model()->rowCount(), 0); // not connected: nothing to offer
        QCOMPARE(current.count(), 0);

        browser.setScanState(views::StreamBrowser::ScanState::Scanning);
        streams.appendBatch({"order-1", "order-2"});
        QCOMPARE(list->model()->rowCount(), 3);
        QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("$all (all events)"));
        QCOMPARE(current.count(), 1); // the wish came true once $all was offered
        QCOMPARE(current.first().at(0).toByteArray(), QByteArray("$all"));
        QCOMPARE(list->currentIndex().row(), 0);
        QVERIFY(browser.findChild<QLabel *>(QStringLiteral("streamStatus"))->text().startsWith(QLatin1String("2 streams")));

        // A filter hides it like any row, without choosing another stream.
        browser.setFilterText(QStringLiteral("order-2"));
        QTRY_COMPARE(list->model()->rowCount(), 1);
        QCOMPARE(list->model()->index(0, 0).data().toString(), QStringLiteral("order-2"));
        QCOMPARE(current.count(), 1);
        QCOMPARE(browser.currentStream(), QByteArray("$all"));
        list->setCurrentIndex(list->model()->index(0, 0));
        QCOMPARE(current.count(), 2);
        browser.selectStream(TimelineSession::allStream()); // going there clears the filter
        QCOMPARE(browser.filterText(), QString());
        QCOMPARE(list->model()->rowCount(), 3);
        QCOMPARE(current.count(), 3);
        QCOMPARE(browser.currentStream(), QByteArray("$all"));
    }

    void theWindowOpensAllAndReportsAnEndedTailOnce()
    {
        const QByteArray stream = makeStream("tail-window", 3); // listed by the scan below
        QVERIFY(!stream.isEmpty());
        MainWindow window;
        window.show();
        TimelineSession *session = window.session();
        window.connectTo(m_sandbox.settings());
        window.openStream(TimelineSession::allStream());
        QTRY_VERIFY_WITH_TIMEOUT(session->isAll() && !session->isLoading() && session->isFollowing(), 30000);
        auto *follow = window.findChild<QAction *>(QStringLiteral("followLiveAction"));
        QVERIFY(follow && follow->isChecked());
        QVERIFY(!follow->associatedObjects().isEmpty()); // in the Go menu too

        window.openStream(stream);
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == stream && session->isFollowing(), 30000);
        auto *banner = window.findChild<views::ErrorBanner *>();
        QVERIFY(!banner->isVisible());
        QVERIFY(!m_client->tombstoneStream(stream, ExpectedState::any()).error);
        QTRY_VERIFY_WITH_TIMEOUT(banner->isVisible(), 10000);
        QCOMPARE(banner->message(), QStringLiteral("Stopped following tail-window"));
        QVERIFY(!follow->isChecked());
    }
};

QTEST_MAIN(TestLiveTail)
#include "tst_livetail.moc"
