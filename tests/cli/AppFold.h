#pragma once

#include "client/StreamsClient.h"
#include "fold/FoldEngine.h"
#include "fold/MergeReducer.h"
#include "fold/TimelineQueries.h"
#include "script/ReducerFile.h"
#include "session/ServerTimelineSource.h"
#include "timeline/IndexBatch.h"
#include "timeline/PayloadCache.h"
#include "timeline/TimelineIndex.h"

#include <memory>

/// The window's own fold, in process, to compare the CLI's results with: a timeline loaded from the
/// server through ServerTimelineSource into a TimelineIndex, payloads through a PayloadCache, a
/// FoldEngine with the reducer file's reducer (or the merge reducer), TimelineQueries over it.
class AppFold
{
public:
    AppFold(std::shared_ptr<const chronoscope::StreamsClient> client, const QByteArray &stream,
            const QString &reducerFile = {})
        : m_source(std::move(client), stream)
    {
        using namespace chronoscope;
        m_index = std::make_shared<engine::TimelineIndex>();
        m_payloads = std::make_shared<engine::PayloadCache>(m_source.eventSource(m_index));
        m_loadError = m_source.read(
            [this](const QList<RecordedEvent> &batch) {
                m_index->appendBatch(engine::IndexBatch(batch));
                return true;
            },
            nullptr, 4096);
        std::unique_ptr<engine::Reducer> reducer;
        const auto merge = [] { return std::make_unique<engine::MergeReducer>(); };
        if (reducerFile.isEmpty()) {
            reducer = merge();
        } else {
            engine::ReducerFile::LoadError error;
            const auto file = engine::ReducerFile::load(reducerFile, &error);
            if (file)
                reducer = file->createReducer(&error, merge);
        }
        m_engine = std::make_unique<engine::FoldEngine>(*m_index, *m_payloads, std::move(reducer));
        m_queries = std::make_unique<engine::TimelineQueries>(*m_engine);
    }

    bool ok() const { return !m_loadError.isError() && m_index->size() > 0; }
    const chronoscope::engine::TimelineIndex &index() const { return *m_index; }
    chronoscope::engine::PayloadCache &payloads() { return *m_payloads; }
    chronoscope::engine::TimelineQueries &queries() { return *m_queries; }

private:
    chronoscope::ServerTimelineSource m_source;
    chronoscope::ClientError m_loadError;
    std::shared_ptr<chronoscope::engine::TimelineIndex> m_index;
    std::shared_ptr<chronoscope::engine::PayloadCache> m_payloads;
    std::unique_ptr<chronoscope::engine::FoldEngine> m_engine;
    std::unique_ptr<chronoscope::engine::TimelineQueries> m_queries;
};
