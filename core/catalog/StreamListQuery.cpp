#include "catalog/StreamListQuery.h"

#include "model/Types.h"

namespace chronoscope {

std::optional<ReadFilter> StreamListQuery::scanFilter() const
{
    if (!text.isEmpty() && match == Match::Prefix)
        return ReadFilter::streamPrefix({text});
    if (!text.isEmpty() && match == Match::Regex)
        return ReadFilter::streamRegex(text);
    if (includeSystem)
        return std::nullopt;
    return ReadFilter::streamRegex(QStringLiteral("^([^$]|\\$\\$[^$])"));
}

QRegularExpression StreamListQuery::regex() const
{
    return match == Match::Regex ? QRegularExpression(text) : QRegularExpression();
}

bool StreamListQuery::accepts(const QByteArray &name, const QRegularExpression &compiled) const
{
    if (!includeSystem && SystemStreams::isSystemStream(name))
        return false;
    if (text.isEmpty())
        return true;
    const QString s = QString::fromUtf8(name);
    switch (match) {
    case Match::Prefix:
        return s.startsWith(text);
    case Match::Regex:
        return compiled.match(s).hasMatch();
    case Match::Contains:
        break; // the view's filter, not the listing's
    }
    return true;
}

bool StreamListQuery::isValid() const
{
    return match != Match::Regex || QRegularExpression(text).isValid();
}

} // namespace chronoscope
