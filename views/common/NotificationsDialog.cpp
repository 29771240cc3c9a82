#include "common/NotificationsDialog.h"

#include "base/NotificationLog.h"

#include <QClipboard>
#include <QDialogButtonBox>
#include <QGuiApplication>
#include <QListView>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

namespace chronoscope::views {

NotificationsDialog::NotificationsDialog(NotificationLog *log, QWidget *parent)
    : QDialog(parent)
    , m_log(log)
    , m_list(new QListView(this))
    , m_details(new QPlainTextEdit(this))
{
    setObjectName(QStringLiteral("notificationsDialog"));
    setWindowTitle(tr("Notices"));
    setModal(false);
    resize(640, 420);
    m_list->setObjectName(QStringLiteral("noticeList"));
    m_list->setModel(log);
    m_list->setUniformItemSizes(true);
    m_list->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_details->setObjectName(QStringLiteral("noticeDetails"));
    m_details->setReadOnly(true);
    m_details->setPlaceholderText(tr("Select a notice to see its details"));

    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(m_details);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 1);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    QPushButton *copy = buttons->addButton(tr("Copy"), QDialogButtonBox::ActionRole);
    copy->setObjectName(QStringLiteral("copyNoticeButton"));
    QPushButton *clear = buttons->addButton(tr("Clear"), QDialogButtonBox::ResetRole);
    clear->setObjectName(QStringLiteral("clearNoticesButton"));
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(copy, &QPushButton::clicked, this, [this] { QGuiApplication::clipboard()->setText(m_details->toPlainText()); });
    connect(clear, &QPushButton::clicked, log, &NotificationLog::clear);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);

    connect(m_list->selectionModel(), &QItemSelectionModel::currentChanged, this, &NotificationsDialog::showDetails);
    connect(log, &QAbstractItemModel::dataChanged, this, &NotificationsDialog::showDetails);
    connect(log, &QAbstractItemModel::modelReset, this, &NotificationsDialog::showDetails);
    // Open means seen: notices that arrive while the list is up are seen too.
    connect(log, &NotificationLog::unseenChanged, this, [this](int unseen) {
        if (unseen > 0 && isVisible())
            m_log->markSeen();
    });
}

void NotificationsDialog::showEvent(QShowEvent *event)
{
    QDialog::showEvent(event);
    m_log->markSeen();
    if (!m_list->currentIndex().isValid() && m_log->count() > 0)
        m_list->setCurrentIndex(m_log->index(m_log->count() - 1));
}

void NotificationsDialog::showDetails()
{
    const QModelIndex i = m_list->currentIndex();
    if (!i.isValid()) {
        m_details->clear();
        return;
    }
    const NotificationLog::Entry &e = m_log->entry(i.row());
    const QLocale locale;
    QString text = e.message;
    if (!e.details.isEmpty())
        text += QLatin1String("\n\n") + e.details;
    text += QLatin1String("\n\n")
        + (e.count > 1 ? tr("%1 times, first at %2 UTC, last at %3 UTC")
                             .arg(e.count)
                             .arg(e.first.toString(Qt::ISODate), e.last.toString(Qt::ISODate))
                       : tr("At %1 UTC").arg(e.first.toString(Qt::ISODate)));
    m_details->setPlainText(text);
}

} // namespace chronoscope::views
