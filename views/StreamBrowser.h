#pragma once

#include <QByteArray>
#include <QWidget>

class QLabel;
class QLineEdit;
class QListView;
class QModelIndex;
class QPushButton;
class QAbstractItemModel;
class QConcatenateTablesProxyModel;
class QSortFilterProxyModel;
class QStandardItemModel;
class QTimer;

namespace chronoscope {
class StreamListModel;
}

namespace chronoscope::views {

/// The stream list: a filter field (debounced), the list, and a status line with the count and,
/// while a scan runs, a Cancel button. It shows a StreamListModel; who fills it is not its business.
///
/// Once a server is being listed (any scan state but Idle), a pinned first row "$all (all events)"
/// offers `$all` (TimelineSession::allStream()): selecting it emits currentStreamChanged("$all").
/// The filter hides it like any row whose text does not match; it is not counted as a stream.
class StreamBrowser : public QWidget
{
    Q_OBJECT
public:
    enum class ScanState { Idle, Scanning, Complete, Cancelled, Failed };

    explicit StreamBrowser(QWidget *parent = nullptr);

    void setModel(StreamListModel *model);
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

private:
    void applyFilter();
    void onCurrentChanged(const QModelIndex &current);
    void trySelectPending();
    void updateStatus();
    void updatePinned();
    /// The list's index showing `name`, invalid when it is not listed or filtered out.
    QModelIndex listIndexOf(const QByteArray &name) const;
    bool isListed(const QByteArray &name) const;

    StreamListModel *m_model = nullptr;
    QSortFilterProxyModel *m_proxy;
    QStandardItemModel *m_pinned;
    QConcatenateTablesProxyModel *m_rows;
    QLineEdit *m_filter;
    QTimer *m_debounce;
    QListView *m_list;
    QLabel *m_status;
    QPushButton *m_cancel;
    ScanState m_state = ScanState::Idle;
    quint64 m_scanned = 0;
    QByteArray m_current;
    QByteArray m_pending;
    bool m_filtering = false; ///< rows come and go under a filter change: the current row is not a choice
};

} // namespace chronoscope::views
