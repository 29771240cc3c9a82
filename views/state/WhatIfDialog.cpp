#include "state/WhatIfDialog.h"

#include "fold/FoldController.h"
#include "session/TimelineSession.h"
#include "state/WhatIfProgress.h"
#include "timeline/TimelineIndex.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QVBoxLayout>

#include <algorithm>

namespace chronoscope {

WhatIfDialog::WhatIfDialog(FoldController *controller, TimelineSession *session, QWidget *parent)
    : QDialog(parent)
    , m_controller(controller)
    , m_session(session)
    , m_exclude(new QLineEdit(this))
    , m_insert(new QCheckBox(tr("Insert a hypothetical event"), this))
    , m_insertAt(new QLabel(this))
    , m_type(new QComboBox(this))
    , m_data(new QPlainTextEdit(this))
    , m_message(new QLabel(this))
{
    setObjectName(QStringLiteral("whatIfDialog"));
    setWindowTitle(tr("What-if"));
    m_exclude->setObjectName(QStringLiteral("whatIfExclude"));
    m_exclude->setPlaceholderText(tr("event ordinals, e.g. 12, 15-18 (empty: none)"));
    m_insert->setObjectName(QStringLiteral("whatIfInsert"));
    m_type->setObjectName(QStringLiteral("whatIfType"));
    m_type->setEditable(true);
    m_type->setInsertPolicy(QComboBox::NoInsert);
    m_type->lineEdit()->setPlaceholderText(tr("event type, e.g. PaymentRefunded"));
    m_data->setObjectName(QStringLiteral("whatIfData"));
    m_data->setPlaceholderText(QStringLiteral("{ \"orderId\": \"order-1\", \"amount\": 100 }"));
    m_data->setTabChangesFocus(true);
    m_message->setObjectName(QStringLiteral("whatIfMessage"));
    m_message->setWordWrap(true);
    m_message->setTextFormat(Qt::PlainText);

    auto *form = new QFormLayout;
    form->addRow(tr("Leave out:"), m_exclude);
    form->addRow(m_insert);
    form->addRow(tr("After:"), m_insertAt);
    form->addRow(tr("Type:"), m_type);
    form->addRow(tr("Data (JSON):"), m_data);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    m_run = buttons->addButton(tr("Fold and Compare"), QDialogButtonBox::ActionRole);
    m_run->setObjectName(QStringLiteral("whatIfRun"));
    m_run->setDefault(true);
    // Cancel stops the fold, not the dialog (Close and Esc close it; a running what-if goes on).
    m_cancel = buttons->addButton(tr("Cancel Fold"), QDialogButtonBox::ActionRole);
    m_cancel->setObjectName(QStringLiteral("whatIfCancel"));
    m_cancel->setToolTip(tr("Stop the fold; the diff pane keeps what it shows"));
    m_cancel->setEnabled(false);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::close);
    connect(m_run, &QPushButton::clicked, this, &WhatIfDialog::run);
    connect(m_cancel, &QPushButton::clicked, controller, &FoldController::cancelWhatIf);
    auto *layout = new QVBoxLayout(this);
    layout->addLayout(form);
    layout->addWidget(m_message);
    layout->addWidget(buttons);

    for (QWidget *w : {static_cast<QWidget *>(m_insertAt), static_cast<QWidget *>(m_type), static_cast<QWidget *>(m_data)})
        w->setEnabled(false);
    connect(m_insert, &QCheckBox::toggled, this, [this](bool on) {
        m_insertAt->setEnabled(on);
        m_type->setEnabled(on);
        m_data->setEnabled(on);
        if (on)
            fillTypes();
        validate();
    });
    connect(m_exclude, &QLineEdit::textChanged, this, &WhatIfDialog::validate);
    connect(m_type, &QComboBox::editTextChanged, this, &WhatIfDialog::validate);
    connect(m_data, &QPlainTextEdit::textChanged, this, &WhatIfDialog::validate);
    connect(session->cursor(), &TimeCursor::positionChanged, this, &WhatIfDialog::updateInsertLabel);
    connect(controller, &FoldController::whatIfReady, this, [this](const WhatIfOutcome &o) {
        m_cancel->setEnabled(false);
        if (isVisible())
            m_message->setText(o.error.isEmpty() ? tr("Done: the diff pane compares the what-if with reality.")
                                                 : tr("What-if failed: %1").arg(o.error));
    });
    connect(controller, &FoldController::whatIfStarted, this, [this] { m_cancel->setEnabled(true); });
    connect(controller, &FoldController::whatIfProgress, this, [this](quint64 done, quint64 total) {
        const QLocale locale;
        m_message->setText(tr("Folding… %1 of %2 events").arg(locale.toString(done), locale.toString(total)));
    });
    connect(controller, &FoldController::whatIfCancelled, this, [this](const QString &reason) {
        m_cancel->setEnabled(false);
        m_message->setText(WhatIfProgress::endedText(reason));
    });
    updateInsertLabel();
    validate();
}

bool WhatIfDialog::parseOrdinals(const QString &text, quint64 count, QList<quint64> *out)
{
    const QStringList parts = text.split(QRegularExpression(QStringLiteral("[,\\s]+")), Qt::SkipEmptyParts);
    for (QString p : parts) {
        p.remove(QLatin1Char('#'));
        const QStringList range = p.split(QLatin1Char('-'));
        bool ok1 = false, ok2 = true;
        const quint64 from = range.value(0).toULongLong(&ok1);
        const quint64 to = range.size() == 2 ? range.value(1).toULongLong(&ok2) : from;
        if (!ok1 || !ok2 || range.size() > 2 || to < from || to >= count || to - from > 100000)
            return false;
        for (quint64 o = from; o <= to; ++o)
            out->append(o);
    }
    return !out->isEmpty();
}

void WhatIfDialog::fillTypes()
{
    // The types this timeline has (its interned names: no walk over the events); what is typed stays.
    const QString typed = m_type->currentText();
    const engine::StringInterner &names = m_session->index().types();
    QStringList types;
    for (quint32 id = 0; id < names.size(); ++id)
        types << QString::fromUtf8(names.name(id));
    std::sort(types.begin(), types.end());
    m_type->clear();
    m_type->addItems(types);
    m_type->setCurrentText(typed);
}

void WhatIfDialog::updateInsertLabel()
{
    const qint64 at = m_session->cursor()->position();
    m_insertAt->setText(at >= 0 ? tr("the event at the cursor (#%1, %2)")
                                      .arg(at)
                                      .arg(QString::fromUtf8(m_session->index().typeName(quint64(at))))
                                : tr("the start of the timeline"));
}

void WhatIfDialog::validate()
{
    QString problem;
    const quint64 count = m_session->cursor()->count();
    QList<quint64> excluded;
    const QString exclude = m_exclude->text().trimmed();
    if (!exclude.isEmpty() && !parseOrdinals(exclude, count, &excluded))
        problem = tr("\"%1\" is not a list of event ordinals of this timeline (0 to %2).").arg(exclude).arg(qint64(count) - 1);
    if (problem.isEmpty() && m_insert->isChecked()) {
        QJsonParseError error{};
        const QByteArray data = m_data->toPlainText().toUtf8();
        if (m_type->currentText().trimmed().isEmpty())
            problem = tr("Give the hypothetical event a type.");
        else if (data.trimmed().isEmpty())
            problem = tr("Give the hypothetical event its data (JSON).");
        else if (QJsonDocument::fromJson(data, &error).isNull())
            problem = tr("The data is not JSON: %1 at character %2.").arg(error.errorString()).arg(error.offset);
    }
    if (problem.isEmpty() && exclude.isEmpty() && !m_insert->isChecked())
        problem = tr("Leave out some events, insert one, or both.");
    m_message->setText(problem);
    m_run->setEnabled(problem.isEmpty() && count > 0);
}

bool WhatIfDialog::run()
{
    validate();
    if (!m_run->isEnabled())
        return false;
    QList<quint64> excluded;
    parseOrdinals(m_exclude->text(), m_session->cursor()->count(), &excluded);
    QList<WhatIfInsertion> insert;
    if (m_insert->isChecked()) {
        WhatIfInsertion i;
        i.after = m_session->cursor()->position();
        i.type = m_type->currentText().trimmed().toUtf8();
        i.data = QJsonDocument::fromJson(m_data->toPlainText().toUtf8()).toJson(QJsonDocument::Compact);
        insert.append(i);
    }
    m_message->setText(tr("Folding…"));
    // Compared at the end of the timeline: what the state would be now.
    m_controller->whatIf(excluded, m_session->cursor()->count(), insert);
    Q_EMIT started();
    return true;
}

} // namespace chronoscope
