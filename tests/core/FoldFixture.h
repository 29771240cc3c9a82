#pragma once

#include "model/Reducer.h"
#include "model/Types.h"

#include <QStringList>

#include <deque>
#include <vector>

namespace chronoscope::test {

/// Events for reducer tests, written compactly: "stream|Type|data" (JSON content) or
/// "stream|Type|data|metadata"; add() takes raw bytes for binary payloads.
class FoldFixture
{
public:
    void add(const QByteArray &stream, const QByteArray &type, const QByteArray &data, const QByteArray &metadata = {},
             bool json = true, const QByteArray *linkMetadata = nullptr)
    {
        RecordedEvent e;
        e.streamId = stream;
        e.type = type;
        e.data = data;
        e.metadata = metadata;
        e.contentType = json ? QByteArrayLiteral("application/json") : QByteArrayLiteral("application/octet-stream");
        e.revision = m_revisions[stream]++;
        e.id = QUuid::createUuidV5(QUuid(), QString::number(m_records.size()));
        m_records.push_back(e);
        m_links.push_back(linkMetadata ? *linkMetadata : QByteArray());
        m_hasLink.push_back(linkMetadata != nullptr);
    }
    void addLine(const QString &line)
    {
        const QStringList f = line.split(QLatin1Char('|'));
        add(f.value(0).toUtf8(), f.value(1).toUtf8(), f.value(2).toUtf8(), f.value(3).toUtf8());
    }
    /// FoldEvents pointing into this fixture (valid while it lives and is not added to).
    std::vector<engine::FoldEvent> events() const
    {
        std::vector<engine::FoldEvent> out;
        for (size_t i = 0; i < m_records.size(); ++i)
            out.push_back(engine::FoldEvent{&m_records[i], m_hasLink[i] ? &m_links[i] : nullptr, quint64(i)});
        return out;
    }
    engine::FoldResult foldInto(engine::Reducer &r) const
    {
        const auto ev = events();
        return r.fold(ev.data(), qsizetype(ev.size()));
    }
    const std::deque<RecordedEvent> &records() const { return m_records; }

private:
    std::deque<RecordedEvent> m_records;
    std::deque<QByteArray> m_links;
    std::vector<bool> m_hasLink;
    QHash<QByteArray, quint64> m_revisions;
};

} // namespace chronoscope::test
