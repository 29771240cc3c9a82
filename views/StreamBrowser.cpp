#include "StreamBrowser.h"

#include "StreamListModel.h"

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
} // namespace

StreamBrowser::StreamBrowser(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_filter(new QLineEdit(this))
    , m_debounce(new QTimer(this))
    , m_list(new QListView(this))
    , m_status(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);

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
    m_list->setModel(m_proxy);
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

void StreamBrowser::setScanState(ScanState state)
{
    m_state = state;
    if (state == ScanState::Scanning)
        m_scanned = 0;
    m_cancel->setVisible(state == ScanState::Scanning);
    updateStatus();
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
    m_proxy->setFilterFixedString(m_filter->text());
    updateStatus();
}

void StreamBrowser::onCurrentChanged(const QModelIndex &current)
{
    // A filter that hides the current row moves the current index; only a real change is news.
    const QByteArray name = current.data(StreamListModel::NameRole).toByteArray();
    if (name.isEmpty() || name == m_current)
        return;
    m_current = name;
    Q_EMIT currentStreamChanged(name);
}

void StreamBrowser::trySelectPending()
{
    if (m_pending.isEmpty() || !m_model)
        return;
    const int row = m_model->rowOf(m_pending);
    if (row < 0)
        return;
    QModelIndex index = m_proxy->mapFromSource(m_model->index(row));
    if (!index.isValid()) { // hidden by the filter: going to a stream beats the filter
        m_filter->clear();
        applyFilter();
        index = m_proxy->mapFromSource(m_model->index(row));
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
