#pragma once

#include "base/JobTracker.h"

#include <QAbstractTableModel>

#include <optional>
#include <QHash>
#include <QSet>
#include <QTimer>

#include <vector>

namespace chronoscope {

class TimelineSession;

/// The event list (F3): one row per event of a TimelineSession, lazy and virtual.
///
/// Every column but Correlation comes from the session's index and costs nothing, so the model
/// stays smooth at millions of rows (no per-row storage unless a filter is set). The correlation
/// id lives in the event's metadata: it is fetched in a worker through `session->payloads()` for
/// the rows a view asks for (i.e. the visible ones), shown as "…" until it arrives.
///
/// Rows are oldest first or newest first (setNewestFirst()); the session's growth inserts one
/// batch of rows at the end (or the top). Filters: event types (a set; empty = all) and a set of
/// ordinals found by a payload search (setSearchMatches(), either highlighted or filtered).
class TimelineEventModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    /// Revision: the place in the loaded stream; in `$all`, the revision of the event in its own
    /// stream. Stream: the event's stream (a resolved link's target's); views hide it when the
    /// timeline is one stream (TimelineSession::spansStreams()).
    enum Column { Revision, Position, Stream, Type, Created, Size, Correlation, ColumnCount };
    enum Role {
        OrdinalRole = Qt::UserRole + 1, ///< quint64, the row's ordinal in the session's index
        SortRole,                       ///< the raw value of the cell (numbers as numbers)
        CreatedTicksRole,               ///< qint64, 100 ns ticks since the epoch
        SearchMatchRole,                ///< bool: the row's payload matched the current search
        DeletedTargetRole,              ///< bool: a link whose target is gone
        PendingRole                     ///< bool: the cell waits for its payload
    };

    explicit TimelineEventModel(TimelineSession *session, QObject *parent = nullptr);
    ~TimelineEventModel() override;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    bool newestFirst() const { return m_newestFirst; }
    void setNewestFirst(bool newestFirst);
    /// Created times shown in UTC (default) or local time.
    bool showsUtc() const { return m_utc; }
    void setShowUtc(bool utc);

    /// Only events of these types (empty = all types).
    void setTypeFilter(const QSet<QByteArray> &types);
    /// Only the events between two ordinals, both included (markers A and B); nullopt: all.
    void setRange(std::optional<std::pair<quint64, quint64>> range);
    std::optional<std::pair<quint64, quint64>> range() const { return m_range; }
    QSet<QByteArray> typeFilter() const { return m_types; }
    /// The ordinals a payload search found; `filterToMatches` hides the others, else they are only
    /// marked (SearchMatchRole). An empty `matches` with `active` false ends the search view.
    void setSearchMatches(const QSet<quint64> &matches, bool active, bool filterToMatches);
    bool filtersToMatches() const { return m_searchActive && m_filterToMatches; }

    /// The ordinal shown in `row`, or -1.
    qint64 ordinalAt(int row) const;
    /// The row showing `ordinal`, or -1 when it is filtered out (or not loaded).
    int rowForOrdinal(quint64 ordinal) const;
    /// Events the model knows about (the session's count as of its last grown()).
    quint64 eventCount() const { return m_count; }

    /// The correlation id of `ordinal` if already fetched (empty otherwise).
    QString correlationId(quint64 ordinal) const { return m_correlation.value(ordinal); }

Q_SIGNALS:
    /// Rows were added by the session's growth (after filtering).
    void rowsGrown(int added);

private:
    void onReset();
    void onGrown(quint64 from, quint64 to);
    bool isFiltered() const { return !m_types.isEmpty() || filtersToMatches() || m_range.has_value(); }
    bool accepts(quint64 ordinal) const;
    void rebuild();
    quint64 visibleCount() const { return isFiltered() ? m_rows.size() : m_count; }
    void requestCorrelation(quint64 ordinal) const;
    void fetchPending();

    TimelineSession *m_session;
    quint64 m_count = 0;
    bool m_newestFirst = false;
    bool m_utc = true;
    QSet<QByteArray> m_types;
    QSet<quint32> m_typeIds; ///< m_types as index ids (names not seen yet resolve later)
    QSet<quint64> m_matches;
    bool m_searchActive = false;
    bool m_filterToMatches = false;
    std::optional<std::pair<quint64, quint64>> m_range;
    std::vector<quint64> m_rows; ///< visible ordinals, ascending, when filtered

    QHash<quint64, QString> m_correlation;
    mutable QSet<quint64> m_pending; ///< asked for, not arrived
    mutable QTimer m_fetchTimer;
    QSet<quint64> m_failed;
    JobTracker m_jobs{this};
};

} // namespace chronoscope
