#include "fold/MergeReducer.h"

#include "json/MergeTree.h"

#include <QJsonObject>

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <vector>

namespace chronoscope::engine {

/// simdjson needs SIMDJSON_PADDING readable bytes past the document; payloads are copied into one
/// reused buffer rather than letting the parser allocate a padded copy per event.
struct MergeReducer::Parser
{
    simdjson::dom::parser parser;
    std::vector<char> buffer;
};

MergeReducer::MergeReducer() : m_tree(std::make_unique<MergeTree>()), m_parser(std::make_unique<Parser>()) {}

MergeReducer::~MergeReducer() = default;

void MergeReducer::reset()
{
    m_tree->reset();
    m_counts.clear();
    m_countSlots.clear();
    m_lastType = 0;
    m_events = 0;
    m_unmerged = 0;
}

void MergeReducer::restore(const QJsonValue &state)
{
    reset();
    const QJsonObject o = state.toObject();
    m_tree->fromJson(o.value(QLatin1String("state")));
    const QJsonObject counts = o.value(QLatin1String("counts")).toObject();
    for (auto it = counts.begin(); it != counts.end(); ++it) {
        const QByteArray type = it.key().toUtf8();
        countType(type);
        m_counts[m_lastType].second = quint64(it.value().toInteger());
    }
    m_events = quint64(o.value(QLatin1String("events")).toInteger());
    m_unmerged = quint64(o.value(QLatin1String("unmerged")).toInteger());
}

QJsonValue MergeReducer::mergedState() const
{
    return m_tree->toJson();
}

QJsonValue MergeReducer::state() const
{
    QJsonObject counts;
    for (const auto &[type, n] : m_counts)
        counts.insert(QString::fromUtf8(type), qint64(n));
    QJsonObject o;
    o.insert(QLatin1String("state"), m_tree->toJson());
    o.insert(QLatin1String("counts"), counts);
    o.insert(QLatin1String("events"), qint64(m_events));
    o.insert(QLatin1String("unmerged"), qint64(m_unmerged));
    return o;
}

QJsonValue MergeReducer::stateAt(const QStringList &path) const
{
    if (!path.isEmpty() && path.first() == QLatin1String("state"))
        return m_tree->valueAt(path, 1);
    return Reducer::stateAt(path);
}

bool MergeReducer::scalarAt(const QList<QByteArray> &path, ScalarView *out) const
{
    if (path.isEmpty() || path.first() != "state")
        return false;
    const MergeNode *node = m_tree->nodeAt(path, 1);
    *out = ScalarView{};
    if (!node)
        return true; // Missing
    switch (node->kind) {
    case MergeNode::Kind::Null: out->kind = ScalarView::Kind::Null; break;
    case MergeNode::Kind::Bool:
        out->kind = ScalarView::Kind::Bool;
        out->boolean = node->boolean;
        break;
    case MergeNode::Kind::Int:
        out->kind = ScalarView::Kind::Integer;
        out->integer = node->number.i;
        break;
    case MergeNode::Kind::String:
        out->kind = ScalarView::Kind::Text;
        out->text = node->text;
        break;
    default: out->kind = ScalarView::Kind::Other; break; // UInt beyond 63 bits, doubles, objects, arrays
    }
    return true;
}

std::unique_ptr<Reducer> MergeReducer::clone() const
{
    return std::make_unique<MergeReducer>();
}

namespace {

bool isJsonContentType(const QByteArray &contentType)
{
    // "application/json", optionally with parameters, and "+json" media types.
    if (contentType.startsWith("application/json"))
        return contentType.size() == 16 || contentType.at(16) == ';' || contentType.at(16) == ' ';
    const qsizetype semicolon = contentType.indexOf(';');
    return (semicolon < 0 ? contentType : contentType.left(semicolon)).trimmed().endsWith("+json");
}

QString parseProblem(simdjson::error_code code)
{
    switch (code) {
    case simdjson::UTF8_ERROR:
        return QStringLiteral("payload is not valid UTF-8");
    case simdjson::DEPTH_ERROR:
        return QStringLiteral("payload nests deeper than %1 levels").arg(MergeTree::kMaxDepth);
    case simdjson::EMPTY:
        return QStringLiteral("payload is empty");
    case simdjson::CAPACITY:
    case simdjson::MEMALLOC:
        return QStringLiteral("payload is too large to parse");
    case simdjson::NUMBER_ERROR:
        return QStringLiteral("payload has a number that is malformed or beyond 64 bits");
    default:
        return QStringLiteral("payload is not valid JSON (%1)").arg(QString::fromUtf8(simdjson::error_message(code)));
    }
}

/// Events are usually cold: their records, and each one's type and payload (separate heap blocks). Before
/// event i is folded, the record a few events ahead is asked for, and the bytes of the one just behind it,
/// while the merge of the events before keeps the core busy. Always inlined: GCC deems a function that only
/// prefetches free of effects and drops its calls.
#if defined(__GNUC__)
[[gnu::always_inline]] inline void prefetchAhead(const FoldEvent *events, qsizetype i, qsizetype count)
{
    constexpr qsizetype kRecordAhead = 6;
    constexpr qsizetype kBytesAhead = 2;
    constexpr qsizetype kPayloadBytes = 1024; // the parser's own reads run ahead of the rest
    for (qsizetype ahead = i == 0 ? 0 : kRecordAhead; ahead <= kRecordAhead && i + ahead < count; ++ahead) {
        if (const RecordedEvent *e = events[i + ahead].event) { // its type, content type and data fields
            const char *from = reinterpret_cast<const char *>(&e->type);
            const char *to = reinterpret_cast<const char *>(&e->data + 1);
            for (; from < to; from += 64)
                __builtin_prefetch(from);
            __builtin_prefetch(to - 1);
        }
    }
    for (qsizetype ahead = i == 0 ? 0 : kBytesAhead; ahead <= kBytesAhead && i + ahead < count; ++ahead) {
        if (const RecordedEvent *e = events[i + ahead].event) {
            __builtin_prefetch(e->type.constData());
            const char *data = e->data.constData();
            const qsizetype bytes = std::min(e->data.size(), kPayloadBytes);
            for (qsizetype at = 0; at < bytes; at += 64)
                __builtin_prefetch(data + at);
        }
    }
}
#else
inline void prefetchAhead(const FoldEvent *, qsizetype, qsizetype) {}
#endif

} // namespace

void MergeReducer::countType(const QByteArray &type)
{
    const std::string_view key(type.constData(), size_t(type.size()));
    if (m_lastType < m_counts.size()) {
        auto &[last, n] = m_counts[m_lastType];
        if (mergekey::equal(std::string_view(last.constData(), size_t(last.size())), key)) {
            ++n;
            return;
        }
    }
    if (m_countSlots.empty())
        m_countSlots.assign(32, 0);
    const size_t mask = m_countSlots.size() - 1;
    size_t s = mergekey::hash(key) & mask;
    for (; m_countSlots[s] != 0; s = (s + 1) & mask) {
        auto &[known, n] = m_counts[m_countSlots[s] - 1];
        if (mergekey::equal(std::string_view(known.constData(), size_t(known.size())), key)) {
            m_lastType = m_countSlots[s] - 1;
            ++n;
            return;
        }
    }
    m_lastType = m_counts.size();
    m_counts.emplace_back(type, 1);
    m_countSlots[s] = quint32(m_counts.size());
    if (m_counts.size() * 2 > m_countSlots.size()) { // keep it at most half full
        m_countSlots.assign(m_countSlots.size() * 2, 0);
        const size_t wider = m_countSlots.size() - 1;
        for (size_t i = 0; i < m_counts.size(); ++i) {
            const QByteArray &t = m_counts[i].first;
            size_t at = mergekey::hash(std::string_view(t.constData(), size_t(t.size()))) & wider;
            while (m_countSlots[at] != 0)
                at = (at + 1) & wider;
            m_countSlots[at] = quint32(i + 1);
        }
    }
}

bool MergeReducer::foldOne(const FoldEvent &fe, QString *error)
{
    const RecordedEvent &e = *fe.event;
    if (!isJsonContentType(e.contentType)) {
        *error = QStringLiteral("content type \"%1\" is not JSON; counted, not merged")
                     .arg(QString::fromUtf8(e.contentType));
        return false;
    }
    const size_t size = size_t(e.data.size());
    std::vector<char> &buffer = m_parser->buffer;
    if (buffer.size() < size + simdjson::SIMDJSON_PADDING)
        buffer.resize(size + simdjson::SIMDJSON_PADDING);
    if (size > 0)
        std::memcpy(buffer.data(), e.data.constData(), size);
    simdjson::dom::element root;
    const simdjson::error_code code =
        m_parser->parser.parse(reinterpret_cast<const uint8_t *>(buffer.data()), size, false).get(root);
    if (code != simdjson::SUCCESS) {
        *error = parseProblem(code);
        return false;
    }
    m_tree->apply(root);
    return true;
}

FoldResult MergeReducer::fold(const FoldEvent *events, qsizetype count)
{
    FoldResult result;
    QString problem;
    for (qsizetype i = 0; i < count; ++i) {
        prefetchAhead(events, i, count);
        const FoldEvent &fe = events[i];
        ++result.folded;
        if (!fe.event) {
            result.errors.append(FoldError{fe.index, QStringLiteral("event %1: no event record").arg(fe.index)});
            continue;
        }
        ++m_events;
        countType(fe.event->type);
        if (!foldOne(fe, &problem)) {
            ++m_unmerged;
            result.errors.append(FoldError{fe.index,
                                           QStringLiteral("%1 at %2: %3")
                                               .arg(QString::fromUtf8(fe.event->type))
                                               .arg(fe.index)
                                               .arg(problem)});
        }
    }
    return result;
}

} // namespace chronoscope::engine
