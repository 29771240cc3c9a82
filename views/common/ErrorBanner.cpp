#include "common/ErrorBanner.h"

#include <QGridLayout>
#include <QLabel>
#include <QToolButton>

namespace chronoscope::views {

namespace {

QToolButton *bannerButton(const QString &text, const QString &name, QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setObjectName(name);
    b->setText(text);
    b->setAutoRaise(true);
    b->setToolButtonStyle(Qt::ToolButtonTextOnly);
    return b;
}

} // namespace

ErrorBanner::ErrorBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_detailsText(new QLabel(this))
    , m_detailsButton(bannerButton(tr("Details"), QStringLiteral("errorDetailsButton"), this))
{
    setObjectName(QStringLiteral("errorBanner"));
    setFrameShape(QFrame::StyledPanel);
    setAutoFillBackground(true);
    // A fixed error red that reads on light and dark palettes alike; its buttons take the same colours.
    QPalette p = palette();
    p.setColor(QPalette::Window, QColor(0xb0, 0x2a, 0x2a));
    p.setColor(QPalette::WindowText, Qt::white);
    p.setColor(QPalette::ButtonText, Qt::white);
    p.setColor(QPalette::Button, QColor(0x8c, 0x1f, 0x1f));
    setPalette(p);

    m_text->setObjectName(QStringLiteral("errorText"));
    m_text->setTextFormat(Qt::PlainText);
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsText->setObjectName(QStringLiteral("errorDetails"));
    m_detailsText->setTextFormat(Qt::PlainText);
    m_detailsText->setWordWrap(true);
    m_detailsText->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_detailsText->setVisible(false);

    m_detailsButton->setCheckable(true);
    m_detailsButton->setToolTip(tr("Show what the server or the library said"));
    connect(m_detailsButton, &QToolButton::toggled, m_detailsText, &QWidget::setVisible);
    QToolButton *all = bannerButton(tr("All Notices…"), QStringLiteral("errorShowAllButton"), this);
    all->setToolTip(tr("Every error and warning of this session, each listed once"));
    connect(all, &QToolButton::clicked, this, &ErrorBanner::showAllRequested);
    QToolButton *close = bannerButton(QStringLiteral("✕"), QStringLiteral("errorDismissButton"), this);
    close->setToolTip(tr("Dismiss"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    layout->setHorizontalSpacing(4);
    layout->setVerticalSpacing(2);
    layout->addWidget(m_text, 0, 0);
    layout->addWidget(m_detailsButton, 0, 1);
    layout->addWidget(all, 0, 2);
    layout->addWidget(close, 0, 3);
    layout->addWidget(m_detailsText, 1, 0, 1, 4);
    layout->setColumnStretch(0, 1);
    setVisible(false);
}

void ErrorBanner::showError(const QString &message, const QString &details)
{
    m_message = message;
    m_details = details;
    m_repeats = 1;
    m_detailsText->setText(details);
    m_detailsButton->setVisible(!details.isEmpty());
    m_detailsButton->setChecked(false);
    updateText();
    setVisible(true);
}

void ErrorBanner::setRepeats(int count)
{
    m_repeats = count;
    updateText();
}

void ErrorBanner::updateText()
{
    m_text->setText(m_repeats > 1 ? tr("%1 (×%2)").arg(m_message).arg(m_repeats) : m_message);
}

QString ErrorBanner::message() const
{
    return isVisible() ? m_message : QString();
}

bool ErrorBanner::detailsShown() const
{
    return m_detailsButton->isChecked();
}

} // namespace chronoscope::views
