#include "model/Types.h"

namespace chronoscope {

QString ExpectedState::toString() const
{
    switch (kind) {
    case Kind::Any: return QStringLiteral("any");
    case Kind::NoStream: return QStringLiteral("no_stream");
    case Kind::StreamExists: return QStringLiteral("stream_exists");
    case Kind::Revision: return QString::number(revision);
    }
    return {};
}

} // namespace chronoscope
