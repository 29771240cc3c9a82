#include "readmodel/ReadModelSource.h"

namespace chronoscope::readmodel {

QString ReadModelError::kindName(Kind kind)
{
    switch (kind) {
    case Kind::None: return QStringLiteral("none");
    case Kind::Unreachable: return QStringLiteral("unreachable");
    case Kind::AuthenticationFailed: return QStringLiteral("authentication-failed");
    case Kind::QueryFailed: return QStringLiteral("query-failed");
    case Kind::ServerGone: return QStringLiteral("server-gone");
    case Kind::BadRow: return QStringLiteral("bad-row");
    case Kind::Cancelled: return QStringLiteral("cancelled");
    case Kind::Configuration: return QStringLiteral("configuration");
    }
    return QStringLiteral("unknown");
}

QString ReadModelError::toString() const
{
    QString s = kindName();
    if (!serverCode.isEmpty())
        s += QStringLiteral(" (") + serverCode + QLatin1Char(')');
    return message.isEmpty() ? s : s + QStringLiteral(": ") + message;
}

} // namespace chronoscope::readmodel
