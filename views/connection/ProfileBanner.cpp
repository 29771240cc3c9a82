#include "connection/ProfileBanner.h"

#include "connection/ConnectionProfiles.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>

namespace chronoscope::views {
namespace {
// The production red reads on light and dark palettes alike; white text on it has a 6:1 contrast.
const QColor kProductionRed(0xc6, 0x28, 0x28);
constexpr int kAccentWidth = 6;
} // namespace

ProfileBanner::ProfileBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
{
    setObjectName(QStringLiteral("profileBanner"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred); // fills the toolbar it sits in
    m_text->setObjectName(QStringLiteral("profileBannerText"));
    m_text->setTextFormat(Qt::PlainText);

    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(kAccentWidth + 8, 0, 8, 0);
    layout->addWidget(m_text, 1);
    setVisible(false);
}

void ProfileBanner::showProfile(const ConnectionProfile &profile)
{
    m_production = profile.production;
    const QString access = profile.readOnly ? tr("read-only") : tr("writes enabled");
    QFont f = font();
    if (m_production) {
        m_text->setText(tr("PRODUCTION — %1 — %2").arg(profile.name, access));
        m_fill = kProductionRed;
        m_accentColour = QColor();
        // A style sheet, not the palette: inside MainWindow's toolbar the label ignored a palette.
        m_text->setStyleSheet(QStringLiteral("QLabel { color: #ffffff; }"));
        f.setBold(true);
        f.setPointSizeF(f.pointSizeF() * 1.15);
        m_text->setAlignment(Qt::AlignCenter);
        setMinimumHeight(32);
    } else {
        m_text->setText(tr("Profile: %1 — %2").arg(profile.name, access));
        m_fill = QColor();
        m_text->setStyleSheet(QString()); // the window's own text colour
        f.setBold(false);
        m_text->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        m_accentColour = QColor(profile.colour);
        setMinimumHeight(24);
    }
    m_text->setFont(f);
    update();
    setToolTip(profile.connectionString);
    setVisible(true);
}

void ProfileBanner::clearProfile()
{
    m_production = false;
    m_text->clear();
    setVisible(false);
}

void ProfileBanner::paintEvent(QPaintEvent *event)
{
    // Painted by hand rather than through the palette: a toolbar host (MainWindow puts the banner
    // in one) paints its widgets' backgrounds its own way, and the red must not depend on that.
    QPainter painter(this);
    if (m_fill.isValid())
        painter.fillRect(rect(), m_fill);
    if (m_accentColour.isValid())
        painter.fillRect(QRect(0, 0, kAccentWidth, height()), m_accentColour);
    painter.end();
    QFrame::paintEvent(event);
}

QString ProfileBanner::text() const
{
    return m_text->text();
}

} // namespace chronoscope::views
