#pragma once

#include "EventStore.h"

#include "streams.pb.h"

#include <QRegularExpression>

#include <string>
#include <unordered_map>

namespace chronoscope::sandbox {

/// A `$all` read filter (stream name or event type; prefixes or a regex) with its answers cached
/// per distinct name, since a log has far fewer streams and types than records.
class FilterMatcher
{
public:
    /// `valid()` is false (with `error()`) for a regex that does not compile.
    explicit FilterMatcher(const event_store::client::streams::ReadReq::Options::FilterOptions &filter);

    bool valid() const { return m_error.empty(); }
    const std::string &error() const { return m_error; }
    bool matches(const StoredRecord &r);

private:
    bool m_byStream = true;
    std::vector<std::string> m_prefixes;
    QRegularExpression m_regex;
    bool m_useRegex = false;
    std::string m_error;
    std::unordered_map<std::string, bool> m_cache;
};

} // namespace chronoscope::sandbox
