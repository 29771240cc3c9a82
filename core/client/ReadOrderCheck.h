#pragma once

#include "model/Types.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace chronoscope {

/// What a read or subscription may receive next, so that a server's reply that breaks the order
/// of a stream or of `$all` is refused instead of shown: in a stream, each event's revision is the
/// previous one plus one (minus one reading backwards) and belongs to that stream; in `$all`, each
/// position is after the previous one (before it reading backwards). A duplicate (the same
/// revision or position again), a revision going back or skipping, or a position going back is
/// named with both values. Revisions and positions are those of the record read: the link for a
/// resolved link. Events with neither record are not checked.
class ReadOrderCheck
{
public:
    ReadOrderCheck(bool all, Direction direction, const QByteArray &stream);

    /// Empty when `e` may follow what came before (and records it); else what is wrong.
    QString accept(const ResolvedEvent &e);

private:
    QString acceptRevision(const RecordedEvent &r);
    QString acceptPosition(const RecordedEvent &r);

    bool m_all;
    bool m_forwards;
    QByteArray m_stream;
    std::optional<quint64> m_lastRevision;
    std::optional<Position> m_lastPosition;
};

} // namespace chronoscope
