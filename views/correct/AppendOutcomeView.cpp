#include "correct/AppendOutcomeView.h"

#include "common/DiffColors.h"

#include <QDateTime>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QScrollBar>
#include <QVBoxLayout>

namespace chronoscope {

using Kind = AppendOutcome::Kind;

AppendOutcomeView::AppendOutcomeView(QWidget *parent)
    : QWidget(parent)
    , m_title(new QLabel(this))
    , m_message(new QLabel(this))
    , m_events(new QListWidget(this))
    , m_readBack(new QPushButton(tr("Check Whether It Landed"), this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_repin(new QPushButton(this))
{
    setObjectName(QStringLiteral("appendOutcome"));
    m_title->setObjectName(QStringLiteral("outcomeTitle"));
    QFont bold = m_title->font();
    bold.setBold(true);
    m_title->setFont(bold);
    m_message->setObjectName(QStringLiteral("outcomeMessage"));
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_events->setObjectName(QStringLiteral("outcomeEvents"));
    m_events->setAlternatingRowColors(true);
    m_readBack->setObjectName(QStringLiteral("readBackButton"));
    m_readBack->setToolTip(tr("Read the stream to learn whether the event landed, before any retry"));
    m_retry->setObjectName(QStringLiteral("retryButton"));
    m_retry->setToolTip(tr("Append again with the same event id and the same pinned revision: it cannot land twice"));
    m_repin->setObjectName(QStringLiteral("repinButton"));
    m_repin->setToolTip(tr("Pin the draft to the stream's head now that you have seen the events above"));

    auto *buttons = new QHBoxLayout;
    buttons->setContentsMargins(0, 0, 0, 0);
    buttons->addWidget(m_readBack);
    buttons->addWidget(m_retry);
    buttons->addWidget(m_repin);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(3);
    layout->addWidget(m_title);
    layout->addWidget(m_message);
    layout->addWidget(m_events);
    layout->addLayout(buttons);

    connect(m_readBack, &QPushButton::clicked, this, &AppendOutcomeView::readBackRequested);
    connect(m_retry, &QPushButton::clicked, this, &AppendOutcomeView::retryRequested);
    connect(m_repin, &QPushButton::clicked, this, &AppendOutcomeView::repinRequested);
    clear();
}

void AppendOutcomeView::clear()
{
    m_title->clear();
    m_message->clear();
    m_events->clear();
    for (QWidget *w : std::initializer_list<QWidget *>{m_title, m_message, m_events, m_readBack, m_retry, m_repin})
        w->setVisible(false);
    setVisible(false);
}

void AppendOutcomeView::setTone(bool good, bool bad)
{
    const bool dark = DiffColors::isDark(palette());
    QString colour;
    if (good)
        colour = dark ? QStringLiteral("#81c784") : QStringLiteral("#1b5e20");
    else if (bad)
        colour = dark ? QStringLiteral("#ff8a80") : QStringLiteral("#b71c1c");
    else
        colour = dark ? QStringLiteral("#ffd54f") : QStringLiteral("#8a5a00");
    m_title->setStyleSheet(QStringLiteral("color: %1").arg(colour));
}

QString AppendOutcomeView::explain(const AppendOutcome &o)
{
    const QString revision = o.revision ? QString::number(*o.revision) : tr("?");
    const QString position = o.position ? tr(", position %1").arg(o.position->commit) : QString();
    switch (o.kind) {
    case Kind::Appended: return tr("The correction is in the stream at revision %1%2.").arg(revision, position);
    case Kind::AlreadyAppended:
        return tr("The event was already in the stream at revision %1%2: an earlier attempt landed, and nothing was "
                  "written twice.")
            .arg(revision, position);
    case Kind::Conflict:
        return tr("Someone appended to the stream after the revision you inspected, so nothing was written. The "
                  "events that came are listed below, and the draft has been checked again against them. Re-pin it "
                  "to append after them.");
    case Kind::RefusedByGuard: return tr("The write guard refused: %1").arg(o.message);
    case Kind::RefusedByValidation: return tr("The draft has errors (shown at their fields): nothing was sent.");
    case Kind::NotPinned:
        return tr("The draft is not pinned to a revision you inspected, and an append is never made with “any”.");
    case Kind::StreamDeleted: return tr("The stream is deleted or tombstoned: a correction cannot be appended to it.");
    case Kind::AccessDenied:
        return tr("Access denied: the connection's user may not write to this stream. Nothing was written.");
    case Kind::TooBig:
        return tr("The event is larger than the server accepts. Nothing was written: make the data smaller.");
    case Kind::DeadlineExceeded:
        return tr("No answer came in time. The event may or may not have landed: check whether it did before "
                  "you retry.");
    case Kind::ConnectionLost:
        return tr("The connection was lost before the answer came. The event may or may not have landed: check "
                  "whether it did before you retry.");
    case Kind::NotAppended:
        return tr("The event is not in the stream and nothing else arrived: retrying is safe (the same event id "
                  "and pinned revision, so it cannot land twice).");
    case Kind::AuditFailed:
        return tr("The audit log could not be written, so the append was not made: %1").arg(o.message);
    case Kind::Error: break;
    }
    return tr("The append failed: %1").arg(o.message.isEmpty() ? o.error.toString() : o.message);
}

QString AppendOutcomeView::eventLine(const RecordedEvent &e)
{
    const QDateTime created = QDateTime::fromMSecsSinceEpoch(e.createdMsecsSinceEpoch(), Qt::UTC);
    return QStringLiteral("#%1  %2  %3 UTC  %4")
        .arg(e.revision)
        .arg(QString::fromUtf8(e.type), created.toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
             e.id.toString(QUuid::WithoutBraces));
}

void AppendOutcomeView::showOutcome(const AppendOutcome &outcome, bool readBack)
{
    setVisible(true);
    m_title->setVisible(true);
    m_message->setVisible(true);
    m_title->setText(readBack ? tr("Checked: %1").arg(outcome.title()) : outcome.title());
    QString text = explain(outcome);
    // The client's own words add detail to an error; an answer the sentence above already tells needs none.
    const bool told = outcome.isSuccess() || outcome.kind == Kind::Conflict || outcome.kind == Kind::NotAppended
        || outcome.kind == Kind::RefusedByValidation;
    if (!told && !outcome.message.isEmpty() && !text.contains(outcome.message))
        text += QLatin1Char('\n') + outcome.message;
    m_message->setText(text);
    setTone(outcome.isSuccess(),
            !outcome.isSuccess() && !outcome.isUncertain() && outcome.kind != Kind::NotAppended
                && outcome.kind != Kind::Conflict);
    // After an uncertain answer the stream is read first; a retry is offered only once it is known
    // that the event did not land.
    m_readBack->setVisible(outcome.isUncertain());
    m_retry->setVisible(outcome.kind == Kind::NotAppended);
    m_events->setVisible(false);
    m_repin->setVisible(false);
    setBusy(m_busy);
}

void AppendOutcomeView::showUnseen(const QList<RecordedEvent> &events, const ExpectedState &pinned, quint64 head,
                                   bool conflict)
{
    setVisible(true);
    m_title->setVisible(true);
    m_message->setVisible(true);
    if (!conflict) {
        m_title->setText(tr("The stream moved on"));
        const QString from = pinned.kind == ExpectedState::Kind::Revision ? tr("revision %1").arg(pinned.revision)
                                                                          : tr("“no stream”");
        m_message->setText(tr("The draft is pinned to %1, but the stream is at revision %2 now: %n event(s) you have "
                              "not seen. Review them, then re-pin.",
                              nullptr, int(head - (pinned.kind == ExpectedState::Kind::Revision ? pinned.revision : 0)))
                               .arg(from)
                               .arg(head));
        setTone(false, false);
    }
    m_events->clear();
    for (const RecordedEvent &e : events)
        m_events->addItem(eventLine(e));
    m_events->setVisible(!events.isEmpty());
    if (!events.isEmpty()) { // as tall as its rows, up to four (then it scrolls)
        const int rows = std::min(int(events.size()), 4);
        m_events->setFixedHeight(rows * m_events->sizeHintForRow(0) + 2 * m_events->frameWidth()
                                 + m_events->horizontalScrollBar()->sizeHint().height());
    }
    m_repin->setText(tr("Re-pin to Revision %1").arg(head));
    m_repin->setVisible(true);
    m_readBack->setVisible(false);
    m_retry->setVisible(false);
    setBusy(m_busy);
}

void AppendOutcomeView::markRepinned(quint64 head)
{
    m_repin->setVisible(false);
    m_title->setText(tr("Re-pinned to revision %1").arg(head));
    m_message->setText(tr("The draft now expects revision %1: run the dry run again before you append.").arg(head));
    setTone(false, false);
}

void AppendOutcomeView::setBusy(bool busy)
{
    m_busy = busy;
    for (QPushButton *b : {m_readBack, m_retry, m_repin})
        b->setEnabled(!busy);
}

} // namespace chronoscope
