#include "base/BuildInfo.h"

#include <google/protobuf/stubs/common.h>
#include <grpcpp/grpcpp.h>
#include <simdjson.h>

namespace chronoscope {

#define CHRONOSCOPE_STRINGIFY2(x) #x
#define CHRONOSCOPE_STRINGIFY(x) CHRONOSCOPE_STRINGIFY2(x)

QList<QPair<QString, QString>> coreLibraryVersions()
{
    const int pb = GOOGLE_PROTOBUF_VERSION; // e.g. 3021012
    return {
        {QStringLiteral("Chronoscope"), QStringLiteral(CHRONOSCOPE_VERSION)},
        {QStringLiteral("Qt"), QStringLiteral("%1 (built with %2)").arg(QString::fromLatin1(qVersion()),
                                                                          QStringLiteral(QT_VERSION_STR))},
        {QStringLiteral("gRPC"), QString::fromStdString(grpc::Version())},
        {QStringLiteral("Protocol Buffers"),
         QStringLiteral("%1.%2.%3").arg(pb / 1000000).arg(pb / 1000 % 1000).arg(pb % 1000)},
        {QStringLiteral("simdjson"), QStringLiteral(CHRONOSCOPE_STRINGIFY(SIMDJSON_VERSION))},
    };
}

} // namespace chronoscope
