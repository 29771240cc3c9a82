#pragma once

#include "correct/Corrector.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace chronoscope {

/// What became of an append, in plain words (F9): Appended (revision, position), Already appended,
/// a Conflict with the events that came in between, each error kind with its own message. After an
/// uncertain outcome (no answer) it offers "Check whether it landed" and only after that, when the
/// check says it did not, "Retry". Events the user has not seen (a conflict, or a stream that moved
/// on since it was inspected) are listed, with "Re-pin" to move the draft past them.
class AppendOutcomeView : public QWidget
{
    Q_OBJECT
public:
    explicit AppendOutcomeView(QWidget *parent = nullptr);

    void clear();
    /// The outcome of an append, or of a read-back after an uncertain one (`readBack`).
    void showOutcome(const AppendOutcome &outcome, bool readBack);
    /// The stream moved on past the draft's pin: these events came after `pinned`; the head is `head`.
    void showUnseen(const QList<RecordedEvent> &events, const ExpectedState &pinned, quint64 head, bool conflict);
    /// The draft was re-pinned: the list stays for reference, the buttons go.
    void markRepinned(quint64 head);
    /// Writing (an append or a check is running): the buttons wait.
    void setBusy(bool busy);

    /// The sentence for an outcome, by kind.
    static QString explain(const AppendOutcome &outcome);
    /// "#42  PaymentRefunded  2026-08-30 10:01:02 UTC  <id>".
    static QString eventLine(const RecordedEvent &event);

    QLabel *titleLabel() const { return m_title; }
    QLabel *messageLabel() const { return m_message; }
    QListWidget *eventsList() const { return m_events; }
    QPushButton *readBackButton() const { return m_readBack; }
    QPushButton *retryButton() const { return m_retry; }
    QPushButton *repinButton() const { return m_repin; }

Q_SIGNALS:
    void readBackRequested();
    void retryRequested();
    void repinRequested();

private:
    void setTone(bool good, bool bad);

    QLabel *m_title;
    QLabel *m_message;
    QListWidget *m_events;
    QPushButton *m_readBack;
    QPushButton *m_retry;
    QPushButton *m_repin;
    bool m_busy = false;
};

} // namespace chronoscope
