#include "streams/StreamBrowser.h"

#include "session/TimelineSession.h"
#include "streams/GoToStreamDialog.h"
#include "streams/StreamFilterProxy.h"
#include "streams/StreamListStatus.h"
#include "streams/StreamMetadataPanel.h"

#include <QConcatenateTablesProxyModel>
#include <QStandardItemModel>

#include <QAction>
#include <QToolButton>
#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QListView>
#include <QLocale>
#include <QPushButton>
#include <QTimer>
#include <QVBoxLayout>

namespace chronoscope::views {

namespace {
constexpr int kFilterDelayMs = 300;

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
    , m_proxy(new StreamFilterProxy(this))
    , m_catalogProxy(new StreamFilterProxy(this))
    , m_pinned(new QStandardItemModel(0, 1, this))
    , m_rows(new QConcatenateTablesProxyModel(this))
    , m_modeBox(new QComboBox(this))
    , m_filter(new QLineEdit(this))
    , m_matchBox(new QComboBox(this))
    , m_orderBox(new QComboBox(this))
    , m_system(new QToolButton(this))
    , m_metaPanel(new StreamMetadataPanel(this))
    , m_goTo(new QAction(tr("&Go to Stream…"), this))
    , m_debounce(new QTimer(this))
    , m_list(new QListView(this))
    , m_status(new QLabel(this))
    , m_cancel(new QPushButton(tr("Cancel"), this))
{
    m_rows->addSourceModel(m_pinned);
    m_rows->addSourceModel(m_proxy);
    m_catalogProxy->setSourceModel(&m_catalog);
    // The categories and event types are `$`-streams: the catalog lists system streams.
    StreamListQuery links;
    links.match = StreamListQuery::Match::Regex;
    links.text = QStringLiteral("^\\$(ce|et)-");
    links.includeSystem = true;
    links.useStreamsProjection = false;
    m_catalogLoader.setQuery(links);
    connect(&m_catalogLoader, &StreamListLoader::streamsFound, &m_catalog, &StreamListModel::appendBatch);
    connect(&m_catalog, &QAbstractItemModel::rowsInserted, this, &StreamBrowser::trySelectPending);
    connect(&m_catalogLoader, &StreamListLoader::sightingsUpdated, &m_catalog, &StreamListModel::updateSightings);
    connect(&m_catalogLoader, &StreamListLoader::finished, this, &StreamBrowser::updateStatus);
    connect(&m_fetcher, &StreamInfoFetcher::fetched, this, &StreamBrowser::onInfoFetched);
    buildControls();

    auto *filterRow = new QHBoxLayout;
    filterRow->setContentsMargins(0, 0, 0, 0);
    filterRow->addWidget(m_filter, 1);
    filterRow->addWidget(m_matchBox);
    filterRow->addWidget(m_system);
    auto *viewRow = new QHBoxLayout;
    viewRow->setContentsMargins(0, 0, 0, 0);
    viewRow->addWidget(m_modeBox, 1);
    viewRow->addWidget(m_orderBox, 1);
    auto *statusRow = new QHBoxLayout;
    statusRow->setContentsMargins(0, 0, 0, 0);
    statusRow->addWidget(m_status, 1);
    statusRow->addWidget(m_cancel);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addLayout(viewRow);
    layout->addLayout(filterRow);
    layout->addWidget(m_list, 1);
    layout->addWidget(m_metaPanel);
    layout->addLayout(statusRow);

    for (auto *proxy : {m_proxy, m_catalogProxy}) {
        for (auto signal : {&QAbstractItemModel::rowsInserted, &QAbstractItemModel::rowsRemoved})
            connect(proxy, signal, this, &StreamBrowser::updateStatus);
        connect(proxy, &QAbstractItemModel::modelReset, this, &StreamBrowser::updateStatus);
    }
    applyFilter();
}

StreamBrowser::~StreamBrowser()
{
    // The stream model may be gone already (its owner's members go before its child widgets).
    m_proxy->disconnect(this);
    m_catalogProxy->disconnect(this);
    m_catalogProxy->setSourceModel(nullptr); // the model is a member: it goes before the children
}

QWidget *StreamBrowser::listWidget() const
{
    return m_list;
}

void StreamBrowser::buildControls()
{
    m_modeBox->setObjectName(QStringLiteral("streamMode"));
    m_modeBox->addItems({tr("Streams"), tr("Categories"), tr("Event types")});
    m_modeBox->setToolTip(tr("List streams, categories ($ce- streams) or event types ($et- streams)"));
    connect(m_modeBox, &QComboBox::currentIndexChanged, this, [this](int i) { setMode(Mode(i)); });

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
    m_matchBox->setObjectName(QStringLiteral("streamMatch"));
    m_matchBox->addItems({tr("Contains"), tr("Prefix"), tr("Regex")});
    m_matchBox->setToolTip(tr("Prefix and regex filters are applied by the server while scanning $all"));
    connect(m_matchBox, &QComboBox::currentIndexChanged, this, &StreamBrowser::applyFilter);
    m_system->setObjectName(QStringLiteral("showSystemStreams"));
    m_system->setCheckable(true); // a "$" toggle: a labelled checkbox would widen the narrow dock
    m_system->setText(QStringLiteral("$"));
    m_system->setToolTip(tr("Show system streams (names starting with $)"));
    connect(m_system, &QToolButton::toggled, this, &StreamBrowser::applyFilter);

    m_orderBox->setObjectName(QStringLiteral("streamOrder"));
    m_orderBox->addItems({tr("Changed"), tr("Created"), tr("Name")});
    m_orderBox->setToolTip(tr("Order: most recently changed first, most recently created first, or by name"));
    // The dock is narrow: the combos may shrink to a few letters rather than widen it.
    for (QComboBox *box : {m_modeBox, m_matchBox, m_orderBox}) {
        box->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
        box->setMinimumContentsLength(2);
    }
    connect(m_orderBox, &QComboBox::currentIndexChanged, this, [this](int i) {
        m_proxy->setOrder(StreamFilterProxy::Order(i));
        m_catalogProxy->setOrder(StreamFilterProxy::Order(i));
    });

    m_goTo->setObjectName(QStringLiteral("goToStreamAction"));
    m_goTo->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    m_goTo->setShortcutContext(Qt::WindowShortcut);
    addAction(m_goTo); // window-wide wherever the browser is docked; menus add it too
    connect(m_goTo, &QAction::triggered, this, &StreamBrowser::promptGoToStream);

    m_list->setObjectName(QStringLiteral("streamList"));
    m_list->setModel(m_rows);
    m_list->setUniformItemSizes(true); // constant-time layout for lists of a million names
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current) { onCurrentChanged(current); });

    m_metaPanel->setObjectName(QStringLiteral("streamMetadataPanel"));
    m_status->setObjectName(QStringLiteral("streamStatus"));
    m_status->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred); // elided by the dock, not widening it
    m_cancel->setObjectName(QStringLiteral("streamScanCancel"));
    m_cancel->setToolTip(tr("Stop scanning $all; the streams found so far stay listed"));
    m_cancel->setVisible(false);
    connect(m_cancel, &QPushButton::clicked, this, &StreamBrowser::cancelRequested);
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

void StreamBrowser::setClient(std::shared_ptr<const StreamsClient> client)
{
    m_fetcher.setClient(client);
    m_metaPanel->clear();
    m_catalog.clear();
    m_catalogLoader.cancel();
    if (client)
        m_catalogLoader.start(std::move(client));
}

void StreamBrowser::setSource(StreamListLoader::Source source)
{
    m_source = source;
    updateStatus();
}

void StreamBrowser::setMode(Mode mode)
{
    if (m_modeBox->currentIndex() != int(mode))
        m_modeBox->setCurrentIndex(int(mode)); // comes back here
    if (mode == m_mode)
        return;
    m_filtering = true; // swapping the rows is not the user choosing one
    m_rows->removeSourceModel(activeProxy());
    m_mode = mode;
    if (mode != Mode::Streams)
        m_catalogProxy->setRequiredPrefix(mode == Mode::Categories ? QByteArrayLiteral("$ce-") : QByteArrayLiteral("$et-"));
    m_rows->addSourceModel(activeProxy());
    m_filtering = false;
    m_filter->setPlaceholderText(mode == Mode::Streams ? tr("Filter streams…")
                                 : mode == Mode::Categories ? tr("Filter categories…") : tr("Filter event types…"));
    applyFilter();
}

StreamFilterProxy *StreamBrowser::activeProxy() const
{
    return m_mode == Mode::Streams ? m_proxy : m_catalogProxy;
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
    m_status->setToolTip(tr("%1 events read to list the streams").arg(QLocale().toString(scanned)));
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

StreamListQuery StreamBrowser::query() const
{
    StreamListQuery q;
    q.match = StreamListQuery::Match(m_matchBox->currentIndex());
    if (q.match != StreamListQuery::Match::Contains)
        q.text = m_filter->text();
    q.includeSystem = m_system->isChecked();
    return q;
}

void StreamBrowser::applyFilter()
{
    StreamListQuery q = query();
    q.text = m_filter->text();
    // A filter that hides the current row moves the current index to a neighbour: that is not the
    // user choosing it. Afterwards the current row is the loaded stream's again, or none.
    m_filtering = true;
    activeProxy()->setQuery(q);
    updatePinned();
    m_filtering = false;
    const QModelIndex current = listIndexOf(m_current);
    if (current.isValid())
        m_list->selectionModel()->setCurrentIndex(current, QItemSelectionModel::ClearAndSelect);
    else
        m_list->selectionModel()->clear();
    updateStatus();
    // Only the streams are listed by the server's filter; categories are filtered here.
    if (m_mode == Mode::Streams && query() != m_query && query().isValid()) {
        m_query = query();
        Q_EMIT queryChanged(m_query);
    }
}

void StreamBrowser::updatePinned()
{
    const bool wanted = m_mode == Mode::Streams && m_state != ScanState::Idle
        && (m_filter->text().isEmpty() || (m_matchBox->currentIndex() == int(StreamListQuery::Match::Contains)
                                           && allEventsText().contains(m_filter->text(), Qt::CaseInsensitive)));
    if (wanted && m_pinned->rowCount() == 0)
        m_pinned->appendRow(allEventsItem());
    else if (!wanted && m_pinned->rowCount() > 0)
        m_pinned->removeRow(0);
}

bool StreamBrowser::isListed(const QByteArray &name) const
{
    if (name == TimelineSession::allStream())
        return m_state != ScanState::Idle;
    return (m_model && m_model->rowOf(name) >= 0) || m_catalog.rowOf(name) >= 0;
}

QModelIndex StreamBrowser::listIndexOf(const QByteArray &name) const
{
    if (name.isEmpty())
        return {};
    if (name == TimelineSession::allStream())
        return m_pinned->rowCount() > 0 ? m_rows->mapFromSource(m_pinned->index(0, 0)) : QModelIndex();
    const StreamListModel *model = m_mode == Mode::Streams ? m_model : &m_catalog;
    const int row = model ? model->rowOf(name) : -1;
    if (row < 0)
        return {};
    return m_rows->mapFromSource(activeProxy()->mapFromSource(model->index(row)));
}

void StreamBrowser::onCurrentChanged(const QModelIndex &current)
{
    if (m_filtering)
        return;
    const QByteArray name = current.data(StreamListModel::NameRole).toByteArray();
    if (name.isEmpty() || name == m_current)
        return;
    m_current = name;
    if (name == TimelineSession::allStream()) {
        m_metaPanel->clear();
    } else {
        m_metaPanel->showLoading(name);
        m_fetcher.fetch(name);
    }
    Q_EMIT currentStreamChanged(name);
}

void StreamBrowser::onInfoFetched(const StreamInfo &info)
{
    if (info.stream != m_current)
        return;
    m_metaPanel->showInfo(info);
    if (m_model) // a closer look than the listing's
        m_model->setDeletion(info.stream, info.deletion);
}

void StreamBrowser::trySelectPending()
{
    if (m_pending.isEmpty() || !isListed(m_pending))
        return;
    // A category or event type (`$ce-…`, `$et-…`) is selected in its own list.
    const bool inStreams = m_pending == TimelineSession::allStream() || (m_model && m_model->rowOf(m_pending) >= 0);
    setMode(inStreams ? Mode::Streams : m_pending.startsWith("$et-") ? Mode::EventTypes : Mode::Categories);
    QModelIndex index = listIndexOf(m_pending);
    if (!index.isValid()) { // hidden by the filter: going to a stream beats the filter
        if (m_pending.startsWith('$'))
            m_system->setChecked(true);
        m_filter->clear();
        applyFilter();
        // Showing system streams lists the streams again from scratch: the row goes back in at once.
        if (m_model && m_mode == Mode::Streams && !isListed(m_pending))
            m_model->appendBatch({m_pending});
        index = listIndexOf(m_pending);
    }
    m_pending.clear();
    m_list->setCurrentIndex(index);
    m_list->scrollTo(index, QAbstractItemView::PositionAtCenter);
}

void StreamBrowser::goToStream(const QByteArray &name)
{
    if (name.isEmpty())
        return;
    if (m_model && !isListed(name))
        m_model->appendBatch({name}); // maybe not written yet, or not reached by the scan
    selectStream(name);
}

void StreamBrowser::promptGoToStream()
{
    const QByteArray initial = m_current == TimelineSession::allStream() ? QByteArray() : m_current;
    auto *dialog = new GoToStreamDialog(QString::fromUtf8(initial), m_model, this);
    connect(dialog, &GoToStreamDialog::streamChosen, this, &StreamBrowser::goToStream);
    dialog->open();
}

void StreamBrowser::updateStatus()
{
    StreamListStatus status;
    status.mode = m_mode;
    status.shown = activeProxy()->rowCount();
    // A category or event type is a slice of the catalog: its total is the rows of its kind.
    status.total = m_mode == Mode::Streams ? (m_model ? m_model->rowCount() : 0) : status.shown;
    status.source = m_source;
    status.state = m_state;
    status.catalogRunning = m_catalogLoader.isRunning();
    status.filtered = !m_filter->text().isEmpty();
    status.invalidRegex = !query().isValid();
    m_status->setText(status.text());
}

} // namespace chronoscope::views
