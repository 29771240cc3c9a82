// Nothing typed is lost (issue 12, item 7): the real `chronoscope --demo` is started with a draft
// being typed in the composer, killed with SIGKILL once the draft is on disk, and the next start
// offers the draft back — byte for byte, with its event id — and opens it intact.
#include "CorrectionActions.h"
#include "MainWindow.h"
#include "correct/CorrectionComposer.h"
#include "correct/DraftStore.h"
#include "correct/JsonDraftEditor.h"

#include <QDir>
#include <QLabel>
#include <QMenu>
#include <QProcess>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

#include <sys/types.h>
#include <csignal>

using namespace chronoscope;

class TestCorrectionCrash : public QObject
{
    Q_OBJECT

    QTemporaryDir m_home;

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_home.isValid());
        // This process and the app it starts share one data and one config folder, and one name.
        qputenv("XDG_DATA_HOME", m_home.filePath(QStringLiteral("data")).toUtf8());
        qputenv("XDG_CONFIG_HOME", m_home.filePath(QStringLiteral("config")).toUtf8());
        QCoreApplication::setOrganizationName(QStringLiteral("Chronoscope"));
        QCoreApplication::setApplicationName(QStringLiteral("chronoscope"));
    }

    void draftSurvivesKill9()
    {
        // Half-typed: not JSON yet, with characters that need care on the way to disk.
        const QString typed = QStringLiteral("{\n  \"paymentId\": \"payment-1\",\n  \"amount\": 25,\n"
                                             "  \"reason\": \"double charge – café ✓\",\n  \"note\": \"still typ");
        const DraftStore store; // the default folder: the app's and this process's
        QVERIFY(store.directory().startsWith(m_home.path()));

        QProcess app;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        app.setProcessEnvironment(env);
        app.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        app.start(QStringLiteral(CHRONOSCOPE_APP),
                  {QStringLiteral("--demo"), QStringLiteral("--demo-events"), QStringLiteral("16000"),
                   QStringLiteral("--composer"), QStringLiteral("open"), QStringLiteral("--compose-draft"), typed});
        QVERIFY2(app.waitForStarted(10000), qPrintable(app.errorString()));

        // The draft reaches the disk (autosave) while the app runs on.
        std::optional<EventDraft> onDisk;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                const DraftStore::Listing l = store.loadAll();
                for (const EventDraft &d : l.drafts)
                    if (d.data == typed)
                        onDisk = d;
                return onDisk.has_value();
            }(),
            90000);
        QCOMPARE(app.state(), QProcess::Running);
        ::kill(pid_t(app.processId()), SIGKILL);
        QVERIFY(app.waitForFinished(10000));
        QCOMPARE(app.exitStatus(), QProcess::CrashExit);
        QVERIFY(onDisk->expected.has_value());
        QVERIFY(onDisk->stream.startsWith(QStringLiteral("payment-")));

        // Started again: the draft is offered back, intact.
        MainWindow window;
        window.resize(1280, 800);
        window.show();
        CorrectionComposer *composer = window.corrections()->composer();
        QTRY_COMPARE_WITH_TIMEOUT(composer->savedDrafts().size(), qsizetype(1), 10000);
        const EventDraft back = composer->savedDrafts().at(0);
        QCOMPARE(back, *onDisk);
        QCOMPARE(back.data, typed);
        QVERIFY(composer->draftsButton()->isVisible() || !composer->isVisible());
        QVERIFY(composer->draftsButton()->text().contains(QStringLiteral("1")));
        QVERIFY(window.notices().count() >= 1); // the notice says drafts are waiting

        // Once connected, opening it shows it as it was: same ids, same text, same pin.
        DemoHistory::Options options;
        options.eventCount = 16000;
        window.startDemo(options, false);
        QTRY_VERIFY_WITH_TIMEOUT(window.client() && window.isSettled(), 60000);
        QMenu *menu = composer->draftsButton()->menu();
        Q_EMIT menu->aboutToShow();
        QCOMPARE(menu->actions().size(), 1);
        menu->actions().at(0)->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(composer->hasDraft(), 20000);
        QCOMPARE(composer->draft().draftId, back.draftId);
        QCOMPARE(composer->draft().eventId, back.eventId);
        QCOMPARE(composer->dataEditor()->text(), typed);
        QCOMPARE(composer->pinLabel()->text(),
                 QStringLiteral("Pinned to revision %1 — the head you inspected").arg(back.expected->revision));
        // Still not JSON: the syntax error is shown at its line.
        QTRY_VERIFY_WITH_TIMEOUT(!composer->dataEditor()->issues().isEmpty(), 10000);
        QCOMPARE(composer->dataEditor()->issues().at(0).stage, DraftIssue::Stage::Syntax);
    }
};

QTEST_MAIN(TestCorrectionCrash)
#include "tst_correctioncrash.moc"
