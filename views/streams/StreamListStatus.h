#pragma once

#include "streams/StreamBrowser.h"

namespace chronoscope::views {

/// The stream browser's status line: how many rows of what are shown, where the streams come
/// from ($streams or the $all scan) and how the listing is going.
struct StreamListStatus
{
    StreamBrowser::Mode mode = StreamBrowser::Mode::Streams;
    qsizetype shown = 0;
    qsizetype total = 0;
    StreamListLoader::Source source = StreamListLoader::Source::None;
    StreamBrowser::ScanState state = StreamBrowser::ScanState::Idle;
    bool catalogRunning = false; ///< categories and event types are still being listed
    bool filtered = false;
    bool invalidRegex = false;

    QString text() const;
};

} // namespace chronoscope::views
