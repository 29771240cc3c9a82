#include "streams/StreamListStatus.h"

#include <QLocale>

namespace chronoscope::views {

namespace {
QString countText(StreamBrowser::Mode mode, qsizetype n)
{
    const QString number = QLocale().toString(n);
    switch (mode) {
    case StreamBrowser::Mode::Categories:
        return n == 1 ? StreamBrowser::tr("1 category") : StreamBrowser::tr("%1 categories").arg(number);
    case StreamBrowser::Mode::EventTypes:
        return n == 1 ? StreamBrowser::tr("1 event type") : StreamBrowser::tr("%1 event types").arg(number);
    case StreamBrowser::Mode::Streams:
        break;
    }
    return n == 1 ? StreamBrowser::tr("1 stream") : StreamBrowser::tr("%1 streams").arg(number);
}

} // namespace

QString StreamListStatus::text() const
{
    if (invalidRegex)
        return StreamBrowser::tr("Invalid regex");
    using Mode = StreamBrowser::Mode;
    QString text = shown == total ? countText(mode, total)
                                  : StreamBrowser::tr("%1 of %2").arg(QLocale().toString(shown), countText(mode, total));
    if (mode != Mode::Streams) {
        if (catalogRunning)
            return text + StreamBrowser::tr(" (scanning…)");
        if (total == 0 && !filtered)
            return mode == Mode::Categories ? StreamBrowser::tr("No $ce- streams: is the $by_category projection running?")
                                            : StreamBrowser::tr("No $et- streams: is the $by_event_type projection running?");
        return text;
    }
    switch (source) {
    case StreamListLoader::Source::StreamsProjection:
        text += StreamBrowser::tr(" · from $streams");
        break;
    case StreamListLoader::Source::AllScan:
        text += StreamBrowser::tr(" · $all scan");
        break;
    case StreamListLoader::Source::None:
        break;
    }
    switch (state) {
    case StreamBrowser::ScanState::Scanning:
        return text + StreamBrowser::tr(" (scanning…)");
    case StreamBrowser::ScanState::Cancelled:
        return text + StreamBrowser::tr(" (scan cancelled)");
    case StreamBrowser::ScanState::Failed:
        return text + StreamBrowser::tr(" (scan failed)");
    case StreamBrowser::ScanState::Idle:
    case StreamBrowser::ScanState::Complete:
        break;
    }
    return text;
}

} // namespace chronoscope::views
