#include "ErrorBanner.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace chronoscope::views {

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // A fixed error red that reads on light and dark palettes alike.
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0xb0, 0x2a, 0x2a));
    p.setColor(QPalette::WindowText, Qt::white);
    setPalette(p);

    m_text->setObjectName(QStringLiteral("errorText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto *close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->addWidget(m_text, 1);
    layout->addWidget(close);
    setVisible(false);
}

void ErrorBanner::showError(const QString &message, const QString &details)
{
    m_message = message;
    m_text->setText(details.isEmpty() ? message : tr("%1: %2").arg(message, details));
    setVisible(true);
}

QString ErrorBanner::message() const
{
    return isVisible() ? m_message : QString();
}

} // namespace chronoscope::views
