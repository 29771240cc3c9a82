#pragma once

#include "base/JobTracker.h"

#include <QObject>
#include <QSet>

namespace chronoscope {

class TimelineSession;

/// Text search in the payloads (data and metadata) of a loaded timeline, in a worker.
///
/// The worker walks the timeline block by block through `session->payloads()`; matches arrive in
/// batches with the progress (at most every ~100 ms), so a view can mark them while the scan runs.
/// A new start() or cancel() stops the previous scan. A new timeline (session reset) cancels too.
class PayloadSearch : public QObject
{
    Q_OBJECT
public:
    explicit PayloadSearch(TimelineSession *session, QObject *parent = nullptr);
    ~PayloadSearch() override;

    /// Starts scanning the events loaded so far for `text` (case-insensitive for ASCII letters
    /// unless `caseSensitive`). An empty text ends any search (finished() with no matches).
    void start(const QString &text, bool caseSensitive = false);
    void cancel();
    bool isRunning() const { return m_running; }
    QString text() const { return m_text; }
    /// Every match found so far.
    const QSet<quint64> &matches() const { return m_matches; }

    /// Whether `haystack` contains `needle` (already lower-cased when !caseSensitive).
    static bool contains(const QByteArray &haystack, const QByteArray &needle, bool caseSensitive);

Q_SIGNALS:
    /// `scanned` of `total` events looked at; `newMatches` found since the last report.
    void progress(quint64 scanned, quint64 total, const QList<quint64> &newMatches);
    /// The scan ended: `error` is empty unless payloads could not be fetched; `cancelled` after cancel().
    void finished(bool cancelled, const QString &error);

private:
    TimelineSession *m_session;
    QString m_text;
    bool m_running = false;
    QSet<quint64> m_matches;
    JobTracker m_jobs{this};
};

} // namespace chronoscope
