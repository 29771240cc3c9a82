#include "session/PayloadSearch.h"

#include "session/TimelineSession.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QElapsedTimer>

namespace chronoscope {

namespace {
QByteArray asciiLower(QByteArray s)
{
    for (char &c : s)
        if (c >= 'A' && c <= 'Z')
            c = char(c - 'A' + 'a');
    return s;
}
} // namespace

PayloadSearch::PayloadSearch(TimelineSession *session, QObject *parent) : QObject(parent), m_session(session)
{
    connect(session, &TimelineSession::reset, this, [this]() {
        if (m_running)
            cancel();
        m_matches.clear();
    });
}

PayloadSearch::~PayloadSearch() = default;

bool PayloadSearch::contains(const QByteArray &haystack, const QByteArray &needle, bool caseSensitive)
{
    if (caseSensitive)
        return haystack.contains(needle);
    return asciiLower(haystack).contains(needle);
}

void PayloadSearch::cancel()
{
    m_jobs.cancel();
    if (m_running) {
        m_running = false;
        Q_EMIT finished(true, QString());
    }
}

void PayloadSearch::start(const QString &text, bool caseSensitive)
{
    m_jobs.cancel();
    m_running = false;
    m_matches.clear();
    m_text = text;
    const std::shared_ptr<engine::PayloadCache> cache = m_session->payloads();
    const quint64 total = m_session->index().size();
    if (text.isEmpty() || !cache || total == 0) {
        Q_EMIT finished(false, QString());
        return;
    }
    m_running = true;
    const QByteArray needle = caseSensitive ? text.toUtf8() : asciiLower(text.toUtf8());
    m_jobs.start([this, cache, total, needle, caseSensitive](const JobTracker::Job &job) {
        QElapsedTimer sinceReport;
        sinceReport.start();
        QList<quint64> found;
        quint64 scanned = 0;
        QString error;
        while (scanned < total && !job.isCancelled()) {
            const engine::PayloadCache::BlockResult r = cache->blockFor(scanned);
            if (!r.events || r.events->isEmpty()) {
                error = r.error.isEmpty() ? tr("The payloads could not be fetched") : r.error;
                break;
            }
            if (r.first > scanned || r.first + quint64(r.events->size()) <= scanned) {
                error = tr("The payload source returned events out of order");
                break;
            }
            for (qsizetype i = qsizetype(scanned - r.first); i < r.events->size() && r.first + quint64(i) < total; ++i) {
                const RecordedEvent &e = r.events->at(i);
                if (contains(e.data, needle, caseSensitive) || contains(e.metadata, needle, caseSensitive))
                    found.append(r.first + quint64(i));
                scanned = r.first + quint64(i) + 1;
            }
            if (sinceReport.elapsed() >= 100 || scanned >= total) {
                job.post([this, scanned, total, found]() {
                    for (const quint64 o : found)
                        m_matches.insert(o);
                    Q_EMIT progress(scanned, total, found);
                });
                found.clear();
                sinceReport.restart();
            }
        }
        if (job.isCancelled())
            return;
        job.post([this, found, scanned, total, error]() {
            for (const quint64 o : found)
                m_matches.insert(o);
            if (!found.isEmpty())
                Q_EMIT progress(scanned, total, found);
            m_running = false;
            Q_EMIT finished(false, error);
        });
    });
}

} // namespace chronoscope
