#include "StreamBrowser.h"

#include "StreamListModel.h"
#include "TimelineSession.h"

#include <QConcatenateTablesProxyModel>
#include <QStandardItemModel>

#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QSortFilterProxyModel>
#include <QTimer>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
constexpr int kFilterDelayMs = 300;

QString streamCount(qsizetype n)
{
    return n == 1 ? StreamBrowser::tr("1 stream") : StreamBrowser::tr("%1 streams").arg(QLocale().toString(n));
}

QString allEventsText()
{
    return StreamBrowser::tr("$all (all events)");
}

QStandardItem *allEventsItem()
{
    auto *item = new QStandardItem(allEventsText());
    item->setData(TimelineSession::allStream(), StreamListModel::NameRole);
    item->setData(false, StreamListModel::IsSystemRole);
    item->setToolTip(StreamBrowser::tr("Every event of the server in commit order, system events hidden"));
    item->setEditable(false);
    QFont font = item->font();
    font.setItalic(true);
    item->setFont(font);
    return item;
}
} // namespace

StreamBrowser::StreamBrowser(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_pinned(new QStandardItemModel(0, 1, this))
    , m_rows(new QConcatenateTablesProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_debounce(new QTimer(this))
    , m_list(new QListView(this))
    , m_status(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_rows->addSourceModel(m_pinned);
    m_rows->addSourceModel(m_proxy);

    m_filter->setObjectName(QStringLiteral("streamFilter"));
    m_filter->setPlaceholderText(tr("Filter streams…"));
    m_filter->setClearButtonEnabled(true);
    m_debounce->setSingleShot(true);
    m_debounce->setInterval(kFilterDelayMs);
    connect(m_filter, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, &StreamBrowser::applyFilter);
    connect(m_filter, &QLineEdit::returnPressed, this, [this]() {
        m_debounce->stop();
        applyFilter();
        m_list->setFocus();
    });

    m_list->setObjectName(QStringLiteral("streamList"));
    m_list->setModel(m_rows);
    m_list->setUniformItemSizes(true); // constant-time layout for lists of a million names
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });

    m_status->setObjectName(QStringLiteral("streamStatus"));
    m_cancel->setObjectName(QStringLiteral("streamScanCancel"));
    m_cancel->setToolTip(tr("Stop scanning $all; the streams found so far stay listed"));
    m_cancel->setVisible(false);
    connect(m_cancel, &QPushButton::clicked, this, &StreamBrowser::cancelRequested);

    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_filter);
    layout->addWidget(m_list, 1);
    layout->addLayout(statusRow);

    for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
        connect(m_proxy, signal, this, &StreamBrowser::updateStatus);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &StreamBrowser::updateStatus);
    updateStatus();
}

void StreamBrowser::setModel(StreamListModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_proxy->setSourceModel(model);
    if (model) {
        // Rows the filter hides still change the total.
        connect(model, &QAbstractItemModel::rowsInserted, this, &StreamBrowser::updateStatus);
        connect(model, &QAbstractItemModel::rowsInserted, this, &StreamBrowser::trySelectPending);
    }
    updateStatus();
}

QAbstractItemModel *StreamBrowser::listModel() const
{
    return m_rows;
}

void StreamBrowser::setScanState(ScanState state)
{
    m_state = state;
    if (state == ScanState::Scanning)
        m_scanned = 0;
    m_cancel->setVisible(state == ScanState::Scanning);
    updatePinned();
    updateStatus();
    trySelectPending();
}

void StreamBrowser::setScannedEvents(quint64 scanned)
{
    m_scanned = scanned;
    m_status->setToolTip(tr("%1 events of $all scanned").arg(QLocale().toString(scanned)));
}

QString StreamBrowser::filterText() const
{
    return m_filter->text();
}

void StreamBrowser::setFilterText(const QString &text)
{
    m_filter->setText(text);
}

int StreamBrowser::filterDelayMs() const
{
    return m_debounce->interval();
}

void StreamBrowser::selectStream(const QByteArray &name)
{
    m_pending = name;
    trySelectPending();
}

void StreamBrowser::focusFilter()
{
    m_filter->setFocus();
    m_filter->selectAll();
}

void StreamBrowser::applyFilter()
{
    // A filter that hides the current row moves the current index to a neighbour: that is not the
    // user choosing it. Afterwards the current row is the loaded stream's again, or none.
    m_filtering = true;
    m_proxy->setFilterFixedString(m_filter->text());
    updatePinned();
    m_filtering = false;
    const QModelIndex current = listIndexOf(m_current);
    if (current.isValid())
        m_list->selectionModel()->setCurrentIndex(current, QItemSelectionModel::ClearAndSelect);
    else
        m_list->selectionModel()->clear();
    updateStatus();
}

void StreamBrowser::updatePinned()
{
    const bool wanted = m_state != ScanState::Idle && allEventsText().contains(m_filter->text(), Qt::CaseInsensitive);
    if (wanted && m_pinned->rowCount() == 0)
        m_pinned->appendRow(allEventsItem());
    else if (!wanted && m_pinned->rowCount() > 0)
        m_pinned->removeRow(0);
}

bool StreamBrowser::isListed(const QByteArray &name) const
{
    if (name == TimelineSession::allStream())
        return m_state != ScanState::Idle;
    return m_model && m_model->rowOf(name) >= 0;
}

QModelIndex StreamBrowser::listIndexOf(const QByteArray &name) const
{
    if (name.isEmpty())
        return {};
    if (name == TimelineSession::allStream())
        return m_pinned->rowCount() > 0 ? m_rows->mapFromSource(m_pinned->index(0, 0)) : QModelIndex();
    const int row = m_model ? m_model->rowOf(name) : -1;
    if (row < 0)
        return {};
    return m_rows->mapFromSource(m_proxy->mapFromSource(m_model->index(row)));
}

void StreamBrowser::onCurrentChanged(const QModelIndex &current)
{
    if (m_filtering)
        return;
    const QByteArray name = current.data(StreamListModel::NameRole).toByteArray();
    if (name.isEmpty() || name == m_current)
        return;
    m_current = name;
    Q_EMIT currentStreamChanged(name);
}

void StreamBrowser::trySelectPending()
{
    if (m_pending.isEmpty() || !isListed(m_pending))
        return;
    QModelIndex index = listIndexOf(m_pending);
    if (!index.isValid()) { // hidden by the filter: going to a stream beats the filter
        m_filter->clear();
        applyFilter();
        index = listIndexOf(m_pending);
    }
    m_pending.clear();
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void StreamBrowser::updateStatus()
{
    const qsizetype total = m_model ? m_model->rowCount() : 0;
    const qsizetype shown = m_proxy->rowCount();
    QString text = shown == total ? streamCount(total) : tr("%1 of %2").arg(QLocale().toString(shown), streamCount(total));
    switch (m_state) {
    case ScanState::Scanning:
        text += tr(" (scanning…)");
        break;
    case ScanState::Cancelled:
        text += tr(" (scan cancelled)");
        break;
    case ScanState::Failed:
        text += tr(" (scan failed)");
        break;
    case ScanState::Idle:
    case ScanState::Complete:
        break;
    }
    m_status->setText(text);
}

} // namespace chronoscope::views
