#pragma once

#include <QDialog>

class QListView;
class QPlainTextEdit;

namespace chronoscope {
class NotificationLog;
}

namespace chronoscope::views {

/// Every notice of the session (NotificationLog), newest last, with the details of the selected
/// one. Non-modal: it stays open beside the window and follows new notices.
class NotificationsDialog : public QDialog
{
    Q_OBJECT
public:
    explicit NotificationsDialog(NotificationLog *log, QWidget *parent = nullptr);

    QListView *list() const { return m_list; }
    QPlainTextEdit *detailsView() const { return m_details; }

protected:
    void showEvent(QShowEvent *event) override;

private:
    void showDetails();

    NotificationLog *m_log;
    QListView *m_list;
    QPlainTextEdit *m_details;
};

} // namespace chronoscope::views
