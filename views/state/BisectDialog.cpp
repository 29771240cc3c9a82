#include "state/BisectDialog.h"

#include "fold/FoldController.h"
#include "timeline/TimelineIndex.h"

#include <QButtonGroup>
#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QRadioButton>
#include <QVBoxLayout>

namespace chronoscope {

BisectDialog::BisectDialog(FoldController *controller, QWidget *parent)
    : QDialog(parent), m_controller(controller)
{
    setObjectName(QStringLiteral("bisectDialog"));
    setWindowTitle(tr("Bisect: find the first event after which…"));
    m_script = new QRadioButton(tr("JavaScript expression over state"), this);
    m_path = new QRadioButton(tr("Value at a JSON path"), this);
    m_script->setChecked(true);
    auto *group = new QButtonGroup(this);
    group->addButton(m_script);
    group->addButton(m_path);

    m_expression = new QLineEdit(this);
    m_expression->setObjectName(QStringLiteral("bisectExpression"));
    m_expression->setPlaceholderText(QStringLiteral("state.counts.PaymentProcessed > 1"));
    m_expression->setFont(QFont(QStringLiteral("monospace")));
    m_pointer = new QLineEdit(this);
    m_pointer->setObjectName(QStringLiteral("bisectPointer"));
    m_pointer->setPlaceholderText(QStringLiteral("/counts/PaymentProcessed"));
    m_op = new QComboBox(this);
    for (auto op : {StatePredicate::Op::Equal, StatePredicate::Op::NotEqual, StatePredicate::Op::Less,
                    StatePredicate::Op::LessOrEqual, StatePredicate::Op::Greater, StatePredicate::Op::GreaterOrEqual,
                    StatePredicate::Op::Exists, StatePredicate::Op::Missing})
        m_op->addItem(StatePredicate::opText(op), int(op));
    m_op->setCurrentIndex(4);
    m_value = new QLineEdit(QStringLiteral("1"), this);
    m_value->setObjectName(QStringLiteral("bisectValue"));
    m_value->setPlaceholderText(tr("a JSON literal: 1, \"paid\", true"));
    auto *pathRow = new QHBoxLayout;
    pathRow->addWidget(m_pointer, 2);
    pathRow->addWidget(m_op);
    pathRow->addWidget(m_value, 1);

    m_monotone = new QCheckBox(tr("Once true it stays true (binary search over checkpoints)"), this);
    m_monotone->setChecked(true);
    m_monotone->setToolTip(tr("Untick for a predicate that can become false again: every event is then checked in order"));
    m_progress = new QProgressBar(this);
    m_progress->hide();
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("bisectResult"));
    m_result->setWordWrap(true);
    m_result->setTextFormat(Qt::PlainText);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_run = new QPushButton(tr("Find"), this);
    m_run->setObjectName(QStringLiteral("bisectRun"));
    m_run->setDefault(true);
    m_cancel = new QPushButton(tr("Cancel"), this);
    m_cancel->setEnabled(false);
    auto *buttons = new QDialogButtonBox(this);
    buttons->addButton(m_run, QDialogButtonBox::ActionRole);
    buttons->addButton(m_cancel, QDialogButtonBox::ActionRole);
    buttons->addButton(QDialogButtonBox::Close);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_script);
    layout->addWidget(m_expression);
    layout->addWidget(m_path);
    layout->addLayout(pathRow);
    layout->addWidget(m_monotone);
    layout->addWidget(m_progress);
    layout->addWidget(m_result);
    layout->addWidget(buttons);
    resize(520, sizeHint().height());

    auto syncMode = [this] {
        m_expression->setEnabled(m_script->isChecked());
        m_pointer->setEnabled(m_path->isChecked());
        m_op->setEnabled(m_path->isChecked());
        m_value->setEnabled(m_path->isChecked());
    };
    connect(m_script, &QRadioButton::toggled, this, syncMode);
    syncMode();
    connect(m_run, &QPushButton::clicked, this, &BisectDialog::run);
    connect(m_cancel, &QPushButton::clicked, this, [this] {
        m_controller->cancelBisect();
        setRunning(false);
        m_result->setText(tr("Cancelled."));
    });
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(controller, &FoldController::bisectProgress, this, [this](quint64 evaluations, quint64 total) {
        m_progress->setRange(0, int(std::min<quint64>(total, 1u << 30)));
        m_progress->setValue(int(std::min(evaluations, total)));
    });
    connect(controller, &FoldController::bisectFinished, this, &BisectDialog::finished);
}

void BisectDialog::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    m_cancel->setEnabled(running);
    m_progress->setVisible(running);
    m_progress->setRange(0, 0);
}

void BisectDialog::run()
{
    StatePredicate::Spec spec;
    spec.kind = m_script->isChecked() ? StatePredicate::Kind::JavaScript : StatePredicate::Kind::PathComparison;
    spec.expression = m_expression->text().trimmed();
    spec.pointer = m_pointer->text().trimmed();
    spec.op = StatePredicate::Op(m_op->currentData().toInt());
    spec.value = m_value->text();
    // What runs is what the user sees: an empty field is an error, never its grey example.
    const bool script = spec.kind == StatePredicate::Kind::JavaScript;
    if (script ? spec.expression.isEmpty() : spec.pointer.isEmpty()) {
        m_result->setText(script ? tr("Enter a condition on the state, e.g. %1").arg(m_expression->placeholderText())
                                 : tr("Enter a JSON pointer into the state, e.g. %1").arg(m_pointer->placeholderText()));
        (script ? m_expression : m_pointer)->setFocus();
        return;
    }
    m_result->setText(tr("Searching for the first event after which %1 …").arg(spec.describe()));
    setRunning(true);
    m_controller->bisect(spec, m_monotone->isChecked());
}

void BisectDialog::finished(const BisectOutcome &o)
{
    if (!m_running)
        return; // cancelled here: a late answer is not wanted
    setRunning(false);
    const QString method = o.binary ? tr("binary search") : tr("linear scan");
    QString text;
    if (o.cancelled) {
        text = tr("Cancelled.");
    } else if (!o.error.isEmpty()) {
        text = tr("Could not bisect: %1").arg(o.error);
    } else if (o.holdsInitially) {
        text = tr("%1 already holds before the first event.").arg(o.predicate);
    } else if (!o.ordinal) {
        text = tr("%1 never holds in this timeline (%2, %3 states checked).").arg(o.predicate, method).arg(o.evaluations);
    } else {
        const quint64 ordinal = *o.ordinal;
        QString event = QStringLiteral("#%1").arg(ordinal);
        TimelineSession *session = m_controller->session();
        if (session && ordinal < session->index().size())
            event = tr("#%1 %2 (revision %3)")
                        .arg(ordinal)
                        .arg(QString::fromUtf8(session->index().typeName(ordinal)))
                        .arg(session->index().revision(ordinal));
        text = tr("First holds after %1 — found by %2, %3 states checked, %4 events folded. The cursor is there now.")
                   .arg(event, method)
                   .arg(o.evaluations)
                   .arg(o.folds);
        if (session)
            session->cursor()->setPosition(qint64(ordinal));
        Q_EMIT found(qint64(ordinal));
    }
    if (!o.predicateError.isEmpty())
        text += QLatin1Char('\n') + tr("Note: the expression failed on some states (counted as false): %1").arg(o.predicateError);
    m_result->setText(text);
}

} // namespace chronoscope
