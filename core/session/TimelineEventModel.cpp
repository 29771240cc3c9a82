#include "session/TimelineEventModel.h"

#include "session/TimelineSession.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <QDateTime>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>

namespace chronoscope {

namespace {
/// Rows asked for at once at most: a view asks for what it shows, so more means stale requests.
constexpr int kMaxPending = 2048;
/// Correlation ids kept; past this the cache starts over (ids are cheap to fetch again).
constexpr int kMaxCorrelations = 200000;

QString correlationOf(const QByteArray &metadata)
{
    if (metadata.isEmpty())
        return {};
    const QJsonDocument doc = QJsonDocument::fromJson(metadata);
    return doc.isObject() ? doc.object().value(QLatin1String("$correlationId")).toString() : QString();
}
} // namespace

TimelineEventModel::TimelineEventModel(TimelineSession *session, QObject *parent)
    : QAbstractTableModel(parent), m_session(session)
{
    m_fetchTimer.setSingleShot(true);
    m_fetchTimer.setInterval(0);
    connect(&m_fetchTimer, &QTimer::timeout, this, &TimelineEventModel::fetchPending);
    connect(session, &TimelineSession::reset, this, &TimelineEventModel::onReset);
    connect(session, &TimelineSession::grown, this, &TimelineEventModel::onGrown);
    m_count = session->index().size();
    rebuild();
}

TimelineEventModel::~TimelineEventModel() = default;

int TimelineEventModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(std::min<quint64>(visibleCount(), quint64(INT_MAX)));
}

int TimelineEventModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

qint64 TimelineEventModel::ordinalAt(int row) const
{
    const quint64 n = visibleCount();
    if (row < 0 || quint64(row) >= n)
        return -1;
    const quint64 i = m_newestFirst ? n - 1 - quint64(row) : quint64(row);
    return qint64(isFiltered() ? m_rows[size_t(i)] : i);
}

int TimelineEventModel::rowForOrdinal(quint64 ordinal) const
{
    if (ordinal >= m_count)
        return -1;
    quint64 i = ordinal;
    if (isFiltered()) {
        const auto it = std::lower_bound(m_rows.begin(), m_rows.end(), ordinal);
        if (it == m_rows.end() || *it != ordinal)
            return -1;
        i = quint64(it - m_rows.begin());
    }
    const quint64 n = visibleCount();
    return int(m_newestFirst ? n - 1 - i : i);
}

QVariant TimelineEventModel::data(const QModelIndex &index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const qint64 o = ordinalAt(index.row());
    if (o < 0)
        return {};
    const quint64 ordinal = quint64(o);
    const engine::TimelineIndex &idx = m_session->index();
    // Between the session's reset() and this model's own reset, a view may still ask for rows of the
    // timeline that was dropped: they are not in the new index.
    if (ordinal >= idx.size())
        return {};
    switch (role) {
    case OrdinalRole:
        return ordinal;
    case CreatedTicksRole:
        return idx.createdTicks(ordinal);
    case SearchMatchRole:
        return m_searchActive && m_matches.contains(ordinal);
    case DeletedTargetRole:
        // With links resolved, the index holds the target; a link record ("$>") means it is gone.
        return m_session->resolvesLinks() && idx.typeName(ordinal) == "$>";
    case PendingRole:
        return index.column() == Correlation && !m_correlation.contains(ordinal) && !m_failed.contains(ordinal);
    case Qt::TextAlignmentRole:
        if (index.column() == Revision || index.column() == Position || index.column() == Size)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Type && data(index, DeletedTargetRole).toBool())
            return tr("The link's target event was deleted");
        if (index.column() == Correlation && m_failed.contains(ordinal))
            return tr("The payload could not be fetched");
        return {};
    case Qt::DisplayRole:
    case SortRole:
        break;
    default:
        return {};
    }
    const bool raw = role == SortRole;
    switch (Column(index.column())) {
    case Revision:
        return idx.revision(ordinal);
    case Position:
        return idx.commitPosition(ordinal);
    case Stream:
        return QString::fromUtf8(idx.streamName(ordinal));
    case Type: {
        const QString type = QString::fromUtf8(idx.typeName(ordinal));
        if (!raw && data(index, DeletedTargetRole).toBool())
            return tr("%1 (target deleted)").arg(type);
        return type;
    }
    case Created: {
        const qint64 ticks = idx.createdTicks(ordinal);
        if (raw)
            return ticks;
        const QDateTime t = QDateTime::fromMSecsSinceEpoch(ticks / 10000, m_utc ? Qt::UTC : Qt::LocalTime);
        return t.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss.zzz"));
    }
    case Size:
        return idx.payloadBytes(ordinal);
    case Correlation: {
        const auto it = m_correlation.constFind(ordinal);
        if (it != m_correlation.constEnd())
            return *it;
        if (m_failed.contains(ordinal))
            return raw ? QString() : tr("⚠");
        requestCorrelation(ordinal);
        return raw ? QString() : QStringLiteral("…");
    }
    case ColumnCount:
        break;
    }
    return {};
}

QVariant TimelineEventModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Horizontal && role == Qt::ToolTipRole && m_session->isAll()) {
        if (section == Revision)
            return tr("The event's revision in its own stream (the Stream column)");
        if (section == Position)
            return tr("The event's commit position in $all");
    }
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Revision: return tr("Revision");
    case Position: return tr("Position");
    case Stream: return tr("Stream");
    case Type: return tr("Type");
    case Created: return m_utc ? tr("Created (UTC)") : tr("Created (local)");
    case Size: return tr("Size");
    case Correlation: return tr("Correlation id");
    case ColumnCount: break;
    }
    return {};
}

void TimelineEventModel::setNewestFirst(bool newestFirst)
{
    if (newestFirst == m_newestFirst)
        return;
    beginResetModel();
    m_newestFirst = newestFirst;
    endResetModel();
}

void TimelineEventModel::setShowUtc(bool utc)
{
    if (utc == m_utc)
        return;
    m_utc = utc;
    Q_EMIT headerDataChanged(Qt::Horizontal, Created, Created);
    if (rowCount() > 0)
        Q_EMIT dataChanged(index(0, Created), index(rowCount() - 1, Created), {Qt::DisplayRole});
}

void TimelineEventModel::setTypeFilter(const QSet<QByteArray> &types)
{
    if (types == m_types)
        return;
    beginResetModel();
    m_types = types;
    rebuild();
    endResetModel();
}

void TimelineEventModel::setSearchMatches(const QSet<quint64> &matches, bool active, bool filterToMatches)
{
    const bool structural = filtersToMatches() || (active && filterToMatches);
    if (structural)
        beginResetModel();
    m_matches = matches;
    m_searchActive = active;
    m_filterToMatches = filterToMatches;
    if (structural) {
        rebuild();
        endResetModel();
    } else if (rowCount() > 0) {
        Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, ColumnCount - 1), {SearchMatchRole});
    }
}

void TimelineEventModel::setRange(std::optional<std::pair<quint64, quint64>> range)
{
    if (range && range->first > range->second)
        std::swap(range->first, range->second);
    if (range == m_range)
        return;
    beginResetModel();
    m_range = range;
    rebuild();
    endResetModel();
}

bool TimelineEventModel::accepts(quint64 ordinal) const
{
    if (m_range && (ordinal < m_range->first || ordinal > m_range->second))
        return false;
    if (!m_types.isEmpty() && !m_typeIds.contains(m_session->index().typeId(ordinal)))
        return false;
    return !filtersToMatches() || m_matches.contains(ordinal);
}

void TimelineEventModel::rebuild()
{
    m_typeIds.clear();
    for (const QByteArray &name : std::as_const(m_types)) {
        const qint64 id = m_session->index().types().find(name);
        if (id >= 0)
            m_typeIds.insert(quint32(id));
    }
    m_rows.clear();
    if (!isFiltered())
        return;
    if (m_types.isEmpty() && filtersToMatches()) { // the search: walk the matches, not the timeline
        for (const quint64 o : std::as_const(m_matches))
            if (o < m_count && accepts(o))
                m_rows.push_back(o);
        std::sort(m_rows.begin(), m_rows.end());
        return;
    }
    const quint64 first = m_range ? m_range->first : 0;
    const quint64 end = m_range ? std::min(m_range->second + 1, m_count) : m_count;
    for (quint64 o = first; o < end; ++o)
        if (accepts(o))
            m_rows.push_back(o);
}

void TimelineEventModel::onReset()
{
    beginResetModel();
    m_jobs.cancel();
    m_count = 0;
    m_rows.clear();
    m_matches.clear();
    m_searchActive = false;
    m_range.reset(); // ordinals of the timeline that was dropped
    m_correlation.clear();
    m_pending.clear();
    m_failed.clear();
    rebuild();
    endResetModel();
}

void TimelineEventModel::onGrown(quint64 from, quint64 to)
{
    if (to <= m_count)
        return;
    from = m_count; // whatever the signal says, continue from what the model has
    for (const QByteArray &name : std::as_const(m_types)) {
            const qint64 id = m_session->index().types().find(name);
            if (id >= 0)
                m_typeIds.insert(quint32(id));
        }
    std::vector<quint64> added;
    if (isFiltered()) {
        for (quint64 o = from; o < to; ++o)
            if (accepts(o))
                added.push_back(o);
    }
    const quint64 newRows = isFiltered() ? added.size() : to - from;
    const quint64 before = visibleCount();
    if (newRows == 0) {
        m_count = to;
        return;
    }
    const int first = m_newestFirst ? 0 : int(before);
    beginInsertRows({}, first, first + int(newRows) - 1);
    m_count = to;
    m_rows.insert(m_rows.end(), added.begin(), added.end());
    endInsertRows();
    Q_EMIT rowsGrown(int(newRows));
}

void TimelineEventModel::requestCorrelation(quint64 ordinal) const
{
    if (m_pending.contains(ordinal))
        return;
    m_pending.insert(ordinal);
    if (!m_fetchTimer.isActive())
        m_fetchTimer.start();
}

void TimelineEventModel::fetchPending()
{
    const std::shared_ptr<engine::PayloadCache> cache = m_session->payloads();
    if (!cache || m_pending.isEmpty())
        return;
    QList<quint64> wanted(m_pending.cbegin(), m_pending.cend());
    std::sort(wanted.begin(), wanted.end());
    if (wanted.size() > kMaxPending) { // keep the newest requests: the others scrolled away
        wanted = wanted.mid(wanted.size() - kMaxPending);
        m_pending = QSet<quint64>(wanted.cbegin(), wanted.cend());
    }
    if (m_correlation.size() > kMaxCorrelations)
        m_correlation.clear();
    // A new job cancels the previous one; it takes over every request still pending.
    m_jobs.start([this, cache, wanted](const JobTracker::Job &job) {
        quint64 lastBlock = ~quint64(0);
        for (const quint64 ordinal : wanted) {
            if (job.isCancelled())
                return;
            const quint64 block = ordinal / cache->blockEvents();
            if (block == lastBlock)
                continue;
            lastBlock = block;
            const engine::PayloadCache::BlockResult r = cache->blockFor(ordinal);
            QHash<quint64, QString> found;
            QList<quint64> failed;
            if (r.events) {
                for (qsizetype i = 0; i < r.events->size(); ++i)
                    found.insert(r.first + quint64(i), correlationOf(r.events->at(i).metadata));
            } else { // every request in this block failed
                for (const quint64 o : wanted)
                    if (o / cache->blockEvents() == block)
                        failed.append(o);
            }
            job.post([this, found, failed]() {
                for (auto it = found.cbegin(); it != found.cend(); ++it) {
                    m_correlation.insert(it.key(), it.value());
                    m_pending.remove(it.key());
                }
                for (const quint64 o : failed) {
                    m_failed.insert(o);
                    m_pending.remove(o);
                }
                if (rowCount() > 0)
                    Q_EMIT dataChanged(index(0, Correlation), index(rowCount() - 1, Correlation),
                                       {Qt::DisplayRole, SortRole, PendingRole});
            });
        }
    });
}

} // namespace chronoscope
