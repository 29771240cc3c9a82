#pragma once

#include "correct/AuditLog.h"
#include "correct/AuditReader.h"

#include <QFutureWatcher>
#include <QWidget>

#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;

namespace chronoscope::views {

class AuditModel;

/// The audit view (F9): who appended what, where, why and with which outcome, filtered by stream,
/// user and result; the selected attempt's whole record; open the appended event; export what is
/// shown; and "Verify" the log's hash chain. Reading and verifying run off the GUI thread.
class AuditView : public QWidget
{
    Q_OBJECT
public:
    /// `log` is not owned and must outlive the view.
    explicit AuditView(const AuditLog *log, QWidget *parent = nullptr);
    ~AuditView() override;

    AuditModel *model() const { return m_model; }
    QTableView *table() const { return m_table; }
    /// The last verification's words ("Whole: 12 records", "line 5: edited — …"); empty before one.
    QString verificationText() const;

public Q_SLOTS:
    /// Reads the log again (after an append, say).
    void reload();
    /// Checks the hash chain; the answer shows beside the button and comes as verified().
    void verify();
    /// Writes the shown records to `path`: ".csv" as CSV, anything else as JSON Lines. Returns an
    /// error message, empty on success.
    QString exportTo(const QString &path);

Q_SIGNALS:
    void loaded();
    void verified(const chronoscope::AuditVerification &result);
    /// Open `stream` at the appended event's revision.
    void openEventRequested(const QByteArray &stream, qint64 revision);

private:
    void applyFilter();
    void showDetails();
    void openSelected();
    void chooseExport();

    const AuditLog *m_log;
    std::shared_ptr<AuditReader> m_reader;
    AuditModel *m_model;
    QLineEdit *m_stream;
    QLineEdit *m_user;
    QComboBox *m_result;
    QTableView *m_table;
    QPlainTextEdit *m_details;
    QPushButton *m_verifyButton;
    QLabel *m_verification;
    QLabel *m_summary;
    QFutureWatcher<std::shared_ptr<AuditReader>> m_loading;
    QFutureWatcher<AuditVerification> m_verifying;
    bool m_reloadAgain = false;
};

} // namespace chronoscope::views
