#pragma once

#include "archive/ArchiveWriter.h"
#include "client/StreamsClient.h"
#include "session/ServerTimelineSource.h"

#include <memory>

/// Writes an archive of `stream` read from a server (a test's sandbox), `chunkEvents` events a chunk, as the
/// window's Export ▸ Archive… writes one. The error; empty when written.
inline QString archiveFromServer(std::shared_ptr<const chronoscope::StreamsClient> client, const QByteArray &stream,
                                 const QString &path, int chunkEvents, const QString &connection)
{
    chronoscope::ServerTimelineSource source(std::move(client), stream);
    chronoscope::archive::ArchiveWriter::Provenance provenance;
    provenance.connection = connection;
    chronoscope::archive::ArchiveWriter::Options options;
    options.chunkEvents = chunkEvents;
    return chronoscope::archive::ArchiveWriter::write(source, path, provenance, options);
}
