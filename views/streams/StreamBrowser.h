#pragma once

#include "catalog/StreamInfoFetcher.h"
#include "catalog/StreamListLoader.h"
#include "catalog/StreamListModel.h"
#include "catalog/StreamListQuery.h"

#include <QByteArray>
#include <QWidget>

#include <memory>

class QAction;
class QToolButton;
class QComboBox;
class QLabel;
class QLineEdit;
class QListView;
class QModelIndex;
class QPushButton;
class QAbstractItemModel;
class QConcatenateTablesProxyModel;
class QStandardItemModel;
class QTimer;

namespace chronoscope {
class StreamsClient;
}

namespace chronoscope::views {

class StreamFilterProxy;
class StreamMetadataPanel;

/// The stream list: a filter field (debounced), the list, and a status line with the count and,
/// while a scan runs, a Cancel button. It shows a StreamListModel; who fills it is not its business.
///
/// Once a server is being listed (any scan state but Idle), a pinned first row "$all (all events)"
/// offers `$all` (TimelineSession::allStream()): selecting it emits currentStreamChanged("$all").
/// The filter hides it like any row whose text does not match; it is not counted as a stream.
///
/// A mode switch shows, instead of the streams, the categories (`$ce-<category>` link streams) or
/// the event types (`$et-<type>`); selecting one emits the link stream's name. The browser lists
/// those itself (setClient(): a StreamListLoader over `^\$(ce|et)-`), as it fetches the selected
/// stream's metadata for its panel (StreamInfoFetcher): both only serve what it shows.
///
/// Prefix and regex filters, and showing system streams, change what the server must send: the
/// browser filters what it has at once and emits queryChanged() for whoever lists the streams.
class StreamBrowser : public QWidget
{
    Q_OBJECT
public:
    enum class ScanState { Idle, Scanning, Complete, Cancelled, Failed };

    enum class Mode { Streams, Categories, EventTypes };

    explicit StreamBrowser(QWidget *parent = nullptr);
    ~StreamBrowser() override;
    /// The list of streams (what focusing the Streams pane focuses).
    QWidget *listWidget() const;

    void setModel(StreamListModel *model);
    /// The server to list categories and read metadata from; null forgets the last one.
    void setClient(std::shared_ptr<const StreamsClient> client);
    void setSource(StreamListLoader::Source source);
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    /// The query of the filter controls (Contains has no text: the server cannot apply it).
    StreamListQuery query() const;
    /// "Go to stream…" (Ctrl+Shift+O): asks for a name and opens it, listed or not.
    QAction *goToStreamAction() const { return m_goTo; }
    /// Opens `name` even if it is not listed yet (it is added to the list).
    void goToStream(const QByteArray &name);
    StreamMetadataPanel *metadataPanel() const { return m_metaPanel; }
    /// The categories and event types, as listed for the mode switch.
    const StreamListModel &linkStreams() const { return m_catalog; }
    void setScanState(ScanState state);
    void setScannedEvents(quint64 scanned);

    QString filterText() const;
    /// Sets the filter text; the list follows after the debounce delay, like typing.
    void setFilterText(const QString &text);
    int filterDelayMs() const;

    QByteArray currentStream() const { return m_current; }
    /// What the list shows: the pinned `$all` row, then the filtered streams.
    QAbstractItemModel *listModel() const;
    /// Selects `name` now if it is listed, else as soon as it is (a later call replaces the wish).
    void selectStream(const QByteArray &name);
    void focusFilter();

Q_SIGNALS:
    void currentStreamChanged(const QByteArray &name);
    void cancelRequested();
    /// The filter controls ask for a different listing (prefix/regex text, system streams).
    void queryChanged(const chronoscope::StreamListQuery &query);

private:
    void buildControls();
    void applyFilter();
    void promptGoToStream();
    void onInfoFetched(const StreamInfo &info);
    StreamFilterProxy *activeProxy() const;
    void onCurrentChanged(const QModelIndex &current);
    void trySelectPending();
    void updateStatus();
    void updatePinned();
    /// The list's index showing `name`, invalid when it is not listed or filtered out.
    QModelIndex listIndexOf(const QByteArray &name) const;
    bool isListed(const QByteArray &name) const;

    StreamListModel *m_model = nullptr;
    StreamListModel m_catalog;
    StreamListLoader m_catalogLoader;
    StreamInfoFetcher m_fetcher;
    StreamFilterProxy *m_proxy;
    StreamFilterProxy *m_catalogProxy;
    QStandardItemModel *m_pinned;
    QConcatenateTablesProxyModel *m_rows;
    QComboBox *m_modeBox;
    QLineEdit *m_filter;
    QComboBox *m_matchBox;
    QComboBox *m_orderBox;
    QToolButton *m_system;
    StreamMetadataPanel *m_metaPanel;
    QAction *m_goTo;
    QTimer *m_debounce;
    QListView *m_list;
    QLabel *m_status;
    QPushButton *m_cancel;
    ScanState m_state = ScanState::Idle;
    Mode m_mode = Mode::Streams;
    StreamListLoader::Source m_source = StreamListLoader::Source::None;
    StreamListQuery m_query; ///< the last one emitted
    quint64 m_scanned = 0;
    QByteArray m_current;
    QByteArray m_pending;
    bool m_filtering = false; ///< rows come and go under a filter change: the current row is not a choice
};

} // namespace chronoscope::views
