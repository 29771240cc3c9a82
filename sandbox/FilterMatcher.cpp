#include "FilterMatcher.h"

namespace chronoscope::sandbox {

using Filter = event_store::client::streams::ReadReq::Options::FilterOptions;

FilterMatcher::FilterMatcher(const Filter &filter)
{
    m_byStream = filter.filter_case() != Filter::kEventType;
    const auto &expr = m_byStream ? filter.stream_identifier() : filter.event_type();
    // Prefixes win over a regex when both are given, as on the real server.
    if (expr.prefix_size() > 0) {
        for (const auto &p : expr.prefix())
            m_prefixes.push_back(p);
    } else if (!expr.regex().empty()) {
        m_regex.setPattern(QString::fromStdString(expr.regex()));
        if (!m_regex.isValid())
            m_error = "Invalid regex '" + expr.regex() + "': " + m_regex.errorString().toStdString();
        m_regex.optimize();
        m_useRegex = true;
    }
}

bool FilterMatcher::matches(const StoredRecord &r)
{
    const std::string &subject = m_byStream ? r.stream : r.type;
    const auto cached = m_cache.find(subject);
    if (cached != m_cache.end())
        return cached->second;
    bool match = true;
    if (!m_prefixes.empty()) {
        match = false;
        for (const std::string &p : m_prefixes)
            if (subject.compare(0, p.size(), p) == 0) {
                match = true;
                break;
            }
    } else if (m_useRegex) {
        match = m_regex.match(QString::fromStdString(subject)).hasMatch(); // search, as .NET IsMatch
    }
    if (m_cache.size() < 1000000)
        m_cache.emplace(subject, match);
    return match;
}

} // namespace chronoscope::sandbox
