#include "base/BackgroundPriority.h"
#include "base/JobTracker.h"

#include <QSignalSpy>
#include <QTest>

#include <atomic>

using namespace chronoscope;

class TestJobTracker : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void theLatestJobWinsAndStaleResultsAreDropped()
    {
        QObject receiver;
        JobTracker jobs(&receiver);
        QList<int> delivered;
        std::atomic<bool> release{false};
        jobs.start([&](const JobTracker::Job &job) {
            while (!release.load())
                QThread::msleep(1);
            job.post([&]() { delivered.append(1); }); // superseded before it posts
        });
        const quint64 second = jobs.start([&](const JobTracker::Job &job) { job.post([&]() { delivered.append(2); }); });
        release = true;
        QTRY_COMPARE(delivered, QList<int>{2});
        QTest::qWait(50); // the first job's post, had it been let through, would be here by now
        QCOMPARE(delivered, QList<int>{2});
        QVERIFY(jobs.isCurrent(second));
        jobs.cancel();
        QVERIFY(!jobs.isCurrent(second));
    }

    void workersRunBelowTheGuiThreadsPriority()
    {
        QObject receiver;
        JobTracker jobs(&receiver);
        const int guiNice = currentThreadNice();
        std::atomic<int> workerNice{-100};
        jobs.start([&](const JobTracker::Job &) { workerNice = currentThreadNice(); });
        QTRY_VERIFY(workerNice.load() != -100);
#ifdef Q_OS_LINUX
        QVERIFY2(workerNice.load() >= kBackgroundNice, qPrintable(QString::number(workerNice.load())));
#endif
        QCOMPARE(currentThreadNice(), guiNice); // the calling thread is left alone
    }
};

QTEST_GUILESS_MAIN(TestJobTracker)
#include "tst_jobtracker.moc"
