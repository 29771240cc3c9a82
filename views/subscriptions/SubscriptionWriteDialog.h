#pragma once

#include "correct/SubscriptionWrite.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QDialogButtonBox;
class QFormLayout;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace chronoscope {
class WriteGuard;
}

namespace chronoscope::views {

/// The confirmation of a change to a persistent subscription group (issue 18): create or update
/// (with the settings form), delete, or replay parked messages (all, or up to a count). It says
/// what will be sent, that it is recorded in the audit log with the write-mode reason, and, for a
/// production profile, asks for the profile's name to be typed.
class SubscriptionWriteDialog : public QDialog
{
    Q_OBJECT
public:
    /// `parkedCount`: the group's parked messages as last listed (ReplayParked).
    SubscriptionWriteDialog(const SubscriptionOperation &operation, qint64 parkedCount, const WriteGuard &guard,
                            QWidget *parent = nullptr);

    /// The operation with what the form holds.
    SubscriptionOperation operation() const;
    QString typedProfileName() const;

    QPushButton *confirmButton() const { return m_confirm; }
    QRadioButton *replayAllButton() const { return m_all; }
    QRadioButton *replayCountButton() const { return m_some; }
    QSpinBox *replayCountBox() const { return m_count; }
    QLineEdit *streamEdit() const { return m_stream; }
    QLineEdit *groupEdit() const { return m_group; }
    QComboBox *strategyBox() const { return m_strategy; }
    QSpinBox *maxRetryBox() const { return m_maxRetry; }

private:
    void buildSettings(QFormLayout *form, const SubscriptionOperation &operation);
    void buildReplay(QFormLayout *form, qint64 parkedCount);
    void validate();
    QSpinBox *spin(int value, int max, const QString &suffix = {});

    SubscriptionOperation m_operation;
    QLabel *m_problem;
    QPushButton *m_confirm = nullptr;
    QLineEdit *m_profileName = nullptr;
    QString m_expectedProfile;
    QRadioButton *m_all = nullptr;
    QRadioButton *m_some = nullptr;
    QSpinBox *m_count = nullptr;
    QLineEdit *m_stream = nullptr;
    QLineEdit *m_group = nullptr;
    QLineEdit *m_startFrom = nullptr;
    QComboBox *m_strategy = nullptr;
    QCheckBox *m_resolveLinks = nullptr;
    QSpinBox *m_maxRetry = nullptr;
    QSpinBox *m_timeout = nullptr;
    QSpinBox *m_maxSubscribers = nullptr;
    QSpinBox *m_checkpointAfter = nullptr;
    QSpinBox *m_minCheckpoint = nullptr;
    QSpinBox *m_maxCheckpoint = nullptr;
    QSpinBox *m_readBatch = nullptr;
    QSpinBox *m_liveBuffer = nullptr;
    QSpinBox *m_historyBuffer = nullptr;
};

} // namespace chronoscope::views
