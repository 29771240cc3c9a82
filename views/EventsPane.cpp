#include "EventsPane.h"

#include "EventListModel.h"
#include "UtcTimeDelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QTableView>
#include <QVBoxLayout>

namespace chronoscope::views {

EventsPane::EventsPane(QWidget *parent)
    : QWidget(parent)
    , m_proxy(new QSortFilterProxyModel(this))
    , m_title(new QLabel(this))
    , m_table(new QTableView(this))
{
    m_proxy->setSortRole(EventListModel::SortRole);

    m_title->setObjectName(QStringLiteral("eventsTitle"));
    m_title->setTextFormat(Qt::PlainText);
    m_title->setWordWrap(true);
    QFont titleFont = m_title->font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);

    m_table->setObjectName(QStringLiteral("eventTable"));
    m_table->setModel(m_proxy);
    m_table->setItemDelegateForColumn(EventListModel::CreatedColumn, new UtcTimeDelegate(m_table));
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->setWordWrap(false);
    m_table->verticalHeader()->setVisible(false);
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 6);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(EventListModel::RevisionColumn, Qt::DescendingOrder);

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_title);
    layout->addWidget(m_table, 1);
    updateTitle();
}

void EventsPane::setModel(EventListModel *model)
{
    if (m_model)
        disconnect(m_model, nullptr, this, nullptr);
    m_model = model;
    m_proxy->setSourceModel(model);
    if (model) {
        connect(model, &EventListModel::loadingChanged, this, &EventsPane::updateTitle);
        connect(model, &EventListModel::loaded, this, &EventsPane::onLoaded);
        connect(model, &QAbstractItemModel::modelReset, this, [this]() {
            m_error.clear();
            updateTitle();
        });
    }
    updateTitle();
}

void EventsPane::onLoaded(const ClientError &error)
{
    m_error = error ? error.toString() : QString();
    m_table->resizeColumnsToContents();
    updateTitle();
}

void EventsPane::updateTitle()
{
    if (!m_model || m_model->stream().isEmpty()) {
        m_title->setText(tr("Select a stream to see its latest events"));
        return;
    }
    const QString stream = QString::fromUtf8(m_model->stream());
    if (m_model->isLoading())
        m_title->setText(tr("%1 — loading…").arg(stream));
    else if (!m_error.isEmpty())
        m_title->setText(tr("%1 — %2").arg(stream, m_error));
    else
        m_title->setText(m_model->rowCount() == 1 ? tr("%1 — its only event").arg(stream)
                                                  : tr("%1 — last %2 events").arg(stream).arg(m_model->rowCount()));
}

} // namespace chronoscope::views
