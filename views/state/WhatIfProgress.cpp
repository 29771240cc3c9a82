#include "state/WhatIfProgress.h"

#include "fold/FoldController.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QProgressBar>
#include <QTimer>
#include <QToolButton>

namespace chronoscope {

WhatIfProgress::WhatIfProgress(FoldController *controller, QWidget *parent)
    : QWidget(parent)
    , m_controller(controller)
    , m_label(new QLabel(this))
    , m_bar(new QProgressBar(this))
    , m_cancel(new QToolButton(this))
    , m_appear(new QTimer(this))
    , m_linger(new QTimer(this))
{
    setObjectName(QStringLiteral("whatIfProgress"));
    m_label->setObjectName(QStringLiteral("whatIfProgressText"));
    m_bar->setObjectName(QStringLiteral("whatIfProgressBar"));
    m_bar->setMaximumWidth(140);
    m_bar->setRange(0, 0);
    m_bar->setFormat(QStringLiteral("%p%"));
    m_cancel->setObjectName(QStringLiteral("whatIfCancel"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop the what-if; the state and diff panes keep what they show"));
    m_cancel->setAutoRaise(true);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(6, 2, 6, 2);
    layout->addWidget(m_label, 1);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);

    m_appear->setSingleShot(true);
    m_appear->setInterval(200);
    m_linger->setSingleShot(true);
    m_linger->setInterval(8000);
    connect(m_appear, &QTimer::timeout, this, [this] {
        if (m_controller->isWhatIfRunning())
            showRunning(true);
    });
    connect(m_linger, &QTimer::timeout, this, &QWidget::hide);
    connect(m_cancel, &QToolButton::clicked, controller, &FoldController::cancelWhatIf);

    connect(controller, &FoldController::whatIfStarted, this, [this] {
        m_linger->stop();
        m_bar->setRange(0, 0);
        m_label->setText(tr("What-if: folding…"));
        m_appear->start();
    });
    connect(controller, &FoldController::whatIfProgress, this, [this](quint64 done, quint64 total) {
        m_bar->setRange(0, 1000);
        m_bar->setValue(total ? int(done * 1000 / total) : 1000);
        const QLocale locale;
        m_label->setText(tr("What-if: %1 of %2 events folded").arg(locale.toString(done), locale.toString(total)));
    });
    connect(controller, &FoldController::whatIfReady, this, [this] {
        m_appear->stop();
        showRunning(false);
        hide();
    });
    connect(controller, &FoldController::whatIfCancelled, this, [this](const QString &reason) {
        m_appear->stop();
        showRunning(false);
        m_label->setText(endedText(reason));
        show();
        m_linger->start();
    });
    showRunning(false);
    hide();
}

QString WhatIfProgress::text() const
{
    return m_label->text();
}

QString WhatIfProgress::endedText(const QString &reason)
{
    if (reason == QLatin1String("cancelled"))
        return tr("What-if cancelled: the panes show what they showed before.");
    return tr("What-if stopped (%1): the panes show what they showed before.").arg(reason);
}

void WhatIfProgress::showRunning(bool running)
{
    m_bar->setVisible(running);
    m_cancel->setVisible(running);
    if (running)
        show();
}

} // namespace chronoscope
