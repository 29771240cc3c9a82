#pragma once

#include <QByteArray>
#include <QObject>

#include <functional>

namespace chronoscope {

struct ClientError;
class TimelineSession;

/// "Open this stream with the cursor on that revision": a request that waits for the revision to be
/// loaded. Correlation and causation navigation, the demo's landing and `--stream` use it. The
/// cursor moves as soon as the session has loaded the revision (while the rest still loads); a load
/// that ends without it says so with missing(). A new request replaces the one waiting.
class CursorRequest : public QObject
{
    Q_OBJECT
public:
    explicit CursorRequest(TimelineSession *session, QObject *parent = nullptr);

    /// Waits for `revision` of `stream` (placed at once when it is loaded already; -1: the last event,
    /// once the load has ended). `onPlaced`, if
    /// given, runs once with the ordinal the cursor went to — not if another request replaces this one.
    void request(const QByteArray &stream, qint64 revision, std::function<void(quint64 ordinal)> onPlaced = {});
    void clear();
    bool isPending() const { return m_pending; }
    QByteArray stream() const { return m_stream; }
    qint64 revision() const { return m_revision; }

Q_SIGNALS:
    /// The cursor is on the revision asked for.
    void placed(const QByteArray &stream, qint64 revision, quint64 ordinal);
    /// The stream loaded completely (without an error) and has no such revision.
    void missing(const QByteArray &stream, qint64 revision);

private:
    void tryPlace();
    void place(quint64 ordinal);
    void onLoadFinished(const ClientError &error);

    TimelineSession *m_session;
    bool m_pending = false;
    QByteArray m_stream;
    qint64 m_revision = -1;
    std::function<void(quint64)> m_onPlaced;
};

} // namespace chronoscope
