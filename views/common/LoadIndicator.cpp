#include "common/LoadIndicator.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QProgressBar>
#include <QToolButton>

namespace chronoscope::views {

LoadIndicator::LoadIndicator(QWidget *parent)
    : QWidget(parent), m_label(new QLabel(this)), m_bar(new QProgressBar(this)), m_cancel(new QToolButton(this))
{
    m_label->setObjectName(QStringLiteral("loadText"));
    m_bar->setRange(0, 0); // a stream's length is unknown until it is read
    m_bar->setMaximumWidth(120);
    m_bar->setMaximumHeight(14);
    m_bar->setTextVisible(false);
    m_cancel->setObjectName(QStringLiteral("loadCancel"));
    m_cancel->setText(tr("Cancel"));
    m_cancel->setToolTip(tr("Stop loading; what was read stays (Esc)"));
    m_cancel->setAutoRaise(true);
    connect(m_cancel, &QToolButton::clicked, this, &LoadIndicator::cancelRequested);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_label);
    layout->addWidget(m_bar);
    layout->addWidget(m_cancel);
    hide();
}

void LoadIndicator::start(const QString &text)
{
    m_label->setText(text);
    show();
}

void LoadIndicator::setText(const QString &text) { m_label->setText(text); }
void LoadIndicator::finish() { hide(); }
QString LoadIndicator::text() const { return m_label->text(); }

} // namespace chronoscope::views
