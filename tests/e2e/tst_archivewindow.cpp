// Archives in the real window (issue 15): a stream exported from a sandbox to an archive opens in a
// window with the sandbox gone — banner, title, streams, scrubbing, fold and diff equal to what the
// server gave — and exports the same JSON Lines again; a damaged archive opens up to the damage and
// the banner names it with its offset; writes are refused with the archive as the reason.
#include "ArchiveActions.h"
#include "ExportActions.h"
#include "MainWindow.h"
#include "ReportSigningKey.h"
#include "archive/ArchiveBanner.h"
#include "archive/ArchiveReader.h"
#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "common/LoadIndicator.h"
#include "connection/ConnectionStatus.h"
#include "correct/WriteGuard.h"
#include "fold/FoldController.h"
#include "fold/StatePredicate.h"
#include "report/ArchiveSigning.h"
#include "report/Ed25519.h"
#include "session/ServerTimelineSource.h"
#include "state/DiffPane.h"
#include "streams/StreamBrowser.h"
#include "support/DemoSandbox.h"
#include "support/FakeCredentialStore.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QAction>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QFile>
#include <QMimeData>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QTreeWidget>

#include <memory>

using namespace chronoscope;

namespace {

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QString diffRows(const QTreeWidget &tree)
{
    QString out;
    std::function<void(QTreeWidgetItem *)> walk = [&](QTreeWidgetItem *item) {
        out += item->text(0) + QStringLiteral(" | ") + item->text(1) + QStringLiteral(" | ") + item->text(2)
            + QLatin1Char('\n');
        for (int c = 0; c < item->childCount(); ++c)
            walk(item->child(c));
    };
    for (int i = 0; i < tree.topLevelItemCount(); ++i)
        walk(tree.topLevelItem(i));
    return out;
}

/// What one look at the loaded stream gave: the folded state at each of a few cursors, and the
/// diff between two markers as the diff pane lists it.
struct Look
{
    QList<QJsonValue> states;
    QString diff;
};

} // namespace

class TestArchiveWindow : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<DemoSandbox> m_sandbox;
    QByteArray m_stream;   ///< a payment stream of the demo, several events long
    QString m_jsonl;       ///< its events as the connected window exported them
    QString m_archive;     ///< the archive the connected window wrote of it
    QString m_allArchive;  ///< `$all` in small chunks (for damage), written from the server
    QString m_fingerprint; ///< of the key the archive was signed with
    Look m_online;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    static bool show(MainWindow &window)
    {
        window.resize(1280, 800);
        window.show();
        window.activateWindow();
        return QTest::qWaitForWindowActive(&window);
    }

    /// The states at ordinals 0, 1 and the last, and the diff of markers 0 → last.
    static Look look(MainWindow &window)
    {
        Look out;
        TimelineSession *session = window.session();
        const qint64 last = qint64(session->index().size()) - 1;
        for (qint64 at : {qint64(0), qint64(1), last}) {
            session->cursor()->setPosition(at);
            const FoldController *fold = window.workspace()->fold();
            if (!QTest::qWaitFor([&] { return fold->cursorState().ordinal == at && !fold->isBusy(); }, 15000))
                return {};
            out.states.append(fold->cursorState().state);
        }
        session->cursor()->setMarkerA(0);
        session->cursor()->setMarkerB(last);
        auto *diff = window.findChild<DiffPane *>();
        if (!QTest::qWaitFor([&] { return !diffRows(*diff->tree()).isEmpty(); }, 15000))
            return {};
        QTest::qWait(200); // the last rows of this diff, not a previous one
        out.diff = diffRows(*diff->tree());
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings().clear();
        QVERIFY(m_dir.isValid());
        DemoHistory::Options options;
        options.eventCount = 3000;
        const std::optional<DemoHistory::DoubleCharge> charge = DemoHistory(options).firstDoubleCharge();
        QVERIFY(charge);
        m_stream = charge->paymentStream;
        m_sandbox = std::make_unique<DemoSandbox>();
        QVERIFY2(m_sandbox->start(options.eventCount), qPrintable(m_sandbox->error()));

        // `$all` in chunks of 200 events, straight from the server: many chunks to damage one of.
        auto client = std::make_shared<const StreamsClient>(m_sandbox->settings());
        ServerTimelineSource all(client, TimelineSession::allStream());
        archive::ArchiveWriter::Provenance provenance;
        provenance.connection = m_sandbox->settings().toRedactedString();
        provenance.stream = QStringLiteral("$all");
        provenance.selection = QStringLiteral("every event");
        archive::ArchiveWriter::Options small;
        small.chunkEvents = 200;
        m_allArchive = path(QStringLiteral("all.chronarc"));
        QCOMPARE(archive::ArchiveWriter::write(all, m_allArchive, provenance, small), QString());
    }

    /// Connected: export the stream as JSON Lines and as a signed archive, and look at its folds.
    void exportFromTheServer()
    {
        MainWindow window;
        QVERIFY(show(window));
        FakeCredentialStore store;
        ReportSigningKey *key = window.exports()->signingKey();
        key->setStore(&store);
        QSignalSpy generated(key, &ReportSigningKey::generated);
        key->generate();
        QVERIFY(generated.wait(5000));
        m_fingerprint = generated.last().at(0).toString();
        QVERIFY(!m_fingerprint.isEmpty());

        window.connectTo(m_sandbox->settings());
        window.openStream(m_stream);
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == m_stream && !session->isLoading() && session->index().size() > 2,
                                 30000);
        m_online = look(window);
        QCOMPARE(m_online.states.size(), 3);
        QVERIFY(!m_online.diff.isEmpty());

        m_jsonl = path(QStringLiteral("online.jsonl"));
        QSignalSpy exported(window.exports(), &ExportActions::finished);
        window.exports()->exportEvents(m_jsonl, EventExport::Format::JsonLines);
        QVERIFY(exported.wait(15000));
        QCOMPARE(exported.last().at(1).toString(), QString());

        m_archive = path(QStringLiteral("payment.chronarc"));
        QVERIFY(window.archives()->exportAction()->isEnabled());
        QSignalSpy archived(window.archives(), &ArchiveActions::exported);
        window.archives()->exportArchive(m_archive);
        QVERIFY(archived.wait(15000));
        QCOMPARE(archived.last().at(1).toString(), QString());
        archive::ArchiveReader reader;
        QVERIFY2(reader.open(m_archive, archiveSigning::check()), qPrintable(reader.error()));
        QVERIFY2(reader.intact(), qPrintable(reader.summary()));
        QCOMPARE(reader.declaredEventCount(), session->index().size());
        QCOMPARE(reader.signerFingerprint(), m_fingerprint);
        QVERIFY(!QFile::exists(m_archive + QStringLiteral(".tmp"))); // nothing left beside it

        // Where it cannot be written, it says so and nothing is left.
        const QString nowhere = path(QStringLiteral("missing-folder/payment.chronarc"));
        window.archives()->exportArchive(nowhere);
        QVERIFY(archived.wait(15000));
        QVERIFY(!archived.last().at(1).toString().isEmpty());
        QVERIFY(!QFile::exists(nowhere));
        // Cancelled while the signing key is fetched: nothing is written, then or later.
        const QString cancelled = path(QStringLiteral("cancelled.chronarc"));
        window.archives()->exportArchive(cancelled);
        window.archives()->cancelExport();
        QCOMPARE(archived.last().at(1).toString(), QStringLiteral("cancelled"));
        QTest::qWait(300);
        QVERIFY(!QFile::exists(cancelled));
        QVERIFY(!window.archives()->isExporting());

        // The server goes away for good: what follows is offline.
        m_sandbox.reset();
    }

    void openOffline()
    {
        QVERIFY(!m_sandbox);
        MainWindow window;
        QVERIFY(show(window));
        window.archives()->openArchive(m_archive);
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == m_stream && !session->isLoading(), 15000);
        QCOMPARE(session->client(), nullptr);
        QVERIFY(!session->canFollowLive());

        // Title, banner and status say it is an archive: file, origin, hashes, signature and key.
        QVERIFY2(window.windowTitle().contains(QStringLiteral("payment.chronarc"))
                     && window.windowTitle().contains(QStringLiteral("archive")),
                 qPrintable(window.windowTitle()));
        views::ArchiveBanner *banner = window.archives()->banner();
        QVERIFY(banner->isVisible());
        // Opened by its index at once; the banner says "verified" once the whole check has run.
        QTRY_VERIFY_WITH_TIMEOUT(window.workspace()->verifiedArchive() != nullptr, 15000);
        QVERIFY(!banner->isDamaged());
        const QString text = banner->text();
        QVERIFY2(text.contains(QStringLiteral("payment.chronarc")) && text.contains(QString::fromUtf8(m_stream))
                     && text.contains(QStringLiteral("127.0.0.1:")) && text.contains(QStringLiteral("verified"))
                     && text.contains(m_fingerprint.left(8)) && !text.contains(QStringLiteral("NOT")),
                 qPrintable(text));
        auto *status = window.findChild<views::ConnectionStatus *>();
        QVERIFY2(status->stateText().contains(QStringLiteral("Offline")), qPrintable(status->stateText()));
        QCOMPARE(window.workspace()->streams()->rowOf(m_stream), 0);

        // The same folds and the same diff as on the server.
        const Look offline = look(window);
        QCOMPARE(offline.states, m_online.states);
        QCOMPARE(offline.diff, m_online.diff);

        // Bisect and what-if fold the archive's events as they fold a server's.
        FoldController *fold = window.workspace()->fold();
        QSignalSpy bisected(fold, &FoldController::bisectFinished);
        StatePredicate::Spec third;
        third.kind = StatePredicate::Kind::PathComparison;
        third.pointer = QStringLiteral("/events");
        third.op = StatePredicate::Op::Greater;
        third.value = QStringLiteral("2");
        fold->bisect(third, true);
        QVERIFY(bisected.wait(15000));
        const auto outcome = bisected.last().at(0).value<BisectOutcome>();
        QVERIFY2(outcome.error.isEmpty(), qPrintable(outcome.error));
        QCOMPARE(outcome.ordinal, std::optional<quint64>(2)); // the merge reducer counts events
        QSignalSpy whatIf(fold, &FoldController::whatIfReady);
        const quint64 count = session->index().size();
        fold->whatIf({0}, count);
        QVERIFY(whatIf.wait(15000));
        const auto without = whatIf.last().at(0).value<WhatIfOutcome>();
        QVERIFY2(without.error.isEmpty(), qPrintable(without.error));
        QCOMPARE(without.actual.toObject().value(QStringLiteral("events")).toInteger(), qint64(count));
        QCOMPARE(without.whatIf.toObject().value(QStringLiteral("events")).toInteger(), qint64(count - 1));

        // Scrub the timeline with the keyboard: one step back from the end.
        const qint64 last = qint64(session->index().size()) - 1;
        session->cursor()->setPosition(last);
        QTest::keyClick(&window, Qt::Key_Left, Qt::AltModifier);
        QCOMPARE(session->cursor()->position(), last - 1);

        // Exported again, offline: the very same JSON Lines.
        const QString again = path(QStringLiteral("offline.jsonl"));
        QSignalSpy exported(window.exports(), &ExportActions::finished);
        window.exports()->exportEvents(again, EventExport::Format::JsonLines);
        QVERIFY(exported.wait(15000));
        QCOMPARE(exported.last().at(1).toString(), QString());
        const QByteArray original = readAll(m_jsonl);
        QVERIFY(original.count('\n') > 2);
        QCOMPARE(readAll(again), original);

        // Writes: refused, and the reason is the archive, not a lock.
        WriteGuard *guard = window.workspace()->writeGuard();
        QCOMPARE(guard->state(), WriteGuard::State::ReadOnlyProfile);
        QVERIFY2(guard->authorize().contains(QStringLiteral("an archive is read-only")),
                 qPrintable(guard->authorize()));
        QVERIFY2(guard->unlock(QStringLiteral("INC-42 fix it")).contains(QStringLiteral("an archive is read-only")),
                 qPrintable(guard->unlock(QStringLiteral("INC-42 fix it"))));
        QVERIFY(!guard->isUnlocked());
        auto *unlock = window.findChild<QAction *>(QStringLiteral("unlockWritesAction"));
        QVERIFY(!unlock->isEnabled());
        QVERIFY2(unlock->text().contains(QStringLiteral("an archive is read-only")), qPrintable(unlock->text()));
        auto *correct = window.findChild<QAction *>(QStringLiteral("newCorrectionAction"));
        QVERIFY(!correct->isEnabled());
        QVERIFY2(correct->text().contains(QStringLiteral("an archive is read-only")), qPrintable(correct->text()));
    }

    void damagedArchiveOpensUpToTheDamage()
    {
        // One byte flipped inside the third events chunk's payload.
        archive::ArchiveReader intact;
        QVERIFY(intact.open(m_allArchive));
        QVERIFY(intact.eventChunks().size() > 5);
        const archive::ArchiveEventChunk hit = intact.eventChunks().at(2);
        QByteArray bytes = readAll(m_allArchive);
        bytes[hit.payloadOffset + 100] = char(bytes[hit.payloadOffset + 100] ^ 0x20);
        const QString damaged = path(QStringLiteral("damaged.chronarc"));
        QFile out(damaged);
        QVERIFY(out.open(QIODevice::WriteOnly) && out.write(bytes) == bytes.size());
        out.close();

        MainWindow window;
        QVERIFY(show(window));
        window.archives()->openArchive(damaged);
        TimelineSession *session = window.session();
        QTRY_VERIFY_WITH_TIMEOUT(session->isAll() && !session->isLoading() && session->index().size() > 0, 15000);
        QCOMPARE(session->index().size(), hit.firstOrdinal); // the chunks before the damage

        views::ArchiveBanner *banner = window.archives()->banner();
        QTRY_VERIFY_WITH_TIMEOUT(banner->isDamaged(), 15000); // once the whole check has run
        const QString text = banner->text();
        QVERIFY2(text.contains(QStringLiteral("chunk %1 at offset %2").arg(hit.sequence).arg(hit.offset)),
                 qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("Damaged")), qPrintable(text));
        QTRY_VERIFY2_WITH_TIMEOUT(window.windowTitle().contains(QStringLiteral("DAMAGED")),
                                  qPrintable(window.windowTitle()), 15000);

        // One stream of it opens on its own, from the intact part: a stream the prefix holds.
        const engine::FetchResult sample = session->payloads()->events(hit.firstOrdinal / 2, 1);
        QVERIFY2(sample.ok() && sample.events.size() == 1, qPrintable(sample.error));
        const QByteArray stream = sample.events.constFirst().streamId;
        window.openStream(stream);
        QTRY_VERIFY_WITH_TIMEOUT(session->stream() == stream && !session->isLoading(), 15000);
        QVERIFY(!session->isAll());
        const quint64 n = session->index().size();
        QVERIFY(n > 0);
        const engine::FetchResult events = session->payloads()->events(0, n);
        QVERIFY2(events.ok(), qPrintable(events.error));
        QCOMPARE(quint64(events.events.size()), n);
        for (quint64 o = 0; o < n; ++o) {
            QCOMPARE(events.events.at(qsizetype(o)).streamId, stream);
            QCOMPARE(events.events.at(qsizetype(o)).revision, session->index().revision(o));
            if (o > 0)
                QVERIFY(session->index().revision(o) > session->index().revision(o - 1));
        }
    }

    void droppedThenCancelled()
    {
        MainWindow window;
        QVERIFY(show(window));
        QSignalSpy opened(window.workspace(), &Workspace::archiveOpened);
        // Opening is cancelled before its worker answers: the window stays as it was.
        auto *indicator = window.findChild<views::LoadIndicator *>(QStringLiteral("archiveOpenIndicator"));
        window.archives()->openArchive(m_archive);
        QVERIFY(window.workspace()->isOpeningArchive());
        QVERIFY(indicator->isVisible());
        QSignalSpy settled(&window, &MainWindow::settled);
        QTest::keyClick(&window, Qt::Key_Escape); // Esc stops loading, as for a stream
        QVERIFY(!window.workspace()->isOpeningArchive());
        QVERIFY(!indicator->isVisible());
        QCOMPARE(settled.count(), 1);
        QVERIFY(!opened.wait(1000));
        QVERIFY(!window.archives()->banner()->isVisible());
        QCOMPARE(window.windowTitle(), QStringLiteral("Chronoscope"));

        // A file dropped on the window opens.
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(m_archive)});
        QDragEnterEvent enter(QPoint(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(QPointF(10, 10), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QCoreApplication::sendEvent(&window, &drop);
        QVERIFY(opened.wait(10000));
        QCOMPARE(opened.last().at(0).toString(), m_archive);
        QTRY_VERIFY_WITH_TIMEOUT(window.session()->stream() == m_stream && !window.session()->isLoading(), 15000);
        QVERIFY(window.archives()->banner()->isVisible());
    }

    void notAnArchive()
    {
        const QString bogus = path(QStringLiteral("bogus.chronarc"));
        QFile f(bogus);
        QVERIFY(f.open(QIODevice::WriteOnly) && f.write("hello, not an archive") > 0);
        f.close();
        MainWindow window;
        QSignalSpy failed(window.workspace(), &Workspace::archiveFailed);
        window.archives()->openArchive(bogus);
        QVERIFY(failed.wait(10000));
        QVERIFY(!failed.last().at(1).toString().isEmpty());
        QVERIFY(!window.archives()->banner()->isVisible());
        QCOMPARE(window.notices().count(), 1);
    }
};

QTEST_MAIN(TestArchiveWindow)
#include "tst_archivewindow.moc"
